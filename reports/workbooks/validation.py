"""The web form's checks, applied to what a workbook changes.

A unit workbook is checked with `reports.submissions.validation.validate_values`, exactly as the
entry forms are. A district workbook may change thousands of submissions at once; loading what the
rules look at per unit costs four queries each (minutes for 5.000 units), so `validate_many` loads
the stored values and earlier ranges of all units with a few queries and runs the same pure
`check_figures` on each. The loading is all that differs.
"""
from __future__ import annotations

from typing import Any

from reports.plans.models import Plan
from reports.submissions.models import Submission, SubmissionRow
from reports.submissions.validation import (
    Catalogue,
    Figures,
    ValidationIssue,
    check_figures,
    earlier_ranges,
    row_codes,
    validate_values,
)

Issues = tuple[list[ValidationIssue], list[ValidationIssue]]


def validate(*, submission: Submission, values: dict[str, Any], rows: dict[str, list[dict]]) -> Issues:
    """(errors, warnings) for the changed values and rows of one submission; nothing is written."""
    return validate_values(submission=submission, values=values, rows=rows)


def validate_many(*, plan: Plan, items: list[tuple[Submission, dict[str, int | None]]],
                  stored: dict[int, dict[str, Any]]) -> list[Issues]:
    """`check_figures` for many submissions of one plan (changed values only).

    `items` pairs each submission (possibly unsaved) with the whole numbers it changes (parsed and
    bounded by the importer); `stored` holds what each saved submission has now ({submission id:
    {code: value}}). Returns (errors, warnings) per item, in order.
    """
    catalogue = Catalogue.load()
    codes = {code for _sub, values in items for code in values}
    ranges = earlier_ranges(plan=plan, submissions=[sub for sub, _v in items], codes=codes)
    listed = _stored_rows_many([sub.pk for sub, _v in items if sub.pk])
    empty = {code: [] for code in row_codes()}
    return [
        check_figures(Figures.build(new=values, stored=stored.get(submission.pk, {}) if submission.pk else {},
                                    catalogue=catalogue, earlier=ranges.get(submission.unit_id, {}),
                                    stored_rows=listed.get(submission.pk, empty)))
        for submission, values in items
    ]


def _stored_rows_many(submission_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """{submission id: {list indicator: rows}} of the lists the consistency rules read (one query)."""
    out: dict[int, dict[str, list[dict]]] = {pk: {code: [] for code in row_codes()} for pk in submission_ids}
    if submission_ids:
        for sub_id, code, data in (SubmissionRow.objects.filter(submission_id__in=submission_ids,
                                                                indicator__code__in=row_codes())
                                   .order_by("submission_id", "indicator_id", "position")
                                   .values_list("submission_id", "indicator__code", "data")):
            out[sub_id][code].append(data)
    return out
