"""The plausibility check against earlier periods follows lineage: a commune formed by merging on
01/7/2025 is checked against what it and the communes merged into it reported together in 2023."""
from __future__ import annotations

import pytest

from reports.plans.models import Plan
from reports.submissions import services
from reports.submissions.models import Submission, SubmissionValue
from reports.submissions.validation import validate_values
from reports.workbooks.validation import validate_many
from tests.demo_fixtures import module_demo
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_demo(django_db_blocker, reorganised=True) as plans:
        yield plans


def _reported_2023(code: str, indicator: str) -> int:
    """What a unit reported for the 2023 topic (132-HD/BTGTU through Tam Đường's relay)."""
    return SubmissionValue.objects.get(submission__unit__code=code, indicator__code=indicator,
                                       submission__plan__period_end__year=2023,
                                       submission__status__in=[Submission.Status.SUBMITTED,
                                                               Submission.Status.ACCEPTED]).number


@pytest.fixture
def khun_ha_2026(demo):
    unit = Unit.objects.get(code="tam-duong-khun-ha")
    assert Unit.objects.get(code="tam-duong-ban-bo").successor == unit  # merged into Khun Há on 01/7/2025
    return services.submission_get_or_create(plan=Plan.objects.get(reference="168-HD/BTGDVTU"), unit=unit)


def test_a_merged_commune_is_checked_against_its_predecessors_sum(khun_ha_2026):
    own = _reported_2023("tam-duong-khun-ha", "members.studied")
    merged = own + _reported_2023("tam-duong-ban-bo", "members.studied")
    assert merged > 2 * own  # the figure near the sum would have looked wrong against Khun Há alone

    _errors, warnings = validate_values(submission=khun_ha_2026, values={"members.studied": merged,
                                                                         "members.required": merged})
    assert [w.code for w in warnings] == []

    _errors, warnings = validate_values(submission=khun_ha_2026, values={"members.studied": merged * 10,
                                                                         "members.required": merged * 10})
    studied = [w for w in warnings if w.indicator == "members.studied"]
    assert [w.code for w in studied] == ["outlier"]
    assert f"từ {merged} đến {merged}" in studied[0].message.replace(".", "")


def test_the_district_workbook_path_follows_lineage_too(khun_ha_2026):
    merged = _reported_2023("tam-duong-khun-ha", "members.studied") + _reported_2023(
        "tam-duong-ban-bo", "members.studied")
    plan = khun_ha_2026.plan
    near, far = validate_many(plan=plan, items=[(khun_ha_2026, {"members.studied": merged}),
                                                (khun_ha_2026, {"members.studied": merged * 10})], stored={})
    assert near[1] == []
    assert [w.code for w in far[1]] == ["outlier"]


def test_a_commune_not_merged_keeps_its_own_earlier_figures(demo):
    # A unit answering the 2026 plan that took no unit over: its own 2023 figure is the band.
    plan = Plan.objects.get(reference="168-HD/BTGDVTU")
    merged_into = set(Unit.objects.filter(successor__isnull=False).values_list("successor_id", flat=True))
    reported = set(SubmissionValue.objects.filter(submission__plan__period_end__year=2023,
                                                  indicator__code="members.studied")
                   .values_list("submission__unit_id", flat=True))
    unit = Unit.objects.filter(pk__in=reported - merged_into, dissolved_on__isnull=True,
                               code__startswith="tam-duong-").order_by("code").first()
    own = _reported_2023(unit.code, "members.studied")
    submission = services.submission_get_or_create(plan=plan, unit=unit)
    _e, warnings = validate_values(submission=submission, values={"members.studied": own * 3})
    assert [w.code for w in warnings] == ["outlier"]
    assert f"từ {own} đến {own}" in warnings[0].message.replace(".", "")
    _e, warnings = validate_values(submission=submission, values={"members.studied": own})
    assert warnings == []
