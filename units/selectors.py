"""Reads of the hierarchy: subtrees, the tree as of a date, unit lookups scoped to a user."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from units.models import Unit, UnitVersion


def unit_get_for_user(*, user, code: str, action: str = "view") -> Unit:
    """The unit with this code if the user may act on it, else 404 (never a hint that it exists)."""
    return get_object_or_404(Unit.objects.restrict(user, action).select_related("kind"), code=code)


def unit_subtree(*, unit: Unit, include_self: bool = True):
    """The unit's subtree in hierarchy order, in one query."""
    return Unit.objects.subtree(unit, include_self=include_self).select_related("kind")


def unit_tree_for_user(*, user):
    """The units the user may see, in hierarchy order, each with its number of staff."""
    return (
        Unit.objects.restrict(user, "view")
        .select_related("kind")
        .annotate(staff_count=Count("staff", distinct=True))
        .order_by("path")
    )


@dataclass
class UnitAsOf:
    """A unit as it stood on a given date (name, kind and parent from its version then)."""

    unit_id: int
    code: str
    name: str
    short_name: str
    kind_id: int
    parent_id: int | None
    children: list["UnitAsOf"] = field(default_factory=list)


def units_as_of(*, on: dt.date, root: Unit | None = None) -> list[UnitAsOf]:
    """The tree as it stood on `on` (one query), as a list of roots with their children.

    Built from `UnitVersion`, not from the current tree, so a unit moved or dissolved since then
    appears where and as it was.
    """
    versions = (
        UnitVersion.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("unit")
        .order_by("unit__path")
    )
    nodes = {
        v.unit_id: UnitAsOf(v.unit_id, v.unit.code, v.name, v.short_name, v.kind_id, v.parent_id)
        for v in versions
    }
    roots: list[UnitAsOf] = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots.append(node)
    if root is not None:
        start = nodes.get(root.pk)
        return [start] if start else []
    return roots
