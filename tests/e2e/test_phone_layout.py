"""Every page fits a 390 px phone and a 1366 px screen (no sideways scrolling), in an English browser; on a
phone the conference rows are stacked cards with full-width fields, "1.250" is fully visible in the
propaganda grid, the first input shows on the first screen, and dates are typed and shown as dd/mm/yyyy.
Screenshots go to /tmp/phone-*.png."""
from __future__ import annotations

from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Page

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SKIP = ("dang-xuat", "tai-ve", "tai-pdf", "tai-excel", "pdf", ".xlsx", ".csv", "quan-tri", "xuat")


@pytest.fixture
def demo_data(transactional_db):
    from demo.seed import run_demo_seed

    run_demo_seed()


def _crawl(page: Page, start: str, limit: int) -> tuple[list[str], list[str]]:
    """Pages reachable from `start` (same site, HTML, 200) and those wider than the window."""
    base = urlparse(start).netloc
    width = page.viewport_size["width"]
    seen, queue, wide = [], [start], []
    while queue and len(seen) < limit:
        url = queue.pop(0).split("#")[0]
        path = urlparse(url).path
        if path in seen or any(word in path for word in SKIP):
            continue
        seen.append(path)
        resp = page.goto(url)
        if resp is None or resp.status != 200 or "html" not in (resp.headers.get("content-type") or ""):
            continue
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 2:
            wide.append(f"{path} ({scroll} px)")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            full = urljoin(url, href)
            if urlparse(full).netloc == base:
                queue.append(full)
    return seen, wide


@pytest.mark.parametrize("username", ["tam-duong-khun-ha.entry", "tam-duong.reviewer"])
def test_no_page_scrolls_sideways_at_390_or_1366(demo_data, browser_page: Page, live_url, username):
    page = browser_page
    log_in(page, live_url, username)
    for width, height in ((390, 844), (1366, 800)):
        page.set_viewport_size({"width": width, "height": height})
        seen, wide = _crawl(page, live_url("home"), 25)
        assert len(seen) >= 8, seen
        assert wide == [], f"wider than {width} px: {wide}"


def _khun_ha_submission():
    from reports.submissions.models import Submission

    return Submission.objects.filter(unit__code="tam-duong-khun-ha", status="draft").order_by("-pk").first()


def test_phone_entry_cards_numbers_and_dates(demo_data, browser_page: Page, live_url):
    page = browser_page
    browser = page.context.browser  # the fixture's context is vi-VN; an English phone browser here
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(20_000)
    phone = context.new_page()
    log_in(phone, live_url, "tam-duong-khun-ha.entry")
    sub = _khun_ha_submission()
    phone.goto(live_url("submissions:section", pk=sub.pk, section="conference"))
    # the first input is on the first screen, the save bar is small
    first = phone.locator("#entry-form input.figure").first.bounding_box()
    assert first["y"] + first["height"] < 844
    bar = phone.locator(".save-bar").bounding_box()
    assert bar["height"] < 844 / 10
    # the row is a card: date as text dd/mm/yyyy, the select as wide as the screen and its value readable
    date = phone.locator('input[name$="-0-date"]')
    assert date.get_attribute("type") == "text" and date.get_attribute("placeholder") == "dd/mm/yyyy"
    date.fill("21/09/2026")
    phone.locator('input[name$="-0-title"], textarea[name$="-0-title"]').fill("Hội nghị quán triệt")
    level = phone.locator('select[name$="-0-level"]')
    level.select_option(index=1)
    box = level.bounding_box()
    assert box["width"] > 300
    assert level.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    phone.locator('input[name$="-0-attendance"]').fill("1.250")
    phone.screenshot(path="/tmp/phone-conference.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 392
    phone.locator("[data-action=save]").click()
    phone.wait_for_load_state()
    assert phone.locator('input[name$="-0-date"]').input_value() == "21/09/2026"
    assert phone.locator('input[name$="-0-attendance"]').input_value() in ("1.250", "1250")
    # the propaganda grid: "1.250" fully visible in its field
    phone.goto(live_url("submissions:section", pk=sub.pk, section="propaganda"))
    cell = phone.locator("table.propaganda-grid input.figure").first
    cell.fill("1.250")
    assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert cell.bounding_box()["width"] >= 120
    phone.screenshot(path="/tmp/phone-propaganda.png", full_page=True)
    context.close()


def test_dates_in_an_english_browser_are_day_first(demo_data, browser_page: Page, live_url):
    page = browser_page
    context = page.context.browser.new_context(locale="en-US", viewport={"width": 1366, "height": 800})
    desk = context.new_page()
    log_in(desk, live_url, "tam-duong.reviewer")
    desk.goto(live_url("plans:create"))
    assert desk.locator("input[type=date]").count() == 0
    issued = desk.locator("input[name=issued_on]")
    assert issued.get_attribute("placeholder") == "dd/mm/yyyy"
    desk.goto(live_url("units:tree") + "?ngay=30/10/2023")
    assert desk.locator("input[name=ngay]").input_value() == "30/10/2023"
    desk.screenshot(path="/tmp/phone-tree-1366.png")
    context.close()
