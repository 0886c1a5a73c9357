"""Reads of plans: who must report, which plan a unit answers, plans a user may see, open requests.

    plan_for_unit(reference="132-HD/BTGTU", unit=tam_duong)  -> Plan 120-CV/BTGHU (Tam Đường's relay)
    plan_assigned_units(plan)                                -> the units that must report, in tree order
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from core.scoping import get_staff
from reports.plans.models import Plan, Section
from units.models import IssuingBody, Unit
from units.selectors import Hierarchy, hierarchy_as_of, unit_ancestry

# A plan stays "open" on the home pages for this many days after its deadline (late reports still come in).
OPEN_GRACE_DAYS = 30


def plan_hierarchy(plan: Plan) -> Hierarchy:
    """The tree `plan` is about (as of `Plan.hierarchy_date`), one query."""
    return hierarchy_as_of(on=plan.hierarchy_date)


def plan_assigned_ids(plan: Plan, tree: Hierarchy | None = None) -> list[int]:
    """Ids of the units that must report on `plan`, in hierarchy order (the issuer first with `include_own`).

    Direct subordinates of the issuing unit (or its whole subtree for `Scope.SUBTREE`) in the tree
    as of the plan's hierarchy date, plus the issuing unit itself when `include_own`.
    """
    tree = tree or plan_hierarchy(plan)
    issuer_id = plan.issuing_body.unit_id
    below = (tree.descendant_ids(issuer_id) if plan.scope == Plan.Scope.SUBTREE
             else tree.children_ids(issuer_id))
    ids = ([issuer_id] if plan.include_own else []) + below
    return sorted(ids, key=lambda pk: tree.order.get(pk, ""))


def plan_assigned_units(plan: Plan) -> QuerySet[Unit]:
    """The units that must report on `plan` as a queryset (two queries). See `plan_assigned_ids`."""
    return Unit.objects.filter(pk__in=plan_assigned_ids(plan)).select_related("kind").order_by("path")


def plan_recipients(plan: Plan, tree: Hierarchy | None = None) -> list[Unit]:
    """The units that must report on `plan` in the order of the tree on the plan's date, each carrying
    the name, short name and kind it had then (instances only; nothing is saved)."""
    tree = tree or plan_hierarchy(plan)
    ids = plan_assigned_ids(plan, tree)
    units = Unit.objects.select_related("kind").in_bulk(ids)
    return [as_it_stood(units[pk], tree) for pk in ids if pk in units]


def as_it_stood(unit: Unit, tree: Hierarchy) -> Unit:
    """`unit` with the name and short name it had on the tree's day (when it existed then)."""
    node = tree.nodes.get(unit.pk)
    if node is not None:
        unit.name, unit.short_name = node.name, node.short_name
        unit.kind_code_then = node.kind_code
    return unit


def plan_get_by_reference(*, reference: str, user=None, action: str = "view") -> Plan:
    """The plan with this reference ("132-HD/BTGTU"); with a user, only within their scope (else 404).

    References repeat across issuing bodies and years (every district board has a 120-CV/BTGHU); with a
    user, the plans their own unit sends or answers come first, then the newest.
    """
    qs = Plan.objects.select_related("issuing_body__unit", "relays__issuing_body")
    if user is not None:
        qs = qs.restrict(user, action)
        staff = get_staff(user)
        if staff is not None:
            own = plans_with_reference_for_unit(reference=reference, unit=staff.unit).filter(pk__in=qs.values("pk"))
            plan = own.first()
            if plan is not None:
                return plan
    plan = qs.filter(reference=reference.strip()).order_by("-issued_on", "-pk").first()
    if plan is None:
        raise Http404
    return plan


def plans_with_reference_for_unit(*, reference: str, unit: Unit) -> QuerySet[Plan]:
    """The plans numbered `reference` that `unit` sends (issued by its bodies) or answers (issued above it).

    A reference is unique only within one body's register and period, so "120-CV/BTGHU" asked by a unit of
    Tam Đường is Tam Đường's, never Than Uyên's. Newest first (the same body's number of an earlier year).
    """
    paths = unit.ancestor_paths(include_self=True)
    return (
        Plan.objects.filter(reference=reference.strip(), issuing_body__unit__path__in=paths)
        .select_related("issuing_body__unit", "relays__issuing_body")
        .order_by("-issued_on", "-pk")
    )


