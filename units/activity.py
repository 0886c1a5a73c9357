"""What already happened in a unit's name after a date: the apps above register finders here (in their
AppConfig.ready()), so that a reorganisation dated before existing activity can list what it would orphan.

    activity_after(unit_ids=[khun_ha.pk], on=date(2023, 9, 1))
    -> ["Báo cáo của Đảng ủy xã Khun Há theo 120-CV/BTGHU (20/9/2023, Đã tiếp nhận)", ...]
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

# finder(unit_ids, on) -> descriptions of records dated on or after `on` that belong to those units
ActivityFinder = Callable[[list[int], dt.date], list[str]]
_FINDERS: list[ActivityFinder] = []


def activity_finder_register(finder: ActivityFinder) -> ActivityFinder:
    if finder not in _FINDERS:
        _FINDERS.append(finder)
    return finder


def activity_after(*, unit_ids: Iterable[int], on: dt.date) -> list[str]:
    ids = sorted(set(unit_ids))
    found: list[str] = []
    for finder in _FINDERS:
        found.extend(finder(ids, on))
    return found
