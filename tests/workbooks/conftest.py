"""Fixtures for the workbook tests: the core demo data, a rich draft, and helpers to edit workbooks."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tests.workbooks.wbhelpers import RICH_ROWS, RICH_VALUES


def seed_core_demo():
    """The core demo steps (not other apps' EXTRA_STEPS); returns the plans by reference."""
    from core.demo.figures import seed_figures
    from core.demo.hierarchy import seed_hierarchy
    from core.demo.plans import seed_plans
    from core.demo.users import seed_users
    from reports.plans.catalogue import catalogue_load

    catalogue_load()
    seed_hierarchy()
    seed_users()
    plans = seed_plans()
    seed_figures(plans)
    return plans


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Demo data once per module, inside a transaction rolled back at the module's end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            plans = seed_core_demo()
            yield plans
            transaction.set_rollback(True)


@pytest.fixture
def user(demo, db) -> Callable:
    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def login(client, user):
    def _login(username: str):
        client.force_login(user(username))
        return client

    return _login


@pytest.fixture
def rich(demo, db, user):
    """Tam Đường's DRAFT on 222-KH/TU (every section) filled with tricky values: diacritics, multi-line,
    empty vs zero, dates, choices, a text starting with "=". Returns the submission."""
    from reports.submissions import services

    plan = demo["222-KH/TU"]
    from units.models import Unit

    unit = Unit.objects.get(code="tam-duong")
    reviewer = user("lai-chau.reviewer")
    submission = services.submission_get_or_create(plan=plan, unit=unit, user=reviewer)
    services.submission_save_values(submission=submission, user=reviewer, values=RICH_VALUES, rows=RICH_ROWS,
                                    source="form:test")
    submission.refresh_from_db()
    return submission
