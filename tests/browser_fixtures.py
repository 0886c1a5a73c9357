"""Fixtures for tests that drive a real browser (mark them ``@pytest.mark.browser``).

Playwright cannot download its own browsers here, so it drives Debian's Chromium
(packages ``chromium`` and ``chromium-driver``, installed by scripts/setup.sh).

    @pytest.mark.browser
    def test_login(browser_page, live_url):
        browser_page.goto(live_url("login"))
        browser_page.fill("input[name=username]", "tam-duong.entry")
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Page, sync_playwright

# Playwright's sync API runs an asyncio event loop in the test's thread, which makes Django
# believe every ORM call in the test body comes from async code. The calls are in fact
# synchronous, so switch that guard off for the processes that load these fixtures.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",  # the live server is on 127.0.0.1; never send it through a proxy
]
# Seconds to wait for a page or a selector before failing (Playwright works in milliseconds).
BROWSER_TIMEOUT = float(os.environ.get("BROWSER_TIMEOUT", "20"))


@pytest.fixture
def browser_page() -> Iterator[Page]:
    """A fresh Chromium page (own browser, own profile) that is closed after the test."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            context.set_default_timeout(BROWSER_TIMEOUT * 1000)
            page = context.new_page()
            yield page
            context.close()
        finally:
            browser.close()
            # The test's ORM calls ran while Playwright's event loop was current, so their connection is
            # kept apart from the one pytest-django closes; left open, it stops PostgreSQL from dropping
            # the test database at the end ("being accessed by other users").
            connections.close_all()


@pytest.fixture
def live_url(live_server) -> Callable[..., str]:
    """Absolute URL on pytest-django's live server.

    ``live_url("login")`` reverses a URL name (``*args``/``**kwargs`` go to ``reverse``);
    ``live_url("/static/x.css")`` takes a path as it is; ``live_url()`` is the server's root.
    """

    def build(name_or_path: str = "/", *args, **kwargs) -> str:
        if name_or_path.startswith("/"):
            path = name_or_path
        else:
            path = reverse(name_or_path, args=args or None, kwargs=kwargs or None)
        return live_server.url + path

    return build


def log_in(page: Page, live_url: Callable[..., str], username: str, *, password: str | None = None,
           next_path: str = "/") -> None:
    """Log in through the login form, as a person does, in a fresh session; wait for `next_path`."""
    from demo.users import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(live_url("login") + f"?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(live_url(next_path))
