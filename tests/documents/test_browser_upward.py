"""In a real Chromium: the province reviewer reads its status board (each district's report and its state),
receives a district's signed report, and its own report page names the reports not received (issue 18.5)."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from reports.documents import services
from reports.documents.models import Report, ReportReceipt
from tests.browser_fixtures import log_in
from tests.rollup.factory import add_unit, body_for, district, make_plan, reviewer_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _people(studied, required, conferences=1):
    return {"members.studied": studied, "members.required": required, "conference.count": conferences,
            "conference.attendance": 30 * conferences, "cell_meeting.count": 1}


def test_province_receives_district_reports(browser_page, live_url):
    province = add_unit("pvb", "Tỉnh ủy Pvb", "tinh-uy", None, "tỉnh Pvb")
    pbody = body_for(province, suffix="BTGTU", citation="Ban Tuyên giáo Tỉnh ủy")
    reviewer_for(province)
    pplan = make_plan("9-HD/BTGTU", pbody, include_own=False)
    north, _p1, north_user, _ = district("nob", [_people(10, 12, 2)], parent=province, relays=pplan)
    south, _p2, south_user, _ = district("sob", [_people(30, 40, 4)], parent=province, relays=pplan)
    report = services.report_get_or_create(plan=pplan, unit=north, user=north_user)
    signed_at = timezone.make_aware(dt.datetime(2023, 10, 18, 9, 30))  # as the signing app leaves it
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SIGNED, number=7, issued_on=signed_at.date(),
                                               signed_at=signed_at)
    services.report_get_or_create(plan=pplan, unit=south, user=south_user)  # still a draft

    page = browser_page
    log_in(page, live_url, "pvb.reviewer")
    page.goto(live_url("plans:status", pplan.pk))
    board = page.locator("#status-board")
    north_row = board.locator("tr[data-unit='nob']")
    assert north_row.get_attribute("data-status") == "report_signed"
    assert "Đã gửi báo cáo, chờ tiếp nhận" in north_row.inner_text() and "07-BC/BTGHU" in north_row.inner_text()
    assert board.locator("tr[data-unit='sob']").get_attribute("data-status") == "report_draft"

    with page.expect_navigation():
        north_row.locator("a", has_text="Xem báo cáo").click()
    with page.expect_navigation():
        page.click("#receive-form button[data-action=accept]")
    assert "Đã tiếp nhận báo cáo." in page.content()
    assert ReportReceipt.objects.get(report=report).action == "accept"
    page.goto(live_url("plans:status", pplan.pk))
    assert board.locator("tr[data-unit='nob']").get_attribute("data-status") == "report_received"
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/status-board-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})

    # The province's own report says which district reports it is made from, and which are missing.
    page.goto(live_url("documents:list"))
    with page.expect_navigation():
        page.click(f"tr[data-plan='{pplan.reference}'] button[type=submit]")
    assert "chưa nhận được báo cáo của Huyện ủy Sob" in page.locator("#report-document").inner_text()
    panel = page.locator("#subordinate-reports")
    assert "Báo cáo số 07-BC/BTGHU, ngày 18/10/2023" in panel.inner_text()
    assert "Huyện ủy Sob" in page.locator("#not-received").inner_text()
    if SHOTS:
        page.locator("#upward").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/upper-report-1366.png")
