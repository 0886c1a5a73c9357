"""Fixtures for the workbook tests: the core demo data, a rich draft, and helpers to edit workbooks."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model

from tests.workbooks.wbhelpers import RICH_ROWS, RICH_VALUES


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
