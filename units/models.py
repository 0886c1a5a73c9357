"""The party organisation hierarchy, its history, the bodies that issue documents, and staff roles."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeQuerySet

from core.formatting import format_date_short, person_name
from core.scoping import RestrictedQuerySet, unit_scope_q


class UnitKind(models.Model):
    """A kind of party organisation (Tỉnh ủy, Huyện ủy, Đảng ủy xã, Chi bộ cơ sở …): levels are data."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=120)
    # How a unit of this kind is called in running text: "xã", "thị trấn", "Chi bộ" …
    text_prefix = models.CharField(_("tiền tố trong văn bản"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"), default=0, help_text=_("0 = tỉnh, 1 = huyện, 2 = cơ sở …"))
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # The words the report text uses (DESIGN §2: levels are data). A unit of this kind speaks of its
    # area as "Toàn <area_word>", "Cấp <area_word>"; its subordinates of this kind are called, all
    # together, "các <collective>" ("Các <collective_heading>" at the start of a line), and, when the
    # text breaks the subordinates down by kind, "<group_label>: …".
    area_word = models.CharField(_("tên địa bàn trong văn bản"), max_length=60, blank=True,
                                 help_text=_("“tỉnh” → “Toàn tỉnh”, “Cấp tỉnh”."))
    collective = models.CharField(
        _("gọi chung các đơn vị loại này"), max_length=120, blank=True,
        help_text=_("Không có “các”: “chi, đảng bộ”, “đảng ủy xã, phường, đặc khu”, “đảng bộ trực thuộc”."))
    collective_heading = models.CharField(
        _("gọi chung (đầu dòng)"), max_length=120, blank=True,
        help_text=_("Không có “Các”: “chi, đảng bộ cơ sở”; bỏ trống thì như trên."))
    group_label = models.CharField(
        _("nhãn nhóm khi tách theo loại"), max_length=160, blank=True,
        help_text=_("“Đảng ủy các xã, thị trấn”, “Các chi bộ, đảng bộ cơ quan trực thuộc”."))
    is_territorial = models.BooleanField(
        _("cấp xã (địa bàn dân cư)"), default=False,
        help_text=_("Xã, phường, thị trấn, đặc khu: kết nối hội nghị trực tuyến và tổ chức hội nghị tập trung."))

    class Meta:
        ordering = ["level", "sort_order", "name"]
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")

    def __str__(self) -> str:
        return self.name

    def words(self) -> dict:
        """What the report text needs of this kind (stored in a roll-up snapshot, so it stays as it was)."""
        return {"name": self.name, "sort_order": self.sort_order, "area_word": self.area_word,
                "collective": self.collective, "collective_heading": self.collective_heading or self.collective,
                "group_label": self.group_label, "is_territorial": self.is_territorial}


class UnitQuerySet(MP_NodeQuerySet):
    def restrict(self, user, action: str = "view") -> "UnitQuerySet":
        """Units the user may see or act on: the subtree of the user's unit (all for a superuser)."""
        return self.filter(unit_scope_q(user, action, prefix=""))

    def active(self, on: dt.date | None = None) -> "UnitQuerySet":
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))

    def subtree(self, unit: "Unit", include_self: bool = True) -> "UnitQuerySet":
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class Unit(MP_Node):
    """A party organisation in the current tree (materialized path: a subtree is one query).

    The `code` is stable: renaming or moving a unit never changes it. Past names and parents live
    in `UnitVersion`; what was made earlier keeps its own snapshot of names.
    """

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(
        _("tên gọi trong văn bản"), max_length=255, blank=True, help_text=_('Ví dụ: "xã Khun Há".')
    )
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, verbose_name=_("loại"))
    valid_from = models.DateField(_("hiệu lực từ"), default=dt.date(2000, 1, 1))
    dissolved_on = models.DateField(_("giải thể/sáp nhập từ"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    # A split (one unit divided into several, no single successor): the units it was divided into. With
    # `successor` this is the lineage as data (`units.selectors.lineage_links`): who carries on an ended unit.
    split_into = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="split_from", verbose_name=_("chia tách thành"),
    )

    node_order_by: list[str] = []
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    @property
    def text_name(self) -> str:
        return self.short_name or self.name

    # -- the materialized path: each level adds `steplen` characters; a subtree is `path__startswith` --------
    @classmethod
    def path_ancestors(cls, path: str, *, include_self: bool = False) -> list[str]:
        """The paths above `path`, root first (then `path` itself with `include_self`)."""
        return [path[:i] for i in range(cls.steplen, len(path) + (1 if include_self else 0), cls.steplen)]

    @classmethod
    def path_parent(cls, path: str) -> str:
        """The path of the parent of the unit at `path` ("" for a root)."""
        return path[:-cls.steplen]

    def ancestor_paths(self, *, include_self: bool = False) -> list[str]:
        """The paths of this unit's ancestors, root first (then its own with `include_self`)."""
        return self.path_ancestors(self.path, include_self=include_self)

    @property
    def parent_path(self) -> str:
        """The path of this unit's parent ("" for a root)."""
        return self.path_parent(self.path)

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None and self.dissolved_on <= timezone.localdate()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("units:detail", kwargs={"code": self.code})


class UnitVersion(models.Model):
    """One period of a unit's identity: its name, kind and parent from `valid_from` until `valid_to`."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên gọi trong văn bản"), max_length=255, blank=True)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, verbose_name=_("loại"))
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions",
        verbose_name=_("đơn vị cấp trên"),
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("phiên bản đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_version_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({format_date_short(self.valid_from)})"


class UnitChange(models.Model):
    """A change to the hierarchy with its effective date: create, rename, move, merge, split, dissolve."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Thành lập")
        RENAME = "rename", _("Đổi tên")
        MOVE = "move", _("Chuyển đơn vị cấp trên")
        MERGE = "merge", _("Hợp nhất, sáp nhập")
        SPLIT = "split", _("Chia tách")
        DISSOLVE = "dissolve", _("Giải thể")

    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=Kind.choices)
    effective = models.DateField(_("ngày hiệu lực"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="changes", verbose_name=_("đơn vị"))
    related_units = models.ManyToManyField(
        Unit, blank=True, related_name="related_changes", verbose_name=_("đơn vị liên quan")
    )
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("người thực hiện")
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective", "-created_at"]
        verbose_name = _("thay đổi đơn vị")
        verbose_name_plural = _("thay đổi đơn vị")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} ({format_date_short(self.effective)})"


