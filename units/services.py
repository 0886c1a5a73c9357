"""Writes to the hierarchy. Every change records a `UnitVersion` period and a `UnitChange`.

History model: the `Unit` table is the tree as it stands *today*; `UnitVersion` rows are the periods
of each unit's identity (name, short name, kind, parent) from `valid_from` up to (not including)
`valid_to`. A change effective on day D closes the open version at D and opens a new one from D.

Effective dates (the policy, kept simple and honest):
- a date in the future is refused: the current tree is what holds today, so a change that only
  takes effect later is entered on (or after) its day;
- a date before the start of the unit's open version is refused: history is appended, never
  rewritten in the middle;
- a second change on the same day as the open version's start corrects that version in place.
A dissolved unit never disappears: it stays in the tree with `dissolved_on` (and its `successor`),
and its versions end at the dissolution date.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from units.activity import activity_after
from units.models import IssuingBody, Unit, UnitChange, UnitKind, UnitVersion

FOUNDING_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class NewUnit:
    """What is needed to create a unit in a merge or a split."""

    code: str
    name: str
    kind: UnitKind
    short_name: str = ""


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------


def _fresh(unit: Unit) -> Unit:
    """Reload a unit: treebeard moves rewrite paths in SQL, so instances in memory go stale."""
    return Unit.objects.select_related("kind").get(pk=unit.pk)


def _check_date(on: dt.date) -> None:
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise ValidationError(_("Ngày hiệu lực không hợp lệ."))
    today = timezone.localdate()
    if on > today:
        raise ValidationError(
            _("Ngày hiệu lực %(on)s ở tương lai: chỉ ghi thay đổi đã có hiệu lực (đến hôm nay %(today)s).")
            % {"on": format_date_short(on), "today": format_date_short(today)}
        )


def _check_alive(unit: Unit, on: dt.date) -> None:
    if unit.dissolved_on is not None:
        raise ValidationError(
            _("Đơn vị “%(unit)s” đã giải thể từ ngày %(date)s, không thể thay đổi.")
            % {"unit": unit.name, "date": format_date_short(unit.dissolved_on)}
        )
    if on < unit.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực %(on)s trước ngày thành lập đơn vị “%(unit)s” (%(date)s).")
            % {"on": format_date_short(on), "unit": unit.name, "date": format_date_short(unit.valid_from)}
        )


def _open_version(unit: Unit) -> UnitVersion:
    version = unit.versions.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if version is None:  # a unit made outside the services: give it its first period now
        parent = unit.get_parent()
        version = UnitVersion.objects.create(
            unit=unit, name=unit.name, short_name=unit.short_name, kind=unit.kind, parent=parent,
            valid_from=unit.valid_from,
        )
    return version


def _new_period(unit: Unit, on: dt.date, **changes) -> UnitVersion:
    """Close the unit's open version at `on` and open one from `on` with `changes` applied.

    A change on the very day the open version starts corrects that version in place.
    """
    current = _open_version(unit)
    if on < current.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực %(on)s trước lần thay đổi gần nhất của “%(unit)s” (%(date)s): "
              "lịch sử chỉ được ghi tiếp, không sửa xen vào giữa.")
            % {"on": format_date_short(on), "unit": unit.name, "date": format_date_short(current.valid_from)}
        )
    if on == current.valid_from:
        for name, value in changes.items():
            setattr(current, name, value)
        current.save()
        return current
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    fields = {"name": current.name, "short_name": current.short_name, "kind": current.kind, "parent": current.parent}
    fields.update(changes)
    return UnitVersion.objects.create(unit=unit, valid_from=on, **fields)


def _end_period(unit: Unit, on: dt.date) -> None:
    current = _open_version(unit)
    if on < current.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực %(on)s trước lần thay đổi gần nhất của “%(unit)s” (%(date)s).")
            % {"on": format_date_short(on), "unit": unit.name, "date": format_date_short(current.valid_from)}
        )
    current.valid_to = on
    current.save(update_fields=["valid_to"])


def _record(kind: str, *, unit: Unit, on: dt.date, user, related: Iterable[Unit] = (), note: str = "",
            **details) -> UnitChange:
    change = UnitChange.objects.create(kind=kind, effective=on, unit=unit, created_by=_user_or_none(user),
                                       note=note, details=details)
    related = list(related)
    if related:
        change.related_units.set(related)
    return change


def _check_orphans(units: Iterable[Unit], on: dt.date, keep_activity: bool) -> None:
    """Refuse a change dated before existing activity of `units` (and their subtrees), listing it.

    Plans, submissions and reports dated on or after `on` were made in the tree as it was; a move,
    merge, split or dissolution from `on` would leave them outside the tree of their own date. With
    `keep_activity` the administrator chose to apply it anyway: they stay attached to their unit.
    """
    if keep_activity:
        return
    ids: set[int] = set()
    for unit in units:
        ids.update(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    found = activity_after(unit_ids=ids, on=on)
    if found:
        shown = "; ".join(found[:10]) + (_(" … và %(n)s mục khác") % {"n": len(found) - 10} if len(found) > 10 else "")
        raise ValidationError(
            _("Ngày hiệu lực %(on)s trước hoạt động đã có của các đơn vị bị thay đổi; thay đổi này sẽ làm "
              "%(n)s mục không còn thuộc cây đơn vị của ngày đó: %(items)s. Hãy chọn ngày hiệu lực sau các "
              "hoạt động này, hoặc chọn giữ nguyên các mục này với đơn vị của chúng.")
            % {"on": format_date_short(on), "n": len(found), "items": shown}
        )


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _active_children(unit: Unit) -> list[Unit]:
    return list(unit.get_children().filter(dissolved_on__isnull=True))


def _check_code_free(code: str) -> None:
    if Unit.objects.filter(code=code).exists():
        raise ValidationError(_("Mã đơn vị “%(code)s” đã có.") % {"code": code})


def unit_kinds_load() -> list[UnitKind]:
    """Create or refresh the unit kinds of fixtures/unit_kinds.json (names, levels and text words)."""
    from django.conf import settings

    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "unit_kinds.json").read_text(encoding="utf-8"))
    kinds = []
    for n, row in enumerate(rows):
        kind, _created = UnitKind.objects.update_or_create(
            code=row["code"], defaults={**{k: v for k, v in row.items() if k != "code"}, "sort_order": n})
        kinds.append(kind)
    return kinds


# ----------------------------------------------------------------------------------------------
# the changes
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    short_name: str = "",
    valid_from: dt.date = FOUNDING_DATE,
    user=None,
    note: str = "",
) -> Unit:
    """Add a unit as the last child of `parent` (or a new root), with its first version."""
    _check_code_free(code)
    if parent is not None:
        parent = _fresh(parent)
        if parent.dissolved_on is not None:
            raise ValidationError(
                _("Không thể thêm đơn vị vào “%(unit)s” vì đơn vị này đã giải thể.") % {"unit": parent.name}
            )
    fields = dict(code=code, name=name, short_name=short_name, kind=kind, valid_from=valid_from)
    unit = parent.add_child(**fields) if parent is not None else Unit.add_root(**fields)
    UnitVersion.objects.create(
        unit=unit, name=name, short_name=short_name, kind=kind, parent=parent, valid_from=valid_from
    )
    _record(UnitChange.Kind.CREATE, unit=unit, on=valid_from, user=user, note=note,
            parent=parent.code if parent else None)
    return unit


@transaction.atomic
def unit_rename(
    *, unit: Unit, name: str, on: dt.date, user, short_name: str | None = None, kind: UnitKind | None = None,
    note: str = "",
) -> Unit:
    """Give the unit a new name (and optionally a new short name or kind) from `on`; the code stays."""
    _check_date(on)
    unit = _fresh(unit)
    _check_alive(unit, on)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Tên đơn vị không được để trống."))
    old = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind.code}
    changes = {"name": name}
    if short_name is not None:
        changes["short_name"] = short_name.strip()
    if kind is not None:
        changes["kind"] = kind
    if all(getattr(unit, k) == v for k, v in changes.items()):
        raise ValidationError(_("Tên mới giống tên hiện tại, không có gì thay đổi."))
    _new_period(unit, on, **changes)
    for field_name, value in changes.items():
        setattr(unit, field_name, value)
    unit.save(update_fields=list(changes))
    _record(UnitChange.Kind.RENAME, unit=unit, on=on, user=user, note=note, old=old,
            new={"name": unit.name, "short_name": unit.short_name, "kind": unit.kind.code})
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, on: dt.date, user, note: str = "",
              keep_activity: bool = False) -> Unit:
    """Put the unit (with its whole subtree) under `new_parent` from `on`; the code stays.

    Refused when the unit or its subtree has activity dated on or after `on` (`_check_orphans`).
    """
    _check_date(on)
    unit = _fresh(unit)
    new_parent = _fresh(new_parent)
    _check_alive(unit, on)
    _check_orphans([unit], on, keep_activity)
    if new_parent.dissolved_on is not None:
        raise ValidationError(
            _("Không thể chuyển đến “%(unit)s” vì đơn vị này đã giải thể.") % {"unit": new_parent.name}
        )
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError(
            _("Không thể chuyển “%(unit)s” vào chính nó hoặc một đơn vị trực thuộc nó.") % {"unit": unit.name}
        )
    old_parent = unit.get_parent()
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise ValidationError(
            _("“%(unit)s” đã trực thuộc “%(parent)s”.") % {"unit": unit.name, "parent": new_parent.name}
        )
    _new_period(unit, on, parent=new_parent)
    unit.move(new_parent, "last-child")
    unit = _fresh(unit)
    _record(UnitChange.Kind.MOVE, unit=unit, on=on, user=user, note=note,
            related=[u for u in (old_parent, new_parent) if u is not None],
            old_parent=old_parent.code if old_parent else None, new_parent=new_parent.code)
    return unit


def _dissolve(unit: Unit, *, on: dt.date, successor: Unit | None) -> None:
    _end_period(unit, on)
    Unit.objects.filter(pk=unit.pk).update(dissolved_on=on, successor=successor)


def _move_children(children: Sequence[Unit], target: Unit, *, on: dt.date, user, note: str) -> None:
    # their activity was checked with the unit they leave (`_check_orphans` on its subtree)
    for child in children:
        unit_move(unit=child, new_parent=target, on=on, user=user, note=note, keep_activity=True)


@transaction.atomic
def unit_dissolve(
    *, unit: Unit, on: dt.date, user, successor: Unit | None = None, move_children_to: Unit | None = None,
    note: str = "", keep_activity: bool = False,
) -> Unit:
    """Dissolve the unit from `on`. It stays in the tree (greyed) with its history.

    Its active subordinate units must go somewhere first: pass `move_children_to`, or move them
    beforehand; otherwise the dissolution is refused.
    """
    _check_date(on)
    unit = _fresh(unit)
    _check_alive(unit, on)
    _check_orphans([unit], on, keep_activity)
    children = _active_children(unit)
    if children and move_children_to is None:
        raise ValidationError(
            _("“%(unit)s” còn %(n)s đơn vị trực thuộc đang hoạt động (%(names)s): hãy chuyển hoặc giải thể "
              "các đơn vị này trước, hoặc chọn đơn vị tiếp nhận.")
            % {"unit": unit.name, "n": len(children), "names": ", ".join(c.name for c in children[:5])
               + (" …" if len(children) > 5 else "")}
        )
    if successor is not None and successor.pk == unit.pk:
        raise ValidationError(_("Đơn vị kế thừa không thể là chính đơn vị bị giải thể."))
    if move_children_to is not None:
        _move_children(children, move_children_to, on=on, user=user,
                       note=_("Chuyển khi giải thể “%(unit)s”.") % {"unit": unit.name})
    _dissolve(unit, on=on, successor=successor)
    _record(UnitChange.Kind.DISSOLVE, unit=unit, on=on, user=user, note=note,
            related=[successor] if successor else [], successor=successor.code if successor else None,
            children=[c.code for c in children])
    return _fresh(unit)


@transaction.atomic
def units_merge(
    *,
    sources: Sequence[Unit],
    on: dt.date,
    user,
    target: Unit | None = None,
    new_unit: NewUnit | None = None,
    new_parent: Unit | None = None,
    move_children: bool = True,
    note: str = "",
    keep_activity: bool = False,
) -> Unit:
    """Merge `sources` into one unit from `on`: an existing `target`, or a `new_unit` under `new_parent`.

    The sources are dissolved on `on` with the target as their successor; their active
    subordinate units are moved to the target (`move_children`), otherwise they must have none.
    """
    _check_date(on)
    if (target is None) == (new_unit is None):
        raise ValidationError(_("Hãy chọn một đơn vị có sẵn hoặc khai báo một đơn vị mới để hợp nhất vào."))
    sources = [_fresh(s) for s in sources]
    if not sources:
        raise ValidationError(_("Hãy chọn ít nhất một đơn vị được sáp nhập."))
    if len({s.pk for s in sources}) != len(sources):
        raise ValidationError(_("Một đơn vị được chọn hai lần."))
    for source in sources:
        _check_alive(source, on)
    _check_orphans(sources, on, keep_activity)
    if target is not None:
        target = _fresh(target)
        _check_alive(target, on)
        if any(s.pk == target.pk for s in sources):
            raise ValidationError(_("Đơn vị tiếp nhận không thể đồng thời là đơn vị bị sáp nhập."))
        if any(target.path.startswith(s.path) for s in sources):
            raise ValidationError(_("Đơn vị tiếp nhận không thể trực thuộc một đơn vị bị sáp nhập."))
    else:
        if new_parent is None:
            parents = {s.get_parent().pk if s.get_parent() else None for s in sources}
            if len(parents) != 1 or None in parents:
                raise ValidationError(_("Các đơn vị không cùng cấp trên: hãy chọn cấp trên cho đơn vị mới."))
            new_parent = sources[0].get_parent()
        if any(_fresh(new_parent).path.startswith(s.path) for s in sources):
            raise ValidationError(_("Cấp trên của đơn vị mới không thể là một đơn vị bị sáp nhập."))
        target = unit_create(code=new_unit.code, name=new_unit.name, kind=new_unit.kind, parent=new_parent,
                             short_name=new_unit.short_name, valid_from=on, user=user,
                             note=_("Thành lập do hợp nhất."))
    for source in sources:
        children = _active_children(source)
        if children and not move_children:
            raise ValidationError(
                _("“%(unit)s” còn đơn vị trực thuộc đang hoạt động.") % {"unit": source.name}
            )
        _move_children(children, target, on=on, user=user,
                       note=_("Chuyển khi sáp nhập “%(unit)s”.") % {"unit": source.name})
        _dissolve(_fresh(source), on=on, successor=target)
        _record(UnitChange.Kind.MERGE, unit=source, on=on, user=user, note=note, related=[target],
                successor=target.code, children=[c.code for c in children])
    _record(UnitChange.Kind.MERGE, unit=target, on=on, user=user, note=note, related=sources,
            merged=[s.code for s in sources])
    return _fresh(target)


@transaction.atomic
def unit_split(
    *,
    source: Unit,
    parts: Sequence[NewUnit],
    on: dt.date,
    user,
    parent: Unit | None = None,
    children: dict[str, str] | None = None,
    note: str = "",
    keep_activity: bool = False,
) -> list[Unit]:
    """Split `source` into new units (under `parent`, by default the source's parent) from `on`.

    `children` maps the code of each active subordinate unit of the source to the code of the
    part it goes to; every one must be assigned. The source is dissolved on `on`.
    """
    _check_date(on)
    source = _fresh(source)
    _check_alive(source, on)
    _check_orphans([source], on, keep_activity)
    if len(parts) < 2:
        raise ValidationError(_("Chia tách cần ít nhất hai đơn vị mới."))
    codes = [p.code for p in parts]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Các đơn vị mới phải có mã khác nhau."))
    for code in codes:
        _check_code_free(code)
    parent = parent or source.get_parent()
    if parent is None:
        raise ValidationError(_("Hãy chọn cấp trên cho các đơn vị mới."))
    parent = _fresh(parent)
    if parent.path.startswith(source.path):
        raise ValidationError(_("Cấp trên của các đơn vị mới không thể là đơn vị bị chia tách."))
    children = children or {}
    active = _active_children(source)
    missing = [c.name for c in active if c.code not in children]
    if missing:
        raise ValidationError(
            _("Chưa chọn đơn vị tiếp nhận cho: %(names)s.") % {"names": ", ".join(missing)}
        )
    unknown = [target for target in children.values() if target not in codes]
    if unknown:
        raise ValidationError(_("Mã đơn vị mới không có trong danh sách: %(codes)s.") % {"codes": ", ".join(unknown)})
    new_units = {}
    for part in parts:
        new_units[part.code] = unit_create(
            code=part.code, name=part.name, kind=part.kind, parent=parent, short_name=part.short_name,
            valid_from=on, user=user, note=_("Thành lập do chia tách “%(unit)s”.") % {"unit": source.name},
        )
    for child in active:
        unit_move(unit=child, new_parent=new_units[children[child.code]], on=on, user=user, keep_activity=True,
                  note=_("Chuyển khi chia tách “%(unit)s”.") % {"unit": source.name})
    _dissolve(source, on=on, successor=None)
    source.split_into.set(new_units.values())  # the lineage: the parts read the source's history
    _record(UnitChange.Kind.SPLIT, unit=source, on=on, user=user, note=note, related=list(new_units.values()),
            parts=codes)
    return [_fresh(u) for u in new_units.values()]


@transaction.atomic
def units_import(*, plan, user=None) -> dict[str, int]:
    """Apply a checked `units.transfer.ImportPlan`, each change with its date, through the services above:
    renames, then creates, splits and moves as soon as the units they need exist (parents first, no unit
    ever put below itself), then the new periods of issuing bodies, merges (rows with a `successor`, grouped
    by successor and date), dissolutions and the ends of issuing bodies.

    Each step runs in its own savepoint, so one conflict does not hide the next: every conflict is collected
    with its row ("Dòng 4: …") and, if there is any, the whole import is rolled back (a `ValidationError`
    listing them all). All or nothing.
    """
    conflicts: list[tuple[int, str]] = []  # (first row, message): listed in the file's order
    note = _("Nhập từ tệp.")

    def step(numbers: Sequence[int], action) -> None:
        try:
            with transaction.atomic():
                action()
        except ValidationError as exc:
            conflicts.append((min(numbers), _("%(where)s: %(message)s") % {"where": plan.where(*numbers),
                                                                            "message": " ".join(exc.messages)}))

    def unit(code: str) -> Unit | None:
        return Unit.objects.select_related("kind").filter(code=code).first() if code else None

    for p in plan.renames:
        step([p.number], lambda p=p: unit_rename(unit=unit(p.code), name=p.name, short_name=p.short_name, kind=p.kind,
                                                 on=p.valid_from, user=user, note=note))
    creates, splits, moves = list(plan.creates), list(plan.splits), list(plan.moves)
    progress = True
    while progress and (creates or splits or moves):
        progress = False
        for p in [p for p in creates if not p.parent_code or unit(p.parent_code)]:
            creates.remove(p)
            progress = True
            step([p.number], lambda p=p: unit_create(
                code=p.code, name=p.name, kind=p.kind, parent=unit(p.parent_code), short_name=p.short_name or "",
                valid_from=p.valid_from, user=user, note=note))
        for p in [p for p in splits if unit(p.parts[0].parent_code)]:
            splits.remove(p)
            progress = True
            step([p.number, *(part.number for part in p.parts)], lambda p=p: unit_split(
                source=unit(p.code), on=p.dissolved_on, user=user, parent=unit(p.parts[0].parent_code),
                parts=[NewUnit(part.code, part.name, part.kind, part.short_name or "") for part in p.parts],
                children=p.children, note=note))
        for p in list(moves):
            here, target = unit(p.code), unit(p.parent_code)
            if here is None or target is None or target.path.startswith(here.path):
                continue  # its new parent is made later, or still below it: the other changes go first
            moves.remove(p)
            progress = True
            step([p.number], lambda p=p, here=here, target=target: unit_move(
                unit=here, new_parent=target, on=p.valid_from, user=user, note=note))
    for p in creates + splits + moves:
        parent = p.parts[0].parent_code if p.parts else p.parent_code
        conflicts.append((p.number, _("%(where)s: không áp dụng được vì đơn vị cấp trên “%(parent)s” không có sau "
                                      "các thay đổi khác của tệp (xem các xung đột khác) hoặc vì vòng lặp cấp trên.")
                          % {"where": plan.where(p.number), "parent": parent}))
    for b in (b for b in plan.bodies if not b.end):
        step([b.number], lambda b=b: issuing_body_succeed(
            body=_body_or_error(b.predecessor_code), on=b.on, code=b.code, user=user,
            **b.changes, **({"unit": unit(b.unit_code)} if b.unit_code else {})))
    merges: dict[tuple[str, dt.date], list] = {}
    for p in plan.dissolves:  # after the moves: the file moved their subordinate units away first
        if p.successor_code:
            merges.setdefault((p.successor_code, p.dissolved_on), []).append(p)
        else:
            step([p.number], lambda p=p: unit_dissolve(unit=unit(p.code), on=p.dissolved_on, user=user, note=note))
    for (successor, on), rows in merges.items():
        step([p.number for p in rows], lambda rows=rows, successor=successor, on=on: units_merge(
            sources=[unit(p.code) for p in rows], target=_unit_or_error(unit(successor), successor), on=on,
            user=user, move_children=False, note=note))
    for b in (b for b in plan.bodies if b.end):
        step([b.number], lambda b=b: issuing_body_end(body=_body_or_error(b.code), on=b.on, user=user))
    if conflicts:
        raise ValidationError([message for _n, message in sorted(conflicts, key=lambda c: c[0])])
    return {"created": len(plan.creates), "renamed": len(plan.renames), "moved": len(plan.moves),
            "dissolved": len(plan.dissolves), "split": len(plan.splits), "bodies": len(plan.bodies),
            "unchanged": plan.unchanged}


def _unit_or_error(found: Unit | None, code: str) -> Unit:
    if found is None:
        raise ValidationError(_("Không có đơn vị “%(code)s” (xem các xung đột khác).") % {"code": code})
    return found


def _body_or_error(code: str) -> IssuingBody:
    body = IssuingBody.objects.filter(code=code).first()
    if body is None:
        raise ValidationError(_("Không có cơ quan ban hành “%(code)s” (xem các xung đột khác).") % {"code": code})
    return body


def units_import_try(*, plan, user=None) -> list[str]:
    """Apply `plan` and roll it back: every conflict the services find, each with its row (empty when the
    file would apply). The dry run of a reorganisation file: the very same checks as the real import
    (dates, subordinate units left behind, activity it would orphan, issuing body periods), nothing kept.
    """
    try:
        with transaction.atomic():
            units_import(plan=plan, user=user)
            transaction.set_rollback(True)
    except ValidationError as exc:
        return list(exc.messages)
    return []


# ----------------------------------------------------------------------------------------------
# issuing bodies: one row per period
# ----------------------------------------------------------------------------------------------

BODY_FIELDS = ("unit", "name", "citation_name", "superior_line", "own_line", "board_line", "place_name",
               "code_suffix", "signer_authority", "signer_title", "signer_name", "signer_user", "recipients",
               "is_default")


@transaction.atomic
def issuing_body_succeed(*, body: IssuingBody, on: dt.date, code: str, user=None, **changes) -> IssuingBody:
    """From `on`, `body` speaks under new values (name, header lines, place, suffix, signer, recipients).

    The old row ends the day before `on` and keeps what it was: plans, reports and register entries made
    under it print its values and keep their numbers ("132-HD/BTGTU" stays). The new row (code `code`)
    starts on `on` with the old values and `changes`, and is its successor.
    """
    _check_date(on)
    body = IssuingBody.objects.select_for_update().get(pk=body.pk)
    if body.valid_to is not None:
        raise ValidationError(
            _("Cơ quan ban hành “%(body)s” đã hết hiệu lực từ ngày %(date)s.")
            % {"body": body.name, "date": format_date_short(body.valid_to)})
    if on <= body.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực %(on)s phải sau ngày bắt đầu của “%(body)s” (%(date)s).")
            % {"on": format_date_short(on), "body": body.name, "date": format_date_short(body.valid_from)})
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise ValidationError(_("Không có trường: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if IssuingBody.objects.filter(code=code).exists():
        raise ValidationError(_("Mã cơ quan ban hành “%(code)s” đã có.") % {"code": code})
    fields = {name: getattr(body, name) for name in BODY_FIELDS}
    fields.update(changes)
    body.valid_to = on
    body.save(update_fields=["valid_to"])
    successor = IssuingBody.objects.create(code=code, valid_from=on, predecessor=body, **fields)
    _record(UnitChange.Kind.RENAME, unit=successor.unit, on=on, user=user,
            note=_("Cơ quan ban hành “%(old)s” → “%(new)s”.") % {"old": body.name, "new": successor.name},
            issuing_body={"old": body.code, "new": successor.code, "old_suffix": body.code_suffix,
                          "new_suffix": successor.code_suffix})
    return successor


@transaction.atomic
def issuing_body_end(*, body: IssuingBody, on: dt.date, user=None) -> IssuingBody:
    """The body issues nothing from `on` (its unit dissolved, its board merged away); its documents stay."""
    _check_date(on)
    body = IssuingBody.objects.select_for_update().get(pk=body.pk)
    if body.valid_to is not None and body.valid_to <= on:
        return body
    if on <= body.valid_from:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu của cơ quan ban hành."))
    body.valid_to = on
    body.save(update_fields=["valid_to"])
    return body
