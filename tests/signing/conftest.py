"""Fixtures for the signing tests: the demo data with demo certificates, small renderers, helpers."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from tests.demo_fixtures import module_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Core demo plus the demo certificates, once per module, rolled back at the module's end."""
    from demo.certificates import seed_certificates

    with module_demo(django_db_blocker, lambda _plans: seed_certificates()) as plans:
        yield plans


@pytest.fixture
def user_named(demo, db):
    def get(username: str):
        return get_user_model().objects.select_related("staff__unit").get(username=username)

    return get


@pytest.fixture
def login(client, user_named):
    def _login(username: str):
        client.force_login(user_named(username))
        return client

    return _login


@pytest.fixture
def tiny_renderer():
    return make_tiny_renderer


def make_tiny_renderer(calls: list | None = None):
    """A real (small) PDF carrying the number and date, like the report renderer would."""
    from weasyprint import HTML

    from reports.signing.services import RenderedPdf

    def render(number: int, reference: str, on: dt.date) -> RenderedPdf:
        if calls is not None:
            calls.append(reference)
        html = f"<h1>BÁO CÁO</h1><p>Số {reference}, ngày {on:%d/%m/%Y}</p><p>Phạm Thị Hải Đường</p>"
        return RenderedPdf(pdf=HTML(string=html).write_pdf())

    return render


@pytest.fixture
def draft_report(demo, user_named):
    """Tam Đường's consolidated report for 132-HD/BTGTU, made by its reviewer (documents services)."""
    from reports.documents.services import report_get_or_create
    from reports.plans.models import Plan
    from units.models import Unit

    return report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                unit=Unit.objects.get(code="tam-duong"), user=user_named("tam-duong.reviewer"))
