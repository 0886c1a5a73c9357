"""Reads of consolidated reports, the roll-up JSON and the plan dashboard, always scoped to the user."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.scoping import get_staff
from reports.documents.models import Report, ReportReceipt
from reports.plans.models import Indicator, Plan
from reports.plans.selectors import plan_resolve_for_unit, plans_with_reference_for_unit
from reports.rollup.rules import Comparison, Rollup, compare_with_earlier, rollup
from reports.submissions.timeliness import Timeliness, timeliness
from units.models import Unit


def report_for(*, plan_reference: str, unit_code: str) -> Report | None:
    """The report of unit `unit_code` answering (or rolling up) the plan `plan_reference`, if there is one.

    The reference is looked up among the plans the unit sends or answers (references repeat across bodies).
    A signed report wins over a later unsigned one. Not scoped: for services and commands.
    """
    unit = Unit.objects.filter(code=unit_code.strip()).first()
    plan = plan_resolve_for_unit(reference=plan_reference, unit=unit) if unit is not None else None
    if plan is None:
        return None
    return report_for_plan(plan=plan, unit=unit)


def report_for_plan(*, plan: Plan, unit: Unit) -> Report | None:
    """The unit's report answering or rolling up `plan` (a signed one first). Not scoped."""
    qs = (
        Report.objects.filter(unit=unit, replaced_by__isnull=True).filter(Q(plan=plan) | Q(source_plan=plan))
        .select_related("plan", "source_plan", "unit", "issuing_body")
    )
    reports = list(qs.order_by("-updated_at"))
    return next((r for r in reports if r.is_signed), reports[0] if reports else None)


def report_for_user(*, user, plan: Plan, unit: Unit) -> Report | None:
    """The unit's report answering or rolling up `plan`, if the user may see it."""
    report = report_for_plan(plan=plan, unit=unit)
    if report is None or not Report.objects.restrict(user, "view").filter(pk=report.pk).exists():
        return None
    return report


def report_list_for_user(*, user) -> QuerySet[Report]:
    """Reports of the units the user may see, newest first."""
    return (
        Report.objects.restrict(user, "view")
        .select_related("plan", "source_plan", "unit", "issuing_body")
        .order_by("-updated_at")
    )


def report_get_for_user(*, user, pk: int, action: str = "view") -> Report:
    """One report within the user's scope for `action` (404 otherwise)."""
    return get_object_or_404(
        Report.objects.restrict(user, action).select_related(
            "plan__issuing_body", "source_plan__issuing_body", "unit__kind", "issuing_body"),
        pk=pk,
    )


# How a report owed to the upper level is marked (the one timeliness rule; "missing" reads "overdue" here).
OWED_LABELS = {
    Timeliness.ON_TIME: _("Gửi đúng hạn"), Timeliness.LATE: _("Gửi chậm"),
    Timeliness.MISSING: _("Quá hạn, chưa gửi"), Timeliness.PENDING: _("Chưa đến hạn"),
}
OWED_CSS = {Timeliness.ON_TIME: "text-bg-success", Timeliness.LATE: "text-bg-warning",
            Timeliness.MISSING: "text-bg-danger", Timeliness.PENDING: "text-bg-secondary"}


@dataclass
class OwedReport:
    """A report the unit owes the upper level: the plan it answers, its report, deadline and timeliness.

    `plan` is the unit's own plan (its relay, whose dashboard shows the figures) or the plan from above;
    `answers` the upper level's plan whose deadline counts. A report is sent when it is signed (issued).
    """

    plan: Plan
    answers: Plan
    report: Report | None
    timeliness: str = ""

    @property
    def deadline(self):
        return self.answers.deadline

    @property
    def sent_at(self):
        return self.report.signed_at if self.report is not None and self.report.is_signed else None

    @property
    def timeliness_label(self) -> str:
        return str(OWED_LABELS.get(self.timeliness, ""))

    @property
    def timeliness_css(self) -> str:
        return OWED_CSS.get(self.timeliness, "text-bg-secondary")


