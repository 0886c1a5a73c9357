"""Fixtures of the hierarchy tests: the demo hierarchy and its users, fresh for each test (tests change it)."""
from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    from demo.hierarchy import seed_hierarchy
    from demo.users import seed_users

    seed_hierarchy()
    seed_users()
