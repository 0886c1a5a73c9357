"""The one set of checks on a unit's figures, used by the entry forms AND the Excel importer.

    errors, warnings = validate_values(submission=s, values={"members.studied": 120, ...},
                                       rows={"conference.rows": [{...}, ...]})

* errors (saving is refused): a negative or non-whole number, a numerator above its denominator,
  a row whose date lies outside the plan's period, a bad row field, and total attendance
  (conference.attendance + cell_meeting.attendance, when given) below the unique people who studied
  (members.studied + nonmembers.studied).
* warnings (the user may confirm them, "Tôi xác nhận số liệu đúng"): a value far from the unit's
  earlier periods — outside [min/2, max*2] of its values in submissions of earlier plans.

`values` may hold only part of the submission (one section, or one sheet): the checks that pair two
indicators take the missing side from what is stored. A check only reports when at least one of the
indicators it looks at is being changed (`changed_only=True`, the default), so figures that are
stored already never block saving another section; pass `changed_only=False` to check everything
(before submitting).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.formatting import format_date_short, format_number
from reports.plans.catalogue import CHOICES, ROW_FIELDS
from reports.plans.models import Indicator
from reports.submissions.models import Submission, SubmissionRow, SubmissionValue

# Total attendance may not be below the unique people who studied (when attendance is given).
ATTENDANCE_CODES = ("conference.attendance", "cell_meeting.attendance")
PEOPLE_CODES = ("members.studied", "nonmembers.studied")
# Outlier band around the unit's earlier values: [min / OUTLIER_FACTOR, max * OUTLIER_FACTOR].
OUTLIER_FACTOR = 2

_NUMBER_RE = re.compile(r"^[+-]?\d{1,3}(?:[.\s]\d{3})+$|^[+-]?\d+$")


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found: a stable `code`, a Vietnamese `message`, and where it is."""

    code: str  # negative, not_a_number, numerator_above_denominator, date_outside_period, ...
    message: str
    indicator: str | None = None  # indicator code
    row: int | None = None  # 0-based position in the indicator's rows
    field: str | None = None  # row field name

    def __str__(self) -> str:
        return self.message


def parse_whole_number(value: Any) -> int | None:
    """A whole number from a form or a cell: 2419, "2419", "2.419", "2 419", "-5" (None when empty).

    Raises ValueError for anything else ("2,5", "abc", 2.5).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None
    if not _NUMBER_RE.match(text):
        raise ValueError(value)
    return int(re.sub(r"[.\s]", "", text))


def parse_date(value: Any) -> dt.date | None:
    """A date from a row: a date, "2023-09-21" or "21/9/2023" (None when empty); ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _stored_values(submission: Submission) -> dict[str, int | str | None]:
    if submission.pk is None:
        return {}
    return {
        code: (number if number is not None else text)
        for code, number, text in SubmissionValue.objects.filter(submission=submission).values_list(
            "indicator__code", "number", "text"
        )
    }


def _stored_rows(submission: Submission, codes) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {code: [] for code in codes}
    if submission.pk is None or not codes:
        return rows
    for code, data in (
        SubmissionRow.objects.filter(submission=submission, indicator__code__in=codes)
        .order_by("indicator", "position")
        .values_list("indicator__code", "data")
    ):
        rows[code].append(data)
    return rows


def _previous_ranges(submission: Submission, codes) -> dict[str, tuple[int, int]]:
    """(min, max) of each indicator over the unit's submissions of plans that ended before this one began."""
    ranges: dict[str, tuple[int, int]] = {}
    if not codes:
        return ranges
    earlier = (
        SubmissionValue.objects.filter(
            submission__unit_id=submission.unit_id,
            submission__plan__period_end__lt=submission.plan.period_start,
            submission__status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
            indicator__code__in=codes,
            number__isnull=False,
        )
        .exclude(submission_id=submission.pk)
        .values_list("indicator__code", "number")
    )
    for code, number in earlier:
        low, high = ranges.get(code, (number, number))
        ranges[code] = (min(low, number), max(high, number))
    return ranges


