"""Home panel for leaders and reviewers: consolidated reports waiting for approval or signature."""
from __future__ import annotations

from django.utils.translation import gettext as _

from core.home import register_panel
from core.scoping import get_staff
from reports.signing.selectors import drafts_waiting_for, reports_waiting_for


@register_panel
def reports_waiting_panel(user):
    staff = get_staff(user)
    if staff is None or not (staff.is_leader or staff.is_reviewer or staff.is_clerk):
        return None
    reports = list(reports_waiting_for(user=user))
    drafts = list(drafts_waiting_for(user=user))
    if not reports and not drafts and not (staff.is_leader or staff.is_clerk):
        return None
    return {
        "title": _("Văn bản chờ cấp số") if staff.is_clerk and not staff.is_leader else _("Báo cáo chờ duyệt, ký"),
        "template": "signing/home_panel.html",
        "reports": reports,
        "drafts": drafts,
        "is_leader": staff.is_leader,
    }
