"""Reads of the hierarchy: subtrees, the tree as of a date, unit lookups scoped to a user."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import get_staff
from units.models import Unit, UnitChange, UnitKind, UnitVersion


def unit_get_for_user(*, user, code: str, action: str = "view") -> Unit:
    """The unit with this code if the user may act on it, else 404 (never a hint that it exists)."""
    return get_object_or_404(
        Unit.objects.restrict(user, action).select_related("kind", "successor"), code=code
    )


def unit_subtree(*, unit: Unit, include_self: bool = True):
    """The unit's subtree in hierarchy order, in one query."""
    return Unit.objects.subtree(unit, include_self=include_self).select_related("kind")


def unit_tree_for_user(*, user):
    """The units the user may see, in hierarchy order, each with its number of staff (one query)."""
    return (
        Unit.objects.restrict(user, "view")
        .select_related("kind")
        .annotate(staff_count=Count("staff", distinct=True))
        .order_by("path")
    )


@dataclass
class TreeRow:
    """One line of the hierarchy page: a unit with its depth and counts."""

    unit: Unit
    indent: int
    direct: int = 0
    descendants: int = 0


def unit_tree_rows(*, user) -> list[TreeRow]:
    """The user's subtree as rows with counts of active direct subordinates and all active descendants.

    One query for the units (with staff counts); the counts are worked out from the paths in memory,
    so the number of queries does not grow with the number of units.
    """
    units = list(unit_tree_for_user(user=user))
    base_depth = min((u.depth for u in units), default=1)
    rows = {u.path: TreeRow(unit=u, indent=u.depth - base_depth) for u in units}
    for unit in units:
        if unit.dissolved_on is not None:
            continue
        parent_path = unit.parent_path
        if parent_path in rows:
            rows[parent_path].direct += 1
        for ancestor in unit.ancestor_paths():
            if ancestor in rows:
                rows[ancestor].descendants += 1
    return list(rows.values())


def unit_history(*, unit: Unit):
    """The unit's periods (oldest first) and the changes that concern it (newest first)."""
    versions = unit.versions.select_related("parent", "kind").order_by("valid_from")
    changes = (
        UnitChange.objects.filter(Q(unit=unit) | Q(related_units=unit))
        .select_related("unit", "created_by")
        .distinct()
        .order_by("-effective", "-created_at")
    )
    return versions, changes


def unit_children(*, unit: Unit):
    """Direct subordinates (active first, then dissolved) with their staff counts."""
    return unit.get_children().select_related("kind").annotate(staff_count=Count("staff"))


@dataclass
class UnitAsOf:
    """A unit as it stood on a given date (name, kind and parent from its version then)."""

    unit_id: int
    code: str
    name: str
    short_name: str
    kind_id: int
    parent_id: int | None
    kind_name: str = ""
    kind_code: str = ""
    children: list[UnitAsOf] = field(default_factory=list)

    @property
    def descendants(self) -> int:
        return sum(1 + child.descendants for child in self.children)


def units_as_of(*, on: dt.date, root: Unit | None = None) -> list[UnitAsOf]:
    """The tree as it stood on `on` (one query), as a list of roots with their children.

    Built from `UnitVersion`, not from the current tree, so a unit moved or dissolved since then
    appears where and as it was, and a unit made later does not appear. With `root`, the list holds
    that unit as it stood then (empty if it did not exist on that day).
    """
    tree = hierarchy_as_of(on=on)
    if root is not None:
        start = tree.nodes.get(root.pk)
        return [start] if start else []
    roots = (n for n in tree.nodes.values() if n.parent_id not in tree.nodes)
    return sorted(roots, key=lambda n: tree.order[n.unit_id])