def _validate_rows(code: str, rows: list[dict], plan, errors: list[ValidationIssue]) -> None:
    fields = ROW_FIELDS.get(code, [])
    for position, row in enumerate(rows):
        where = _("Dòng %(n)s") % {"n": position + 1}
        for name, label, kind in fields:
            value = row.get(name)
            if value in (None, ""):
                continue
            if kind == "date":
                try:
                    day = parse_date(value)
                except ValueError:
                    errors.append(ValidationIssue(
                        "bad_date", _("%(where)s, %(field)s: “%(value)s” không phải là ngày (ngày/tháng/năm).")
                        % {"where": where, "field": label, "value": value}, code, position, name))
                    continue
                if day and not (plan.period_start <= day <= plan.period_end):
                    errors.append(ValidationIssue(
                        "date_outside_period",
                        _("%(where)s, %(field)s: ngày %(day)s nằm ngoài kỳ báo cáo của kế hoạch "
                          "(từ %(start)s đến %(end)s).")
                        % {"where": where, "field": label, "day": format_date_short(day),
                           "start": format_date_short(plan.period_start), "end": format_date_short(plan.period_end)},
                        code, position, name))
            elif kind == "int":
                try:
                    number = parse_whole_number(value)
                except ValueError:
                    errors.append(ValidationIssue(
                        "not_a_number", _("%(where)s, %(field)s: “%(value)s” không phải là số nguyên.")
                        % {"where": where, "field": label, "value": value}, code, position, name))
                    continue
                if number is not None and number < 0:
                    errors.append(ValidationIssue(
                        "negative", _("%(where)s, %(field)s: không được là số âm.") % {"where": where, "field": label},
                        code, position, name))
            elif kind.startswith("choice:"):
                allowed = {key for key, _label in CHOICES[kind.split(":", 1)[1]]}
                if value not in allowed:
                    errors.append(ValidationIssue(
                        "bad_choice", _("%(where)s, %(field)s: giá trị “%(value)s” không hợp lệ.")
                        % {"where": where, "field": label, "value": value}, code, position, name))


def validate_values(
    *,
    submission: Submission,
    values: dict[str, Any],
    rows: dict[str, list[dict]] | None = None,
    changed_only: bool = True,
) -> tuple[list[ValidationIssue], list[ValidationIssue]]:
    """Check figures about to be saved into `submission`; returns (errors, warnings).

    `values` maps indicator codes to numbers (int, or text such as "2.419") or texts; `rows` maps
    list indicators to their rows (dicts keyed by the fields of `catalogue.ROW_FIELDS`). Nothing is
    written. Unknown indicator codes are errors.
    """
    rows = rows or {}
    errors: list[ValidationIssue] = []
    warnings: list[ValidationIssue] = []
    codes = set(values) | set(rows)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes).select_related("denominator")}
    for code in sorted(codes - set(indicators)):
        errors.append(ValidationIssue("unknown_indicator", _("Chỉ tiêu không tồn tại: %(code)s") % {"code": code},
                                      code))

    stored = _stored_values(submission)
    # Parse the numbers; the effective figures are the stored ones overlaid with the new ones.
    parsed: dict[str, Any] = {}
    for code, value in values.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        if not indicator.is_number:
            parsed[code] = "" if value is None else str(value)
            continue
        try:
            number = parse_whole_number(value)
        except ValueError:
            errors.append(ValidationIssue(
                "not_a_number", _("%(label)s: “%(value)s” không phải là số nguyên.")
                % {"label": indicator.label, "value": value}, code))
            continue
        if number is not None and number < 0:
            errors.append(ValidationIssue(
                "negative", _("%(label)s: không được là số âm.") % {"label": indicator.label}, code))
            continue
        parsed[code] = number
    effective = {**stored, **parsed}
    changed = {code for code, value in parsed.items() if stored.get(code, None if indicators[code].is_number else "")
               != value} if changed_only else set(effective) | set(parsed)

    # Numerator above its denominator (the pair may be split between what is sent and what is stored).
    numerators = Indicator.objects.filter(denominator__isnull=False).select_related("denominator")
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
                   "den_label": numerator.denominator.label[:1].lower() + numerator.denominator.label[1:],
                   "den": format_number(den)},
                numerator.code if numerator.code in parsed else den_code))

    # Attendance (lượt người) below the unique people who studied.
    watched = set(ATTENDANCE_CODES) | set(PEOPLE_CODES)
    if watched & changed:
        given = [effective.get(code) for code in ATTENDANCE_CODES if isinstance(effective.get(code), int)]
        people = [effective.get(code) for code in PEOPLE_CODES if isinstance(effective.get(code), int)]
        if given and people and sum(given) < sum(people):
            where = next((c for c in ATTENDANCE_CODES if c in changed), None) or next(
                c for c in PEOPLE_CODES if c in changed)
            errors.append(ValidationIssue(
                "attendance_below_people",
                _("Tổng lượt người dự hội nghị và sinh hoạt chi bộ (%(attendance)s) không được ít hơn số người "
                  "đã học tập (đảng viên và người chưa là đảng viên: %(people)s).")
                % {"attendance": format_number(sum(given)), "people": format_number(sum(people))},
                where))

    # Rows.
    for code, new_rows in rows.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        if changed_only and _stored_rows(submission, [code])[code] == new_rows:
            continue
        _validate_rows(code, new_rows, submission.plan, errors)

    # Warnings: far from the unit's earlier periods.
    number_codes = [c for c in changed if c in parsed and isinstance(parsed[c], int)]
    for code, (low, high) in sorted(_previous_ranges(submission, number_codes).items()):
        value = parsed[code]
        if value < low / OUTLIER_FACTOR or value > high * OUTLIER_FACTOR:
            warnings.append(ValidationIssue(
                "outlier",
                _("%(label)s: %(value)s khác xa các kỳ trước của đơn vị (từ %(low)s đến %(high)s).")
                % {"label": indicators[code].label, "value": format_number(value),
                   "low": format_number(low), "high": format_number(high)},
                code))
    return errors, warnings
