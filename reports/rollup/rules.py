"""THE roll-up module: how unit figures add up into a district or province report (DESIGN §5).

    rollup(plan=plan_132, unit=tam_duong)               -> Rollup of plan 120-CV/BTGHU (Tam Đường's relay)
    rollup(plan=plan_120, unit=tam_duong, include_submitted=True)

Rules
    * Indicators with ``Indicator.rollup == "sum"`` (events, sessions, attendances, items, minutes) add over
      every submission in the set, the reporting unit's own one included (its district-level conferences).
    * Indicators with ``rollup == "sum_leaves"`` (unique people) add only over LEAF submissions: a submission
      whose unit has no descendant with a submission in the same set. A commune and its village cell both
      reporting count the cell's people once, never the commune's as well.
    * Rates are recomputed from the summed numerator and its ``Indicator.denominator`` with
      ``core.formatting.rate_value`` (one decimal, half up), never averaged — for the totals and per row.
    * The set: submissions of the resolved plan in the unit's subtree that are ACCEPTED (and SUBMITTED ones
      too when ``include_submitted``; those rows are flagged ``unaccepted``).
    * One row per direct subordinate of the unit (deeper submissions add into their subordinate's row), plus
      the unit's own row first when it has its own submission; hierarchy order (materialized path). The
      total of the rows equals the totals. A subordinate with no submission in the set but with a report of
      its own for the plan (a district under a province) contributes that report's snapshot (a signed
      report's when there is one, else the latest).
    * Late / missing: subordinates whose first submission came after the deadline / none by the deadline.
      Below average: subordinates with a rate lower than the unit's rate for the same indicator (compared
      on the rounded rates that are printed).

Hierarchy: the unit's subtree is the one on the plan's hierarchy date (``Plan.hierarchy_date``, read with
``units.selectors.hierarchy_as_of``), so a 2023 roll-up keeps the 2023 tree after the 2025 reorganisation.

Queries: a fixed number (about ten) whatever the number of units: the tree of that day in one query, sums
grouped in the database by (unit, indicator) and added into their subordinate's row in memory.
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date_short, format_percent, rate_value
from reports.plans.models import Indicator, Plan
from reports.plans.selectors import as_it_stood, plan_hierarchy, plan_rolled_up
from reports.submissions.answers import answering_reports
from reports.submissions.models import Submission, SubmissionRow, SubmissionValue
from reports.submissions.timeliness import timeliness
from units.models import Unit, UnitKind
from units.selectors import hierarchy_as_of, lineage_holder

SUMMED = (Indicator.Rollup.SUM, Indicator.Rollup.SUM_LEAVES)

# Row statuses besides Submission.Status: a subordinate known only through its own report, one whose
# figures come from submissions below it, and one with nothing at all.
STATUS_REPORTED = "reported"
STATUS_AGGREGATED = "aggregated"
STATUS_MISSING = "missing"
STATUS_LABELS = {
    **dict(Submission.Status.choices),
    STATUS_REPORTED: _("Đã gửi báo cáo tổng hợp"),
    STATUS_AGGREGATED: _("Tổng hợp từ cấp dưới"),
    STATUS_MISSING: _("Chưa báo cáo"),
}
TIMELINESS_LABELS = dict(Submission.Timeliness.choices)


@dataclass
class UnitRow:
    """One row of the per-unit table: a direct subordinate (or the unit's own figures)."""

    code: str
    name: str  # as it was when the figures were made (the submission's or report's own copy)
    text_name: str  # how running text names it: "xã Khun Há"
    status: str
    timeliness: str
    submitted_at: dt.datetime | None = None
    on_behalf: bool = False
    totals: dict[str, int] = field(default_factory=dict)
    rates: dict[str, Decimal | None] = field(default_factory=dict)
    is_own: bool = False
    included: bool = False  # its figures are in the totals
    unaccepted: bool = False  # included although only submitted (the reviewer chose so)
    source: str = "submission"  # submission | subtree | report | none
    path: str = ""
    kind: str = ""  # UnitKind code ("dang-uy-xa", "chi-bo-co-so" …) when the figures were taken
    reported: list[str] | None = None  # indicator codes with an entered figure (0 included); blank is not zero
    # A subordinate answering with its consolidated report: that document, as the upper report cites it
    # ({"reference": "164-BC/BTGHU", "issued_on": "2023-10-30", "body": "Ban Tuyên giáo Huyện ủy Tam Đường",
    #   "signed": True, "received": "accept" | "return" | None}); empty otherwise.
    document: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def timeliness_label(self) -> str:
        return str(TIMELINESS_LABELS.get(self.timeliness, self.timeliness))


@dataclass
class BelowAverage:
    """A subordinate whose rate is below the unit's for at least one indicator."""

    code: str
    name: str
    text_name: str
    rates: dict[str, Decimal]  # numerator code -> the unit row's rate, only those below
    worst_code: str
    worst_rate: Decimal

    def __str__(self) -> str:
        return f"{self.name} ({format_percent(self.worst_rate)})"


@dataclass
class Rollup:
    """The figures of a consolidated report at one moment (``as_of``)."""

    plan: Plan  # the plan whose submissions are rolled up (120-CV/BTGHU)
    requested_plan: Plan  # the plan asked for (132-HD/BTGTU); the same as `plan` when not relayed
    unit: Unit
    as_of: dt.datetime
    include_submitted: bool
    totals: dict[str, int]
    rates: dict[str, Decimal | None]
    units: list[UnitRow]
    late: list[UnitRow]
    missing: list[UnitRow]
    below_average: list[BelowAverage]
    denominators: dict[str, str]  # numerator code -> denominator code
    own_rows: dict[str, list[dict]] = field(default_factory=dict)  # list indicators of the own submission
    own_texts: dict[str, str] = field(default_factory=dict)  # narrative texts of the own submission
    # Documents the units below entered as issued ("Văn bản đã ban hành"), by unit in hierarchy order:
    # [{"code", "name", "text_name", "rows": [{"number", "date", "title"}, …]}]; cited as footnotes.
    unit_documents: list[dict] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # section codes the plan collects

    @property
    def subordinates(self) -> list[UnitRow]:
        return [row for row in self.units if not row.is_own]

    @property
    def own(self) -> UnitRow | None:
        return next((row for row in self.units if row.is_own), None)

    @property
    def assigned_count(self) -> int:
        return len(self.subordinates)

    @property
    def submitted_count(self) -> int:
        return sum(1 for row in self.subordinates if row.timeliness in ("on_time", "late"))

    @property
    def on_time_count(self) -> int:
        return sum(1 for row in self.subordinates if row.timeliness == "on_time")

    @property
    def included_count(self) -> int:
        return sum(1 for row in self.subordinates if row.included)

    # -- serialisation ---------------------------------------------------------------------------------
    def to_snapshot(self) -> dict:
        """JSON-able dict with everything a report needs later (names as they are now)."""
        return {
            "version": 1,
            "plan": _plan_dict(self.plan),
            "requested_plan": _plan_dict(self.requested_plan),
            "unit": {"code": self.unit.code, "name": self.unit.name, "text_name": self.unit.text_name,
                     "kind": getattr(self.unit, "kind_code_then", self.unit.kind.code),
                     "kind_name": self.unit.kind.name},
            "as_of": timezone.localtime(self.as_of).isoformat(),
            "include_submitted": self.include_submitted,
            "totals": dict(self.totals),
            "rates": _rates_json(self.rates, as_str=True),
            "denominators": dict(self.denominators),
            "units": [_row_json(row, as_str=True) for row in self.units],
            "late": [row.code for row in self.late],
            "missing": [row.code for row in self.missing],
            "below_average": [
                {**asdict(b), "rates": _rates_json(b.rates, as_str=True), "worst_rate": str(b.worst_rate),
                 "text": str(b)}
                for b in self.below_average
            ],
            "counts": {"assigned": self.assigned_count, "submitted": self.submitted_count,
                       "on_time": self.on_time_count, "included": self.included_count},
            "own_rows": self.own_rows,
            "own_texts": self.own_texts,
            "unit_documents": self.unit_documents,
            "sections": list(self.sections),
            "kinds": self.kind_words(),
        }

    def kind_words(self) -> dict[str, dict]:
        """The words of the unit's kind and of its subordinates' kinds (one query)."""
        codes = {getattr(self.unit, "kind_code_then", self.unit.kind.code)} | {r.kind for r in self.units if r.kind}
        return {k.code: k.words() for k in UnitKind.objects.filter(code__in=codes)}

    def to_json(self) -> dict:
        """The public JSON of `manage.py rollup --json` and the JSON URL (numbers as JSON numbers)."""
        return snapshot_to_json(self.to_snapshot())


def snapshot_to_json(snapshot: dict) -> dict:
    """The public JSON shape from a stored snapshot (rates as numbers, late/missing as unit names)."""
    rows = {row["code"]: row for row in snapshot["units"]}

    def number(value):
        return None if value is None else float(Decimal(value))

    return {
        "plan": snapshot["plan"]["reference"],
        "rolled_up_plan": snapshot["plan"]["reference"],
        "requested_plan": snapshot["requested_plan"]["reference"],
        "unit": snapshot["unit"]["code"],
        "unit_name": snapshot["unit"]["name"],
        "as_of": snapshot["as_of"],
        "include_submitted": snapshot["include_submitted"],
        "totals": snapshot["totals"],
        "rates": {code: number(v) for code, v in snapshot["rates"].items()},
        "units": [
            {"code": r["code"], "name": r["name"], "status": r["status"], "timeliness": r["timeliness"],
             "submitted_at": r["submitted_at"], "included": r["included"], "unaccepted": r["unaccepted"],
             "totals": r["totals"], "rates": {c: number(v) for c, v in r["rates"].items()}}
            for r in snapshot["units"] if not r["is_own"]
        ],
        "own": next(
            ({"code": r["code"], "name": r["name"], "status": r["status"], "totals": r["totals"]}
             for r in snapshot["units"] if r["is_own"]), None),
        "late": [rows[code]["name"] for code in snapshot["late"]],
        "missing": [rows[code]["name"] for code in snapshot["missing"]],
        "below_average": [
            {"code": b["code"], "name": b["name"], "text": b["text"],
             "rates": {c: number(v) for c, v in b["rates"].items()}}
            for b in snapshot["below_average"]
        ],
        "counts": snapshot["counts"],
    }


def _plan_dict(plan: Plan) -> dict:
    return {
        "reference": plan.reference, "kind": plan.kind, "kind_label": str(plan.get_kind_display()),
        "number": plan.number, "issued_on": plan.issued_on.isoformat(), "title": plan.title,
        "deadline": plan.deadline.isoformat(), "issuing_body": plan.issuing_body.code,
        "issuing_body_citation": plan.issuing_body.citation_name, "code_suffix": plan.issuing_body.code_suffix,
    }


def _rates_json(rates: dict, as_str: bool) -> dict:
    return {code: (None if v is None else (str(v) if as_str else float(v))) for code, v in rates.items()}


def _row_json(row: UnitRow, as_str: bool) -> dict:
    data = asdict(row)
    data["rates"] = _rates_json(row.rates, as_str)
    data["submitted_at"] = row.submitted_at.isoformat() if row.submitted_at else None
    return data


# -- the computation -----------------------------------------------------------------------------------

def _timeliness(first_submitted_at, deadline: dt.date, now: dt.datetime) -> str:
    return timeliness(deadline=deadline, first_submitted_at=first_submitted_at or None, now=now)


def _rates(totals: dict[str, int], denominators: dict[str, str]) -> dict[str, Decimal | None]:
    return {num: rate_value(totals.get(num, 0), totals.get(den, 0)) for num, den in denominators.items()}


def _leaf_flags(paths: dict[int, str]) -> set[int]:
    """Ids of NON-leaf submissions: those whose unit path is a prefix of another submission's path."""
    ordered = sorted(paths.items(), key=lambda item: item[1])
    nonleaf = set()
    for (sid, path), (_next_id, next_path) in zip(ordered, ordered[1:], strict=False):
        if next_path.startswith(path) and next_path != path:
            nonleaf.add(sid)
    return nonleaf


def rollup(*, plan: Plan, unit: Unit, include_submitted: bool = False, as_of: dt.datetime | None = None) -> Rollup:
    """Roll up `plan` (or `unit`'s relay of it) over `unit`'s subtree. See the module docstring.

    The subtree is the one on the plan's hierarchy date (`Plan.hierarchy_date`), never today's: a
    2023 roll-up keeps its 2023 districts and communes after the 2025 reorganisation.
    """
    requested = plan
    plan = plan_rolled_up(plan=plan, unit=unit)
    now = as_of or timezone.now()
    deadline = plan.deadline
    statuses = [Submission.Status.ACCEPTED] + ([Submission.Status.SUBMITTED] if include_submitted else [])
    tree = plan_hierarchy(plan)
    unit = as_it_stood(copy.copy(unit), tree)

    indicators = list(
        Indicator.objects.filter(section__plans=plan, rollup__in=SUMMED)
        .select_related("denominator").order_by("section__order", "order", "code")
    )
    codes = [i.code for i in indicators]
    leaves_only = {i.code for i in indicators if i.rollup == Indicator.Rollup.SUM_LEAVES}
    sections = list(plan.sections.order_by("order").values_list("code", flat=True))
    denominators = {i.code: i.denominator.code for i in indicators if i.denominator_id}

    # The unit's subtree as it stood then; each unit in it belongs to one row (its branch).
    below = tree.descendant_ids(unit.pk)
    branch = {pk: tree.branch_of(unit.pk, pk) for pk in below}
    branch[unit.pk] = unit.pk
    submissions = [
        s for s in Submission.objects.filter(plan=plan).values(
            "id", "unit_id", "status", "first_submitted_at", "submitted_at", "entered_on_behalf", "unit_name")
        if s["unit_id"] in branch
    ]
    # Own and direct subordinates' submissions, whatever their status (for status and timeliness).
    heads = {s["unit_id"]: s for s in submissions if branch[s["unit_id"]] == s["unit_id"]}
    # The set that adds up; a submission is not a leaf when a unit below it (then) has one in the set too.
    in_set = {s["id"]: s["unit_id"] for s in submissions if s["status"] in statuses}
    in_set_units = set(in_set.values())
    nonleaf_units = {a for pk in in_set_units for a in tree.ancestor_ids(pk) if a in in_set_units}
    set_branches = {branch[pk] for pk in in_set_units}

    sums: dict[int, dict[str, int]] = {}
    values = (
        SubmissionValue.objects.filter(submission_id__in=list(in_set), number__isnull=False,
                                       indicator__rollup__in=SUMMED)
        .values("submission__unit_id", "indicator__code").annotate(total=Sum("number")).order_by()
    ) if in_set else []
    for item in values:
        pk, code = item["submission__unit_id"], item["indicator__code"]
        if code in leaves_only and pk in nonleaf_units:
            continue
        row_sums = sums.setdefault(branch[pk], {})
        row_sums[code] = row_sums.get(code, 0) + int(item["total"] or 0)

    # The rows: direct subordinates then, plus any with a submission (one query for the units).
    child_ids = tree.children_ids(unit.pk)
    child_units = Unit.objects.select_related("kind").in_bulk(child_ids)
    children = [as_it_stood(child_units[pk], tree) for pk in child_ids if pk in child_units]
    # Subordinates known only through their own consolidated report (a district under a province).
    reports = _child_reports(requested=requested, plan=plan, children=children, skip=set_branches)

    rows: list[UnitRow] = []
    own_head = heads.get(unit.pk)
    if own_head is not None or unit.pk in sums:
        included = unit.pk in in_set_units
        rows.append(UnitRow(
            code=unit.code, name=own_head["unit_name"] if own_head else unit.name, text_name=unit.text_name,
            kind=getattr(unit, "kind_code_then", unit.kind.code),
            status=own_head["status"] if own_head else STATUS_AGGREGATED,
            timeliness=_timeliness(own_head and own_head["first_submitted_at"], deadline, now),
            submitted_at=own_head and own_head["submitted_at"],
            on_behalf=bool(own_head and own_head["entered_on_behalf"]),
            totals={c: sums.get(unit.pk, {}).get(c, 0) for c in codes}, is_own=True, included=included,
            reported=sorted(sums.get(unit.pk, {})),
            unaccepted=included and own_head is not None
            and own_head["status"] == Submission.Status.SUBMITTED,
            source="submission", path=unit.path,
        ))
    issuer_id = plan.issuing_body.unit_id
    for child in children:
        head = heads.get(child.pk)
        report = reports.get(child.pk)
        depth = tree.depth_below(issuer_id, child.pk)
        assigned = depth is not None and (plan.scope == Plan.Scope.SUBTREE or depth == 1)
        if not (assigned or head or report or child.pk in set_branches):
            continue  # not asked to report on this plan (e.g. a commune's cells under a district plan)
        row = UnitRow(code=child.code, name=head["unit_name"] if head else child.name, text_name=child.text_name,
                      kind=getattr(child, "kind_code_then", child.kind.code),
                      status=STATUS_MISSING, timeliness=_timeliness(None, deadline, now), path=child.path)
        if child.pk in set_branches:
            row.included = True
            row.totals = {c: sums.get(child.pk, {}).get(c, 0) for c in codes}
            row.reported = sorted(sums.get(child.pk, {}))
            row.source = "submission" if child.pk in in_set_units else "subtree"
        elif report is not None:
            # A subordinate's report counts once it is signed (sent) and received by this level, like an
            # accepted submission; signed but not received yet only when asked (`include_submitted`, marked);
            # a draft or a returned report not at all (issue 18.5).
            snap = report.snapshot or {}
            receipt = getattr(report, "receipt_status", None)
            sent = report.is_signed and receipt != "return"
            row.source = "report"
            row.name = snap.get("unit", {}).get("name", row.name)
            body = getattr(report, "issuing_body", None)
            row.document = {
                "reference": report.reference if report.is_signed else "",
                "issued_on": report.issued_on.isoformat() if report.issued_on else None,
                "body": getattr(body, "name", "") or row.name, "signed": report.is_signed, "received": receipt,
            }
            if sent:
                row.status = STATUS_REPORTED
                row.included = receipt == "accept" or include_submitted
                row.unaccepted = row.included and receipt != "accept"
                moment = report.signed_or_as_of
                if report.issued_on:  # the document's own date is when it was sent up
                    moment = dt.datetime.combine(report.issued_on, dt.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))
                row.submitted_at = moment
                row.timeliness = _timeliness(moment, requested.deadline, now)
            if row.included:
                row.totals = {c: int(snap.get("totals", {}).get(c, 0) or 0) for c in codes}
                row.reported = _reported_in(snap, codes)
        if head is not None:
            row.status = head["status"]
            row.timeliness = _timeliness(head["first_submitted_at"], deadline, now)
            row.submitted_at = head["submitted_at"]
            row.on_behalf = head["entered_on_behalf"]
            row.unaccepted = row.included and head["status"] == Submission.Status.SUBMITTED
        elif row.source == "subtree":
            row.status = STATUS_AGGREGATED
            row.timeliness = Submission.Timeliness.ON_TIME
        rows.append(row)
    for row in rows:
        row.rates = _rates(row.totals, denominators) if row.included else {}

    totals = {c: sum(row.totals.get(c, 0) for row in rows if row.included) for c in codes}
    rates = _rates(totals, denominators)
    subordinates = [row for row in rows if not row.is_own]
    below = []
    for row in subordinates:
        if not row.included:
            continue
        low = {c: r for c, r in row.rates.items() if r is not None and rates.get(c) is not None and r < rates[c]}
        if low:
            worst = min(low, key=lambda c: (low[c], c))
            below.append(BelowAverage(code=row.code, name=row.name, text_name=row.text_name, rates=low,
                                      worst_code=worst, worst_rate=low[worst]))
    below.sort(key=lambda b: (b.worst_rate, b.name))

    own_rows, own_texts = _own_content(plan=plan, own_id=own_head["id"] if own_head else None)
    unit_documents = _documents_below(in_set={sid: pk for sid, pk in in_set.items() if pk != unit.pk})
    return Rollup(
        plan=plan, requested_plan=requested, unit=unit, as_of=now, include_submitted=include_submitted,
        totals=totals, rates=rates, units=rows,
        late=[r for r in subordinates if r.timeliness == Submission.Timeliness.LATE],
        missing=[r for r in subordinates if r.timeliness == Submission.Timeliness.MISSING],
        below_average=below, denominators=denominators, own_rows=own_rows, own_texts=own_texts,
        unit_documents=unit_documents,
        sections=sections,
    )


