"""What the documents app adds to a plan's page (`reports.submissions.plan_pages`, registered by
DocumentsConfig.ready): the dashboard and the consolidated report of the unit that rolls the plan up."""
from __future__ import annotations

from django.urls import reverse

from core.scoping import get_staff
from reports.documents import selectors
from reports.plans.models import Plan


def plan_report_links(user, plan: Plan) -> dict:
    """Reviewers and leaders: the dashboard and the consolidated report of the unit that rolls this plan up.

    That unit is the issuing body's unit when it lies in the user's subtree (a plan issued at or below the
    user's level), otherwise the user's own unit (a plan from above that the unit answers).
    """
    staff = get_staff(user)
    if staff is None or not (staff.is_reviewer or staff.is_leader):
        return {}
    issuer = plan.issuing_body.unit
    unit = issuer if issuer.path.startswith(staff.unit.path) else staff.unit
    query = "" if unit.pk == staff.unit_id else f"?unit={unit.code}"
    return {
        "dashboard_url": reverse("documents:dashboard", kwargs={"plan": plan.pk}) + query,
        "report": selectors.report_for_user(user=user, plan=plan, unit=unit),
        "report_unit": unit,
        "can_make_report": staff.is_reviewer and unit.pk == staff.unit_id,
    }
