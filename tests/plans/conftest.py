"""Fixtures for the plans tests: logins and small trees built on demand (the demo: tests/conftest.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from units.models import IssuingBody, Staff, Unit, UnitKind

PASSWORD = "demo12345!"


@pytest.fixture
def login(client):
    """Log a demo user in by username: `login("tam-duong.reviewer")` returns the client."""

    def _login(username: str):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        return client

    return _login


def make_tree(prefix: str, n_units: int) -> tuple[Unit, IssuingBody, object]:
    """A district `prefix` with `n_units` direct subordinates, its issuing body and a reviewer."""
    kind, _ = UnitKind.objects.get_or_create(code="t-district", defaults={"name": "Huyện ủy", "level": 1})
    cell, _ = UnitKind.objects.get_or_create(code="t-cell", defaults={"name": "Chi bộ", "level": 2})
    root = Unit.add_root(code=prefix, name=f"Huyện ủy {prefix}", kind=kind, valid_from=dt.date(2020, 1, 1))
    for i in range(n_units):
        root = Unit.objects.get(pk=root.pk)
        root.add_child(code=f"{prefix}-{i:03d}", name=f"Chi bộ {prefix} {i:03d}", kind=cell,
                       valid_from=dt.date(2020, 1, 1))
    root = Unit.objects.get(pk=root.pk)
    body = IssuingBody.objects.create(
        code=f"{prefix}-btg", unit=root, name=f"Ban Tuyên giáo {prefix}", citation_name="Ban Tuyên giáo Huyện ủy",
        own_line=prefix.upper(), place_name=prefix, code_suffix="BTGHU", signer_title="TRƯỞNG BAN",
        signer_name="Nguyễn Văn A",
    )
    reviewer = get_user_model().objects.create_user(f"{prefix}.reviewer", password=PASSWORD,
                                                    first_name="Lê Thị", last_name="Mai")
    Staff.objects.create(user=reviewer, unit=root, is_reviewer=True, is_entry=True)
    return root, body, reviewer