def owed_report(*, plan: Plan, answers: Plan, report: Report | None, now=None) -> OwedReport:
    """The report owed on `answers` with its timeliness by the one rule (sent = signed)."""
    owed = OwedReport(plan=plan, answers=answers, report=report)
    owed.timeliness = timeliness(deadline=answers.deadline, first_submitted_at=owed.sent_at, now=now)
    return owed


def owed_upward(*, plan: Plan, unit: Unit) -> Plan | None:
    """The upper level's plan that `unit` answers with a report when looking at `plan`, or None.

    Its relay → the plan relayed; a plan from above → that plan; the unit's own plan relaying nothing: none.
    """
    if plan.issuing_body.unit_id == unit.pk:
        return plan.relays
    return plan


def owed_for_report(*, report: Report, now=None) -> OwedReport | None:
    """A report's standing with the upper level (None when it answers its own unit's plan)."""
    if report.plan.issuing_body.unit_id == report.unit_id:
        return None
    return owed_report(plan=report.source_plan, answers=report.plan, report=report, now=now)


def owed_for_plan(*, plan: Plan, unit: Unit, report: Report | None, now=None) -> OwedReport | None:
    """What `unit` owes the upper level for `plan` (its relay or the plan from above), or None."""
    answers = owed_upward(plan=plan, unit=unit)
    if answers is None:
        return None
    return owed_report(plan=plan, answers=answers, report=report, now=now)


def plans_to_report_for_user(*, user, now=None) -> list[OwedReport]:
    """For a reviewer or leader: plans their unit answers (issued above and relayed, or its own), with its report
    and whether it was sent to the upper level on time, late, or is overdue."""
    staff = get_staff(user)
    if staff is None or not (staff.is_reviewer or staff.is_leader):
        return []
    unit = staff.unit
    plans = Plan.objects.restrict(user, "view")
    own_plans = list(
        plans.filter(issuing_body__unit=unit).select_related("relays__issuing_body", "issuing_body")
        .order_by("-issued_on")
    )
    reports = {r.plan_id: r for r in Report.objects.restrict(user, "view").filter(unit=unit)}
    seen, out = set(), []
    for plan in own_plans:
        answers = plan.relays or plan
        if answers.pk in seen:
            continue
        seen.add(answers.pk)
        out.append(owed_report(plan=plan, answers=answers, report=reports.get(answers.pk), now=now))
    # Plans issued above with SUBTREE/DIRECT scope that the unit answers without a relay of its own.
    # A parent's relay of a plan from higher up (251-CV relaying 168-HD) is answered by the unit's submission;
    # the report answering the higher plan is the parent's, so such relays are left out.
    parent_path = unit.parent_path
    if parent_path:
        for plan in (
            plans.filter(issuing_body__unit__path=parent_path, relays__isnull=True)
            .exclude(relayed_by__issuing_body__unit=unit)
            .select_related("issuing_body").order_by("-issued_on")
        ):
            if plan.pk not in seen:
                seen.add(plan.pk)
                out.append(owed_report(plan=plan, answers=plan, report=reports.get(plan.pk), now=now))
    return out


def rollup_for_user(*, user, plan_reference: str, unit_code: str, include_submitted: bool = False) -> Rollup:
    """The roll-up of a unit in the user's subtree for a plan the user may see (404 otherwise)."""
    unit = get_object_or_404(Unit.objects.restrict(user, "view").select_related("kind"), code=unit_code.strip())
    visible = Plan.objects.restrict(user, "view").values("pk")
    plan = plans_with_reference_for_unit(reference=plan_reference, unit=unit).filter(pk__in=visible).first()
    if plan is None:
        raise Http404
    return rollup(plan=plan, unit=unit, include_submitted=include_submitted)


