"""The live rate of static/js/entry.js agrees with core.formatting.format_rate (one decimal, half up)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from core.formatting import format_rate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [(2419, 2468), (700, 735), (55, 83), (1, 16), (1, 8), (5, 400), (0, 7), (3, 0), (12345, 12346), (1, 3)]


def test_live_rate_matches_the_server_formatting(browser_page: Page, live_url):
    browser_page.goto(live_url("/static/js/entry.js"))  # same origin, no login needed for a static file
    script = browser_page.locator("body").inner_text()
    browser_page.set_content("<html><body></body></html>")
    browser_page.add_script_tag(content=script)
    for num, den in CASES:
        shown = browser_page.evaluate(f"window.entryFormatRate({num}, {den})")
        assert shown == format_rate(num, den), (num, den, shown)
    assert browser_page.evaluate("window.entryFormatRate(null, 5)") == "-"
