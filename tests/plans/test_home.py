"""Home pages per role and the data-entry user's open requests."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.home import register_panel, registered_builders
from reports.submissions import services as submission_services
from reports.submissions.models import Submission

pytestmark = pytest.mark.django_db


def test_entry_home_shows_open_requests(demo, login):
    html = login("tam-duong-khun-ha.entry").get(reverse("home")).content.decode()
    assert "Yêu cầu báo cáo đang mở" in html
    assert "251-CV/BTGHU" in html and "10/12/2026" in html and "Đang nhập" in html
    assert "120-CV/BTGHU" not in html  # accepted long ago
    assert "Báo cáo chờ tiếp nhận" not in html  # not a reviewer


def test_my_requests_page(demo, login):
    html = login("tam-duong-phong-noi-vu.entry").get(reverse("plans:my_requests")).content.decode()
    assert "251-CV/BTGHU" in html and "Chưa nhập" in html
    html = login("tam-duong-binh-lu.entry").get(reverse("plans:my_requests")).content.decode()
    assert "251-CV/BTGHU" not in html  # already submitted
    assert "Không có yêu cầu báo cáo nào đang chờ." in html


def test_returned_submission_appears_for_the_unit(demo, login):
    reviewer = get_user_model().objects.get(username="tam-duong.reviewer")
    sub = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-binh-lu")
    submission_services.submission_return(submission=sub, user=reviewer, reason="Thiếu số liệu tuyên truyền.")
    html = login("tam-duong-binh-lu.entry").get(reverse("home")).content.decode()
    assert "Báo cáo bị trả lại" in html and "Thiếu số liệu tuyên truyền." in html
    assert "251-CV/BTGHU" in html


def test_reviewer_home(demo, login, django_assert_max_num_queries):
    client = login("tam-duong.reviewer")
    # + what the unit ever had below or above it (units.selectors.unit_descendancy: one query per tree level)
    with django_assert_max_num_queries(29):
        html = client.get(reverse("home")).content.decode()
    assert "Báo cáo chờ tiếp nhận" in html and "Đảng ủy xã Bình Lư" in html
    assert "Đơn vị chưa báo cáo" in html and "01/51" in html
    assert "Đảng ủy xã Khun Há" in html  # still missing on the open plan (draft only)
    html = login("lai-chau.reviewer").get(reverse("home")).content.decode()
    assert "168-HD/BTGTU" in html and "Huyện ủy Than Uyên" in html


def test_registry_order_and_idempotence():
    before = len(registered_builders())

    def probe(user):
        return {"title": "probe", "template": "plans/panels/returned.html", "items": []}

    try:
        register_panel(order=1)(probe)
        register_panel(order=1)(probe)
        assert len(registered_builders()) == before + 1
        assert registered_builders()[0] is probe
        assert registered_builders()[0](None)["title"] == "probe"
    finally:
        from core import home

        home._builders[:] = [b for b in home._builders if b[2] is not probe]


def test_open_requests_window(demo):
    import datetime as dt

    from reports.submissions.selectors import open_requests_for_user

    user = get_user_model().objects.get(username="tam-duong.reviewer")
    # Today: 251 (own figures, not started) is open; 222-KH/TU's deadline (15/12/2024) is long past.
    assert [r.plan.reference for r in open_requests_for_user(user=user)] == ["251-CV/BTGHU"]
    # On 1/12/2024 the province's 222-KH/TU was open for Tam Đường (nothing relayed, nothing sent).
    refs = [r.plan.reference for r in open_requests_for_user(user=user, today=dt.date(2024, 12, 1))]
    assert refs == ["222-KH/TU"]


def test_start_link_opens_the_entry_page(demo, login):
    from reports.plans.models import Plan

    client = login("tam-duong-phong-noi-vu.entry")
    html = client.get(reverse("plans:my_requests")).content.decode()
    start = reverse("submissions:start", kwargs={"plan": Plan.objects.get(reference="251-CV/BTGHU").pk,
                                                 "unit": "tam-duong-phong-noi-vu"})
    assert start in html and "Bắt đầu nhập" in html
    assert client.get(start).status_code == 200


def test_plan_detail_shows_own_unit_status(demo, login):
    from reports.plans.models import Plan

    p251 = Plan.objects.get(reference="251-CV/BTGHU")
    html = login("tam-duong-khun-ha.entry").get(p251.get_absolute_url()).content.decode()
    assert 'id="own-request"' in html and "Đang nhập" in html and "Tiếp tục nhập" in html
    html = login("tam-duong-binh-lu.entry").get(p251.get_absolute_url()).content.decode()
    assert "Đã gửi" in html and "Đúng hạn" in html
    # The province's plan does not ask a commune to report: no such box.
    html = login("tam-duong-khun-ha.entry").get(Plan.objects.get(reference="168-HD/BTGTU").get_absolute_url())
    assert 'id="own-request"' not in html.content.decode()