def dashboard_for_user(*, user, plan_pk: int, unit_code: str | None = None) -> tuple[Plan, Unit, Rollup, dict]:
    """The plan dashboard: the roll-up (submitted ones included, to show progress) and the chart data."""
    plan = get_object_or_404(Plan.objects.restrict(user, "view").select_related("issuing_body__unit"), pk=plan_pk)
    staff = get_staff(user)
    if unit_code:
        unit = get_object_or_404(Unit.objects.restrict(user, "view").select_related("kind"), code=unit_code)
    elif staff is not None:
        unit = staff.unit
    else:
        unit = plan.issuing_body.unit
    unit = get_object_or_404(Unit.objects.restrict(user, "view").select_related("kind"), pk=unit.pk)
    result = rollup(plan=plan, unit=unit, include_submitted=True)
    return plan, unit, result, chart_data(result)


def earlier_plans_for_user(*, user, plan: Plan) -> list[Plan]:
    """The plans a comparison "so với cùng kỳ" may take: the plans the user may see that were issued before
    `plan` (before the plan it relays), as asked at the top (not their relays, which `compare_with_earlier`
    adds in): the same topic first, then those collecting the same sections, each the most recent first."""
    root = plan.root_plan
    candidates = list(
        Plan.objects.restrict(user, "view").filter(issued_on__lt=root.issued_on, relays__isnull=True)
        .exclude(pk=root.pk).select_related("issuing_body").prefetch_related("sections")
        .order_by("-issued_on", "-number")
    )
    topic = (root.topic or "").strip().casefold()
    sections = set(root.sections.values_list("pk", flat=True))

    def rank(p: Plan) -> tuple[bool, bool]:
        same_topic = bool(topic) and (p.topic or "").strip().casefold() == topic
        return not same_topic, {s.pk for s in p.sections.all()} != sections

    return sorted(candidates, key=rank)  # stable: the most recent first within a rank


def earlier_plan_for_user(*, user, plan: Plan, pk) -> Plan | None:
    """The earlier plan `pk` if it is one of `earlier_plans_for_user` (the comparison page's and the report
    option's one list), else None: a later plan, a relay or a plan the user may not see is never taken."""
    return next((p for p in earlier_plans_for_user(user=user, plan=plan) if str(p.pk) == str(pk).strip()), None)


@dataclass
class ComparisonPage:
    plan: Plan
    unit: Unit
    comparison: Comparison | None
    candidates: list[Plan]
    indicators: list[tuple[str, str]]  # (code, label) of the indicators shown

    def _cells(self, current: dict, earlier: dict) -> list[tuple[int, int, int]]:
        return [(current.get(c, 0), earlier.get(c, 0), current.get(c, 0) - earlier.get(c, 0))
                for c, _label in self.indicators]

    @property
    def table(self) -> list[dict]:
        """Per row of the current tree: name, the earlier units added in, (now, earlier, change) per indicator."""
        if self.comparison is None:
            return []
        own = {r.code for r in self.comparison.current.units if r.is_own}
        return [{"code": r.code, "name": r.name, "is_own": r.code in own, "earlier_units": r.earlier_units,
                 "cells": self._cells(r.current, r.earlier)} for r in self.comparison.rows]

    @property
    def unattributed(self) -> dict | None:
        """The row of earlier figures no current unit holds (a unit dissolved without a successor), if any."""
        if self.comparison is None or not self.comparison.unattributed_units:
            return None
        return {"units": self.comparison.unattributed_units, "cells": self._cells({}, self.comparison.unattributed)}

    @property
    def totals(self) -> list[tuple[int, int, int]]:
        if self.comparison is None:
            return []
        return self._cells(self.comparison.current.totals, self.comparison.totals_earlier)


