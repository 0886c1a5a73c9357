"""Fixtures of the print tests: the core demo once per module (rolled back) and a private PDF cache."""
from __future__ import annotations

import pytest

from tests.demo_fixtures import module_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Core demo, the demo register start (163 of 2023) and the demo report, once per module."""
    with module_demo(django_db_blocker, _register_start, _demo_report) as plans:
        yield plans


def _register_start(_plans) -> None:
    import datetime as dt

    from reports.signing.services import register_counter_set_start, register_period
    from units.models import IssuingBody

    register_counter_set_start(issuing_body=IssuingBody.objects.get(code="tam-duong-btg"),
                               period=register_period(dt.date(2023, 10, 30)), starting_number=163,
                               note="sổ giấy")


def _demo_report(_plans) -> None:
    from demo.report import seed_demo_report

    seed_demo_report()


@pytest.fixture
def pdf_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media" / "pdf-cache"