def _reported_in(snapshot: dict, codes: list[str]) -> list[str]:
    """The codes a subordinate's own report has figures for (every code for a report made before it said)."""
    rows = [r for r in snapshot.get("units", []) if r.get("included")]
    if not rows or any(r.get("reported") is None for r in rows):
        return list(codes)
    return sorted({c for r in rows for c in r["reported"]} & set(codes))


def _child_reports(*, requested: Plan, plan: Plan, children: list[Unit], skip: set[int]) -> dict:
    """Each subordinate's report for the plan (signed first, else the latest), one query."""
    wanted = [c.pk for c in children if c.pk not in skip]
    if not wanted:
        return {}
    found: dict[int, object] = {}
    for report in answering_reports(plan_ids={requested.pk, plan.pk}, unit_ids=wanted):
        current = found.get(report.unit_id)
        if current is None or (report.is_signed and not current.is_signed):
            found[report.unit_id] = report
    return found


def _documents_below(*, in_set: dict[int, int]) -> list[dict]:
    """The documents each unit below entered as issued, in the set that adds up (one query, one for units)."""
    if not in_set:
        return []
    by_submission: dict[int, list[dict]] = {}
    for sid, data in (
        SubmissionRow.objects.filter(submission_id__in=list(in_set), indicator__code="documents.rows")
        .order_by("position").values_list("submission_id", "data")
    ):
        by_submission.setdefault(sid, []).append(data)
    if not by_submission:
        return []
    names = dict(Submission.objects.filter(pk__in=list(by_submission)).values_list("unit_id", "unit_name"))
    units = Unit.objects.in_bulk({in_set[sid] for sid in by_submission})
    out = []
    for sid, rows in by_submission.items():
        unit = units[in_set[sid]]
        out.append({"code": unit.code, "name": names.get(unit.pk) or unit.name, "text_name": unit.text_name,
                    "path": unit.path, "rows": rows})
    return sorted(out, key=lambda d: d["path"])