def comparison_for_user(*, user, plan_pk: int, unit_code: str | None = None,
                        earlier_pk: str | None = None) -> ComparisonPage:
    """The dashboard's roll-up (same scope: 404 outside the user's subtree) beside an earlier plan's accepted
    figures, predecessors added into their successors. `earlier_pk` must be one of the candidates (else 404);
    without it the first candidate (same topic, most recent)."""
    plan, unit, result, _charts = dashboard_for_user(user=user, plan_pk=plan_pk, unit_code=unit_code)
    candidates = earlier_plans_for_user(user=user, plan=plan)
    earlier = None
    if earlier_pk:
        earlier = next((p for p in candidates if str(p.pk) == str(earlier_pk).strip()), None)
        if earlier is None:
            raise Http404
    elif candidates:
        earlier = candidates[0]
    comparison = compare_with_earlier(current=result, earlier=earlier) if earlier is not None else None
    indicators: list[tuple[str, str]] = []
    if comparison is not None:
        shown = {c for c, v in result.totals.items() if v} | {c for c, v in comparison.totals_earlier.items() if v}
        indicators = [(i.code, i.label) for i in Indicator.objects.filter(code__in=shown).select_related("section")]
    return ComparisonPage(plan=plan, unit=unit, comparison=comparison, candidates=candidates, indicators=indicators)


def chart_data(result: Rollup) -> dict:
    """Per-unit rates against the unit's overall rate, per rate indicator (for Chart.js, via json_script)."""
    labels = dict(Indicator.objects.filter(code__in=list(result.denominators)).values_list("code", "label"))
    rows = [r for r in result.subordinates if r.included]
    charts = []
    for code in result.denominators:
        overall = result.rates.get(code)
        if overall is None:
            continue
        charts.append({
            "code": code,
            "label": labels.get(code, code),
            "units": [r.name for r in rows],
            "rates": [float(r.rates[code]) if r.rates.get(code) is not None else None for r in rows],
            "overall": float(overall),
        })
    return {
        "completion": {
            "assigned": result.assigned_count, "submitted": result.submitted_count,
            "on_time": result.on_time_count, "late": len(result.late), "missing": len(result.missing),
            "pending": result.assigned_count - result.submitted_count - len(result.missing),
        },
        "charts": charts,
        # One card per rate indicator, also when no unit has figures yet (the card then says so).
        "rate_cards": [
            {"code": code, "label": labels.get(code, code),
             "rate": None if result.rates.get(code) is None else float(result.rates[code])}
            for code in result.denominators
        ],
    }


def answering_reports(*, plan_ids: set[int], unit_ids: set[int] | None = None) -> list[Report]:
    """The reports of `plan_ids` (of `unit_ids` when given), newest first: the finder that the layers below
    (status board, roll-up) reach through `reports.submissions.answers` (registered by DocumentsConfig.ready)."""
    latest = ReportReceipt.objects.filter(report=OuterRef("pk")).order_by("-at", "-pk")
    qs = (Report.objects.filter(plan_id__in=plan_ids, replaced_by__isnull=True)  # a replaced report no longer counts
          .select_related("issuing_body")
          .annotate(receipt_status=Subquery(latest.values("action")[:1]),
                    received_at=Subquery(latest.values("at")[:1])))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return list(qs.order_by("-updated_at"))


def signed_reports(*, plan_ids: set[int], unit_ids: set[int] | None = None) -> list[Report]:
    """The SIGNED reports answering or rolling up `plan_ids` (of `unit_ids` when given): the finder of the
    freeze rule (`reports.submissions.freeze`, registered by DocumentsConfig.ready)."""
    reports = Report.objects.filter(Q(plan_id__in=plan_ids) | Q(source_plan_id__in=plan_ids),
                                    status=Report.Status.SIGNED)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    return list(reports.select_related("unit").only("plan_id", "source_plan_id", "unit_id", "unit__name",
                                                    "signed_at", "include_submitted", "status"))


def receipt_of(report: Report) -> ReportReceipt | None:
    """Where the upper level stands on a signed report: its latest receipt step (None: not received yet)."""
    return report.receipts.select_related("user").order_by("-at", "-pk").first()


def report_chain(report: Report) -> list[Report]:
    """The reports this one replaces, oldest first, then itself (a returned report and its corrections)."""
    chain = [report]
    while chain[0].replaces_id:
        chain.insert(0, Report.objects.select_related("issuing_body").get(pk=chain[0].replaces_id))
    return chain
