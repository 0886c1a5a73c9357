"""Home panel for leaders and reviewers: consolidated reports waiting for approval or signature."""
from __future__ import annotations

from django.utils.translation import gettext as _

from core.home import register_panel
from core.scoping import get_staff


@register_panel
def reports_waiting_panel(user):
    staff = get_staff(user)
    if staff is None or not (staff.is_leader or staff.is_reviewer):
        return None
    from reports.signing.selectors import reports_waiting_for

    reports = list(reports_waiting_for(user=user))
    if not reports and not staff.is_leader:
        return None
    return {
        "title": _("Báo cáo chờ duyệt, ký"),
        "template": "signing/home_panel.html",
        "reports": reports,
        "is_leader": staff.is_leader,
    }
