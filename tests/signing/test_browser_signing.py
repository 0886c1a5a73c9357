"""In a real Chromium: the reviewer sends the report, the leader approves and signs it, downloads the
signed PDF (which verifies), and a leader of another unit gets 404 for that file."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_send_approve_sign_download(browser_page, live_url, settings):
    from demo.seed import run_demo_seed
    from reports.documents.services import report_get_or_create
    from reports.plans.models import Plan
    from reports.signing import selectors
    from units.models import Unit

    settings.AXES_ENABLED = False
    run_demo_seed()
    reviewer = get_user_model().objects.get(username="tam-duong.reviewer")
    report = report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                  unit=Unit.objects.get(code="tam-duong"), user=reviewer)
    page = browser_page
    log_in(page, live_url, "tam-duong.reviewer")
    page.goto(live_url(report.get_absolute_url()))
    page.fill("#signing-panel textarea[name=note]", "Kính trình Trưởng ban")
    page.click("text=Trình lãnh đạo duyệt")
    page.wait_for_load_state()
    assert "Đã trình lãnh đạo duyệt" in page.content()

    log_in(page, live_url, "tam-duong.leader")
    assert "Báo cáo chờ duyệt, ký" in page.content()
    page.goto(live_url(report.get_absolute_url()))
    page.click("text=Duyệt báo cáo")
    page.wait_for_load_state()
    page.click("text=Ký số và cấp số văn bản")
    page.wait_for_selector("text=Đã ký số và cấp số", timeout=120_000)
    steps = page.inner_text("#approval-steps")
    assert "Kính trình Trưởng ban" in steps and "Ký số, cấp số" in steps
    with page.expect_download() as info:
        page.click("text=Tải PDF đã ký")
    data = open(info.value.path(), "rb").read()
    verification = selectors.verify_upload(data=data)
    assert verification.result.ok and verification.exact_copy
    download_url = page.get_attribute("#signing-panel a:has-text('Tải PDF đã ký')", "href")

    log_in(page, live_url, "ha-tinh-khoi.leader")
    response = page.goto(live_url(download_url))
    assert response.status == 404
