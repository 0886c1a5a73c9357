"""Shared fixtures. Browser and live-server fixtures live in tests/browser_fixtures.py."""
from tests.browser_fixtures import browser_page, live_url  # noqa: F401