def _own_content(*, plan: Plan, own_id: int | None) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The list rows (conferences, documents issued) and narrative texts of the unit's own submission."""
    if own_id is None:
        return {}, {}
    rows: dict[str, list[dict]] = {}
    for code, data in (
        SubmissionRow.objects.filter(submission_id=own_id).order_by("indicator__code", "position")
        .values_list("indicator__code", "data")
    ):
        rows.setdefault(code, []).append(data)
    texts = {
        code: text
        for code, text in SubmissionValue.objects.filter(submission_id=own_id, indicator__kind=Indicator.Kind.TEXT)
        .exclude(text="").values_list("indicator__code", "text")
    }
    return rows, texts


# -- comparison with an earlier period ("so với cùng kỳ") ----------------------------------------------

@dataclass
class ComparedRow:
    """One row of the current roll-up beside what its unit and its predecessors reported earlier."""

    code: str
    name: str
    current: dict[str, int]
    earlier: dict[str, int]
    earlier_units: list[str]  # the earlier units whose figures are in `earlier` (predecessors, former cells …)

    def change(self, code: str) -> int:
        return self.current.get(code, 0) - self.earlier.get(code, 0)


@dataclass
class Comparison:
    current: Rollup
    earlier_plan: Plan
    rows: list[ComparedRow]
    totals_earlier: dict[str, int]
    # Earlier figures of units that were inside the compared unit then but are held by no row now: a district
    # dissolved without a successor reported its own conferences (seed 004: Tam Đường's own 05). They count
    # in the same-period totals (which then equal the earlier roll-up) and are shown as a row of their own.
    unattributed: dict[str, int] = field(default_factory=dict)
    unattributed_units: list[str] = field(default_factory=list)

    def to_snapshot(self) -> dict:
        """What a report stores beside its own figures (``snapshot["comparison"]``): the earlier plan as cited,
        its totals and, per current row, the earlier figures and the units they came from (zeros left out)."""
        return {
            "plan": _plan_dict(self.earlier_plan),
            "totals": dict(self.totals_earlier),
            "rows": [{"code": r.code, "earlier": {c: v for c, v in r.earlier.items() if v},
                      "earlier_units": list(r.earlier_units)} for r in self.rows],
            "unattributed": {c: v for c, v in self.unattributed.items() if v},
            "unattributed_units": list(self.unattributed_units),
        }

    def to_json(self) -> dict:
        return {
            "plan": self.current.plan.reference, "earlier_plan": self.earlier_plan.reference,
            "unit": self.current.unit.code, "totals": dict(self.current.totals),
            "totals_earlier": dict(self.totals_earlier),
            "rows": [{"code": r.code, "name": r.name, "current": r.current, "earlier": r.earlier,
                      "earlier_units": r.earlier_units} for r in self.rows],
            "unattributed": dict(self.unattributed), "unattributed_units": list(self.unattributed_units),
        }


