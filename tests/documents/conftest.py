"""Fixtures of the roll-up tests: the demo data set once per module (rolled back at its end)."""
from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The core demo steps (hierarchy, users, plans, seed 004 figures) in one transaction per module."""
    from core.demo.figures import seed_figures
    from core.demo.hierarchy import seed_hierarchy
    from core.demo.plans import seed_plans
    from core.demo.users import seed_users
    from reports.plans.catalogue import catalogue_load

    with django_db_blocker.unblock():
        with transaction.atomic():
            catalogue_load()
            seed_hierarchy()
            seed_users()
            plans = seed_plans()
            seed_figures(plans)
            yield plans
            transaction.set_rollback(True)
