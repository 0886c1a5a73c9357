"""The one set of checks on a unit's figures: the entry forms, the unit workbook and the district workbook.

    errors, warnings = validate_values(submission=s, values={"members.studied": 120, ...},
                                       rows={"conference.rows": [{...}, ...]})

The rules themselves are pure functions over the stored-plus-new figures (`Figures`) and the
indicator catalogue (`Catalogue`): `check_figures` runs `ERROR_RULES` (each returns its issues) and the
outlier warnings. The callers differ only in how they load what the rules look at:
`validate_values` loads one submission's stored values and earlier ranges (the web form, a unit
workbook); `reports.workbooks.validation.validate_many` loads them for thousands of units in three
queries (a district workbook). A new rule is one more function in `ERROR_RULES`.

* errors (saving is refused): a negative or non-whole number, a number above `MAX_NUMBER`, a
  numerator above its denominator,
  a row whose date lies outside the plan's period, a bad row field, and total attendance
  (conference.attendance + cell_meeting.attendance, when given) below the unique people who studied
  (members.studied + nonmembers.studied).
* warnings (the user may confirm them, "Tôi xác nhận số liệu đúng"): a value far from the unit's
  earlier periods — outside [min/2, max*2] of its values in submissions of earlier plans (following
  lineage: a merged unit's earlier figure is the sum of what it and its predecessors reported, `earlier_ranges`).
* consistency inside the submission (`consistency_issues`, rules as data in `CONSISTENCY_RULES`, over the
  figures and the rows listed for them; run by `check_figures` like every rule, so the same for the web,
  the unit workbook and the district workbook): a count below the rows listed for it, listed attendances
  above their total, attendance without any event, issued above required — errors; a count above the rows
  listed, listed attendances below the total when every event is listed, fewer commitments than cadres —
  warnings. Saving with a warning needs the officer's confirmation, which is recorded
  (`SubmissionEvent.Action.CONFIRM`) and shown to the reviewer on the submission's page.

`values` may hold only part of the submission (one section, or one sheet): the checks that pair two
indicators take the missing side from what is stored. A check only reports when at least one of the
indicators it looks at is being changed (`changed_only=True`, the default), so figures that are
stored already never block saving another section; pass `changed_only=False` to check everything
(before submitting).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.formatting import format_date_short, format_number, parse_date
from reports.plans.catalogue import CHOICES, ROW_FIELDS
from reports.plans.models import Indicator
from reports.submissions.models import Submission, SubmissionRow, SubmissionValue
from units.selectors import lineage_predecessors

# Total attendance may not be below the unique people who studied (when attendance is given).
ATTENDANCE_CODES = ("conference.attendance", "cell_meeting.attendance")
PEOPLE_CODES = ("members.studied", "nonmembers.studied")
# Outlier band around the unit's earlier values: [min / OUTLIER_FACTOR, max * OUTLIER_FACTOR].
OUTLIER_FACTOR = 2
# The largest figure any path stores (web form, workbooks, rows): larger ones are typing mistakes, and
# the database's 64-bit integers must never see a 20-digit number.
MAX_NUMBER = 999_999_999_999
# Rows of one list (conferences, documents, ...) on every path: the entry page shows and saves this many
# (a post stays under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000), so no import may store more.
MAX_LIST_ROWS = 100

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


def too_large_message(value: int) -> str:
    """What a user is told about a number above MAX_NUMBER (the same words on every path)."""
    return _("Số quá lớn (%(value)s): tối đa là %(max)s, hãy kiểm tra lại.") % {
        "value": format_number(value) if len(str(value)) <= 30 else str(value)[:30] + "…",
        "max": format_number(MAX_NUMBER)}


# ------------------------------------------------------------------------------------------------
# The rules: pure functions of the figures
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """A numerator indicator and its denominator (numerator ≤ denominator)."""

    code: str
    label: str
    den_code: str
    den_label: str


@dataclass(frozen=True)
class Catalogue:
    """What the rules know of the indicators: labels, which are numbers, the numerator/denominator pairs."""

    labels: Mapping[str, str]
    numbers: frozenset[str]
    pairs: tuple[Pair, ...]

    @classmethod
    def load(cls) -> Catalogue:
        """The whole indicator catalogue (one query; it holds a few dozen indicators)."""
        indicators = list(Indicator.objects.select_related("denominator"))
        return cls(
            labels={i.code: i.label for i in indicators},
            numbers=frozenset(i.code for i in indicators if i.is_number),
            pairs=tuple(Pair(i.code, i.label, i.denominator.code, i.denominator.label)
                        for i in indicators if i.denominator_id),
        )


@dataclass(frozen=True)
class Figures:
    """One submission's figures as the rules see them.

    `new` holds the parsed values being saved, `effective` the stored values overlaid with them,
    `changed` the codes whose value differs from what is stored (a rule reports only when one of the
    indicators it looks at is in `changed`, so stored figures never block saving another part).
    """

    new: Mapping[str, Any]
    effective: Mapping[str, Any]
    changed: frozenset[str]
    catalogue: Catalogue
    # {code: (min, max)} of the unit's earlier periods, for the outlier warnings.
    earlier: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # The rows listed (stored overlaid with new) of the lists the consistency rules read, when loaded.
    rows: Mapping[str, list[dict]] = field(default_factory=dict)

    @classmethod
    def build(cls, *, new: Mapping[str, Any], stored: Mapping[str, Any], catalogue: Catalogue,
              earlier: Mapping[str, tuple[int, int]] | None = None, changed_only: bool = True,
              new_rows: Mapping[str, list[dict]] | None = None,
              stored_rows: Mapping[str, list[dict]] | None = None) -> Figures:
        effective = {**stored, **new}
        new_rows, stored_rows = new_rows or {}, stored_rows or {}
        rows = {**stored_rows, **new_rows}
        if changed_only:
            changed = {code for code, value in new.items()
                       if stored.get(code, None if code in catalogue.numbers else "") != value}
            changed |= {code for code, value in new_rows.items() if stored_rows.get(code, []) != value}
        else:
            changed = set(effective) | set(rows)
        return cls(new=new, effective=effective, changed=frozenset(changed), catalogue=catalogue,
                   earlier=earlier or {}, rows=rows)

    def number(self, code: str) -> int | None:
        value = self.effective.get(code)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


Rule = Callable[[Figures], Iterable[ValidationIssue]]


# -- consistency inside one submission (pure functions: no database) --------------------------------------

@dataclass(frozen=True)
class CountOfRows:
    """`count` events, `rows` listing them: more rows than the count is an error, fewer (some listed) a warning."""

    count: str
    rows: str
    noun: str  # "hội nghị", "mô hình"


@dataclass(frozen=True)
class ListedSum:
    """The rows' `field` adds up to at most `total`; when every event is listed (`count`), to exactly it."""

    total: str
    rows: str
    field: str
    count: str


