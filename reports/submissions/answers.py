"""The consolidated reports that answer a plan, as the layers below the documents app see them.

A unit that relays a plan answers it with its consolidated report (`documents.Report`), not with a
submission: a district answers its province. The status board (this app) and the roll-up rules
(`reports.rollup`) must see those reports, but the documents app sits above both of them. So the
documents app registers its finder here at start-up (`DocumentsConfig.ready`), and the lower layers
call `answering_reports`; nothing below documents imports it.

A report as returned here has at least: `pk`, `unit_id`, `plan_id`, `status`, `is_signed`, `signed_at`,
`issued_on`, `signed_or_as_of`, `snapshot` (the roll-up it froze).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# finder(*, plan_ids, unit_ids=None) -> the reports of those plans (of those units), newest first.
ReportFinder = Callable[..., list[Any]]
_finder: ReportFinder | None = None


def answering_reports_register(finder: ReportFinder) -> ReportFinder:
    """Set the function that finds consolidated reports (the documents app's, at start-up)."""
    global _finder
    _finder = finder
    return finder


def answering_reports(*, plan_ids: Iterable[int], unit_ids: Iterable[int] | None = None) -> list[Any]:
    """The consolidated reports of `plan_ids` (of `unit_ids` when given), newest first; [] when none registered."""
    if _finder is None:
        return []
    return _finder(plan_ids=set(plan_ids), unit_ids=None if unit_ids is None else set(unit_ids))
