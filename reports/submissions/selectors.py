"""Reads of submissions: the status board of a plan, timeliness in SQL, counts, open requests.

The status board is two queries whatever the number of units: the assigned units (one query, see
`plan_assigned_units`) and the plan's submissions with their timeliness computed by the database.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date_short, person_name
from core.scoping import get_staff
from reports.plans.models import Indicator, Plan
from reports.plans.selectors import OPEN_GRACE_DAYS, plan_assigned_units, plan_recipients, plans_assigning_unit
from reports.submissions.answers import answering_reports
from reports.submissions.models import BehalfSource, Submission, SubmissionEvent, SubmissionRow, SubmissionValue
from reports.submissions.policy import is_on_behalf
from reports.submissions.timeliness import timeliness, timeliness_expression
from reports.submissions.validation import stored_issues
from units.models import Unit
from units.selectors import units_collective_words

# Status of an assigned unit that has no submission yet (not a Submission.Status: no row exists).
NOT_STARTED = "not_started"
NOT_STARTED_LABEL = _("Chưa nhập")
# Status of a unit that answers the plan with a consolidated report (a district answering its province).
REPORT_SIGNED = "report_signed"  # signed and sent, not received yet
REPORT_RECEIVED = "report_received"  # received (accepted) by this level
REPORT_RETURNED = "report_returned"  # returned by this level: a new numbered report will replace it
REPORT_IN_PROGRESS = "report_draft"
RELAYED = "relayed"  # relayed to its own units, no consolidated report yet
STATUS_CHOICES = [
    *Submission.Status.choices, (NOT_STARTED, NOT_STARTED_LABEL), (RELAYED, _("Đã triển khai, chưa có báo cáo")),
    (REPORT_IN_PROGRESS, _("Đang lập báo cáo tổng hợp")), (REPORT_SIGNED, _("Đã gửi báo cáo, chờ tiếp nhận")),
    (REPORT_RECEIVED, _("Đã tiếp nhận báo cáo")), (REPORT_RETURNED, _("Đã trả lại báo cáo, chờ báo cáo thay thế")),
]
STATUS_LABELS = dict(STATUS_CHOICES)
TIMELINESS_LABELS = dict(Submission.Timeliness.choices)
# Statuses that count as "has reported" (sent at least once and not pulled back for fixing).
# Columns the board reads (the values and rows of a submission are never loaded here).
BOARD_SUBMISSION_FIELDS = (
    "id", "plan_id", "unit_id", "status", "unit_name", "first_submitted_at", "submitted_at",
    "entered_on_behalf", "last_entered_by", "last_entered_by__id", "last_entered_by__username",
    "last_entered_by__first_name", "last_entered_by__last_name",
)
STATUS_CSS = {
    "accepted": "text-bg-success", "report_signed": "text-bg-success", "submitted": "text-bg-primary",
    "returned": "text-bg-warning", "draft": "text-bg-info", "report_draft": "text-bg-info",
    "relayed": "text-bg-secondary", "report_received": "text-bg-success", "report_returned": "text-bg-warning",
}
TIMELINESS_CSS = {"on_time": "text-bg-success", "late": "text-bg-warning", "missing": "text-bg-danger"}
REPORTED_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED, REPORT_SIGNED, REPORT_RECEIVED)


def timeliness_of(*, plan: Plan, first_submitted_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """Timeliness without a Submission row (a unit that never started): `timeliness.timeliness` for `plan`."""
    return timeliness(deadline=plan.deadline, first_submitted_at=first_submitted_at, now=now)


def with_timeliness(qs: QuerySet[Submission], plan: Plan, now: dt.datetime | None = None) -> QuerySet[Submission]:
    """Annotate `timeliness_code` (on_time / late / missing / pending) in SQL for submissions of one plan."""
    return qs.annotate(timeliness_code=timeliness_expression(deadline=plan.deadline, now=now))


@dataclass
class BoardRow:
    """One line of the status board: an assigned unit and where its report stands."""

    unit: Unit
    submission: Submission | None
    status: str
    timeliness: str
    is_own: bool = False
    relay: Plan | None = None  # the unit's own plan relaying this one to its units
    report: object | None = None  # the unit's consolidated report answering this plan (documents.Report)

    # Labels are resolved once per board (not per row: gettext is costly in a loop of 2.000 rows).
    status_label: str = ""
    timeliness_label: str = ""

    @property
    def status_css(self) -> str:
        return STATUS_CSS.get(self.status, "text-bg-light border")

    @property
    def timeliness_css(self) -> str:
        return TIMELINESS_CSS.get(self.timeliness, "text-bg-secondary")

    @property
    def unit_name(self) -> str:
        return self.submission.unit_name if self.submission else self.unit.name

    @property
    def submitted_at(self) -> dt.datetime | None:
        if self.submission:
            return self.submission.submitted_at
        return getattr(self.report, "signed_at", None)

    @property
    def first_submitted_at(self) -> dt.datetime | None:
        if self.submission:
            return self.submission.first_submitted_at
        return getattr(self.report, "signed_at", None)

    @property
    def entered_by(self) -> str:
        return person_name(self.submission.last_entered_by if self.submission else None)

    @property
    def on_behalf(self) -> bool:
        return bool(self.submission and self.submission.entered_on_behalf)


@dataclass
class BoardSummary:
    """Counts over the subordinate units (the issuing unit's own figures are not counted)."""

    total: int = 0
    reported: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    late_units: list[str] = field(default_factory=list)
    missing_units: list[str] = field(default_factory=list)


@dataclass
class StatusBoard:
    plan: Plan
    rows: list[BoardRow]
    summary: BoardSummary
    now: dt.datetime
    units_word: str = "chi, đảng bộ"  # how the recipients are called together, from their kinds


def status_board(*, plan: Plan, now: dt.datetime | None = None) -> StatusBoard:
    """Every unit assigned to `plan` with its status and timeliness, and the counts.

    A fixed number of queries whatever the number of units: the assigned units, the plan's
    submissions (timeliness computed in SQL), the plans relaying it and the consolidated reports
    answering it (a district answers its province's plan with a report, not a submission).
    """
    now = now or timezone.now()
    issuer_id = plan.issuing_body.unit_id
    units = plan_recipients(plan)
    submissions = {
        s.unit_id: s
        for s in with_timeliness(
            Submission.objects.filter(plan=plan)
            .select_related("last_entered_by")
            .only(*BOARD_SUBMISSION_FIELDS),
            plan, now,
        )
    }
    relays = {p.issuing_body.unit_id: p for p in Plan.objects.filter(relays=plan).select_related("issuing_body")}
    reports = _reports_answering(plan)
    rows: list[BoardRow] = []
    for unit in units:
        sub = submissions.pop(unit.pk, None)
        rows.append(_row(plan, unit, sub, now, is_own=unit.pk == issuer_id, relay=relays.get(unit.pk),
                         report=reports.get(unit.pk)))
    # Submissions of units no longer assigned (moved or dissolved since) are still shown, at the end
    # (one more query, only when there are such submissions).
    if submissions:
        others = Unit.objects.filter(pk__in=submissions).select_related("kind").order_by("path")
        for unit in others:
            sub = submissions[unit.pk]
            rows.append(_row(plan, unit, sub, now, is_own=unit.pk == issuer_id))
    status_labels = {code: str(label) for code, label in STATUS_LABELS.items()}
    timeliness_labels = {code: str(label) for code, label in TIMELINESS_LABELS.items()}
    for row in rows:
        row.status_label = status_labels[row.status]
        row.timeliness_label = timeliness_labels[row.timeliness]
    words = units_collective_words([u for u in units if u.pk != issuer_id])
    return StatusBoard(plan=plan, rows=rows, summary=summarize(rows), now=now,
                       **({"units_word": words[1]} if words else {}))


def _reports_answering(plan: Plan) -> dict[int, object]:
    """The consolidated reports answering `plan`, by unit (one query; see `answers`)."""
    return {r.unit_id: r for r in answering_reports(plan_ids=[plan.pk])}


def _row(plan: Plan, unit: Unit, sub: Submission | None, now: dt.datetime, *, is_own: bool,
         relay: Plan | None = None, report=None) -> BoardRow:
    if sub is not None:
        return BoardRow(unit, sub, sub.status, sub.timeliness_code, is_own, relay, report)
    if report is not None:
        signed = report.status == "signed"
        receipt = getattr(report, "receipt_status", None)  # the upper level's step on it (documents finder)
        status = (REPORT_RECEIVED if receipt == "accept" else REPORT_RETURNED if receipt == "return"
                  else REPORT_SIGNED) if signed else REPORT_IN_PROGRESS
        timeliness = timeliness_of(plan=plan, first_submitted_at=report.signed_at if signed else None, now=now)
        return BoardRow(unit, None, status, timeliness, is_own, relay, report)
    timeliness = timeliness_of(plan=plan, first_submitted_at=None, now=now)
    return BoardRow(unit, None, RELAYED if relay is not None else NOT_STARTED, timeliness, is_own, relay, None)


def summarize(rows: list[BoardRow]) -> BoardSummary:
    """Counts by status and timeliness over the subordinate rows, in one pass."""
    summary = BoardSummary()
    for row in rows:
        if row.is_own:
            continue
        summary.total += 1
        summary.by_status[row.status] = summary.by_status.get(row.status, 0) + 1
        if row.status in REPORTED_STATUSES:
            summary.reported += 1
        if row.timeliness == Submission.Timeliness.ON_TIME:
            summary.on_time += 1
        elif row.timeliness == Submission.Timeliness.LATE:
            summary.late += 1
            summary.late_units.append(row.unit_name)
        elif row.timeliness == Submission.Timeliness.MISSING:
            summary.missing += 1
            summary.missing_units.append(row.unit_name)
        else:
            summary.pending += 1
    return summary


def fold(text: str) -> str:
    """Text for searching: lower case, without Vietnamese accents ("Khun Há" and "khun ha" match)."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def filter_rows(rows: list[BoardRow], *, status: str = "", timeliness: str = "", q: str = "") -> list[BoardRow]:
    """The rows matching the board's filters (empty filter = all); `q` searches the unit's name and code."""
    words = fold(q).split()
    return [
        row for row in rows
        if (not status or row.status == status) and (not timeliness or row.timeliness == timeliness)
        and (not words or all(w in fold(f"{row.unit_name} {row.unit.name} {row.unit.code}") for w in words))
    ]


# ----------------------------------------------------------------------------------------------
# Home pages and "my open requests"
# ----------------------------------------------------------------------------------------------


@dataclass
class OpenRequest:
    """A plan the user's unit must still report on (nothing sent yet, a draft, or returned)."""

    plan: Plan
    unit: Unit
    submission: Submission | None
    timeliness: str

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_overdue(self) -> bool:
        return self.timeliness == Submission.Timeliness.MISSING

    @property
    def days_left(self) -> int:
        return (self.plan.deadline - timezone.localdate()).days


def open_requests_for_user(*, user, today: dt.date | None = None) -> list[OpenRequest]:
    """The plans the user's unit must still report on, soonest deadline first (two queries).

    Plans whose deadline passed more than OPEN_GRACE_DAYS ago are no longer "open" (they stay on the
    plan list and its status board as "Chưa báo cáo").
    """
    staff = get_staff(user)
    if staff is None or not (staff.is_entry or staff.is_reviewer):
        return []
    unit = staff.unit
    today = today or timezone.localdate()
    plans = list(plans_assigning_unit(unit).filter(deadline__gte=today - dt.timedelta(days=OPEN_GRACE_DAYS),
                                                   issued_on__lte=today))
    if not plans:
        return []
    subs = {
        s.plan_id: s
        for s in Submission.objects.filter(unit=unit, plan__in=plans).select_related("last_entered_by")
    }
    now = timezone.now()
    result = []
    for plan in plans:
        sub = subs.get(plan.pk)
        if sub is not None and sub.status in REPORTED_STATUSES:
            continue
        first = sub.first_submitted_at if sub else None
        result.append(OpenRequest(plan, unit, sub, timeliness_of(plan=plan, first_submitted_at=first, now=now)))
    return result


def own_request_for_plan(*, user, plan: Plan) -> OpenRequest | None:
    """Where the user's own unit stands on `plan` (None when the plan does not ask it to report)."""
    staff = get_staff(user)
    if staff is None or not (staff.is_entry or staff.is_reviewer):
        return None
    if not plan_assigned_units(plan).filter(pk=staff.unit_id).exists():
        return None
    sub = Submission.objects.filter(plan=plan, unit_id=staff.unit_id).first()
    first = sub.first_submitted_at if sub else None
    return OpenRequest(plan, staff.unit, sub, timeliness_of(plan=plan, first_submitted_at=first))


def returned_submissions_for_user(*, user) -> QuerySet[Submission]:
    """Submissions of the user's own unit that were returned for fixing, oldest first."""
    qs = Submission.objects.restrict(user, "enter").filter(status=Submission.Status.RETURNED)
    staff = get_staff(user)
    if staff is not None:
        qs = qs.filter(unit=staff.unit)
    return qs.select_related("plan__issuing_body", "unit").order_by("updated_at")


def submissions_waiting_review(*, user) -> QuerySet[Submission]:
    """Submitted reports the user may review, on plans issued by their unit (or above it), oldest first."""
    staff = get_staff(user)
    qs = Submission.objects.restrict(user, "review").filter(status=Submission.Status.SUBMITTED)
    if staff is not None:
        # A district reviewer reviews the plans of their own unit, not the communes' own plans below.
        qs = qs.filter(plan__issuing_body__unit=staff.unit)
    return qs.select_related("plan", "unit", "last_entered_by").order_by("submitted_at", "pk")


@dataclass
class PlanProgress:
    """How far an open plan is: reported / assigned and which units are still missing."""

    plan: Plan
    summary: BoardSummary
    not_reported: list[str]


def open_plans_progress(*, user, today: dt.date | None = None, limit: int = 5) -> list[PlanProgress]:
    """The reviewer's open plans (deadline not long past) with the units that have not reported.

    Queries grow with the number of open plans (bounded by `limit`), never with the number of units.
    """
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return []
    today = today or timezone.localdate()
    plans = (
        Plan.objects.restrict(user, "review")
        .filter(issuing_body__unit=staff.unit, deadline__gte=today - dt.timedelta(days=OPEN_GRACE_DAYS),
                issued_on__lte=today)
        .select_related("issuing_body__unit")
        .order_by("deadline", "pk")[:limit]
    )
    result = []
    for plan in plans:
        board = status_board(plan=plan)
        waiting = [row.unit_name for row in board.rows if not row.is_own and row.status not in REPORTED_STATUSES]
        result.append(PlanProgress(plan, board.summary, waiting))
    return result


def submission_counts_by_plan(plans: list[Plan]) -> dict[int, dict[str, int]]:
    """For each plan: how many submissions of subordinate units by status (one query; own unit left out)."""
    counts: dict[int, dict[str, int]] = {p.pk: {} for p in plans}
    rows = (
        Submission.objects.filter(plan__in=plans)
        .exclude(unit=F("plan__issuing_body__unit"))
        .values("plan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["plan_id"]][row["status"]] = row["n"]
    return counts


def reported_filter() -> Q:
    return Q(status__in=REPORTED_STATUSES)


def submissions_after(unit_ids: list[int], on) -> list[str]:
    """Submissions of these units for plans whose tree is on or after `on` (for `units.activity`)."""
    qs = (Submission.objects.filter(unit_id__in=unit_ids, **{f"plan__{Plan.HIERARCHY_DATE_FIELD}__gte": on})
          .select_related("plan").order_by("plan__issued_on", "unit_name"))
    return [_("Báo cáo của %(unit)s theo %(ref)s (ngày %(date)s, %(status)s)")
            % {"unit": s.unit_name, "ref": s.plan.reference, "date": format_date_short(s.plan.issued_on),
               "status": s.get_status_display()} for s in qs]


# ------------------------------------------------------------------------------------------------
# The marks of a submission's section tabs
# ------------------------------------------------------------------------------------------------

MARK_DONE, MARK_EMPTY, MARK_ERROR, MARK_WARNING = "done", "empty", "error", "warning"
MARK_TEXTS = {MARK_DONE: _("đã nhập"), MARK_EMPTY: _("chưa nhập"), MARK_ERROR: _("có lỗi"),
              MARK_WARNING: _("cần xem lại")}


@dataclass
class SectionMark:
    """What a section tab shows: done, empty, error (a rule refuses the stored figures) or warning (a warning
    nobody confirmed), with the messages behind it."""

    state: str
    messages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return str(MARK_TEXTS[self.state])

    @property
    def title(self) -> str:
        return " ".join(self.messages[:3]) + (" …" if len(self.messages) > 3 else "")


def filled_sections(submission: Submission) -> set[int]:
    """Ids of the sections where the submission holds at least one figure, text or row (one query)."""
    values = SubmissionValue.objects.filter(submission=submission).filter(
        Q(number__isnull=False) | ~Q(text="")).order_by().values_list("indicator__section_id", flat=True)
    rows = SubmissionRow.objects.filter(submission=submission).order_by().values_list(
        "indicator__section_id", flat=True)
    return set(values.union(rows))


def confirmed_warnings(submission: Submission) -> set[str]:
    """The warning messages an officer confirmed when saving (every CONFIRM event's lines; one query)."""
    return {line for reason in submission.events.filter(action=SubmissionEvent.Action.CONFIRM)
            .values_list("reason", flat=True) for line in reason.splitlines() if line.strip()}


def section_marks(*, submission: Submission, sections: list) -> dict[int, SectionMark]:
    """The mark of every section of `submission` by section id, from the figures stored now.

    The one validator (`validation.stored_issues`: every rule over every stored figure and list) decides
    errors and warnings; a warning the officer confirmed on saving no longer needs attention. A fixed
    number of queries whatever the number of sections.
    """
    section_of = dict(Indicator.objects.filter(section__in=[s.pk for s in sections]).values_list("code", "section_id"))
    errors, warnings = stored_issues(submission=submission)
    confirmed = confirmed_warnings(submission)
    filled = filled_sections(submission)
    marks = {s.pk: SectionMark(MARK_DONE if s.pk in filled else MARK_EMPTY) for s in sections}
    for state, issues in ((MARK_ERROR, errors),
                          (MARK_WARNING, [w for w in warnings if w.message not in confirmed])):
        for issue in issues:
            mark = marks.get(section_of.get(issue.indicator))
            if mark is None:
                continue
            if mark.state not in (MARK_ERROR, MARK_WARNING) or state == MARK_ERROR and mark.state == MARK_WARNING:
                mark.state, mark.messages = state, []
            if mark.state == state and issue.message not in mark.messages:
                mark.messages.append(issue.message)
    return marks


def units_needing_behalf_source(*, user, targets: list[tuple[Submission | None, Unit]]) -> list[Unit]:
    """The units of `targets` (submission or None, unit) that `user` enters for on their behalf and whose
    submission has no recorded source yet (what `services.behalf_sources_ensure` would refuse); one query."""
    behalf = [(s, u) for s, u in targets if is_on_behalf(user, u)]
    have = set(BehalfSource.objects.filter(submission__in=[s.pk for s, _u in behalf if s is not None])
               .values_list("submission_id", flat=True)) if any(s is not None for s, _u in behalf) else set()
    return [u for s, u in behalf if s is None or s.pk not in have]
