"""What a submission's life cycle tells people (in-app notifications, mailed by `send_reminders`).

Called by the services in reports/submissions/services.py after a change, inside their transaction
(so a change rolled back tells nobody); and by `send_reminders` for deadlines and waiting reviews.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_date_short, person_name
from notifications.models import Kind, Notification
from notifications.services import notifications_create, users_with_role
from reports.plans.models import Plan
from reports.plans.selectors import plan_assigned_units
from reports.submissions.models import Submission


def _start_url(plan: Plan, unit) -> str:
    return reverse("submissions:start", kwargs={"plan": plan.pk, "unit": unit.code})


def _others(users: list, actor) -> list:
    return [u for u in users if actor is None or u.pk != actor.pk]


def _reviewers(submission: Submission) -> list:
    return users_with_role(unit_ids=[submission.plan.issuing_body.unit_id], flag="is_reviewer")


def _unit_entry_users(submission: Submission) -> list:
    users = users_with_role(unit_ids=[submission.unit_id], flag="is_entry")
    if submission.last_entered_by_id and submission.last_entered_by.is_active:
        users.append(submission.last_entered_by)  # who typed it, also when on the unit's behalf
    return users


def notify_submitted(submission: Submission, *, actor, at: dt.datetime | None = None) -> None:
    behalf = _(" (cấp trên nhập thay)") if submission.entered_on_behalf else ""
    notifications_create(
        users=_others(_reviewers(submission), actor), kind=Kind.SUBORDINATE_RECEIVED, at=at,
        title=_("%(unit)s đã gửi báo cáo theo %(plan)s") % {"unit": submission.unit_name,
                                                            "plan": submission.plan.reference},
        body=_("Báo cáo chờ đồng chí xem xét, tiếp nhận hoặc trả lại.%(behalf)s") % {"behalf": behalf},
        url=submission.get_absolute_url(),
    )


def notify_accepted(submission: Submission, *, actor, at: dt.datetime | None = None) -> None:
    notifications_create(
        users=_others(_unit_entry_users(submission), actor), kind=Kind.ACCEPTED, at=at,
        title=_("Báo cáo theo %(plan)s đã được tiếp nhận") % {"plan": submission.plan.reference},
        body=_("%(unit)s: số liệu đã được cấp trên tiếp nhận và khóa lại.") % {"unit": submission.unit_name},
        url=submission.get_absolute_url(),
    )


def notify_returned(submission: Submission, *, actor, reason: str) -> None:
    notifications_create(
        users=_others(_unit_entry_users(submission), actor), kind=Kind.RETURNED,
        title=_("Báo cáo theo %(plan)s bị trả lại") % {"plan": submission.plan.reference},
        body=_("Lý do: %(reason)s\nĐề nghị sửa và gửi lại trước ngày %(deadline)s.")
        % {"reason": reason, "deadline": format_date_short(submission.plan.deadline)},
        url=submission.get_absolute_url(),
    )


def remind_units_now(*, plan: Plan, units: list, actor) -> int:
    """The board reminds selected units now (status board), once per day: a unit that answers with a
    submission through its entry staff; a unit that relays the plan (it answers with its consolidated report)
    through its reviewers and leaders, who make and sign that report."""
    today = timezone.localdate()
    sender = person_name(actor)
    relays = {p.issuing_body.unit_id: p for p in Plan.objects.filter(relays=plan, issuing_body__unit__in=units)
              .select_related("issuing_body").order_by("issued_on", "pk")}
    count = 0
    for unit in units:
        relay = relays.get(unit.pk)
        words = {"plan": plan.reference, "deadline": format_date_short(plan.deadline), "sender": sender,
                 "unit": unit.name}
        if relay is None:
            users = users_with_role(unit_ids=[unit.pk], flag="is_entry")
            title = _("Đề nghị gửi báo cáo theo %(plan)s, hạn %(deadline)s") % words
            body = _("Đồng chí %(sender)s nhắc %(unit)s gửi báo cáo.") % words
            url = _start_url(plan, unit)
        else:
            users = (users_with_role(unit_ids=[unit.pk], flag="is_reviewer")
                     + users_with_role(unit_ids=[unit.pk], flag="is_leader"))
            title = _("Đề nghị gửi báo cáo tổng hợp theo %(plan)s, hạn %(deadline)s") % words
            body = (_("Đồng chí %(sender)s nhắc %(unit)s hoàn thành, trình ký và gửi báo cáo tổng hợp (đã triển "
                      "khai bằng %(relay)s).") % {**words, "relay": relay.reference})
            url = reverse("plans:detail", kwargs={"pk": relay.pk})
        count += len(notifications_create(
            users=users, kind=Kind.REMINDER, title=title, body=body, url=url,
            key_of=lambda user, unit=unit: f"remind:{plan.pk}:{unit.pk}:{user.pk}:{today.isoformat()}",
        ))
    return count


# Reminders of the layers above, run for every plan in the reminder window by `reminders_due`:
# hook(*, plan, today, now) -> the notifications it created. The documents app registers the reminders of the
# consolidated reports that units relaying a plan owe the level that issued it (DocumentsConfig.ready).
ReminderHook = Callable[..., list[Notification]]
_reminder_hooks: list[ReminderHook] = []


def reminders_register(hook: ReminderHook) -> ReminderHook:
    """Add a reminder hook (once; registering the same function again does nothing)."""
    if hook not in _reminder_hooks:
        _reminder_hooks.append(hook)
    return hook


def deadline_threshold(days_left: int) -> int | None:
    """The reminder threshold a deadline `days_left` days away falls in (NOTIFY_DEADLINE_DAYS_BEFORE: 7, 3, 1 →
    9 days: None, 5: 7, 2: 3, 0: 1): each threshold's reminder is sent once. None when none applies yet."""
    return next((d for d in sorted(settings.NOTIFY_DEADLINE_DAYS_BEFORE) if days_left <= d), None)


