"""The admin's reorganisation import (/quan-tri/units/unit/nhap-tep/): the same file, checks and all-or-nothing
import as `import_units`, scoped to the unit admin's subtree."""
from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from units.models import IssuingBody, Unit, UnitChange, UnitVersion
from units.transfer import export_rows

pytestmark = pytest.mark.django_db
COLUMNS = ["type", "code", "name", "kind", "parent", "valid_from", "short_name", "dissolved_on", "successor",
           "split_into", "predecessor", "code_suffix"]


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def exported(code: str, **changes) -> dict:
    row = next(r for r in export_rows(root=Unit.objects.get(code=code)) if r["code"] == code)
    return {k: v for k, v in {**row, **changes}.items() if k in COLUMNS}


def upload(rows: list[dict], name: str = "sap-xep.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def state():
    return (list(Unit.objects.order_by("path").values_list("code", "path", "dissolved_on")),
            list(IssuingBody.objects.order_by("code").values_list("code", "valid_to")),
            UnitVersion.objects.count(), UnitChange.objects.count())


def split_and_succession(today: str) -> list[dict]:
    cells = list(Unit.objects.get(code="tam-duong-khun-ha").get_children().order_by("path"))
    return [
        exported("tam-duong-khun-ha", dissolved_on=today, split_into="khun-ha-a;khun-ha-b"),
        {"code": "khun-ha-a", "name": "Đảng ủy xã Khun Há A", "kind": "dang-uy-xa", "parent": "tam-duong",
         "valid_from": today},
        {"code": "khun-ha-b", "name": "Đảng ủy xã Khun Há B", "kind": "dang-uy-xa", "parent": "tam-duong",
         "valid_from": today},
        *[exported(c.code, parent="khun-ha-a" if n % 2 else "khun-ha-b", valid_from=today)
          for n, c in enumerate(cells)],
        {"type": "body", "code": "tam-duong-btgdv", "predecessor": "tam-duong-btg", "valid_from": today,
         "name": "Ban Tuyên giáo và Dân vận Huyện ủy Tam Đường", "code_suffix": "BTGDVHU"},
    ]


def test_check_lists_the_changes_then_import_applies_them(demo, client):
    today = timezone.localdate().isoformat()
    login(client, "admin")
    url = reverse("admin:units_unit_import")
    assert url in client.get(reverse("admin:units_unit_changelist")).content.decode()
    before = state()
    page = client.post(url, {"check": "1", "file": upload(split_and_succession(today))})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="import-ok"' in text and 'id="import-conflicts"' not in text
    assert "Dòng 2: Chia tách tam-duong-khun-ha" in text and "tam-duong-btg → tam-duong-btgdv" in text
    assert state() == before
    page = client.post(url, {"apply": "1", "file": upload(split_and_succession(today))})
    assert page.status_code == 302 and page.url == reverse("admin:units_unit_changelist")
    khun_ha = Unit.objects.get(code="tam-duong-khun-ha")
    assert sorted(khun_ha.split_into.values_list("code", flat=True)) == ["khun-ha-a", "khun-ha-b"]
    assert IssuingBody.objects.get(code="tam-duong-btgdv").predecessor.code == "tam-duong-btg"


def test_every_conflict_is_shown_and_nothing_is_saved(demo, client):
    login(client, "admin")
    rows = [
        exported("tam-duong-binh-lu", dissolved_on=timezone.localdate().isoformat()),  # its 4 cells stay behind
        {"type": "body", "code": "lai-chau-btg-2", "predecessor": "lai-chau-btg", "valid_from": "2000-01-01"},
    ]
    before = state()
    for button in ("check", "apply"):
        text = client.post(reverse("admin:units_unit_import"), {button: "1", "file": upload(rows)}).content.decode()
        conflicts = text.split('id="import-conflicts"')[1].split("</ul>")[0]
        assert conflicts.count("<li>") == 2, button
        assert "Dòng 2:" in conflicts and "Đảng ủy xã Bình Lư" in conflicts and "Dòng 3:" in conflicts
        assert state() == before


def test_a_unit_admin_imports_only_inside_the_subtree(demo, client):
    login(client, "tam-duong.admin")
    rows = [exported("than-uyen-muong-than", name="Đảng ủy xã Mường Than (mới)"),
            {"type": "body", "code": "lai-chau-btg-moi", "predecessor": "lai-chau-btg",
             "valid_from": timezone.localdate().isoformat(), "code_suffix": "X"}]
    before = state()
    text = client.post(reverse("admin:units_unit_import"), {"apply": "1", "file": upload(rows)}).content.decode()
    errors = text.split('id="import-errors"')[1].split("</ul>")[0]
    assert errors.count("ngoài phạm vi đơn vị bạn được quản trị") == 2 and "Dòng 2:" in errors and "Dòng 3:" in errors
    assert state() == before
    # not an administrator at all: the admin's login page
    login(client, "tam-duong.entry")
    assert client.get(reverse("admin:units_unit_import")).status_code == 302


@pytest.mark.parametrize("name, body, message", [
    ("sap-xep.xlsx", b"PK\x03\x04", "Chỉ nhận tệp .csv hoặc .json"),
    ("sap-xep.csv", b"code,name\n" + b"x" * (2 * 1024 * 1024), "Tệp quá lớn"),
    ("sap-xep.csv", "code,name\nmã,tên\n".encode("utf-16"), "UTF-8"),
    ("sap-xep.json", b"{\"code\": 1}", "danh sách các đối tượng"),
])
def test_a_wrong_file_gets_a_clear_message_and_changes_nothing(demo, client, name, body, message):
    login(client, "admin")
    before = state()
    page = client.post(reverse("admin:units_unit_import"),
                       {"apply": "1", "file": SimpleUploadedFile(name, body)})
    assert page.status_code == 200 and message in page.content.decode()
    assert state() == before
