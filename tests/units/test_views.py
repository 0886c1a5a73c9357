"""Hierarchy pages: scoped tree with counts, as-of-date view, detail with history, 404 outside, login."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from units.models import Unit, UnitKind
from units.services import NewUnit, unit_create, unit_rename, units_merge

pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def tree_codes(response):
    return [row.unit.code if hasattr(row, "unit") else row.node.code for row in response.context["rows"]]


def test_anonymous_is_sent_to_login(client, demo):
    for url in ("/don-vi/", "/don-vi/tam-duong/", "/don-vi/ha-tinh-khoi/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_page_is_vietnamese(client, demo):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    response = client.post(reverse("login"), {"username": "tam-duong.entry", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post(reverse("login"), {"username": "tam-duong.entry", "password": "demo12345!"})
    assert response.status_code == 302


def test_commune_entry_tree(client, demo):
    response = login(client, "tam-duong-khun-ha.entry").get("/don-vi/")
    codes = tree_codes(response)
    assert codes[0] == "tam-duong-khun-ha" and len(codes) == 6
    assert all(c.startswith("tam-duong-khun-ha") for c in codes)
    first = response.context["rows"][0]
    assert (first.direct, first.descendants, first.unit.staff_count) == (5, 5, 4)
    assert client.get("/don-vi/tam-duong-khun-ha/").status_code == 200
    assert client.get("/don-vi/tam-duong/").status_code == 404
    assert client.get("/don-vi/tam-duong-binh-lu/").status_code == 404


def test_district_reviewer_tree_counts(client, demo):
    response = login(client, "tam-duong.reviewer").get("/don-vi/")
    rows = response.context["rows"]
    assert rows[0].unit.code == "tam-duong" and rows[0].direct == 51 and rows[0].descendants == 60
    assert len(rows) == 61
    html = response.content.decode()
    assert "Hà Tĩnh" not in html and "Đảng ủy xã Khun Há" in html


@pytest.mark.parametrize("username", ["tam-duong-khun-ha.entry", "tam-duong.reviewer"])
def test_ha_tinh_unit_is_404(client, demo, username):
    assert login(client, username).get("/don-vi/ha-tinh-khoi/").status_code == 404
    assert client.get("/don-vi/khong-ton-tai/").status_code == 404


def test_tree_page_query_count_does_not_grow(client, demo, django_assert_max_num_queries):
    login(client, "tam-duong.reviewer")
    client.get("/don-vi/")  # warm caches (content types, session)
    with django_assert_max_num_queries(8):
        small = client.get("/don-vi/")
    tam_duong = Unit.objects.get(code="tam-duong")
    kind = UnitKind.objects.get(code="chi-bo-co-so")
    for n in range(40):
        unit_create(code=f"tam-duong-extra-{n}", name=f"Chi bộ thêm {n}", kind=kind, parent=tam_duong)
    with django_assert_max_num_queries(8):
        big = client.get("/don-vi/")
    assert len(big.context["rows"]) == len(small.context["rows"]) + 40


def test_as_of_query_count_does_not_grow(client, demo, django_assert_max_num_queries):
    login(client, "tam-duong.reviewer")
    client.get("/don-vi/?ngay=2023-10-30")
    with django_assert_max_num_queries(9):
        response = client.get("/don-vi/?ngay=2023-10-30")
    assert len(response.context["rows"]) == 61


def test_as_of_date_shows_old_names_and_parents(client, demo):
    kind = UnitKind.objects.get(code="dang-uy-xa")
    units_merge(sources=[Unit.objects.get(code="tam-duong-khun-ha"), Unit.objects.get(code="tam-duong-ta-leng")],
                new_unit=NewUnit("tam-duong-khun-ha-moi", "Đảng ủy xã Khun Há (hợp nhất)", kind),
                on=dt.date(2025, 7, 1), user=None)
    unit_rename(unit=Unit.objects.get(code="tam-duong-binh-lu"), name="Đảng ủy xã Bình Lư mới", on=dt.date(2024, 1, 1),
                user=None)
    login(client, "tam-duong.reviewer")
    old = client.get("/don-vi/?ngay=30/10/2023")
    old_codes = tree_codes(old)
    assert "tam-duong-khun-ha" in old_codes and "tam-duong-khun-ha-moi" not in old_codes
    assert "Đảng ủy xã Bình Lư<" in old.content.decode().replace("</a>", "<")
    today = client.get("/don-vi/")
    html = today.content.decode()
    assert "giải thể từ 01/7/2025" in html  # dissolved units stay, greyed
    assert today.context["rows"][0].direct == 51 - 2 + 1
    new = client.get("/don-vi/?ngay=2025-07-01")
    assert "tam-duong-khun-ha-moi" in tree_codes(new) and "tam-duong-khun-ha" not in tree_codes(new)


def test_bad_or_future_date_shows_message_and_current_tree(client, demo):
    login(client, "tam-duong.reviewer")
    response = client.get("/don-vi/?ngay=31/02/2023")
    assert "Ngày không hợp lệ" in response.content.decode()
    assert response.context["on"] is None and len(response.context["rows"]) == 61
    response = client.get("/don-vi/?ngay=2999-01-01")
    assert "Chỉ xem được cây đơn vị đến hôm nay" in response.content.decode()


def test_detail_page_shows_history(client, demo):
    unit_rename(unit=Unit.objects.get(code="tam-duong-khun-ha"), name="Đảng ủy xã Khun Há mới", on=dt.date(2024, 1, 1),
                user=None, note="Theo quyết định số 01")
    response = login(client, "tam-duong.reviewer").get("/don-vi/tam-duong-khun-ha/")
    html = response.content.decode()
    assert "Đảng ủy xã Khun Há mới" in html and "01/10/2020" in html and "01/01/2024" in html
    assert "Đổi tên" in html and "Theo quyết định số 01" in html
    assert "Chi bộ bản Khun Há" in html


def test_staff_of_dissolved_and_successor_links(client, demo):
    kind = UnitKind.objects.get(code="dang-uy-xa")
    target = units_merge(sources=[Unit.objects.get(code="tam-duong-ban-bo")], on=dt.date(2025, 7, 1), user=None,
                         new_unit=NewUnit("tam-duong-ban-bo-moi", "Đảng ủy xã Bản Bo mới", kind))
    login(client, "tam-duong.reviewer")
    html = client.get("/don-vi/tam-duong-ban-bo/").content.decode()
    assert "đã giải thể" in html and target.get_absolute_url() in html
    assert "/don-vi/tam-duong-ban-bo/" in client.get(target.get_absolute_url()).content.decode()


def test_search_on_the_hierarchy_page(client, demo):
    login(client, "tam-duong.reviewer")
    response = client.get("/don-vi/?q=khun")
    assert tree_codes(response)[0] == "tam-duong-khun-ha" and len(tree_codes(response)) == 6
    assert "Tìm “khun”: 6 trong 61 đơn vị." in response.content.decode()
    assert tree_codes(client.get("/don-vi/?q=H%C3%80%20T%C4%A8NH")) == []  # Hà Tĩnh: nothing, out of scope
    as_of = client.get("/don-vi/?q=b%E1%BA%A3n&ngay=2023-10-30")
    assert as_of.context["on"] == dt.date(2023, 10, 30) and len(tree_codes(as_of)) == 3 + 3 + 3


def test_download_of_own_subtree(client, demo):
    import json

    login(client, "tam-duong-khun-ha.entry")
    response = client.get("/don-vi/tai-ve.json")
    assert response.status_code == 200 and 'filename="don-vi-tam-duong-khun-ha.json"' in response["Content-Disposition"]
    rows = json.loads(response.content)
    assert [r["code"] for r in rows][0] == "tam-duong-khun-ha" and len(rows) == 6
    xlsx = client.get("/don-vi/tai-ve.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/don-vi/tai-ve.csv").content.decode().startswith("code,name,kind,parent,valid_from")
    assert client.get("/don-vi/tai-ve.pdf").status_code == 404
    client.logout()
    assert client.get("/don-vi/tai-ve.json").status_code == 302