@dataclass
class Hierarchy:
    """The whole forest as it stood on one day: who was whose parent, by unit id (see `hierarchy_as_of`).

    Everything computed for a past moment (a plan's recipients, its status board and roll-up, the
    as-of tree page and export) asks this object instead of the current tree (`Unit.path`), so that a
    unit moved, merged or dissolved later is still counted where it stood then.
    """

    on: dt.date
    nodes: dict[int, UnitAsOf]
    order: dict[int, int]  # unit id -> rank in hierarchy order on that day

    def exists(self, unit_id: int) -> bool:
        return unit_id in self.nodes

    def parent_id(self, unit_id: int) -> int | None:
        node = self.nodes.get(unit_id)
        return node.parent_id if node else None

    def children_ids(self, unit_id: int) -> list[int]:
        node = self.nodes.get(unit_id)
        return [c.unit_id for c in node.children] if node else []

    def ancestor_ids(self, unit_id: int) -> list[int]:
        """From the parent up to the root (empty for a root or a unit that did not exist then)."""
        out: list[int] = []
        current = self.parent_id(unit_id)
        while current is not None and current not in out:
            out.append(current)
            current = self.parent_id(current)
        return out

    def descendant_ids(self, unit_id: int) -> list[int]:
        """Every unit below `unit_id` on that day, in hierarchy order (not the unit itself)."""
        out: list[int] = []
        node = self.nodes.get(unit_id)
        stack = list(reversed(node.children)) if node else []
        while stack:
            current = stack.pop()
            out.append(current.unit_id)
            stack.extend(reversed(current.children))
        return out

    def depth_below(self, ancestor_id: int, unit_id: int) -> int | None:
        """1 for a direct subordinate, 2 for one below it …; 0 for the unit itself; None if not below."""
        if ancestor_id == unit_id:
            return 0 if unit_id in self.nodes else None
        ancestors = self.ancestor_ids(unit_id)
        return ancestors.index(ancestor_id) + 1 if ancestor_id in ancestors else None

    def branch_of(self, ancestor_id: int, unit_id: int) -> int | None:
        """The direct subordinate of `ancestor_id` whose subtree holds `unit_id` (itself if direct)."""
        chain = [unit_id, *self.ancestor_ids(unit_id)]
        if ancestor_id not in chain[1:]:
            return None
        return chain[chain.index(ancestor_id) - 1]


def hierarchy_as_of(*, on: dt.date) -> Hierarchy:
    """The forest on `on`, built from `UnitVersion` (one query). THE place for "the tree as of a date"."""
    versions = (
        UnitVersion.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("unit", "kind")
        .order_by("unit__path")
    )
    nodes: dict[int, UnitAsOf] = {}
    for v in versions:
        nodes[v.unit_id] = UnitAsOf(v.unit_id, v.unit.code, v.name, v.short_name, v.kind_id, v.parent_id,
                                    v.kind.name, kind_code=v.kind.code)
    _add_units_without_versions(nodes, on)
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots.append(node)
    # Siblings in the order they were made (a unit moved in later comes after the ones already there),
    # which is the order of the tree on that day; `order` is each unit's rank in a walk of the forest.
    order: dict[int, int] = {}
    stack = sorted(roots, key=lambda n: n.unit_id, reverse=True)
    while stack:
        node = stack.pop()
        order[node.unit_id] = len(order)
        node.children.sort(key=lambda n: n.unit_id)
        stack.extend(reversed(node.children))
    return Hierarchy(on=on, nodes=nodes, order=order)


def _add_units_without_versions(nodes: dict[int, UnitAsOf], on: dt.date) -> None:
    """Units made outside the services (no `UnitVersion` yet) count as they stand in the current tree."""
    bare = list(
        Unit.objects.filter(~Exists(UnitVersion.objects.filter(unit=OuterRef("pk"))))
        .active(on).select_related("kind")
    )
    if not bare:
        return
    parent_paths = {u.parent_path for u in bare if u.depth > 1}
    parents = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    for u in bare:
        parent_id = parents.get(u.parent_path) if u.depth > 1 else None
        nodes[u.pk] = UnitAsOf(u.pk, u.code, u.name, u.short_name, u.kind_id, parent_id, u.kind.name,
                               kind_code=u.kind.code)


@dataclass(frozen=True)
class AncestorPeriod:
    """`ancestor_id` was `distance` levels above the unit from `valid_from` until (not including) `valid_to`."""

    ancestor_id: int
    distance: int
    valid_from: dt.date
    valid_to: dt.date | None

    def holds_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


