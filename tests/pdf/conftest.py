"""Fixtures of the print tests: the core demo once per module (rolled back) and a private PDF cache."""
from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Hierarchy, users, plans, seed 004 figures, the demo register start (163 of 2023) and the demo report."""
    import datetime as dt

    from core.demo.figures import seed_figures
    from core.demo.hierarchy import seed_hierarchy
    from core.demo.plans import seed_plans
    from core.demo.users import seed_users
    from reports.documents.pdf.demo import seed_demo_report
    from reports.plans.catalogue import catalogue_load
    from reports.signing.services import register_counter_set_start, register_period
    from units.models import IssuingBody

    with django_db_blocker.unblock():
        with transaction.atomic():
            catalogue_load()
            seed_hierarchy()
            seed_users()
            plans = seed_plans()
            seed_figures(plans)
            register_counter_set_start(issuing_body=IssuingBody.objects.get(code="tam-duong-btg"),
                                       period=register_period(dt.date(2023, 10, 30)), starting_number=163,
                                       note="sổ giấy")
            seed_demo_report()
            yield plans
            transaction.set_rollback(True)


@pytest.fixture
def pdf_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media" / "pdf-cache"
