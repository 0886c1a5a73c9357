"""Shared fixtures. Browser and live-server fixtures live in tests/browser_fixtures.py."""
import pytest

from tests.browser_fixtures import browser_page, live_url  # noqa: F401


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's fixture, with the indicator catalogue present.

    A transactional test (live server, real threads) ends with a flush that also empties the
    catalogue its migration loaded; the next transactional test in the same worker would find no
    indicator. Load it again when it is missing.
    """
    from reports.plans.catalogue import catalogue_load
    from reports.plans.models import Indicator

    if not Indicator.objects.exists():
        catalogue_load()
    return transactional_db
