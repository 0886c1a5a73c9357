"""What a unit submits for a plan: values, rows, its life cycle, and the audit of every change."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet, get_staff, unit_scope_q
from reports.plans.models import Plan
from reports.submissions.timeliness import Timeliness, timeliness
from units.selectors import history_scope_q


class SubmissionQuerySet(RestrictedQuerySet):
    unit_prefix = "unit__"

    def restrict(self, user, action: str = "view"):
        """The user's subtree today; for reading, also what was in it on each plan's date and what the
        units it holds today succeeded (merged into them): docs/history.md."""
        scope = unit_scope_q(user, action, prefix=self.unit_prefix)
        if action == "view" and get_staff(user) is not None and not user.is_superuser:
            scope |= history_scope_q(user=user, unit_field="unit", date_field=f"plan__{Plan.HIERARCHY_DATE_FIELD}")
        return self.filter(scope)


class Submission(models.Model):
    """A unit's report for a plan (one per plan and unit), from draft to accepted.

    `version` is bumped on every save: a form carries the version it was loaded with, and a save
    with an older version is a conflict (optimistic locking, works on SQLite and PostgreSQL).
    The unit's name and parent at creation are kept, so later renames do not rewrite history.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

    Timeliness = Timeliness  # the codes live with the rule (reports.submissions.timeliness)

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("kế hoạch")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("đơn vị")
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    unit_name = models.CharField(_("tên đơn vị khi lập"), max_length=255)
    parent_name = models.CharField(_("đơn vị cấp trên khi lập"), max_length=255, blank=True)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    last_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người nhập gần nhất"),
    )
    entered_on_behalf = models.BooleanField(_("cấp trên nhập thay"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "unit__path"]
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="one_submission_per_plan_unit")]

    def __str__(self) -> str:
        return f"{self.unit_name} – {self.plan.reference}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def timeliness(self, today: dt.date | None = None) -> str:
        """On time, late or missing against the plan's deadline (see `reports.submissions.timeliness`)."""
        now = None if today is None else dt.datetime.combine(today, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))
        return timeliness(deadline=self.plan.deadline, first_submitted_at=self.first_submitted_at, now=now)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("submissions:detail", kwargs={"pk": self.pk})


class SubmissionValue(models.Model):
    """One indicator's value in a submission: a whole number, or a text for narrative indicators."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.PROTECT, related_name="values")
    number = models.BigIntegerField(_("giá trị"), null=True, blank=True)
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("giá trị")
        verbose_name_plural = _("giá trị")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="one_value_per_indicator"),
            models.CheckConstraint(condition=models.Q(number__gte=0) | models.Q(number__isnull=True),
                                   name="value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.number if self.number is not None else self.text[:30]}"


class SubmissionRow(models.Model):
    """One row of a list indicator (a conference, an issued document, a model practice)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rows")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.PROTECT, related_name="rows")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    data = models.JSONField(_("nội dung"), default=dict)

    class Meta:
        ordering = ["submission", "indicator", "position"]
        verbose_name = _("dòng danh sách")
        verbose_name_plural = _("dòng danh sách")

    def __str__(self) -> str:
        return f"{self.indicator.code} #{self.position}"


class SubmissionEvent(models.Model):
    """A step of the life cycle: created, saved, submitted, returned, accepted, reopened."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo")
        SAVE = "save", _("Lưu nháp")
        SUBMIT = "submit", _("Gửi")
        RETURN = "return", _("Trả lại")
        ACCEPT = "accept", _("Tiếp nhận")
        REOPEN = "reopen", _("Mở lại")
        IMPORT = "import", _("Nhập từ tệp Excel")
        CONFIRM = "confirm", _("Xác nhận số liệu có cảnh báo")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=12, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on_behalf = models.BooleanField(_("nhập thay đơn vị"), default=False)
    reason = models.TextField(_("lý do"), blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["submission", "at", "pk"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"


class ValueChange(models.Model):
    """Audit of one changed value: who, when, old → new, on whose behalf, from which form or file."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="changes")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.PROTECT, related_name="+")
    row_position = models.PositiveIntegerField(null=True, blank=True)
    field = models.CharField(_("trường"), max_length=60, blank=True)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on_behalf = models.BooleanField(_("nhập thay đơn vị"), default=False)
    source = models.CharField(_("nguồn"), max_length=255, help_text=_('"form:<mục>" hoặc "file:<tên tệp>"'))
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["submission", "-at", "pk"]
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = _("lịch sử thay đổi")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.old_value} → {self.new_value}"


class BehalfSource(models.Model):
    """How figures entered on a unit's behalf came to the board: by phone, on paper, by e-mail; from whom, when.

    Recorded by whoever enters on the unit's behalf (before the first figure, and again when new figures
    come another way); the reviewer sees every record on the submission's overview.
    """

    class Channel(models.TextChoices):
        PHONE = "phone", _("Điện thoại")
        PAPER = "paper", _("Văn bản giấy")
        EMAIL = "email", _("Thư điện tử")
        OTHER = "other", _("Cách khác")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="behalf_sources")
    channel = models.CharField(_("số liệu nhận qua"), max_length=8, choices=Channel.choices)
    sender = models.CharField(_("người cung cấp số liệu"), max_length=200)
    received_on = models.DateField(_("ngày nhận"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("người nhập thay"))
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        ordering = ["submission", "-created_at", "-pk"]
        verbose_name = _("nguồn số liệu nhập thay")
        verbose_name_plural = _("nguồn số liệu nhập thay")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} – {self.sender} ({self.received_on:%d/%m/%Y})"