def deadline_when(days_left: int) -> str:
    return _("hôm nay") if days_left == 0 else _("còn %(n)s ngày") % {"n": days_left}


def _not_reported(plan: Plan) -> list:
    """Assigned units without a submitted or accepted submission (units relaying the plan answer by report)."""
    done = set(Submission.objects.filter(plan=plan, status__in=[Submission.Status.SUBMITTED,
                                                                Submission.Status.ACCEPTED])
               .values_list("unit_id", flat=True))
    relaying = set(Plan.objects.filter(relays=plan).values_list("issuing_body__unit_id", flat=True))
    return [u for u in plan_assigned_units(plan) if u.pk not in done and u.pk not in relaying]


def reminders_due(*, today: dt.date | None = None, now: dt.datetime | None = None) -> list[Notification]:
    """Create the reminders that are due now and were never created before; returns them."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    thresholds = sorted(settings.NOTIFY_DEADLINE_DAYS_BEFORE)
    created: list[Notification] = []
    horizon = max(thresholds, default=0)
    plans = Plan.objects.filter(
        issued_on__lte=today, deadline__gte=today - dt.timedelta(days=settings.NOTIFY_OVERDUE_WITHIN_DAYS),
        deadline__lte=today + dt.timedelta(days=horizon),
    ).select_related("issuing_body__unit")
    for plan in plans:
        days_left = (plan.deadline - today).days
        for unit in _not_reported(plan):
            users = users_with_role(unit_ids=[unit.pk], flag="is_entry")
            url = _start_url(plan, unit)
            if days_left >= 0:
                threshold = deadline_threshold(days_left)
                when = deadline_when(days_left)
                created.extend(notifications_create(
                    users=users, kind=Kind.DEADLINE_SOON, url=url,
                    title=_("Hạn gửi báo cáo theo %(plan)s: %(deadline)s (%(when)s)")
                    % {"plan": plan.reference, "deadline": format_date_short(plan.deadline), "when": when},
                    body=_("%(unit)s chưa gửi báo cáo.") % {"unit": unit.name},
                    key_of=lambda user, unit=unit, t=threshold: f"deadline:{plan.pk}:{unit.pk}:{user.pk}:{t}",
                ))
            else:
                created.extend(notifications_create(
                    users=users, kind=Kind.OVERDUE, url=url,
                    title=_("Quá hạn gửi báo cáo theo %(plan)s (hạn %(deadline)s)")
                    % {"plan": plan.reference, "deadline": format_date_short(plan.deadline)},
                    body=_("%(unit)s chưa gửi báo cáo; đề nghị gửi ngay.") % {"unit": unit.name},
                    key_of=lambda user, unit=unit: f"overdue:{plan.pk}:{unit.pk}:{user.pk}",
                ))
        for hook in _reminder_hooks:
            created.extend(hook(plan=plan, today=today, now=now))
    waiting = Submission.objects.filter(
        status=Submission.Status.SUBMITTED,
        submitted_at__lte=now - dt.timedelta(days=settings.NOTIFY_REVIEW_AFTER_DAYS),
    ).select_related("plan__issuing_body", "unit")
    for submission in waiting:
        days = (today - timezone.localdate(submission.submitted_at)).days
        created.extend(notifications_create(
            users=_reviewers(submission), kind=Kind.REVIEW_WAITING, url=submission.get_absolute_url(),
            title=_("Báo cáo của %(unit)s theo %(plan)s chờ tiếp nhận đã %(n)s ngày")
            % {"unit": submission.unit_name, "plan": submission.plan.reference, "n": days},
            body=_("Đề nghị đồng chí xem xét, tiếp nhận hoặc trả lại."),
            key_of=lambda user, s=submission: f"review:{s.pk}:{s.version}:{user.pk}",
        ))
    return created