@dataclass(frozen=True)
class NeedsEvents:
    """A reach (`reach` > 0) needs at least one event (`events` > 0) when the events are given."""

    reach: str
    events: str


@dataclass(frozen=True)
class NotAbove:
    """`part` may not exceed `whole`: an error, or only a warning with `warning`."""

    part: str
    whole: str
    warning: bool = False


CONSISTENCY_RULES = (
    CountOfRows("conference.count", "conference.rows", "hội nghị"),
    CountOfRows("model.count", "model.rows", "mô hình"),
    ListedSum("conference.attendance", "conference.rows", "attendance", "conference.count"),
    NeedsEvents("conference.attendance", "conference.count"),
    NeedsEvents("cell_meeting.attendance", "cell_meeting.count"),
    NeedsEvents("summer_class.learners", "summer_class.count"),
    NotAbove("ethics_standard.issued", "ethics_standard.required"),
    NotAbove("exemplary.cadres", "exemplary.commitments", warning=True),
)


def _filled_rows(rows) -> list[dict]:
    return [r for r in rows or [] if any(v not in (None, "") for v in r.values())]


def _row_int(row: dict, name: str) -> int | None:
    try:
        return parse_whole_number(row.get(name))
    except ValueError:
        return None


def consistency_issues(
    *, values: dict[str, Any], rows: dict[str, list[dict]], labels: dict[str, str], changed: set[str] | None = None,
) -> tuple[list[ValidationIssue], list[ValidationIssue]]:
    """(errors, warnings) between totals and the rows listed for them, inside one submission's figures.

    `values` are the effective whole numbers (stored overlaid with the new ones), `rows` the effective rows
    by list indicator, `labels` the indicator labels. With `changed`, a rule reports only when one of its
    indicators is among them, so figures stored already never block saving another section.
    """
    errors: list[ValidationIssue] = []
    warnings: list[ValidationIssue] = []

    def number(code: str) -> int | None:
        value = values.get(code)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def label(code: str) -> str:
        return labels.get(code, code)

    def touched(*codes: str) -> bool:
        return changed is None or bool(set(codes) & changed)

    def where(*codes: str) -> str:
        return next((c for c in codes if changed is not None and c in changed), codes[0])

    for rule in CONSISTENCY_RULES:
        if isinstance(rule, CountOfRows):
            count, listed = number(rule.count), len(_filled_rows(rows.get(rule.rows)))
            if count is None or not touched(rule.count, rule.rows) or rule.rows not in rows:
                continue
            if listed > count:
                errors.append(ValidationIssue(
                    "count_below_listed",
                    _("%(label)s (%(count)s) ít hơn số %(noun)s trong danh sách (%(listed)s).")
                    % {"label": label(rule.count), "count": format_number(count), "noun": rule.noun,
                       "listed": format_number(listed)}, where(rule.count, rule.rows)))
            elif 0 < listed < count:
                warnings.append(ValidationIssue(
                    "count_above_listed",
                    _("%(label)s là %(count)s nhưng danh sách chỉ có %(listed)s %(noun)s: bổ sung danh sách, hoặc "
                      "xác nhận nếu các %(noun)s còn lại không cần liệt kê.")
                    % {"label": label(rule.count), "count": format_number(count), "noun": rule.noun,
                       "listed": format_number(listed)}, where(rule.count, rule.rows)))
        elif isinstance(rule, ListedSum):
            total = number(rule.total)
            listed_rows = _filled_rows(rows.get(rule.rows))
            given = [_row_int(r, rule.field) for r in listed_rows]
            if total is None or not listed_rows or not touched(rule.total, rule.rows):
                continue
            listed_sum = sum(v for v in given if v is not None)
            if listed_sum > total:
                errors.append(ValidationIssue(
                    "listed_above_total",
                    _("Tổng số người dự các %(noun)s trong danh sách (%(listed)s) lớn hơn %(label)s (%(total)s).")
                    % {"noun": "hội nghị", "listed": format_number(listed_sum),
                       "label": _lower_first(label(rule.total)), "total": format_number(total)},
                    where(rule.total, rule.rows)))
            elif (None not in given and len(listed_rows) == number(rule.count) and listed_sum < total):
                warnings.append(ValidationIssue(
                    "listed_below_total",
                    _("Danh sách đã có đủ %(count)s hội nghị, tổng số người dự (%(listed)s) ít hơn %(label)s "
                      "(%(total)s).")
                    % {"count": format_number(len(listed_rows)), "listed": format_number(listed_sum),
                       "label": _lower_first(label(rule.total)), "total": format_number(total)},
                    where(rule.total, rule.rows)))
        elif isinstance(rule, NeedsEvents):
            reach, events = number(rule.reach), number(rule.events)
            if reach and events == 0 and touched(rule.reach, rule.events):
                errors.append(ValidationIssue(
                    "reach_without_events",
                    _("%(reach)s là %(value)s nhưng %(events)s bằng 0.")
                    % {"reach": label(rule.reach), "value": format_number(reach),
                       "events": _lower_first(label(rule.events))}, where(rule.reach, rule.events)))
        elif isinstance(rule, NotAbove):
            part, whole = number(rule.part), number(rule.whole)
            if part is None or whole is None or part <= whole or not touched(rule.part, rule.whole):
                continue
            if rule.warning:
                warnings.append(ValidationIssue(
                    "part_above_whole",
                    _("%(part)s (%(p)s) nhiều hơn %(whole)s (%(w)s): mỗi người thường cam kết ít nhất một việc.")
                    % {"part": label(rule.part), "p": format_number(part),
                       "whole": _lower_first(label(rule.whole)), "w": format_number(whole)},
                    where(rule.part, rule.whole)))
            else:
                errors.append(ValidationIssue(
                    "part_above_whole",
                    _("%(part)s (%(p)s) không được lớn hơn %(whole)s (%(w)s).")
                    % {"part": label(rule.part), "p": format_number(part),
                       "whole": _lower_first(label(rule.whole)), "w": format_number(whole)},
                    where(rule.part, rule.whole)))
    return errors, warnings


