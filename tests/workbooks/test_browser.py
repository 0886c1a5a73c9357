"""A commune officer uploads an edited workbook in Chromium: errors first, then a clean file, confirm, saved."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from demo.seed import seed_core_demo
from reports.submissions.models import Submission, SubmissionValue
from reports.workbooks.export import build_unit_workbook
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("WORKBOOK_SHOTS", "/tmp/workbook-shots"))


def _login(page, live_url, username: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_url()}])


def test_upload_errors_then_preview_then_confirm(browser_page, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    seed_core_demo()
    draft = Submission.objects.select_related("plan", "unit").get(plan__reference="251-CV/BTGHU",
                                                                 unit__code="tam-duong-khun-ha")
    data = build_unit_workbook(plan=draft.plan, unit=draft.unit)

    def wrong(wb):
        value_cell(wb["Hội nghị"], "summer_class.count").value = "hai lớp"
        value_cell(wb["Số người học tập"], "members.required").value = 100
        value_cell(wb["Số người học tập"], "members.studied").value = 120
        wb["Tuyên truyền"].merge_cells("C5:C6")

    def right(wb):
        value_cell(wb["Hội nghị"], "summer_class.count").value = 2
        value_cell(wb["Số người học tập"], "members.required").value = 162
        value_cell(wb["Số người học tập"], "members.studied").value = 125  # ≤ the 130 attendances
        value_cell(wb["Đánh giá, kiến nghị"], "narrative.strengths").value = "Cấp ủy quan tâm chỉ đạo.\nĐúng hạn."

    bad, good = tmp_path / "khun-ha-sai.xlsx", tmp_path / "khun-ha.xlsx"
    bad.write_bytes(edit(data, wrong))
    good.write_bytes(edit(data, right))

    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_url, "tam-duong-khun-ha.entry")
    page.goto(live_url("workbooks:upload_submission", pk=draft.pk))
    page.set_input_files("input[name=file]", str(bad))
    page.click("[data-action=check]")
    errors = page.locator("[data-role=error-table] tbody tr")
    assert errors.count() == 3
    assert "Không có số liệu nào được lưu" in page.inner_text("[data-role=import-errors]")
    page.screenshot(path=str(SHOTS / "1-errors.png"), full_page=True)

    page.set_input_files("input[name=file]", str(good))
    page.click("[data-action=check]")
    assert "4 giá trị sẽ thay đổi" in page.inner_text("[data-role=summary]")
    assert page.locator("[data-role=change-table] tbody tr").count() == 4
    page.screenshot(path=str(SHOTS / "2-preview.png"), full_page=True)
    assert SubmissionValue.objects.filter(submission=draft, indicator__code="summer_class.count").count() == 0

    page.click("[data-action=confirm]")
    page.wait_for_url(f"**{reverse('submissions:detail', args=[draft.pk])}")
    assert "Đã nhập 4 giá trị từ tệp khun-ha.xlsx" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "3-saved.png"), full_page=True)
    assert SubmissionValue.objects.get(submission=draft, indicator__code="summer_class.count").number == 2
