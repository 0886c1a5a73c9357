"""In a real Chromium at 1366 and 390 px: every section tab shows its mark (an error stored in "people" shows on
that tab while "conference" is open, with the words a screen reader reads), and the district officer's first
save on a commune's behalf asks, in the same form, how the figures came; autosave waits for it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    from demo.seed import run_demo_seed

    run_demo_seed()


def test_tab_marks_and_the_first_save_on_behalf(demo_data, browser_page: Page, live_url):
    from reports.plans.models import Indicator
    from reports.submissions.models import Submission, SubmissionValue

    page = browser_page
    sub = Submission.objects.filter(unit__code="tam-duong-khun-ha", status="draft").order_by("-pk").first()
    for code, number in (("members.required", 100), ("members.studied", 130)):  # an import from before the rule
        SubmissionValue.objects.update_or_create(submission=sub, indicator=Indicator.objects.get(code=code),
                                                 defaults={"number": number})
    log_in(page, live_url, "tam-duong.entry")
    for width, height in ((1366, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_url("submissions:section", pk=sub.pk, section="conference"))
        people = page.locator(".section-tabs [data-section=people]")
        expect(people).to_have_attribute("data-mark", "error")
        expect(people.locator(".tab-mark-text")).to_have_text(" (có lỗi)")
        # the icon is drawn (bootstrap-icons x-circle-fill) in the danger colour
        icon = people.locator(".tab-mark").evaluate("e => getComputedStyle(e, '::before').content")
        assert icon not in ("none", "normal", "")
        expect(page.locator(".section-tabs [data-section=documents]")).to_have_attribute("data-mark", "empty")
        # named under the tabs as well: on a phone the tabs scroll sideways and "people" may be out of sight
        expect(page.locator("[data-testid=section-attention]")).to_contain_text("Kết quả học tập")
        expect(page.locator("[data-testid=section-attention]")).to_be_in_viewport()
        expect(page.locator("[data-testid=behalf-source-fields]")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"/tmp/entry2-marks-behalf-{width}.png", full_page=False)

    # typing starts an autosave, which waits for the source (nothing saved, the input kept)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator('input[name="v-summer_class-count"]').fill("9")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("nguồn số liệu", timeout=15_000)
    assert page.locator('input[name="v-summer_class-count"]').input_value() == "9"
    assert not sub.behalf_sources.exists()
    page.screenshot(path="/tmp/entry2-autosave-waits-390.png", full_page=True)
    # the first "Lưu nháp" records the source with the figures
    page.locator('input[name="behalf-sender"]').fill("Đ/c Tẩn Văn Sơn, cán bộ tuyên giáo xã")
    page.locator('input[name="behalf-received_on"]').fill("27/11/2026")
    with page.expect_navigation():
        page.click("[data-action=save]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=behalf-source-fields]")).to_have_count(0)
    assert sub.behalf_sources.get().sender == "Đ/c Tẩn Văn Sơn, cán bộ tuyên giáo xã"
    assert SubmissionValue.objects.get(submission=sub, indicator__code="summer_class.count").number == 9
    expect(page.locator(".section-tabs [data-section=conference]")).to_have_attribute("data-mark", "done")
    expect(page).to_have_url(re.compile(r"/muc/conference/$"))
    page.set_viewport_size({"width": 1366, "height": 800})
    page.screenshot(path="/tmp/entry2-after-save-1366.png", full_page=False)