def consistency_codes() -> set[str]:
    """Every indicator a consistency rule reads (to load the labels and stored figures it needs)."""
    codes: set[str] = set()
    for rule in CONSISTENCY_RULES:
        codes.update(v for v in vars(rule).values() if isinstance(v, str) and "." in v)
    return codes


def row_codes() -> set[str]:
    """The list indicators the consistency rules read."""
    return {rule.rows for rule in CONSISTENCY_RULES if hasattr(rule, "rows")}




def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def numerator_not_above_denominator(figures: Figures) -> Iterable[ValidationIssue]:
    """A numerator above its denominator (the pair may be split between what is sent and what is stored)."""
    for pair in figures.catalogue.pairs:
        if not ({pair.code, pair.den_code} & figures.changed):
            continue
        num, den = figures.number(pair.code), figures.number(pair.den_code)
        if num is not None and den is not None and num > den:
            yield ValidationIssue(
                "numerator_above_denominator",
                _("%(num_label)s (%(num)s) không được lớn hơn %(den_label)s (%(den)s).")
                % {"num_label": pair.label, "num": format_number(num),
                   "den_label": _lower_first(pair.den_label), "den": format_number(den)},
                pair.code if pair.code in figures.new else pair.den_code)


def attendance_not_below_people(figures: Figures) -> Iterable[ValidationIssue]:
    """Total attendance (lượt người) below the unique people who studied."""
    if not ((set(ATTENDANCE_CODES) | set(PEOPLE_CODES)) & figures.changed):
        return
    given = [n for n in (figures.number(c) for c in ATTENDANCE_CODES) if n is not None]
    people = [n for n in (figures.number(c) for c in PEOPLE_CODES) if n is not None]
    if given and people and sum(given) < sum(people):
        where = next((c for c in ATTENDANCE_CODES if c in figures.changed), None) or next(
            c for c in PEOPLE_CODES if c in figures.changed)
        yield ValidationIssue(
            "attendance_below_people",
            _("Tổng lượt người dự hội nghị và sinh hoạt chi bộ (%(attendance)s) không được ít hơn số người "
              "đã học tập (đảng viên và người chưa là đảng viên: %(people)s).")
            % {"attendance": format_number(sum(given)), "people": format_number(sum(people))},
            where)


