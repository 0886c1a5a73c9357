"""Writes of notifications: create (once per reminder key), mark read, mail preferences, the mail outbox."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import person_name
from notifications.models import Kind, MailPreference, Notification

log = logging.getLogger(__name__)


def _mail_wanted(users: list, kind: str) -> set[int]:
    """Ids of the users who get `kind` by e-mail: an address, and not switched off (default on)."""
    off = set(MailPreference.objects.filter(user__in=[u.pk for u in users], kind=kind, enabled=False)
              .values_list("user_id", flat=True))
    return {u.pk for u in users if u.email and u.pk not in off}


def notifications_create(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "",
                         key_of=None, at: dt.datetime | None = None) -> list[Notification]:
    """One notification per user (each user once). With `key_of(user) -> str`, a reminder whose key
    exists already is skipped; two runs racing for the same key: the unique constraint lets one win.
    Returns the notifications created now."""
    users = list({u.pk: u for u in users if u is not None and u.is_active}.values())
    if not users:
        return []
    at = at or timezone.now()
    mail = _mail_wanted(users, kind)
    created = []
    for user in users:
        note = Notification(
            user=user, kind=kind, title=title[:255], body=body, url=url, created_at=at,
            key=key_of(user) if key_of else None,
            mail_state=Notification.MailState.PENDING if user.pk in mail else Notification.MailState.NONE,
        )
        if note.key is None:
            note.save()
            created.append(note)
            continue
        try:
            with transaction.atomic():
                note.save()
        except IntegrityError:
            continue  # sent before, or by a run at the same moment
        created.append(note)
    return created


def notification_mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the user's notifications read (or all with pk=None); returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def mail_preferences_set(*, user, enabled_kinds: Iterable[str]) -> None:
    enabled = set(enabled_kinds)
    for kind in Kind.values:
        MailPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": kind in enabled})


def _subject(note: Notification) -> str:
    return f"[{_('Báo cáo tuyên giáo')}] {note.title}"


def _message(note: Notification, connection) -> EmailMessage:
    link = f"{settings.SITE_URL.rstrip('/')}{note.url}" if note.url else ""
    lines = [_("Kính gửi đồng chí %(name)s,") % {"name": person_name(note.user)}, "",
             note.title]
    if note.body:
        lines += ["", note.body]
    if link:
        lines += ["", _("Xem chi tiết: %(link)s") % {"link": link}]
    lines += ["", _("Thư này do hệ thống báo cáo tuyên giáo gửi tự động. Đồng chí có thể chọn loại thư muốn "
                    "nhận tại mục “Thông báo” → “Chọn thư nhận”.")]
    return EmailMessage(subject=_subject(note), body="\n".join(lines), to=[note.user.email],
                        connection=connection)


def notifications_send_mail(*, now: dt.datetime | None = None) -> int:
    """Send the pending e-mails; returns how many went out.

    Each message is claimed first (pending → sending, one UPDATE that only one run can win), then
    sent, then marked sent. A claim older than NOTIFY_MAIL_CLAIM_MINUTES (a run that died) is
    released; a message the server refused is retried NOTIFY_MAIL_ATTEMPTS times. Messages about
    something older than NOTIFY_MAIL_MAX_AGE_DAYS are not mailed (still in the application).
    """
    now = now or timezone.now()
    State = Notification.MailState
    Notification.objects.filter(
        mail_state=State.SENDING, mail_claimed_at__lt=now - dt.timedelta(minutes=settings.NOTIFY_MAIL_CLAIM_MINUTES)
    ).update(mail_state=State.PENDING)
    Notification.objects.filter(
        mail_state=State.PENDING, created_at__lt=now - dt.timedelta(days=settings.NOTIFY_MAIL_MAX_AGE_DAYS)
    ).update(mail_state=State.NONE)
    pending = list(Notification.objects.filter(mail_state=State.PENDING).order_by("pk").values_list("pk", flat=True))
    if not pending:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        for pk in pending:
            claimed = Notification.objects.filter(pk=pk, mail_state=State.PENDING).update(
                mail_state=State.SENDING, mail_claimed_at=timezone.now(), mail_attempts=F("mail_attempts") + 1)
            if not claimed:
                continue  # another run has it
            note = Notification.objects.select_related("user").get(pk=pk)
            try:
                connection.send_messages([_message(note, connection)])
            except Exception:  # the mail server refused or is unreachable: retry on a later run
                log.exception("mail for notification %s failed", pk)
                retry = note.mail_attempts < settings.NOTIFY_MAIL_ATTEMPTS
                Notification.objects.filter(pk=pk).update(mail_state=State.PENDING if retry else State.FAILED)
                continue
            Notification.objects.filter(pk=pk).update(mail_state=State.SENT, mailed_at=timezone.now())
            sent += 1
    finally:
        connection.close()
    return sent


def users_with_role(*, unit_ids: Iterable[int], flag: str) -> list:
    """Active users working in these units with a role flag (is_entry, is_reviewer, is_leader …)."""
    User = get_user_model()
    return list(User.objects.filter(Q(**{f"staff__{flag}": True}), staff__unit_id__in=list(unit_ids),
                                    is_active=True).select_related("staff"))