def unit_ancestry(*, unit: Unit) -> list[AncestorPeriod]:
    """Every unit that was ever above `unit`, with when and how far (one query per level of the tree).

    Built from the versions of the unit and of its parents over time, so a commune that moved from a
    district to the province on 01/7/2025 has the district above it until then and the province after.
    """
    periods: list[AncestorPeriod] = []
    frontier = [(unit.pk, 0, dt.date.min, None)]
    while frontier:
        ids = {pk for pk, *_ in frontier}
        versions: dict[int, list[UnitVersion]] = {}
        for v in UnitVersion.objects.filter(unit_id__in=ids, parent__isnull=False).order_by("valid_from"):
            versions.setdefault(v.unit_id, []).append(v)
        following = []
        for pk, distance, start, end in frontier:
            for v in versions.get(pk, []):
                lo = max(start, v.valid_from)
                hi = v.valid_to if end is None else (end if v.valid_to is None else min(end, v.valid_to))
                if hi is not None and hi <= lo:
                    continue
                periods.append(AncestorPeriod(v.parent_id, distance + 1, lo, hi))
                following.append((v.parent_id, distance + 1, lo, hi))
        frontier = following if len(periods) < 10_000 else []
    return periods


def unit_descendancy(*, unit: Unit) -> list[AncestorPeriod]:
    """Every unit that was ever below `unit`, with when and how far (one query per level of the tree).

    The mirror of `unit_ancestry`: `ancestor_id` holds the descendant's id. Whatever a district's board
    read in 2023 (its communes' submissions) it keeps reading after the communes moved away.
    """
    periods: list[AncestorPeriod] = []
    frontier = [(unit.pk, 0, dt.date.min, None)]
    while frontier:
        by_parent: dict[int, list[UnitVersion]] = {}
        for v in UnitVersion.objects.filter(parent_id__in={pk for pk, *_ in frontier}).order_by("valid_from"):
            by_parent.setdefault(v.parent_id, []).append(v)
        following = []
        for pk, distance, start, end in frontier:
            for v in by_parent.get(pk, []):
                lo = max(start, v.valid_from)
                hi = v.valid_to if end is None else (end if v.valid_to is None else min(end, v.valid_to))
                if hi is not None and hi <= lo:
                    continue
                periods.append(AncestorPeriod(v.unit_id, distance + 1, lo, hi))
                following.append((v.unit_id, distance + 1, lo, hi))
        frontier = following if len(periods) < 100_000 else []
    return periods


def _periods_q(periods: list[AncestorPeriod], *, unit_field: str, date_field: str) -> Q:
    """Rows of the periods' units dated within each period (grouped: one clause per distinct period)."""
    by_period: dict[tuple[dt.date, dt.date | None], set[int]] = {}
    for p in periods:
        by_period.setdefault((p.valid_from, p.valid_to), set()).add(p.ancestor_id)
    q = Q(pk__in=[])
    for (start, end), ids in by_period.items():
        part = Q(**{f"{unit_field}_id__in": sorted(ids)})
        if start != dt.date.min:
            part &= Q(**{f"{date_field}__gte": start})
        if end is not None:
            part &= Q(**{f"{date_field}__lt": end})
        q |= part
    return q


def plans_history_scope_q(*, user, unit_field: str = "issuing_body__unit", date_field: str = "issued_on") -> Q:
    """Plans a user may READ beyond today's tree: issued, on their date, by a unit then above or below
    the user's unit (a commune moved under the province still opens its former district's 2023 plan)."""
    staff = get_staff(user)
    if staff is None:
        return Q(pk__in=[])
    periods = _staff_lineage(staff, "ancestry") + _staff_lineage(staff, "descendancy")
    return _periods_q(periods, unit_field=unit_field, date_field=date_field)


def _staff_lineage(staff, which: str) -> list[AncestorPeriod]:
    """`unit_ancestry` / `unit_descendancy` of the staff's unit, kept on the staff object (one request)."""
    cache = staff.__dict__.setdefault("_lineage_cache", {})
    if which not in cache:
        finder = unit_ancestry if which == "ancestry" else unit_descendancy
        cache[which] = finder(unit=staff.unit)
    return cache[which]


def history_scope_q(*, user, unit_field: str, date_field: str) -> Q:
    """What a user may READ beyond today's subtree: rows (of a unit, about a date) whose unit was in the
    subtree of the user's unit on that date, and rows of the units that the units it holds today carry on
    (`lineage_predecessor_ids`: merged into them, split into them, down the chain).

    `unit_field` names the row's unit ("unit"), `date_field` the date whose tree applies
    ("plan__issued_on": `Plan.HIERARCHY_DATE_FIELD`). A few queries (one per level of the tree; the
    lineage is a subquery). Superusers see everything anyway; nothing for a user without a unit.
    """
    staff = get_staff(user)
    if staff is None:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for level in lineage_predecessor_levels(within=staff.unit):  # subqueries: no query of their own
        q |= Q(**{f"{unit_field}__in": level})
    return q | _periods_q(_staff_lineage(staff, "descendancy"), unit_field=unit_field, date_field=date_field)