def plan_resolve_for_unit(*, reference: str, unit: Unit) -> Plan | None:
    """The plan numbered `reference` among those `unit` sends or answers (the newest when a body reused it)."""
    return plans_with_reference_for_unit(reference=reference, unit=unit).first()


def plan_for_unit(*, reference: str, unit: Unit) -> Plan | None:
    """The plan `unit` answers when asked for the plan `reference`.

    That is the plan itself when it was issued by a body of `unit`; otherwise the plan issued by a
    body of `unit` that relays it (directly, or through a chain of relays). None when `unit` neither
    issued nor relayed it. The reference is looked up among the plans `unit` sends or answers.
    """
    plan = plan_resolve_for_unit(reference=reference, unit=unit)
    if plan is None:
        return None
    return relay_for_unit(plan=plan, unit=unit)


def relay_for_unit(*, plan: Plan, unit: Unit) -> Plan | None:
    """`plan` itself when a body of `unit` issued it, else `unit`'s relay of it (through a chain), else None."""
    if plan.issuing_body.unit_id == unit.pk:
        return plan
    own_plans = Plan.objects.filter(issuing_body__unit=unit).select_related("issuing_body__unit")
    direct = own_plans.filter(relays=plan).order_by("-issued_on", "-pk").first()
    if direct is not None:
        return direct
    # A relay of a relay (e.g. a commune relaying its district's relay of a province plan).
    for candidate in own_plans.filter(relays__isnull=False).order_by("-issued_on", "-pk"):
        up = candidate.relays
        while up is not None:
            if up.pk == plan.pk:
                return candidate
            up = up.relays
    return None


def plan_rolled_up(*, plan: Plan, unit: Unit) -> Plan:
    """The plan whose submissions `unit` rolls up when asked for `plan`: its own relay of it, else `plan`."""
    return relay_for_unit(plan=plan, unit=unit) or plan


def plan_is_assigned(plan: Plan, unit: Unit) -> bool:
    """`unit` must answer `plan`: the plan assigns it, or it already has a submission for it."""
    return plan_assigned_units(plan).filter(pk=unit.pk).exists() or plan.submissions.filter(unit=unit).exists()


def plan_unit_answers(*, reference: str, unit: Unit) -> Plan | None:
    """THE plan `unit` answers (reports on) when asked for the plan `reference`.

    The plan issued by the unit itself or by its nearest ancestor whose relay chain reaches `reference`
    and that assigns the unit: Khun Há asked for 132-HD/BTGTU answers Tam Đường's relay 120-CV/BTGHU; a
    unit simply assigned the plan (a district on a province plan) answers the plan itself. None when the
    unit does not answer it.
    """
    for issuer in [unit, *reversed(list(unit.get_ancestors()))]:
        candidate = plan_for_unit(reference=reference, unit=issuer)
        if candidate is not None and plan_is_assigned(candidate, unit):
            return candidate
    return None


def plan_list_for_user(*, user) -> QuerySet[Plan]:
    """Plans the user may see (issued in their subtree or by an ancestor), newest first."""
    return (
        Plan.objects.restrict(user, "view")
        .select_related("issuing_body__unit", "relays__issuing_body")
        .order_by("-issued_on", "-number")
    )


def plan_detail_for_user(*, user, pk: int) -> Plan:
    """One plan in the user's scope (404 otherwise), with its sections and the relays the user may see."""
    visible = Plan.objects.restrict(user, "view")
    qs = (
        Plan.objects.restrict(user, "view")
        .select_related("issuing_body__unit", "relays__issuing_body")
    ).prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("order", "code")),
        Prefetch("relayed_by", queryset=visible.select_related("issuing_body__unit").order_by("issued_on"),
                 to_attr="visible_relays"),
    )
    plan = get_object_or_404(qs, pk=pk)
    if plan.relays_id and not visible.filter(pk=plan.relays_id).exists():
        plan.visible_parent = None
    else:
        plan.visible_parent = plan.relays
    return plan


