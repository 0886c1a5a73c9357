"""Home page panel of consolidated reports: for reviewers, the reports their unit has to make."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import register_panel
from core.scoping import get_staff
from reports.documents import selectors


@register_panel(order=40)
def reports_to_make_panel(user):
    """Reviewers: the plans their unit answers with a consolidated report, and where each report stands."""
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return None
    return _panel(user, count_missing=True)


@register_panel(order=110)
def reports_of_unit_panel(user):
    """Leaders who do not review: the same list, read-only, after the signing panel (what they act on first)."""
    staff = get_staff(user)
    if staff is None or staff.is_reviewer or not staff.is_leader:
        return None
    return _panel(user, count_missing=False)


def _panel(user, *, count_missing: bool) -> dict | None:
    items = selectors.plans_to_report_for_user(user=user)[:6]
    if not items:
        return None
    return {
        "title": _("Báo cáo tổng hợp của đơn vị"), "template": "documents/panels/to_make.html",
        "items": items, "link": reverse("documents:list"), "framed": True,
        "count": sum(1 for item in items if item.report is None) if count_missing else 0,
    }
