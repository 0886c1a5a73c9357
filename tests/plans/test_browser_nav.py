"""In a real Chromium at 1366 px: the navigation bar stays on one line and 'Đăng xuất' stays on screen."""
from __future__ import annotations

import pytest

from tests.browser_fixtures import log_in
from tests.rollup.factory import add_unit, reviewer_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_navigation_fits_one_line_for_a_user_with_every_role_and_long_names(browser_page, live_url):
    from reports.plans.catalogue import catalogue_load

    catalogue_load()
    unit = add_unit("navx", "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh mở rộng", "huyen-uy", None,
                    "khối")
    user = reviewer_for(unit)
    user.first_name, user.last_name = "Nguyễn Thị Phương", "Thảo Hoàng Anh Minh"
    user.is_superuser = user.is_staff = True  # every menu item, "Quản trị" included
    user.save()
    user.staff.is_leader = True
    user.staff.save()

    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, live_url, user.username)
    nav = page.locator("nav.navbar")
    assert nav.bounding_box()["height"] <= 60, "the navigation bar wraps onto a second line"
    logout = page.locator("nav.navbar button[type=submit]").bounding_box()
    assert logout["x"] + logout["width"] <= 1366
    for label in ("Kế hoạch", "Báo cáo của đơn vị", "Báo cáo tổng hợp", "Sổ văn bản", "Đơn vị", "Quản trị"):
        link = page.locator("nav.navbar .nav-link", has_text=label).first.bounding_box()
        assert link["height"] < 45, f"{label} breaks inside"
    assert "Hà Tĩnh mở rộng" in page.locator(".nav-user").get_attribute("title")
