"""Plans (the request to report) and the catalogue of sections and indicators they collect."""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.numbering import register_period
from core.scoping import get_staff
from units.selectors import plans_history_scope_q


class Section(models.Model):
    """A section of what a unit submits (study conferences, people reached, propaganda …)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên mục"), max_length=255)
    description = models.TextField(_("hướng dẫn"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("mục báo cáo")
        verbose_name_plural = _("mục báo cáo")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """One figure (or text, or list of rows) a unit reports, with how it rolls up (DESIGN §5)."""

    class Kind(models.TextChoices):
        EVENTS = "events", _("Số sự kiện (hội nghị, buổi, cuộc)")
        ATTENDANCE = "attendance", _("Lượt người tham dự")
        PEOPLE_NUMERATOR = "people_num", _("Số người (tử số)")
        PEOPLE_DENOMINATOR = "people_den", _("Số người phải thực hiện (mẫu số)")
        ITEMS = "items", _("Số lượng (tin, bài, văn bản, mô hình)")
        MINUTES = "minutes", _("Thời lượng (phút)")
        TEXT = "text", _("Văn bản tự do")
        ROWS = "rows", _("Danh sách")

    class Rollup(models.TextChoices):
        SUM = "sum", _("Cộng tất cả các cấp")
        SUM_LEAVES = "sum_leaves", _("Cộng các đơn vị cơ sở (người không trùng)")
        NONE = "none", _("Không cộng (văn bản)")
        CONCAT = "concat", _("Ghép danh sách")

    code = models.CharField(_("mã"), max_length=80, unique=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("mục"))
    label = models.CharField(_("nhãn"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    rollup = models.CharField(_("quy tắc tổng hợp"), max_length=20, choices=Rollup.choices)
    unit_label = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    denominator = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="numerators",
        verbose_name=_("mẫu số"), help_text=_("Với chỉ tiêu tử số: chỉ tiêu mẫu số để tính tỷ lệ."),
    )
    help_text = models.CharField(_("gợi ý"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["section__order", "order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"

    @property
    def is_number(self) -> bool:
        return self.kind not in (self.Kind.TEXT, self.Kind.ROWS)


class PlanQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "PlanQuerySet":
        """Plans issued in the user's subtree or by one of its ancestors (who asked them to report)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        staff = get_staff(user)
        if staff is None:
            return self.none()
        path = staff.unit.path
        ancestors = staff.unit.ancestor_paths()
        if action == "view":
            return self.filter(
                Q(issuing_body__unit__path__startswith=path) | Q(issuing_body__unit__path__in=ancestors)
                | plans_history_scope_q(user=user, date_field=Plan.HIERARCHY_DATE_FIELD)
            )
        # Changing a plan is for the reviewers of the issuing unit's subtree.
        if not staff.is_reviewer:
            return self.none()
        return self.filter(issuing_body__unit__path__startswith=path)


class Plan(models.Model):
    """A request to report: a Kế hoạch, Công văn or Hướng dẫn issued by an upper level.

    A relayed plan (a district passing on a province plan with its own number and an earlier
    deadline) keeps the link in `relays`, so the district's report cites the province's request.
    """

    class Kind(models.TextChoices):
        PLAN = "KH", _("Kế hoạch")
        LETTER = "CV", _("Công văn")
        GUIDANCE = "HD", _("Hướng dẫn")

    class Scope(models.TextChoices):
        DIRECT = "direct", _("Các đơn vị trực thuộc")
        SUBTREE = "subtree", _("Toàn bộ các đơn vị cấp dưới")

    kind = models.CharField(_("loại văn bản"), max_length=4, choices=Kind.choices)
    number = models.PositiveIntegerField(_("số"))
    # Unique within the issuing body's register and numbering period only: every district board has its
    # own 120-CV/BTGHU (see core.numbering).
    reference = models.CharField(_("số, ký hiệu"), max_length=60, db_index=True, help_text=_("132-HD/BTGTU"))
    period = models.CharField(_("kỳ đánh số"), max_length=20, editable=False, help_text=_("Năm (2023) hoặc nhiệm kỳ."))
    issuing_body = models.ForeignKey(
        "units.IssuingBody", on_delete=models.PROTECT, related_name="plans", verbose_name=_("cơ quan ban hành")
    )
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(
        _("trích yếu"), max_length=500,
        help_text=_("Ví dụ: về tổ chức học tập, quán triệt, tuyên truyền …"),
    )
    topic = models.CharField(_("chuyên đề"), max_length=500, blank=True)
    documents_to_study = models.TextField(
        _("các văn bản cần học tập"), blank=True, help_text=_("Mỗi dòng một văn bản.")
    )
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn báo cáo"))
    scope = models.CharField(_("đơn vị phải báo cáo"), max_length=10, choices=Scope.choices, default=Scope.DIRECT)
    include_own = models.BooleanField(
        _("đơn vị ban hành nhập số liệu của cấp mình"), default=True,
        help_text=_("Hội nghị do chính cấp này tổ chức được cộng vào tổng hợp."),
    )
    sections = models.ManyToManyField(Section, related_name="plans", verbose_name=_("các mục thu thập"))
    relays = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="relayed_by",
        verbose_name=_("triển khai văn bản của cấp trên"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "period", "reference"],
                                    name="plan_reference_unique_in_register"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.reference}"

    def save(self, *args, **kwargs):
        if self.issued_on:
            self.period = register_period(self.issued_on)
        super().save(*args, **kwargs)

    @property
    def unit(self):
        return self.issuing_body.unit

    # The field behind `hierarchy_date`, for queries (`units.selectors.history_scope_q`).
    HIERARCHY_DATE_FIELD = "issued_on"

    @property
    def hierarchy_date(self) -> dt.date:
        """THE day whose hierarchy this plan is about: the day it was issued.

        A plan is addressed to the units that exist under its issuer when it is sent; the seeds'
        reports list exactly those ("51/51 chi, đảng bộ" of the district on the day of the request),
        and a reviewer reading them years later expects the same list. So recipients, the status
        board, the roll-up (and its refresh), the consolidated report, the dashboard, the plan PDF and
        JSON, and the upper level's roll-up all take the tree as of this date
        (`units.selectors.hierarchy_as_of`), never today's tree. A unit created after the plan was
        issued is not asked; one dissolved after it still answers it.
        """
        return getattr(self, self.HIERARCHY_DATE_FIELD)

    @property
    def root_plan(self) -> "Plan":
        """The first plan up the relay chain: what the top of the hierarchy asked for."""
        plan = self
        while plan.relays_id:
            plan = plan.relays
        return plan

    def deadline_passed(self, today: dt.date | None = None) -> bool:
        return (today or dt.date.today()) > self.deadline

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:detail", kwargs={"pk": self.pk})
