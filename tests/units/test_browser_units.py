"""In Chromium: log in as the Khun Há data-entry user and the district reviewer, walk the hierarchy pages."""
from __future__ import annotations

import pytest

from demo.hierarchy import seed_hierarchy
from demo.users import seed_users
from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hierarchy_pages_by_role(browser_page, live_url):
    seed_hierarchy()
    seed_users()
    page = browser_page
    log_in(page, live_url, "tam-duong-khun-ha.entry", next_path="/don-vi/")
    rows = page.locator("#unit-tree tbody tr")
    assert rows.count() == 6
    assert rows.first.get_attribute("data-code") == "tam-duong-khun-ha"
    assert page.goto(live_url("/don-vi/ha-tinh-khoi/")).status == 404
    assert page.goto(live_url("/don-vi/tam-duong/")).status == 404

    log_in(page, live_url, "tam-duong.reviewer", next_path="/don-vi/")
    assert page.locator("#unit-tree tbody tr").count() == 61
    assert "Hà Tĩnh" not in page.content()
    page.fill("input[name=ngay]", "30/10/2023")  # typed as dd/mm/yyyy whatever the browser's language
    with page.expect_navigation():
        page.click("#as-of-form button[type=submit]")
    assert page.url.endswith("ngay=30%2F10%2F2023")
    assert "61 đơn vị tại ngày 30/10/2023" in page.inner_text("main")
    with page.expect_navigation():
        page.click("text=Đảng ủy xã Khun Há")
    assert page.locator("h1").inner_text().startswith("Đảng ủy xã Khun Há")
    assert page.locator("#versions tbody tr").count() == 1
    assert page.goto(live_url("/don-vi/ha-tinh-khoi/")).status == 404
