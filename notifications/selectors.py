"""Reads of notifications: a user's own only."""
from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Kind, MailPreference, Notification


def notifications_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mail_kinds_enabled(*, user) -> set[str]:
    off = set(MailPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
    return {kind for kind in Kind.values if kind not in off}
