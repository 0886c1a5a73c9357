"""QA walkthrough fixes: links between plan, status board, dashboard and report; leaders' home; navigation."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reports.plans.models import Plan
from reports.submissions.models import Submission

pytestmark = pytest.mark.django_db


def _plan(reference: str) -> Plan:
    return Plan.objects.get(reference=reference)


def test_plan_page_links_dashboard_and_report_for_reviewer(demo, login):
    plan = _plan("251-CV/BTGHU")
    html = login("tam-duong.reviewer").get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:status", args=[plan.pk]) in html
    assert f'href="{reverse("documents:dashboard", kwargs={"plan": plan.pk})}"' in html
    assert "Lập báo cáo tổng hợp" in html  # no report yet: the reviewer is sent to make it


def test_plan_page_of_a_subordinate_plan_shows_that_units_dashboard(demo, login):
    plan = _plan("251-CV/BTGHU")
    html = login("lai-chau.reviewer").get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("documents:dashboard", kwargs={"plan": plan.pk}) + "?unit=tam-duong" in html
    assert "Lập báo cáo tổng hợp" not in html  # the province does not make Tam Đường's report


def test_plan_page_has_no_report_links_for_entry_staff(demo, login):
    plan = _plan("251-CV/BTGHU")
    html = login("tam-duong-khun-ha.entry").get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="plan-report-links"' not in html


def test_status_board_links_each_submission_and_the_dashboard(demo, login):
    plan = _plan("251-CV/BTGHU")
    sub = Submission.objects.get(plan=plan, unit__code="tam-duong-binh-lu")
    html = login("tam-duong.reviewer").get(reverse("plans:status", args=[plan.pk])).content.decode()
    assert f'<a href="{reverse("submissions:detail", args=[sub.pk])}">Đảng ủy xã Bình Lư</a>' in html
    assert reverse("documents:dashboard", kwargs={"plan": plan.pk}) + "?unit=tam-duong" in html


def test_dashboard_rate_cards_are_labelled_without_figures(demo, login):
    plan = _plan("168-HD/BTGTU")
    html = login("lai-chau.reviewer").get(reverse("documents:dashboard", kwargs={"plan": plan.pk})).content.decode()
    assert html.count("Chưa có số liệu") >= 2  # no district has reported yet
    assert "Số đảng viên đã học tập" in html
    assert "Quá hạn chưa báo cáo" in html and "chưa đến hạn" in html
    assert reverse("plans:status", args=[plan.pk]) in html and plan.get_absolute_url() in html


def test_leader_home_lists_the_units_reports_after_the_signing_panel(demo, login):
    html = login("tam-duong.leader").get(reverse("home")).content.decode()
    assert "Báo cáo tổng hợp của đơn vị" in html and "168-HD/BTGTU" in html
    assert html.index("Báo cáo chờ duyệt, ký") < html.index("Báo cáo tổng hợp của đơn vị")
    assert "20/12/2026" in html  # the deadline of the plan answered, not of the relay
    listing = login("tam-duong.leader").get(reverse("documents:list")).content.decode()
    assert 'id="to-report"' in listing and "Lập báo cáo tổng hợp" not in listing  # leaders do not make reports


def test_navigation_user_block_is_compact(demo, login):
    html = login("lai-chau.reviewer").get(reverse("home")).content.decode()
    block = re.search(r'<span class="navbar-text[^"]*nav-user[^"]*" title="([^"]+)">', html)
    assert block and "Tỉnh ủy Lai Châu" in block.group(1)


@pytest.mark.parametrize("username", ["admin", "tam-duong.admin"])
def test_administrators_home_points_to_the_administration(demo, login, username):
    html = login(username).get(reverse("home")).content.decode()
    assert 'id="admin-links"' in html and reverse("admin:units_unit_changelist") in html
    assert "Hiện không có việc nào cần xử lý." not in html


def test_no_administration_panel_for_other_roles(demo, login):
    for username in ("tam-duong.reviewer", "tam-duong-khun-ha.entry", "tam-duong.leader"):
        assert 'id="admin-links"' not in login(username).get(reverse("home")).content.decode()


def test_status_board_own_row_is_entered_on_behalf_by_a_higher_level(demo, login):
    plan = _plan("251-CV/BTGHU")
    own_row = r'<tr data-unit="tam-duong" .*?</tr>'
    html = login("tam-duong.reviewer").get(reverse("plans:status", args=[plan.pk])).content.decode()
    assert "Nhập số liệu" in re.search(own_row, html, re.S).group(0)
    html = login("lai-chau.reviewer").get(reverse("plans:status", args=[plan.pk])).content.decode()
    row = re.search(own_row, html, re.S).group(0)
    assert "Nhập thay" in row and "Nhập số liệu" not in row


def test_commune_reviewer_is_not_asked_for_the_districts_consolidated_report(demo, login):
    """Khun Há answers 251-CV/BTGHU with its submission; the report answering 168-HD/BTGTU is Tam Đường's."""
    client = login("tam-duong-khun-ha.reviewer")
    assert "Báo cáo tổng hợp của đơn vị" not in client.get(reverse("home")).content.decode()
    listing = client.get(reverse("documents:list")).content.decode()
    assert 'id="to-report"' not in listing and f'action="{reverse("documents:create")}"' not in listing
    # The district still has its three: 168 (via 251), 132 (via 120) and the province's 222 answered directly.
    html = login("tam-duong.reviewer").get(reverse("home")).content.decode()
    assert all(ref in html for ref in ("168-HD/BTGTU", "132-HD/BTGTU", "222-KH/TU"))
