"""The web form's checks, applied to what a workbook changes.

A unit workbook is checked with `reports.submissions.validation.validate_values`, the one set of
rules shared with the entry forms. A district workbook may change thousands of submissions at once;
calling that function per unit costs four queries each (minutes for 5.000 units), so
`validate_many` applies the SAME number rules (numerator ≤ denominator, attendance ≥ people who
studied, outlier warnings against the unit's earlier periods) to all units with three queries, using
the shared module's constants and messages. tests/workbooks/test_validation.py checks that both
give identical issues.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from core.formatting import format_number
from reports.plans.models import Indicator, Plan
from reports.submissions.models import Submission, SubmissionValue
from reports.submissions.validation import (
    ATTENDANCE_CODES,
    OUTLIER_FACTOR,
    PEOPLE_CODES,
    ValidationIssue,
    validate_values,
)

Issues = tuple[list[ValidationIssue], list[ValidationIssue]]


def validate(*, submission: Submission, values: dict[str, Any], rows: dict[str, list[dict]]) -> Issues:
    """(errors, warnings) for the changed values and rows of one submission; nothing is written."""
    return validate_values(submission=submission, values=values, rows=rows)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def validate_many(*, plan: Plan, items: list[tuple[Submission, dict[str, int | None]]],
                  stored: dict[int, dict[str, Any]]) -> list[Issues]:
    """The number rules of `validate_values` for many submissions of one plan (changed values only).

    `items` pairs each submission (possibly unsaved) with the whole numbers it changes; `stored`
    holds what each saved submission has now ({submission id: {code: value}}). Returns
    (errors, warnings) per item, in order.
    """
    numerators = list(Indicator.objects.filter(denominator__isnull=False).select_related("denominator"))
    codes = {code for _sub, values in items for code in values}
    labels = dict(Indicator.objects.filter(code__in=codes).values_list("code", "label"))
    ranges = _previous_ranges_many(plan, [sub for sub, _v in items], codes)
    watched = set(ATTENDANCE_CODES) | set(PEOPLE_CODES)
    results: list[Issues] = []
    for submission, values in items:
        errors: list[ValidationIssue] = []
        warnings: list[ValidationIssue] = []
        effective = {**(stored.get(submission.pk, {}) if submission.pk else {}), **values}
        changed = set(values)
        for numerator in numerators:
            den_code = numerator.denominator.code
            if not ({numerator.code, den_code} & changed):
                continue
            num, den = effective.get(numerator.code), effective.get(den_code)
            if isinstance(num, int) and isinstance(den, int) and num > den:
                errors.append(ValidationIssue(
                    "numerator_above_denominator",
                    _("%(num_label)s (%(num)s) không được lớn hơn %(den_label)s (%(den)s).")
                    % {"num_label": numerator.label, "num": format_number(num),
                       "den_label": _lower_first(numerator.denominator.label), "den": format_number(den)},
                    numerator.code if numerator.code in values else den_code))
        if watched & changed:
            given = [effective.get(c) for c in ATTENDANCE_CODES if isinstance(effective.get(c), int)]
            people = [effective.get(c) for c in PEOPLE_CODES if isinstance(effective.get(c), int)]
            if given and people and sum(given) < sum(people):
                where = next((c for c in ATTENDANCE_CODES if c in changed), None) or next(
                    c for c in PEOPLE_CODES if c in changed)
                errors.append(ValidationIssue(
                    "attendance_below_people",
                    _("Tổng lượt người dự hội nghị và sinh hoạt chi bộ (%(attendance)s) không được ít hơn số người "
                      "đã học tập (đảng viên và người chưa là đảng viên: %(people)s).")
                    % {"attendance": format_number(sum(given)), "people": format_number(sum(people))},
                    where))
        unit_ranges = ranges.get(submission.unit_id, {})
        for code in sorted(c for c in changed if isinstance(values[c], int) and c in unit_ranges):
            low, high = unit_ranges[code]
            value = values[code]
            if value < low / OUTLIER_FACTOR or value > high * OUTLIER_FACTOR:
                warnings.append(ValidationIssue(
                    "outlier",
                    _("%(label)s: %(value)s khác xa các kỳ trước của đơn vị (từ %(low)s đến %(high)s).")
                    % {"label": labels.get(code, code), "value": format_number(value),
                       "low": format_number(low), "high": format_number(high)},
                    code))
        results.append((errors, warnings))
    return results


def _previous_ranges_many(plan: Plan, submissions: list[Submission], codes) -> dict[int, dict[str, tuple[int, int]]]:
    """{unit id: {code: (min, max)}} over the units' submitted/accepted reports of earlier plans (one query)."""
    ranges: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    unit_ids = {s.unit_id for s in submissions}
    if not unit_ids or not codes:
        return ranges
    own = {s.pk for s in submissions if s.pk}
    earlier = (
        SubmissionValue.objects.filter(
            submission__unit_id__in=unit_ids,
            submission__plan__period_end__lt=plan.period_start,
            submission__status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
            indicator__code__in=codes,
            number__isnull=False,
        ).values_list("submission_id", "submission__unit_id", "indicator__code", "number")
    )
    for sub_id, unit_id, code, number in earlier:
        if sub_id in own:
            continue
        low, high = ranges[unit_id].get(code, (number, number))
        ranges[unit_id][code] = (min(low, number), max(high, number))
    return ranges
