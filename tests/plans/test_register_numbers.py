"""A document number belongs to its issuing body's register and period, not to the whole country (issue 18.10)."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from reports.plans import services
from reports.plans.models import Plan
from reports.plans.selectors import plan_for_unit, plan_resolve_for_unit
from units.models import IssuingBody, Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def than_uyen_relay(demo):
    """Than Uyên's board relays 132-HD/BTGTU under the number Tam Đường's board also used: 120-CV/BTGHU."""
    body = IssuingBody.objects.get(code="than-uyen-btg")
    user = get_user_model().objects.create_user("than-uyen.reviewer.t")
    Staff.objects.create(user=user, unit=body.unit, is_reviewer=True)
    relay = services.plan_relay(plan=Plan.objects.get(reference="132-HD/BTGTU"), body=body, number=120,
                                issued_on=dt.date(2023, 9, 22), deadline=dt.date(2023, 10, 22), user=user)
    return relay


def test_second_district_issues_the_same_number(than_uyen_relay):
    assert than_uyen_relay.reference == "120-CV/BTGHU"
    assert Plan.objects.filter(reference="120-CV/BTGHU").count() == 2


def test_same_body_same_year_is_refused_next_year_allowed(demo):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    user = get_user_model().objects.get(username="tam-duong.reviewer")
    fields = dict(user=user, body=body, kind="CV", number=120, title="về việc khác",
                  sections=list(Plan.objects.get(reference="132-HD/BTGTU").sections.all()))
    before = Plan.objects.count()
    with pytest.raises(ValidationError) as error:
        services.plan_create(issued_on=dt.date(2023, 11, 2), period_start=dt.date(2023, 11, 1),
                             period_end=dt.date(2023, 12, 31), deadline=dt.date(2023, 12, 20), **fields)
    assert "đã có văn bản số 120-CV/BTGHU trong năm 2023" in error.value.message_dict["number"][0]
    assert Plan.objects.count() == before
    plan = services.plan_create(issued_on=dt.date(2024, 1, 5), period_start=dt.date(2024, 1, 1),
                                period_end=dt.date(2024, 3, 31), deadline=dt.date(2024, 3, 20), **fields)
    assert plan.reference == "120-CV/BTGHU" and plan.period == "2024"


def test_database_refuses_a_duplicate_in_one_register(demo):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(kind="CV", number=251, reference="251-CV/BTGHU", issuing_body=plan.issuing_body,
                            issued_on=dt.date(2026, 12, 1), title="x", period_start=plan.period_start,
                            period_end=plan.period_end, deadline=dt.date(2026, 12, 20))


def test_reference_resolves_among_the_units_plans(than_uyen_relay):
    tam_duong, than_uyen = Unit.objects.get(code="tam-duong"), Unit.objects.get(code="than-uyen")
    commune = Unit.objects.get(code="than-uyen-muong-than")
    assert plan_resolve_for_unit(reference="120-CV/BTGHU", unit=than_uyen) == than_uyen_relay
    assert plan_resolve_for_unit(reference="120-CV/BTGHU", unit=commune) == than_uyen_relay
    assert plan_resolve_for_unit(reference="120-CV/BTGHU", unit=tam_duong).issuing_body.code == "tam-duong-btg"
    assert plan_for_unit(reference="132-HD/BTGTU", unit=than_uyen) == than_uyen_relay
    assert plan_resolve_for_unit(reference="120-CV/BTGHU", unit=Unit.objects.get(code="lai-chau")) is None


def test_rollup_command_takes_the_plan_of_the_given_unit(than_uyen_relay):
    out = io.StringIO()
    call_command("rollup", "--plan", "120-CV/BTGHU", "--unit", "than-uyen", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["plan"] == "120-CV/BTGHU"
    assert data["units"] and all(u["code"].startswith("than-uyen-") for u in data["units"])
    out = io.StringIO()
    call_command("rollup", "--plan", "120-CV/BTGHU", "--unit", "tam-duong", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["units"]) == 51 and all(u["code"].startswith("tam-duong-") for u in data["units"])