class IssuingBodyQuerySet(RestrictedQuerySet):
    def valid_on(self, on: dt.date | None = None) -> "IssuingBodyQuerySet":
        """The rows in force on `on` (today by default): the one a new document is issued under."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class IssuingBody(models.Model):
    """A unit, or a board of a unit, that issues documents under its own header and number suffix."""

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="issuing_bodies", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên đầy đủ"), max_length=255, help_text=_("Ban Tuyên giáo Huyện ủy Tam Đường"))
    # How the body is cited by others and names itself in text: "Ban Tuyên giáo Tỉnh ủy".
    citation_name = models.CharField(_("tên khi trích dẫn"), max_length=255)
    superior_line = models.CharField(_("dòng cơ quan cấp trên"), max_length=120, blank=True)
    own_line = models.CharField(_("dòng tên cơ quan"), max_length=120)
    board_line = models.CharField(_("dòng tên ban"), max_length=120, blank=True)
    place_name = models.CharField(_("địa danh"), max_length=80)
    code_suffix = models.CharField(_("ký hiệu"), max_length=20, help_text=_("TU, HU, ĐUK, BTGHU …"))
    signer_authority = models.CharField(_("quyền hạn ký"), max_length=80, blank=True, help_text=_("T/M BAN THƯỜNG VỤ"))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=80)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120)
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("tài khoản người ký"),
    )
    recipients = models.TextField(_("nơi nhận mặc định"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    is_default = models.BooleanField(_("cơ quan ban hành mặc định của đơn vị"), default=False)
    # History: one row is one period of the body's identity. A change of name, header, place, suffix,
    # signer or recipients from a date makes a new row (`units.services.issuing_body_succeed`) and
    # closes this one; documents keep the row they were made under, so they print what held then.
    valid_from = models.DateField(_("hiệu lực từ"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    predecessor = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor",
        verbose_name=_("tiền thân"),
    )

    objects = IssuingBodyQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "code"]
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")

    def __str__(self) -> str:
        return self.name

    def valid_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    @property
    def header_lines(self) -> list[str]:
        return [line for line in (self.superior_line, self.own_line, self.board_line) if line]

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class Staff(models.Model):
    """A user's place of work (one unit) and roles there; what they may see is that unit's subtree."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("đơn vị"))
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    is_entry = models.BooleanField(_("nhập liệu"), default=False)
    is_reviewer = models.BooleanField(_("kiểm tra, tổng hợp"), default=False)
    is_leader = models.BooleanField(_("lãnh đạo (duyệt, ký)"), default=False)
    is_clerk = models.BooleanField(_("văn thư (cấp số, đóng dấu)"), default=False)
    is_unit_admin = models.BooleanField(_("quản trị đơn vị"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ và vai trò")

    def __str__(self) -> str:
        return f"{self.full_name} – {self.unit}"

    @property
    def full_name(self) -> str:
        """The name as printed (`core.formatting.person_name`)."""
        return person_name(self.user)

    @property
    def role_labels(self) -> list[str]:
        return [str(f.verbose_name) for f in self._meta.fields if f.name.startswith("is_") and getattr(self, f.name)]


class AccessChange(models.Model):
    """A change to a user's roles or password, who made it and when (kept; shown read-only in the admin)."""

    class Kind(models.TextChoices):
        ROLES = "roles", _("Vai trò")
        PASSWORD = "password", _("Mật khẩu")
        INVITED = "invited", _("Gửi thư mời đặt mật khẩu")
        LINK = "link", _("Đặt mật khẩu qua thư mời")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_changes",
                             verbose_name=_("người dùng"))
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("đơn vị"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    before = models.JSONField(_("trước"), default=list, blank=True)
    after = models.JSONField(_("sau"), default=list, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người thay đổi"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("thay đổi vai trò, mật khẩu")
        verbose_name_plural = _("thay đổi vai trò, mật khẩu")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.user} ({self.at:%d/%m/%Y %H:%M})"
