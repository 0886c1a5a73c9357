"""Reads for the workbooks: which units a user may fill, what is stored (the plan a unit answers:
`reports.plans.selectors.plan_unit_answers`)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from reports.plans.models import Plan
from reports.plans.selectors import plan_assigned_units, plan_is_assigned
from reports.submissions.models import Submission, SubmissionRow, SubmissionValue
from units.models import Unit


def units_to_fill(*, plan: Plan, user) -> QuerySet[Unit]:
    """The plan's assigned units the user may enter figures for, in tree order."""
    allowed = Unit.objects.restrict(user, "enter").values("pk")
    return plan_assigned_units(plan).filter(pk__in=allowed)


def submission_for_download(*, user, pk: int) -> Submission:
    """A submission the user may see (404 otherwise)."""
    return get_object_or_404(
        Submission.objects.restrict(user, "view").select_related("plan__issuing_body__unit", "unit"), pk=pk)


def plan_and_unit_for_download(*, user, plan_pk: int, unit_code: str) -> tuple[Plan, Unit]:
    """A visible plan and a visible unit it is assigned to (404 otherwise)."""
    plan = get_object_or_404(Plan.objects.restrict(user, "view").select_related("issuing_body__unit"), pk=plan_pk)
    unit = get_object_or_404(Unit.objects.restrict(user, "view"), code=unit_code)
    if not plan_is_assigned(plan, unit):
        raise Http404
    return plan, unit


def stored_values(submission_ids) -> dict[int, dict[str, int | str | None]]:
    """{submission id: {indicator code: number or text}} in one query."""
    out: dict[int, dict[str, int | str | None]] = defaultdict(dict)
    rows = SubmissionValue.objects.filter(submission_id__in=submission_ids).values_list(
        "submission_id", "indicator__code", "indicator__kind", "number", "text")
    for sub_id, code, kind, number, text in rows:
        out[sub_id][code] = text if kind == "text" else number
    return out


def stored_rows(submission_ids) -> dict[int, dict[str, list[dict]]]:
    """{submission id: {list indicator code: [row data, …]}} in position order, in one query."""
    out: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    rows = SubmissionRow.objects.filter(submission_id__in=submission_ids).order_by(
        "submission_id", "indicator_id", "position").values_list("submission_id", "indicator__code", "data")
    for sub_id, code, data in rows:
        out[sub_id][code].append(data)
    return out