def _with_relays(plan: Plan) -> list[Plan]:
    """The plan and every plan relaying it, down the chain (one query per level)."""
    plans, level = [plan], [plan]
    while level:
        level = list(Plan.objects.filter(relays__in=level))
        plans.extend(level)
    return plans


def compare_with_earlier(*, current: Rollup, earlier: Plan) -> Comparison:
    """Each row of `current` beside the accepted figures of `earlier` (and its relays) of the units that
    became it: a commune merged into it, a cell now below it, itself. Lineage: a dissolved unit counts
    in its successor; a unit counts in the row that holds it on the current plan's date. People are
    counted once (leaf submissions only, on the earlier plan's tree), as in the roll-up.
    """
    rows_by_code = {r.code: r for r in current.units}
    codes = list(current.totals)
    leaves_only = set(Indicator.objects.filter(code__in=codes, rollup=Indicator.Rollup.SUM_LEAVES)
                      .values_list("code", flat=True))
    now_tree = hierarchy_as_of(on=current.plan.hierarchy_date)
    then_tree = hierarchy_as_of(on=earlier.hierarchy_date)
    units = {u.pk: u for u in Unit.objects.only("pk", "code", "name", "dissolved_on", "successor_id")}
    row_ids = {units[pk].pk for pk in units if units[pk].code in rows_by_code}

    def row_of(pk: int) -> int | None:
        pk = lineage_holder(units, pk, on=current.plan.hierarchy_date)
        for candidate in [pk, *now_tree.ancestor_ids(pk)]:
            if candidate in row_ids:
                return candidate
        return None

    subs = list(Submission.objects.filter(plan__in=_with_relays(earlier), status=Submission.Status.ACCEPTED)
                .values_list("id", "unit_id"))
    unit_of = dict(subs)
    in_set = set(unit_of.values())
    nonleaf = {a for pk in in_set for a in then_tree.ancestor_ids(pk) if a in in_set}
    earlier_sums: dict[int, dict[str, int]] = {}
    earlier_names: dict[int, set[str]] = {}
    unattributed: dict[str, int] = {}
    unattributed_names: set[str] = set()
    compared = current.unit.pk

    def was_inside(pk: int) -> bool:  # in the compared unit's subtree on the earlier plan's date
        return pk == compared or compared in then_tree.ancestor_ids(pk)
    for item in (SubmissionValue.objects.filter(submission_id__in=list(unit_of), indicator__code__in=codes,
                                                number__isnull=False)
                 .values("submission__unit_id", "indicator__code").annotate(total=Sum("number")).order_by()):
        pk, code = item["submission__unit_id"], item["indicator__code"]
        if code in leaves_only and pk in nonleaf:
            continue
        target = row_of(pk)
        if target is None:
            if was_inside(pk):
                unattributed[code] = unattributed.get(code, 0) + int(item["total"] or 0)
                unattributed_names.add(_named_with_end(units[pk]))
            continue
        sums = earlier_sums.setdefault(target, {})
        sums[code] = sums.get(code, 0) + int(item["total"] or 0)
        earlier_names.setdefault(target, set()).add(units[pk].name)
    rows = []
    for row in current.units:
        pk = next((p for p in row_ids if units[p].code == row.code), None)
        rows.append(ComparedRow(code=row.code, name=row.name, current=dict(row.totals),
                                earlier={c: earlier_sums.get(pk, {}).get(c, 0) for c in codes},
                                earlier_units=sorted(earlier_names.get(pk, set()))))
    totals_earlier = {c: sum(r.earlier.get(c, 0) for r in rows) + unattributed.get(c, 0) for c in codes}
    return Comparison(current=current, earlier_plan=earlier, rows=rows, totals_earlier=totals_earlier,
                      unattributed=unattributed, unattributed_units=sorted(unattributed_names))


def _named_with_end(unit: Unit) -> str:
    """"Huyện ủy Tam Đường (giải thể ngày 01/7/2025)" for a dissolved unit, else its name."""
    if unit.dissolved_on is None:
        return unit.name
    return f"{unit.name} (giải thể ngày {format_date_short(unit.dissolved_on)})"
