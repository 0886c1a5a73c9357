"""Home page panels of plans and submissions (registered in core.home; imported by SubmissionsConfig.ready)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import register_panel
from core.scoping import get_staff
from reports.submissions import selectors
from reports.submissions.plan_pages import request_url, submission_url

# How many lines a panel lists before "Xem tất cả".
PANEL_LIMIT = 8


@register_panel(order=20)
def open_requests_panel(user):
    """Entry staff: the plans their unit must still report on, soonest deadline first."""
    staff = get_staff(user)
    if staff is None or not (staff.is_entry or staff.is_reviewer):
        return None
    items = selectors.open_requests_for_user(user=user)
    for item in items:
        item.url = request_url(item.plan.pk, item.unit.code, item.submission.pk if item.submission else None)
    return {
        "title": _("Yêu cầu báo cáo đang mở"), "template": "plans/panels/open_requests.html",
        "items": items[:PANEL_LIMIT], "count": len(items), "link": reverse("plans:my_requests"), "framed": True,
    }


@register_panel(order=25)
def returned_panel(user):
    """Entry staff: their unit's submissions returned for fixing (only when there are some)."""
    staff = get_staff(user)
    if staff is None or not (staff.is_entry or staff.is_reviewer):
        return None
    items = list(selectors.returned_submissions_for_user(user=user)[:PANEL_LIMIT])
    if not items:
        return None
    for sub in items:
        sub.url = submission_url(sub.pk)
    return {"title": _("Báo cáo bị trả lại"), "template": "plans/panels/returned.html", "items": items,
            "count": len(items), "framed": True}


@register_panel(order=30)
def review_queue_panel(user):
    """Reviewers: submissions sent and waiting to be accepted or returned, oldest first."""
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return None
    qs = selectors.submissions_waiting_review(user=user)
    items = list(qs[:PANEL_LIMIT])
    for sub in items:
        sub.url = submission_url(sub.pk)
        sub.timeliness_code = sub.timeliness()
    return {"title": _("Báo cáo chờ tiếp nhận"), "template": "plans/panels/review_queue.html",
            "items": items, "count": qs.count() if len(items) == PANEL_LIMIT else len(items), "framed": True}


@register_panel(order=35)
def missing_units_panel(user):
    """Reviewers: per open plan of their unit, how many have reported and who is still missing."""
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer:
        return None
    items = selectors.open_plans_progress(user=user)
    return {"title": _("Đơn vị chưa báo cáo"), "template": "plans/panels/missing_units.html", "items": items,
            "framed": True}
