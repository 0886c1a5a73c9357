"""Issue 15.4: a whole reorganisation from one file (import_units): merges, splits, moves, renames,
dissolutions and issuing bodies with their dates; the dry run lists every change and every conflict, the
import is all or nothing, and a body's new period never changes an old number."""
from __future__ import annotations

import csv
import io
import json

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from reports.plans.models import Plan
from reports.submissions.models import Submission
from tests.demo_fixtures import module_demo
from units.models import IssuingBody, Staff, Unit, UnitChange, UnitVersion
from units.transfer import export_rows

pytestmark = pytest.mark.django_db
COLUMNS = ["type", "code", "name", "kind", "parent", "valid_from", "short_name", "dissolved_on", "successor",
           "split_into", "predecessor", "citation_name", "board_line", "code_suffix", "recipients"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_demo(django_db_blocker) as plans:
        yield plans


def csv_file(tmp_path, rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "sap-xep.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path)


def run(path: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_units", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def state():
    return (list(Unit.objects.order_by("path").values_list("code", "path", "dissolved_on", "successor_id")),
            list(IssuingBody.objects.order_by("code").values_list("code", "valid_to")),
            UnitVersion.objects.count(), UnitChange.objects.count())


def exported(code: str, **changes) -> dict:
    """The unit's row as `export_units` writes it (what an administrator edits), with `changes`."""
    row = next(r for r in export_rows(root=Unit.objects.get(code=code)) if r["code"] == code)
    return {**row, **changes}


def reorganisation(today: str) -> list[dict]:
    cells = Unit.objects.get(code="tam-duong-khun-ha").get_children().order_by("path")
    return [
        # a split: Khun Há into two communes, its village cells shared out
        exported("tam-duong-khun-ha", dissolved_on=today, split_into="khun-ha-bac;khun-ha-nam"),
        {"code": "khun-ha-bac", "name": "Đảng ủy xã Khun Há Bắc", "kind": "dang-uy-xa", "parent": "tam-duong",
         "valid_from": today, "short_name": "xã Khun Há Bắc"},
        {"code": "khun-ha-nam", "name": "Đảng ủy xã Khun Há Nam", "kind": "dang-uy-xa", "parent": "tam-duong",
         "valid_from": today, "short_name": "xã Khun Há Nam"},
        *[exported(cell.code, parent="khun-ha-bac" if n < 3 else "khun-ha-nam", valid_from=today)
          for n, cell in enumerate(cells)],
        # a merge into an existing commune, and two units merged into a new one
        exported("than-uyen-phuc-than", dissolved_on=today, successor="than-uyen-muong-than"),
        {"code": "than-uyen-moi", "name": "Đảng ủy xã Than Uyên", "kind": "dang-uy-xa", "parent": "than-uyen",
         "valid_from": today, "short_name": "xã Than Uyên"},
        exported("than-uyen-thi-tran", dissolved_on=today, successor="than-uyen-moi"),
        exported("than-uyen-cong-an", dissolved_on=today, successor="than-uyen-moi"),
        # the province board continues as Ban Tuyên giáo và Dân vận; the Than Uyên board issues no more
        {"type": "body", "code": "lai-chau-btgdv", "predecessor": "lai-chau-btg", "valid_from": today,
         "name": "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu", "citation_name": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
         "board_line": "BAN TUYÊN GIÁO VÀ DÂN VẬN", "code_suffix": "BTGDVTU",
         "recipients": "Như trên| Các đảng ủy xã, phường|Lưu Văn phòng"},
        {"type": "body", "code": "than-uyen-btg", "dissolved_on": today},
    ]


def test_a_split_a_body_succession_and_merges_in_one_file(demo, tmp_path, client, settings):
    today = timezone.localdate()
    path = csv_file(tmp_path, reorganisation(today.isoformat()))
    before = state()
    out, err = run(path, "--dry-run")
    assert err == "" and state() == before
    assert "Dòng 2: Chia tách tam-duong-khun-ha từ" in out
    assert "thành: khun-ha-bac “Đảng ủy xã Khun Há Bắc”, khun-ha-nam “Đảng ủy xã Khun Há Nam”" in out
    assert "Dòng 14: Cơ quan ban hành lai-chau-btg → lai-chau-btgdv" in out and "ký hiệu: “BTGDVTU”" in out
    assert "nơi nhận mặc định: “Như trên | Các đảng ủy xã, phường | Lưu Văn phòng”" in out
    assert "Dòng 15: Cơ quan ban hành than-uyen-btg thôi ban hành văn bản" in out
    assert "Dòng 10: Giải thể than-uyen-phuc-than từ" in out and "kế thừa: than-uyen-muong-than" in out
    assert "1 chia tách, 3 giải thể hoặc sáp nhập, 2 thay đổi cơ quan ban hành" in out

    out, _err = run(path)
    assert "Đã nhập" in out
    khun_ha = Unit.objects.get(code="tam-duong-khun-ha")
    assert khun_ha.dissolved_on == today and khun_ha.successor is None
    assert sorted(khun_ha.split_into.values_list("code", flat=True)) == ["khun-ha-bac", "khun-ha-nam"]
    assert [c.get_parent().code for c in Unit.objects.filter(code__startswith="tam-duong-khun-ha-").order_by("pk")] \
        == ["khun-ha-bac"] * 3 + ["khun-ha-nam"] * 2
    assert UnitChange.objects.filter(kind="split", unit=khun_ha, effective=today).exists()
    assert Unit.objects.get(code="than-uyen-phuc-than").successor.code == "than-uyen-muong-than"
    new = Unit.objects.get(code="than-uyen-moi")
    assert sorted(new.predecessors.values_list("code", flat=True)) == ["than-uyen-cong-an", "than-uyen-thi-tran"]
    assert UnitChange.objects.get(kind="merge", unit=new).details["merged"] == ["than-uyen-thi-tran",
                                                                                "than-uyen-cong-an"]
    old, board = IssuingBody.objects.get(code="lai-chau-btg"), IssuingBody.objects.get(code="lai-chau-btgdv")
    assert old.valid_to == today and board.predecessor == old and board.code_suffix == "BTGDVTU"
    assert board.recipient_list == ["Như trên", "Các đảng ủy xã, phường", "Lưu Văn phòng"]
    assert board.superior_line == old.superior_line and board.unit == old.unit  # what the file did not change stays
    assert IssuingBody.objects.get(code="than-uyen-btg").valid_to == today
    # the plan issued by the old board keeps its number and prints the old board
    plan = Plan.objects.get(reference="132-HD/BTGTU")
    assert plan.issuing_body == old and old.name == "Ban Tuyên giáo Tỉnh ủy Lai Châu" and old.code_suffix == "BTGTU"
    client.force_login(get_user_model().objects.get(username="lai-chau.reviewer"))
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "132-HD/BTGTU" in page and "Ban Tuyên giáo Tỉnh ủy Lai Châu" in page and "BTGDVTU" not in page
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the PDF cache of this test
    pdf = client.get(reverse("documents:plan_pdf", args=[plan.pk]))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(
        io.BytesIO(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)).pages)
    assert "Số 132-HD/BTGTU" in text and "BAN TUYÊN GIÁO" in text and "DÂN VẬN" not in text
    # a part of the split reads the split commune's 2023 submission (the lineage the file recorded)
    reader = get_user_model().objects.create_user(username="khun-ha-nam.entry", password="x")
    Staff.objects.create(user=reader, unit=Unit.objects.get(code="khun-ha-nam"), is_entry=True)
    assert Submission.objects.restrict(reader, "view").filter(unit=khun_ha, plan__reference="120-CV/BTGHU").exists()
    # the export carries the lineage and re-imports as no change
    exported_rows = export_rows(root=Unit.objects.get(code="lai-chau"))
    assert exported("tam-duong-khun-ha")["split_into"] == "khun-ha-bac;khun-ha-nam"
    again = tmp_path / "lai-chau.json"
    again.write_text(json.dumps(exported_rows, ensure_ascii=False), encoding="utf-8")
    assert "0 thay đổi" in run(str(again))[0]
    # the same file again is refused as a whole: the split unit is gone, the new body code is taken
    with pytest.raises(CommandError, match="lỗi; chưa lưu"):
        run(path)


def test_every_conflict_is_listed_with_its_row_and_nothing_is_saved(demo, tmp_path):
    rows = [
        # row 2: fine on its own (a rename)
        exported("than-uyen-muong-than", name="Đảng ủy xã Mường Than (mới)", valid_from="2026-11-01"),
        # row 3: Bình Lư dissolved on 01/11/2026, before its submission to the plan of November 2026
        exported("tam-duong-binh-lu", dissolved_on="2026-11-01"),
        # row 4: Khun Há moved under Than Uyên from 01/11/2026, taking its 2026 draft out of its tree
        exported("tam-duong-khun-ha", parent="than-uyen", valid_from="2026-11-01"),
    ]
    path = csv_file(tmp_path, rows)
    before = state()
    with pytest.raises(CommandError, match="2 xung đột"):
        run(path, "--dry-run")
    assert state() == before
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"2 xung đột\), chưa lưu"):
        call_command("import_units", path, stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Xung đột: Dòng 3:") and "Bình Lư" in lines[0]
    assert lines[1].startswith("Xung đột: Dòng 4:") and "Đảng ủy xã Khun Há theo 251-CV/BTGHU" in lines[1]
    assert state() == before  # not even the rename of row 2
    assert Unit.objects.get(code="than-uyen-muong-than").name == "Đảng ủy xã Mường Than"


def test_split_and_body_rows_are_checked_row_by_row(demo, tmp_path):
    today = timezone.localdate().isoformat()
    rows = [
        exported("tam-duong-binh-lu", dissolved_on=today, split_into="binh-lu-a;khong-co"),
        {"code": "binh-lu-a", "name": "Đảng ủy xã A", "kind": "dang-uy-xa", "parent": "tam-duong", "valid_from": today},
        {"type": "body", "code": "lai-chau-btg-2", "predecessor": "khong-co-ban", "valid_from": today},
        {"type": "body", "code": "tam-duong-btg", "valid_from": today},
        {"type": "co-quan", "code": "x", "valid_from": today},
    ]
    before = state()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="4 lỗi"):
        call_command("import_units", csv_file(tmp_path, rows), "--dry-run", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Dòng 2:") and "khong-co" in lines[0] and "dòng đơn vị mới" in lines[0]
    assert lines[1].startswith("Dòng 4:") and "khong-co-ban" in lines[1]
    assert lines[2].startswith("Dòng 5:") and "predecessor" in lines[2]
    assert lines[3].startswith("Dòng 6:") and "type" in lines[3]
    assert state() == before
