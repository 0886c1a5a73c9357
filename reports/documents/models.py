"""Consolidated reports: a unit's report for a plan, with its figures frozen at a moment and editable text.

The figures live in `Report.snapshot` (a serialised `reports.rollup.rules.Rollup`, unit names as they were
when it was taken, see `Rollup.to_snapshot`). The text lives in `Report.blocks`: a list of blocks whose
wording staff may edit while every figure stays a placeholder (``{{conference.count}}``,
``{{rate:members.studied}}``) that `reports.documents.text` fills from the snapshot, so an edit never
leaves a stale number and a refresh of the figures keeps the edited wording.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import format_doc_number
from core.scoping import RestrictedQuerySet, get_staff, unit_scope_q
from reports.plans.models import Plan
from units.selectors import history_scope_q


class ReportQuerySet(RestrictedQuerySet):
    unit_prefix = "unit__"

    def restrict(self, user, action: str = "view"):
        """The user's subtree today; for reading, also the reports of units that were in it on the plan's
        date and of the units merged into its units (docs/history.md)."""
        scope = unit_scope_q(user, action, prefix=self.unit_prefix)
        if action == "view" and get_staff(user) is not None and not user.is_superuser:
            scope |= history_scope_q(user=user, unit_field="unit", date_field=f"plan__{Plan.HIERARCHY_DATE_FIELD}")
        return self.filter(scope)


class Report(models.Model):
    """A unit's consolidated report (Báo cáo) answering a plan, from draft to signed.

    `plan` is the plan the report answers (132-HD/BTGTU for Tam Đường); `source_plan` is the plan whose
    submissions it rolls up (Tam Đường's relay 120-CV/BTGHU; the same as `plan` when not relayed).
    `number` and `issued_on` stay empty until signing (the signing app assigns them from the register);
    a draft shows `planned_on`. Once `status` is SIGNED the report is locked: any further save is refused.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PENDING = "pending_approval", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        SIGNED = "signed", _("Đã ký")
        RETURNED = "returned", _("Trả lại")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="reports", verbose_name=_("văn bản yêu cầu báo cáo")
    )
    source_plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="rolled_up_reports",
        verbose_name=_("kế hoạch lấy số liệu"),
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("đơn vị"))
    issuing_body = models.ForeignKey(
        "units.IssuingBody", on_delete=models.PROTECT, related_name="reports", verbose_name=_("cơ quan ban hành")
    )
    kind = models.CharField(_("loại văn bản"), max_length=8, default="BC")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    planned_on = models.DateField(_("ngày dự kiến ban hành"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    include_submitted = models.BooleanField(
        _("tính cả báo cáo đã gửi chưa tiếp nhận"), default=False,
    )
    # "So với cùng kỳ": an earlier plan whose accepted figures the text compares with (None: no comparison).
    # Its figures are taken with the report's own (`snapshot["comparison"]`), so text and PDF reproduce.
    compare_with = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("so với cùng kỳ (kế hoạch trước)"),
    )
    snapshot = models.JSONField(_("số liệu"), default=dict)
    as_of = models.DateTimeField(_("số liệu tính đến"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    blocks = models.JSONField(_("nội dung"), default=list)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    signer_authority = models.CharField(_("quyền hạn ký"), max_length=80, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=80)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người lập"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người sửa gần nhất"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A signed report the upper level returned is never edited: a new numbered report replaces it.
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("thay thế báo cáo"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "unit__path"]
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        constraints = [
            # One first report per plan and unit; the others each replace the one before (a chain).
            models.UniqueConstraint(fields=["plan", "unit"], condition=models.Q(replaces__isnull=True),
                                    name="one_report_per_plan_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display_text()} {self.reference or _('(chưa có số)')} – {self.unit}"

    def get_kind_display_text(self) -> str:
        return "Báo cáo" if self.kind == "BC" else self.kind

    # -- state ---------------------------------------------------------------------------------------
    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def is_locked(self) -> bool:
        """Signed: nothing may change any more (the model refuses the save)."""
        return self.status == self.Status.SIGNED

    @property
    def is_editable(self) -> bool:
        """Text and figures may change (before approval)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def signed_or_as_of(self) -> dt.datetime:
        return self.signed_at or self.as_of

    @property
    def reference(self) -> str:
        """"164-BC/BTGHU" once numbered, else ""."""
        if self.number is None:
            return ""

        return format_doc_number(self.number, self.kind, self.issuing_body.code_suffix)

    @property
    def date_for_print(self) -> dt.date | None:
        """The date printed in the date line: the issue date once signed, else the planned date."""
        return self.issued_on or self.planned_on

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SIGNED:
                raise ValidationError(_("Báo cáo đã ký, không thể thay đổi."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:detail", kwargs={"pk": self.pk})


class ReportChange(models.Model):
    """What one refresh (or text edit) of a report changed: the old and new figure or block, who, when."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Lập báo cáo")
        REFRESH = "refresh", _("Cập nhật số liệu")
        EDIT = "edit", _("Sửa nội dung")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    details = models.JSONField(_("chi tiết"), default=list, help_text=_("[{what, old, new}]"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-at", "-pk"]
        verbose_name = _("lịch sử báo cáo tổng hợp")
        verbose_name_plural = _("lịch sử báo cáo tổng hợp")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class ReportReceipt(models.Model):
    """The upper level receiving a subordinate's signed report: accepted, or returned with a reason.

    The signed report itself never changes; each step is a row here (the latest is where it stands). A
    returned report is answered by a new numbered report that `replaces` it.
    """

    class Action(models.TextChoices):
        ACCEPT = "accept", _("Tiếp nhận")
        RETURN = "return", _("Trả lại")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("báo cáo"))
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("lý do, ý kiến"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("người tiếp nhận"))
    user_name = models.CharField(_("họ tên"), max_length=150)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("cấp tiếp nhận"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        ordering = ["report", "-at", "-pk"]
        verbose_name = _("tiếp nhận báo cáo cấp dưới")
        verbose_name_plural = _("tiếp nhận báo cáo cấp dưới")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.report} ({self.at:%d/%m/%Y})"