def far_from_earlier_periods(figures: Figures) -> Iterable[ValidationIssue]:
    """Warnings: a changed figure outside [min / OUTLIER_FACTOR, max * OUTLIER_FACTOR] of earlier periods."""
    for code in sorted(c for c in figures.changed if c in figures.earlier):
        value = figures.new.get(code)
        if not isinstance(value, int):
            continue
        low, high = figures.earlier[code]
        if value < low / OUTLIER_FACTOR or value > high * OUTLIER_FACTOR:
            yield ValidationIssue(
                "outlier",
                _("%(label)s: %(value)s khác xa các kỳ trước của đơn vị (từ %(low)s đến %(high)s).")
                % {"label": figures.catalogue.labels.get(code, code), "value": format_number(value),
                   "low": format_number(low), "high": format_number(high)},
                code)


def totals_match_listed_rows(figures: Figures) -> Iterable[ValidationIssue]:
    """The errors of `CONSISTENCY_RULES` (counts and attendances against the rows listed for them)."""
    return consistency_issues(values=figures.effective, rows=figures.rows, labels=figures.catalogue.labels,
                              changed=set(figures.changed))[0]


def totals_near_listed_rows(figures: Figures) -> Iterable[ValidationIssue]:
    """The warnings of `CONSISTENCY_RULES` (a count above the rows listed, …): the officer may confirm them."""
    return consistency_issues(values=figures.effective, rows=figures.rows, labels=figures.catalogue.labels,
                              changed=set(figures.changed))[1]


