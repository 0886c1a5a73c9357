"""In Chromium at 1366 and 390 px: an entry officer finds "Đổi mật khẩu" in the header, is refused a too
short password in Vietnamese, changes it, and logs in with the new one. Screenshots go to
$SCREENSHOT_DIR (if set) for a person to look at."""
from __future__ import annotations

import os

import pytest

from demo.hierarchy import seed_hierarchy
from demo.users import DEMO_PASSWORD, seed_users
from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Ho-Chi-Minh-1890!"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_an_entry_officer_changes_its_password_in_the_application(browser_page, live_url, width):
    seed_hierarchy()
    seed_users()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_url, "tam-duong.entry")
    if width < 1200:
        page.click("button.navbar-toggler")
        page.wait_for_selector("#mainnav.collapse.show")  # the menu has finished opening
    link = page.locator("#password-change")
    link.wait_for(state="visible")
    box = link.bounding_box()
    assert box["x"] + box["width"] <= width
    with page.expect_navigation():
        link.click()
    assert page.locator("h1").inner_text().strip() == "Đổi mật khẩu"
    page.fill("input[name=old_password]", DEMO_PASSWORD)
    page.fill("input[name=new_password1]", "ngan")
    page.fill("input[name=new_password2]", "ngan")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page.inner_text("main")
    _shot(page, f"password-change-error-{width}")
    page.fill("input[name=old_password]", DEMO_PASSWORD)
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Đã đổi mật khẩu" in page.inner_text("main")
    _shot(page, f"password-change-done-{width}")
    log_in(page, live_url, "tam-duong.entry", password=NEW)
    assert "tam-duong.entry" not in page.url