@dataclass(frozen=True)
class LineageLink:
    """An ended unit and who carries it on from `dissolved_on`: its `successor` (a merge, a dissolution
    with a successor) or, after a split, the `parts` it was divided into (`Unit.split_into`)."""

    pk: int
    dissolved_on: dt.date
    successor_id: int | None
    parts: tuple[int, ...] = ()

    @property
    def heirs(self) -> tuple[int, ...]:
        return (self.successor_id,) if self.successor_id else self.parts


def lineage_links() -> dict[int, LineageLink]:
    """THE lineage as data: every ended unit that other units carry on, by id (one query)."""
    ended: dict[int, tuple[dt.date, int | None]] = {}
    parts: dict[int, list[int]] = {}
    for pk, dissolved_on, successor_id, part_id in Unit.objects.filter(dissolved_on__isnull=False).values_list(
            "pk", "dissolved_on", "successor_id", "split_into"):
        ended[pk] = (dissolved_on, successor_id)
        if part_id is not None:
            parts.setdefault(pk, []).append(part_id)
    return {pk: LineageLink(pk, dissolved_on, successor_id, tuple(sorted(parts.get(pk, ()))))
            for pk, (dissolved_on, successor_id) in ended.items() if successor_id or pk in parts}


def unit_predecessors(*, unit: Unit):
    """The units `unit` directly carries on (merged into it, or split into it and others), one query."""
    return Unit.objects.filter(Q(successor=unit) | Q(split_into=unit)).distinct().order_by("path")


def lineage_holder(units: dict, pk: int, *, on: dt.date) -> int:
    """The unit that carries `pk`'s figures on `on`: its successor (and theirs, down the chain) while the
    unit was dissolved on or before that day, else itself. `units` maps ids to objects with `dissolved_on`
    and `successor_id` (`lineage_links()`, or units; ids missing from it are taken as not dissolved). THE
    lineage rule: the comparison with an earlier period and the plausibility check of entered figures
    both use it. A split unit has no single holder (its figures cannot be divided among its parts): it
    stays itself here, while its parts read its submissions (`lineage_predecessor_ids`).
    """
    seen: set[int] = set()
    while pk in units and pk not in seen and units[pk].dissolved_on is not None \
            and units[pk].dissolved_on <= on and units[pk].successor_id:
        seen.add(pk)
        pk = units[pk].successor_id
    return pk


def lineage_predecessors(*, unit_ids, on: dt.date) -> dict[int, set[int]]:
    """{unit id: the unit itself and every unit whose figures it carries on `on`} (`lineage_holder`):
    the communes merged into a commune, the units merged into those, … One query."""
    wanted = set(unit_ids)
    out: dict[int, set[int]] = {pk: {pk} for pk in wanted}
    links = lineage_links()
    for pk in links:
        holder = lineage_holder(links, pk, on=on)
        if holder in wanted and holder != pk:
            out[holder].add(pk)
    return out


# How many links of the lineage reading follows up the chain (a merge, then a split of the merged unit, ...).
LINEAGE_READ_LINKS = 3


def _carried_on_by(heirs: Q | QuerySet) -> QuerySet:
    """The ended units whose heirs (`LineageLink.heirs`: the successor, else the split parts) are `heirs`
    (a condition on the heir's fields, or a queryset of unit ids)."""
    if isinstance(heirs, Q):
        on_successor, on_part = (Q(**{f"successor__{k}": v for k, v in heirs.children}),
                                 Q(**{f"split_into__{k}": v for k, v in heirs.children}))
    else:
        on_successor, on_part = Q(successor__in=heirs), Q(split_into__in=heirs)
    return Unit.objects.filter(dissolved_on__isnull=False).filter(on_successor | on_part).values("pk")