# Rules whose issues refuse saving, in the order their messages are shown.
ERROR_RULES: list[Rule] = [numerator_not_above_denominator, attendance_not_below_people, totals_match_listed_rows]
# Rules whose issues the user may confirm ("Tôi xác nhận số liệu đúng").
WARNING_RULES: list[Rule] = [far_from_earlier_periods, totals_near_listed_rows]


def check_figures(figures: Figures) -> tuple[list[ValidationIssue], list[ValidationIssue]]:
    """(errors, warnings) of the rules over `figures`: no database, no side effect."""
    errors = [issue for rule in ERROR_RULES for issue in rule(figures)]
    warnings = [issue for rule in WARNING_RULES for issue in rule(figures)]
    return errors, warnings


def parse_figure(value: Any, *, label: str, code: str) -> tuple[int | None, ValidationIssue | None]:
    """A number field's value parsed and bounded: (number, None) or (None, the issue)."""
    try:
        number = parse_whole_number(value)
    except ValueError:
        return None, ValidationIssue("not_a_number", _("%(label)s: “%(value)s” không phải là số nguyên.")
                                     % {"label": label, "value": str(value)[:40]}, code)
    if number is not None and number < 0:
        return None, ValidationIssue("negative", _("%(label)s: không được là số âm.") % {"label": label}, code)
    if number is not None and number > MAX_NUMBER:
        return None, ValidationIssue("too_large", "%s: %s" % (label, too_large_message(number)), code)
    return number, None


# ------------------------------------------------------------------------------------------------
# Loading for one submission (the web form, a unit workbook)
# ------------------------------------------------------------------------------------------------


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
    """(min, max) of each indicator over the unit's earlier periods (`earlier_ranges`)."""
    return earlier_ranges(plan=submission.plan, submissions=[submission], codes=codes).get(submission.unit_id, {})


