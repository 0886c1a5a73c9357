"""Reminders of the consolidated reports owed upward: a unit that relays a plan answers it with its report.

A district relaying its province's plan to its communes answers the province with its own consolidated
report, not with a submission, so the submission reminders (`reports.submissions.notices.reminders_due`) skip
it. This hook, registered there by `DocumentsConfig.ready`, reminds its reviewers and leaders of the same
deadline instead: coming (NOTIFY_DEADLINE_DAYS_BEFORE, each threshold once) and overdue (once). Whether the
report is still owed is THE owed-report rule (`selectors.owed_report`: sent = signed, timed by the one
timeliness rule), so nothing is sent for a report already signed and sent, received or returned. Each
reminder has a unique key, so two `send_reminders` runs at once still send it once.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from notifications.models import Kind, Notification
from notifications.services import notifications_create, users_with_role
from reports.documents.models import Report
from reports.documents.selectors import owed_report
from reports.plans.models import Plan
from reports.plans.selectors import plan_assigned_ids
from reports.submissions.notices import deadline_threshold, deadline_when
from reports.submissions.timeliness import Timeliness


def owed_reports_of(*, plan: Plan, now: dt.datetime) -> list:
    """The reports owed on `plan` by the units it assigns that relay it (`OwedReport`s; a fixed number of
    queries: the assigned units, their relays, their reports)."""
    assigned = set(plan_assigned_ids(plan))
    relays = {p.issuing_body.unit_id: p for p in Plan.objects.filter(relays=plan, issuing_body__unit_id__in=assigned)
              .select_related("issuing_body__unit").order_by("issued_on", "pk")}
    if not relays:
        return []
    reports: dict[int, Report] = {}
    for report in Report.objects.filter(plan=plan, unit_id__in=list(relays), replaced_by__isnull=True).order_by(
            "-updated_at"):
        current = reports.get(report.unit_id)
        if current is None or (report.is_signed and not current.is_signed):
            reports[report.unit_id] = report
    return [owed_report(plan=relay, answers=plan, report=reports.get(unit_id), now=now)
            for unit_id, relay in relays.items()]


def owed_report_reminders(*, plan: Plan, today: dt.date, now: dt.datetime) -> list[Notification]:
    """Remind the reviewers and leaders of every unit relaying `plan` whose report is still owed; returns the
    notifications created now (none twice)."""
    created: list[Notification] = []
    days_left = (plan.deadline - today).days
    if timezone.localdate(now) != today:  # a run for another day (tests, a catch-up): the moment of that day
        now = dt.datetime.combine(today, dt.time(12), tzinfo=timezone.get_current_timezone())
    for owed in owed_reports_of(plan=plan, now=now):
        unit = owed.plan.issuing_body.unit
        if owed.timeliness not in (Timeliness.PENDING, Timeliness.MISSING):
            continue  # signed and sent (on time or late): nothing to remind
        users = (users_with_role(unit_ids=[unit.pk], flag="is_reviewer")
                 + users_with_role(unit_ids=[unit.pk], flag="is_leader"))
        url = (owed.report.get_absolute_url() if owed.report is not None
               else reverse("plans:detail", kwargs={"pk": owed.plan.pk}))
        words = {"plan": plan.reference, "deadline": format_date_short(plan.deadline), "unit": unit.name,
                 "body": plan.issuing_body.name, "relay": owed.plan.reference}
        state = (_("Báo cáo đang soạn, chưa ký gửi.") if owed.report is not None
                 else _("Chưa lập báo cáo tổng hợp."))
        if owed.timeliness == Timeliness.PENDING:
            threshold = deadline_threshold(max(days_left, 0))
            if threshold is None:
                continue
            created.extend(notifications_create(
                users=users, kind=Kind.DEADLINE_SOON, url=url,
                title=_("Hạn gửi báo cáo tổng hợp theo %(plan)s: %(deadline)s (%(when)s)")
                % {**words, "when": deadline_when(max(days_left, 0))},
                body=_("%(unit)s báo cáo %(body)s bằng báo cáo tổng hợp (đã triển khai bằng %(relay)s). ") % words
                + state,
                key_of=lambda user, u=unit, t=threshold: f"report-deadline:{plan.pk}:{u.pk}:{user.pk}:{t}",
            ))
        else:
            created.extend(notifications_create(
                users=users, kind=Kind.OVERDUE, url=url,
                title=_("Quá hạn gửi báo cáo tổng hợp theo %(plan)s (hạn %(deadline)s)") % words,
                body=_("%(unit)s chưa gửi báo cáo tổng hợp lên %(body)s; đề nghị hoàn thành, trình ký và gửi ngay. ")
                % words + state,
                key_of=lambda user, u=unit: f"report-overdue:{plan.pk}:{u.pk}:{user.pk}",
            ))
    return created
