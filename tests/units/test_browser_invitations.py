"""In Chromium at 1366 and 390 px: the Tam Đường unit admin adds a user in the admin (no password
field), the invitation arrives by mail, the new user sets its password through the link and logs in;
the spent link then shows the Vietnamese explanation. Screenshots go to $SCREENSHOT_DIR if set."""
from __future__ import annotations

import os
import re

import pytest
from django.core import mail

from demo.hierarchy import seed_hierarchy
from demo.users import seed_users
from tests.browser_fixtures import log_in
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Ho-Chi-Minh-1890!"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_unit_admin_invites_and_the_user_sets_its_password(browser_page, live_url, width, settings):
    seed_hierarchy()
    seed_users()
    settings.SITE_URL = live_url().rstrip("/")
    mail.outbox = []
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_url, "tam-duong.admin", next_path="/quan-tri/auth/user/add/")
    assert page.locator("input[type=password]").count() == 0
    assert "thư mời đặt mật khẩu" in page.inner_text("#invite-note")
    page.fill("input[name=username]", "tam-duong-ban-hon.entry")
    page.fill("input[name=first_name]", "Lò Thị")
    page.fill("input[name=last_name]", "Hoa")
    page.fill("input[name=email]", "hoa.banhon@example.vn")
    page.select_option("select[name=staff-0-unit]", str(Unit.objects.get(code="tam-duong-ban-hon").pk))
    page.fill("input[name=staff-0-title]", "Cán bộ tuyên giáo")
    page.check("input[name=staff-0-is_entry]")
    _shot(page, f"invite-add-form-{width}")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "Đã gửi thư mời đặt mật khẩu tới hoa.banhon@example.vn." in page.inner_text("body")
    _shot(page, f"invite-sent-{width}")
    assert len(mail.outbox) == 1
    link = re.search(r"http\S+/dat-mat-khau/\S+/", mail.outbox[0].body).group(0)

    page.context.clear_cookies()
    page.goto(link)
    page.wait_for_selector("input[name=new_password1]")
    _shot(page, f"password-set-form-{width}")
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Đã đặt mật khẩu" in page.inner_text("main")
    _shot(page, f"password-set-done-{width}")
    page.goto(link)
    assert "Liên kết đặt mật khẩu không dùng được" in page.inner_text("main")
    _shot(page, f"password-set-spent-{width}")
    log_in(page, live_url, "tam-duong-ban-hon.entry", password=NEW)
