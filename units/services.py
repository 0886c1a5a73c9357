"""Writes to the hierarchy. Every change records a `UnitVersion` period and a `UnitChange`."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from units.models import Unit, UnitChange, UnitKind, UnitVersion


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    short_name: str = "",
    valid_from: dt.date = dt.date(2000, 1, 1),
    user=None,
) -> Unit:
    """Add a unit as the last child of `parent` (or a new root), with its first version."""
    fields = dict(code=code, name=name, short_name=short_name, kind=kind, valid_from=valid_from)
    unit = parent.add_child(**fields) if parent is not None else Unit.add_root(**fields)
    UnitVersion.objects.create(
        unit=unit, name=name, short_name=short_name, kind=kind, parent=parent, valid_from=valid_from
    )
    UnitChange.objects.create(kind=UnitChange.Kind.CREATE, effective=valid_from, unit=unit, created_by=user)
    return unit
