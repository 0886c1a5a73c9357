"""Demo step: the notifications of the seeded history (2023 events) were read long ago."""
from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from notifications.models import Notification


def seed_notifications(stdout=None) -> None:
    old = timezone.now() - dt.timedelta(days=30)
    n = Notification.objects.filter(created_at__lt=old, read_at__isnull=True).update(
        read_at=F("created_at"), mail_state=Notification.MailState.NONE)
    if stdout is not None:
        stdout.write(f"Thông báo cũ đánh dấu đã đọc: {n}\n")
