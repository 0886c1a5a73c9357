"""Notifications: what happened that a user should know (in the application, and by e-mail if they want).

A notification is created by a service when something happens (a report returned, accepted, waiting
for approval …) or by `manage.py send_reminders` (a deadline coming, a report overdue). Reminders carry
a `key` that is unique: the same reminder is never created twice, also when two runs overlap. The
e-mail of a notification is sent by `send_reminders` (an outbox: `mail_state` pending → sending → sent),
so a slow or unreachable mail server never slows a page down, and a message is claimed by one run only.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DEADLINE_SOON = "deadline_soon", _("Sắp đến hạn gửi báo cáo")
    OVERDUE = "overdue", _("Quá hạn gửi báo cáo")
    REMINDER = "reminder", _("Cấp trên nhắc gửi báo cáo")
    RETURNED = "returned", _("Báo cáo bị trả lại")
    ACCEPTED = "accepted", _("Báo cáo được tiếp nhận")
    SUBORDINATE_RECEIVED = "subordinate_received", _("Đơn vị cấp dưới gửi báo cáo")
    SUBORDINATE_RETURNED = "subordinate_returned", _("Báo cáo của đơn vị cấp dưới bị trả lại")
    REVIEW_WAITING = "review_waiting", _("Báo cáo chờ tiếp nhận quá hạn xử lý")
    TO_APPROVE = "to_approve", _("Báo cáo chờ phê duyệt")
    TO_SIGN = "to_sign", _("Báo cáo chờ ký")
    TO_ISSUE = "to_issue", _("Báo cáo chờ phát hành")


class Notification(models.Model):
    class MailState(models.TextChoices):
        NONE = "none", _("Không gửi thư")
        PENDING = "pending", _("Chờ gửi thư")
        SENDING = "sending", _("Đang gửi thư")
        SENT = "sent", _("Đã gửi thư")
        FAILED = "failed", _("Gửi thư không được")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("người nhận"))
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # Reminders: one per key ever (e.g. "deadline:7:12:5:3" = plan 7, unit 12, user 5, 3 days before).
    key = models.CharField(_("khóa nhắc"), max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("lúc"), db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    mail_state = models.CharField(_("thư điện tử"), max_length=8, choices=MailState.choices,
                                  default=MailState.NONE)
    mail_claimed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(_("gửi thư lúc"), null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["mail_state"], name="notification_mail_state"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.title}"


class MailPreference(models.Model):
    """A user's choice for one kind of notification by e-mail (no row: the default, mail on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences")
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    enabled = models.BooleanField(_("nhận thư"), default=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thư")
        verbose_name_plural = _("lựa chọn nhận thư")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_mail_preference_per_kind")]
