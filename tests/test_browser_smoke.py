"""Smoke test: a real Chromium opens the login page served by a live server."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_opens_in_chromium(browser_page, live_url):
    response = browser_page.goto(live_url("login"))
    assert response is not None
    assert response.status < 500, f"login page answered {response.status}"
    assert response.status == 200
    # The login form asks for a user name and a password.
    assert browser_page.locator("input[name=username]").count() == 1
    assert browser_page.locator("input[name=password]").count() == 1
    assert browser_page.title().strip() != ""
