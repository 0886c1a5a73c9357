"""Shared fixtures. Browser and live-server fixtures live in tests/browser_fixtures.py."""
import shutil

import pytest
from django.conf import settings

from tests.browser_fixtures import browser_page, live_url  # noqa: F401
from tests.demo_fixtures import module_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The core demo (hierarchy, users, plans, seed 004's figures) once per module, rolled back at its end.

    Test folders that need more (certificates, the demo report) or less override it.
    """
    with module_demo(django_db_blocker) as plans:
        yield plans


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's fixture, with the indicator catalogue and the unit kinds present.

    A transactional test (live server, real threads) ends with a flush that also empties the
    catalogue its migration loaded; the next transactional test in the same worker would find no
    indicator. Load it again when it is missing.
    """
    from reports.plans.catalogue import catalogue_load
    from reports.plans.models import Indicator
    from units.models import UnitKind
    from units.services import unit_kinds_load

    if not Indicator.objects.exists():
        catalogue_load()
    if not UnitKind.objects.filter(code="huyen-uy").exists():  # the unit kinds (and their words) too
        unit_kinds_load()
    return transactional_db



def pytest_sessionfinish(session):
    """The run's demo token goes with the run (the controller, or a run without xdist, removes it)."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(settings.DEMO_TOKEN_DIR, ignore_errors=True)