def earlier_ranges(*, plan, submissions: list[Submission], codes) -> dict[int, dict[str, tuple[int, int]]]:
    """{unit id: {code: (min, max)}} over the earlier periods of the units of `submissions` (of `plan`).

    An earlier period is a plan that ended before `plan` began (with its relays: a district's relay of a
    province plan is the same period). Its figure for a unit follows lineage
    (`units.selectors.lineage_predecessors` on `plan`'s hierarchy date): the sum of the submitted or
    accepted figures of the unit and of the units merged into it, so a commune formed in 2025 is checked
    against what its former communes reported together in 2023. Two queries whatever the number of units.
    """
    ranges: dict[int, dict[str, tuple[int, int]]] = {}
    if not codes or not submissions:
        return ranges
    lineage = lineage_predecessors(unit_ids={s.unit_id for s in submissions}, on=plan.hierarchy_date)
    holder = {pred: unit_id for unit_id, preds in lineage.items() for pred in preds}
    own = {s.pk for s in submissions if s.pk}
    sums: dict[tuple[int, int, str], int] = {}
    for sub_id, unit_id, code, number, *chain in SubmissionValue.objects.filter(
        submission__unit_id__in=list(holder),
        submission__plan__period_end__lt=plan.period_start,
        submission__status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
        indicator__code__in=codes,
        number__isnull=False,
    ).values_list("submission_id", "submission__unit_id", "indicator__code", "number", "submission__plan_id",
                  "submission__plan__relays_id", "submission__plan__relays__relays_id"):
        if sub_id in own:
            continue
        period = next(pk for pk in reversed(chain) if pk is not None)  # the plan at the top of the relays
        key = (holder[unit_id], period, code)
        sums[key] = sums.get(key, 0) + number
    for (unit_id, _period, code), number in sums.items():
        low, high = ranges.setdefault(unit_id, {}).get(code, (number, number))
        ranges[unit_id][code] = (min(low, number), max(high, number))
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
                elif number is not None and number > MAX_NUMBER:
                    errors.append(ValidationIssue(
                        "too_large", "%s, %s: %s" % (where, label, too_large_message(number)), code, position, name))
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
    catalogue = Catalogue.load()
    codes = set(values) | set(rows)
    for code in sorted(codes - set(catalogue.labels)):
        errors.append(ValidationIssue("unknown_indicator", _("Chỉ tiêu không tồn tại: %(code)s") % {"code": code},
                                      code))

    parsed: dict[str, Any] = {}
    for code, value in values.items():
        if code not in catalogue.labels:
            continue
        if code not in catalogue.numbers:
            parsed[code] = "" if value is None else str(value)
            continue
        number, issue = parse_figure(value, label=catalogue.labels[code], code=code)
        if issue:
            errors.append(issue)
        else:
            parsed[code] = number
    stored = _stored_values(submission)
    number_codes = [c for c in parsed if isinstance(parsed[c], int)]
    # The stored rows, read once: for the consistency rules and to skip unchanged lists below.
    stored_rows = _stored_rows(submission, sorted(row_codes() | (set(rows) & set(catalogue.labels))))
    figures = Figures.build(new=parsed, stored=stored, catalogue=catalogue, changed_only=changed_only,
                            earlier=_previous_ranges(submission, number_codes),
                            new_rows={c: r for c, r in rows.items() if c in row_codes()},
                            stored_rows={c: stored_rows[c] for c in row_codes()})
    rule_errors, warnings = check_figures(figures)
    errors += rule_errors

    # Rows.
    for code, new_rows in rows.items():
        if code not in catalogue.labels:
            continue
        if changed_only and stored_rows.get(code, []) == new_rows:
            continue
        if len(new_rows) > MAX_LIST_ROWS:
            before = len(stored_rows.get(code, []))
            numbers = {"label": catalogue.labels[code], "n": format_number(len(new_rows)),
                       "max": format_number(MAX_LIST_ROWS), "before": format_number(before),
                       "extra": format_number(len(new_rows) - MAX_LIST_ROWS)}
            if len(new_rows) > before:
                errors.append(ValidationIssue(
                    "too_many_rows", _("%(label)s: có %(n)s dòng, mỗi danh sách tối đa %(max)s dòng.") % numbers
                    if before <= MAX_LIST_ROWS else
                    _("%(label)s: có %(n)s dòng, mỗi danh sách tối đa %(max)s dòng; danh sách đã vượt mức "
                      "(%(before)s dòng) nên không thêm dòng được, chỉ sửa hoặc xóa bớt.") % numbers, code))
                continue
            # A list already over the limit (stored by an earlier import) must stay saveable: a save that
            # does not make it longer passes, with a warning to shorten it.
            warnings.append(ValidationIssue(
                "over_row_limit", _("%(label)s: có %(n)s dòng, vượt mức tối đa %(max)s dòng của một danh sách "
                                    "(số dòng này có từ trước). Vẫn lưu được vì không thêm dòng; đề nghị xóa bớt "
                                    "%(extra)s dòng (gộp hoặc bỏ các dòng trùng).") % numbers, code))
        _validate_rows(code, new_rows, submission.plan, errors)
    return errors, warnings


def stored_issues(*, submission: Submission) -> tuple[list[ValidationIssue], list[ValidationIssue]]:
    """(errors, warnings) of every rule over the figures `submission` holds now: what submitting checks.

    The stored values and every stored list go through `validate_values` with `changed_only=False`, so
    an error saved before a rule existed, a consistency problem between two sections, a list over
    `MAX_LIST_ROWS` kept from an earlier import or a figure far from earlier periods are all found.
    A fixed number of queries, whatever the number of sections or indicators.
    """
    if submission.pk is None:
        return [], []
    rows: dict[str, list[dict]] = {}
    for code, data in (SubmissionRow.objects.filter(submission=submission).order_by("indicator", "position")
                       .values_list("indicator__code", "data")):
        rows.setdefault(code, []).append(data)
    return validate_values(submission=submission, values=_stored_values(submission), rows=rows,
                           changed_only=False)