def plans_on_board(*, user) -> QuerySet[Plan]:
    """Plans whose status board the user may read: issued in their subtree, for its reviewers and for its
    entry staff (the district officer who phones the units and enters figures on their behalf)."""
    if user.is_superuser:
        return Plan.objects.all()
    staff = get_staff(user)
    if staff is None or not (staff.is_reviewer or staff.is_entry):
        return Plan.objects.none()
    return Plan.objects.filter(issuing_body__unit__path__startswith=staff.unit.path)


def plan_for_board(*, user, pk: int) -> Plan:
    """One plan of `plans_on_board` (404 otherwise)."""
    return get_object_or_404(plans_on_board(user=user).select_related("issuing_body__unit"), pk=pk)


def plan_for_review(*, user, pk: int) -> Plan:
    """A plan whose status board the user may read: issued in a subtree they review (404 otherwise)."""
    return get_object_or_404(Plan.objects.restrict(user, "review").select_related("issuing_body__unit"), pk=pk)


def issuing_bodies_for_user(*, user) -> QuerySet[IssuingBody]:
    """Bodies a reviewer may issue plans under: those of their own unit (all for a superuser)."""
    if user.is_superuser:
        return IssuingBody.objects.valid_on().select_related("unit").order_by("unit__path", "code")
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return IssuingBody.objects.none()
    return (IssuingBody.objects.filter(unit=staff.unit).valid_on().select_related("unit")
            .order_by("-is_default", "code"))


def plans_relayable_by(*, user, plan: Plan) -> bool:
    """Whether the user's unit may relay `plan`: it is issued by an ancestor and the user reviews."""
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return False
    issuer = plan.issuing_body.unit
    unit = staff.unit
    return unit.path.startswith(issuer.path) and unit.pk != issuer.pk


def plans_assigning_unit(unit: Unit) -> QuerySet[Plan]:
    """Plans `unit` must report on (a few queries, one per level of the tree, and no per-plan work).

    A plan assigns `unit` when, in the tree of the plan's hierarchy date (`Plan.hierarchy_date`), it was
    issued by the unit's parent (direct scope), by any ancestor (subtree scope), or by the unit itself
    with `include_own` while it existed. So a commune moved under the province in 2025 still answers its
    district's 2023 plan, and not the province's. Plans the unit relays to its own units are left out:
    it answers those through its relay (its own figures go into the relay with `include_own`, its
    report to the upper level is the consolidated report).
    """
    ancestry = unit_ancestry(unit=unit)
    issuers = {p.ancestor_id for p in ancestry} | {unit.pk}
    relayed_by_unit = Plan.objects.filter(relays=OuterRef("pk"), issuing_body__unit=unit)
    candidates = (
        Plan.objects.filter(issuing_body__unit_id__in=issuers).exclude(Exists(relayed_by_unit))
        .only("pk", "issued_on", "scope", "include_own", "issuing_body__unit_id").select_related("issuing_body")
    )
    alive_until = unit.dissolved_on

    def assigns(plan: Plan) -> bool:
        on = plan.hierarchy_date
        if on < unit.valid_from or (alive_until is not None and on >= alive_until):
            return False
        issuer = plan.issuing_body.unit_id
        if issuer == unit.pk:
            return plan.include_own
        return any(p.ancestor_id == issuer and p.holds_on(on)
                   and (plan.scope == Plan.Scope.SUBTREE or p.distance == 1) for p in ancestry)

    ids = [plan.pk for plan in candidates if assigns(plan)]
    return Plan.objects.filter(pk__in=ids).select_related("issuing_body__unit").order_by("deadline", "pk")


def plans_issued_after(unit_ids: list[int], on) -> list[str]:
    """Plans issued by these units' bodies whose tree is on or after `on` (for `units.activity`)."""
    qs = (Plan.objects.filter(issuing_body__unit_id__in=unit_ids, **{f"{Plan.HIERARCHY_DATE_FIELD}__gte": on})
          .select_related("issuing_body").order_by("issued_on", "pk"))
    return [_("Văn bản %(ref)s của %(body)s (ngày %(date)s)")
            % {"ref": p.reference, "body": p.issuing_body.name, "date": format_date_short(p.issued_on)} for p in qs]
