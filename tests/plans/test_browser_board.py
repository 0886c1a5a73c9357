"""In a real Chromium: a reviewer reads the status board, filters it and downloads the Excel list."""
from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from reports.plans.models import Plan, Section
from reports.submissions import services as submission_services
from tests.browser_fixtures import log_in
from tests.plans.conftest import make_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _plan_with_late_units():
    root, body, reviewer = make_tree("bt", 8)
    plan = Plan.objects.create(kind="CV", number=12, reference="12-CV/BTGHU", issuing_body=body,
                               issued_on=dt.date(2024, 1, 2), title="về học tập", period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 3, 31), deadline=dt.date(2024, 3, 20), include_own=False)
    plan.sections.set(Section.objects.filter(code="conference"))
    for i, unit in enumerate(root.get_children()):
        if i == 7:
            continue  # never reported
        sub = submission_services.submission_get_or_create(plan=plan, unit=unit, user=reviewer)
        day = 22 if i in (2, 5) else 15  # two late
        submission_services.submission_submit(submission=sub, user=reviewer, at=dt.datetime(2024, 3, day, 9, tzinfo=TZ))
    return plan


def test_reviewer_filters_board_and_downloads_excel(browser_page, live_url):
    plan = _plan_with_late_units()
    page = browser_page
    log_in(page, live_url, "bt.reviewer")
    page.goto(live_url("plans:status", pk=plan.pk))
    assert page.locator("#count-reported").inner_text().strip() == "07/08"
    assert page.locator("#count-timeliness").inner_text().startswith("05 đúng hạn, 02 chậm, 01 chưa báo cáo")
    assert page.locator("#status-board tbody tr").count() == 8

    page.select_option("#id_timeliness", "late")
    with page.expect_navigation():
        page.click("#board-filter button[type=submit]")
    assert "timeliness=late" in page.url
    rows = page.locator("#status-board tbody tr")
    assert rows.count() == 2
    assert sorted(rows.nth(i).get_attribute("data-unit") for i in range(2)) == ["bt-002", "bt-005"]

    with page.expect_download() as info:
        page.click("text=Xuất Excel")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    names = [row[2] for row in ws.iter_rows(values_only=True) if row[0] and str(row[0]).isdigit()]
    assert names == ["Chi bộ bt 002", "Chi bộ bt 005"]
