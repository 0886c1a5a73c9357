"""The web form's checks, applied to what a workbook changes.

Uses `reports.submissions.validation.validate_values` (the one set of rules shared with the entry
forms). A small local fallback (numerator ≤ denominator) keeps the importer usable on a tree where
that module is not present.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.formatting import format_number
from reports.plans.models import Indicator

try:  # pragma: no branch
    from reports.submissions.validation import validate_values as _shared_validate
except ImportError:  # pragma: no cover - only before the shared module lands
    _shared_validate = None


@dataclass(frozen=True)
class Issue:
    """Same shape as the shared module's ValidationIssue."""

    code: str
    message: str
    indicator: str | None = None
    row: int | None = None
    field: str | None = None


def _local_validate(*, submission, values: dict[str, Any], rows: dict[str, list[dict]]):
    from reports.workbooks.selectors import stored_values

    stored = stored_values([submission.pk])[submission.pk] if submission.pk else {}
    effective = {**stored, **values}
    errors = []
    for numerator in Indicator.objects.filter(denominator__isnull=False).select_related("denominator"):
        den_code = numerator.denominator.code
        if not ({numerator.code, den_code} & set(values)):
            continue
        num, den = effective.get(numerator.code), effective.get(den_code)
        if isinstance(num, int) and isinstance(den, int) and num > den:
            errors.append(Issue(
                "numerator_above_denominator",
                _("%(num_label)s (%(num)s) không được lớn hơn %(den_label)s (%(den)s).")
                % {"num_label": numerator.label, "num": format_number(num),
                   "den_label": numerator.denominator.label, "den": format_number(den)},
                numerator.code if numerator.code in values else den_code))
    return errors, []


def validate(*, submission, values: dict[str, Any], rows: dict[str, list[dict]]):
    """(errors, warnings) for the changed values and rows of one submission; nothing is written."""
    if _shared_validate is not None:
        return _shared_validate(submission=submission, values=values, rows=rows)
    return _local_validate(submission=submission, values=values, rows=rows)