def lineage_predecessor_levels(*, within: Unit) -> list[QuerySet]:
    """Subqueries of the units that the units in `within`'s subtree today carry on (`lineage_links`: merged
    into one of them, split into some of them), then the units those carry on, … up to `LINEAGE_READ_LINKS`
    links: the units whose submissions and reports they may READ (writing stays with today's tree)."""
    level = _carried_on_by(Q(path__startswith=within.path))
    levels = [level]
    for _step in range(LINEAGE_READ_LINKS - 1):
        level = _carried_on_by(level)
        levels.append(level)
    return levels


def lineage_predecessor_ids(*, within: Unit) -> set[int]:
    """`lineage_predecessor_levels` as a set of unit ids (one query)."""
    q = Q(pk__in=[])
    for level in lineage_predecessor_levels(within=within):
        q |= Q(pk__in=level)
    return set(Unit.objects.filter(q).values_list("pk", flat=True))


@dataclass
class AsOfRow:
    """One line of the hierarchy page in "as of a date" mode."""

    node: UnitAsOf
    indent: int
    visible: bool  # whether the user may open the unit's page today


def units_as_of_rows_for_user(*, user, on: dt.date) -> list[AsOfRow]:
    """The tree as of `on` below the user's unit (the whole forest for a superuser), flattened."""
    if user.is_superuser:
        start = units_as_of(on=on)
    else:
        staff = get_staff(user)
        start = units_as_of(on=on, root=staff.unit) if staff is not None else []
    visible = set(Unit.objects.restrict(user, "view").values_list("pk", flat=True))
    rows: list[AsOfRow] = []

    def walk(node: UnitAsOf, indent: int) -> None:
        rows.append(AsOfRow(node=node, indent=indent, visible=node.unit_id in visible))
        for child in node.children:
            walk(child, indent + 1)

    for node in start:
        walk(node, 0)
    return rows


def unit_visible(*, user, unit: Unit) -> bool:
    """Whether the unit is in the user's subtree."""
    return Unit.objects.restrict(user, "view").filter(pk=unit.pk).exists()


def units_visible_ids(*, user, units) -> set[int]:
    """The ids of `units` whose page the user may open (one query): a page links only to these, and names
    the others as plain text (a successor reads its predecessor's reports, not its unit page)."""
    ids = [u.pk for u in units if u is not None]
    if not ids:
        return set()
    return set(Unit.objects.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True))


def filter_rows(rows: list, query: str) -> list:
    """Rows whose unit name or code contains `query` (case-insensitive), for the hierarchy page's search."""
    needle = query.strip().casefold()
    if not needle:
        return rows

    def text(row) -> str:
        item = row.unit if hasattr(row, "unit") else row.node
        return f"{item.name} {item.code}".casefold()

    return [row for row in rows if needle in text(row)]


def unit_export_root_for_user(*, user) -> Unit | None:
    """The root of what the user may download: their unit (None = everything, for a superuser)."""
    if user.is_superuser:
        return None
    staff = get_staff(user)
    if staff is None:
        raise Unit.DoesNotExist
    return staff.unit


def collective_words(kinds: list[dict]) -> tuple[str, str, str] | None:
    """How text calls a set of units of these kinds (`UnitKind.words()`, in the kinds' order), all together:
    (with "các", plain, at the start of a line), e.g. ("các chi, đảng bộ", "chi, đảng bộ", "Các chi, đảng bộ
    cơ sở") or ("các đảng ủy xã, phường, đặc khu và các đảng bộ trực thuộc", …). None without words."""
    def distinct(words) -> list[str]:
        return list(dict.fromkeys(w for w in words if w))

    ordered = sorted(kinds, key=lambda k: k.get("sort_order", 0))
    plain = distinct(k.get("collective") for k in ordered)
    heading = distinct(k.get("collective_heading") or k.get("collective") for k in ordered)
    if not plain:
        return None
    return "các " + " và các ".join(plain), " và ".join(plain), "Các " + " và các ".join(heading)


def units_collective_words(units: list[Unit]) -> tuple[str, str, str] | None:
    """`collective_words` for these units, each with the kind it had on the tree's day when known
    (`kind_code_then`, set by `reports.plans.selectors.as_it_stood`); one query."""
    codes = {getattr(u, "kind_code_then", None) or u.kind.code for u in units}
    return collective_words([k.words() for k in UnitKind.objects.filter(code__in=codes)])
