"""The page "So với cùng kỳ" in Chromium at 1366 and 390 px: the page never scrolls sideways, the wide table
scrolls inside its own container, the earlier plan is picked from the list. Screenshots: /tmp/compare-*.png."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reorganised_demo(transactional_db):
    from demo.seed import seed_core_demo

    seed_core_demo(reorganised=True)


def test_comparison_page_fits_1366_and_390(reorganised_demo, browser_page: Page, live_url):
    from reports.plans.models import Plan

    p168 = Plan.objects.get(reference="168-HD/BTGDVTU")
    p132 = Plan.objects.get(reference="132-HD/BTGTU")
    page = browser_page
    log_in(page, live_url, "lai-chau.reviewer")
    page.goto(live_url("documents:dashboard", p168.pk))
    with page.expect_navigation():
        page.click("#comparison-link")
    assert page.input_value("#earlier") == str(p132.pk)
    # the earlier plan is picked from the list and the choice kept
    page.select_option("#earlier", str(p132.pk))
    with page.expect_navigation():
        page.click("#earlier-form button[type=submit]")
    page.wait_for_selector('#comparison-table tr[data-unit="tam-duong-khun-ha"]')
    assert "Đảng ủy xã Bản Bo" in page.inner_text('tr[data-unit="tam-duong-khun-ha"]')
    for width, height in ((1366, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/compare-{width}.png", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 2
        box = page.evaluate("""() => { const el = document.getElementById('comparison-scroll');
            return [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX]; }""")
        assert box[2] == "auto"
        if width == 390:
            assert box[0] > box[1]  # the table is wider than the phone: it scrolls inside its box
