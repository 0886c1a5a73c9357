"""Approval steps, the document register, signed documents and the certificates that sign them."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet


class TrustRoot(models.Model):
    """A root certificate that verification trusts (the demo CA, or the Ban Cơ yếu Chính phủ root)."""

    name = models.CharField(_("tên"), max_length=255)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    is_demo = models.BooleanField(_("chỉ dùng cho demo"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")

    def __str__(self) -> str:
        return self.name


class IntermediateCertificate(models.Model):
    """An intermediate CA certificate between a registered certificate and a trusted root (the Ban Cơ
    yếu Chính phủ issues personal certificates through one). Kept when a registration's chain is
    validated, so later registrations with the same CA and signatures whose CMS does not carry it
    still build their path. Trust comes only from `TrustRoot`: an intermediate here only helps to
    build a path, which must still end at a trusted root."""

    name = models.CharField(_("tên"), max_length=255)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("đơn vị cấp"), max_length=500)
    not_after = models.DateTimeField(_("hiệu lực đến"))
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chứng thư trung gian (CA)")
        verbose_name_plural = _("chứng thư trung gian (CA)")

    def __str__(self) -> str:
        return self.name


class SigningCertificate(models.Model):
    """A public signing certificate: a leader's or văn thư's personal one, or an issuing body's seal.

    Only the certificate is kept. The private key stays on the holder's token (personal keys) or in
    the hardware security module (a seal in "hsm" mode); the server never receives a personal key.
    An upload is accepted only when its signing certificate is one of these, active, for that signer.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Cá nhân (người ký)")
        ORGANISATION = "organisation", _("Cơ quan, tổ chức (dấu)")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="signing_certificates",
        verbose_name=_("người ký"),
    )
    issuing_body = models.ForeignKey(
        "units.IssuingBody", on_delete=models.CASCADE, null=True, blank=True, related_name="signing_certificates",
        verbose_name=_("cơ quan ban hành"),
    )
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("đơn vị cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=80)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, db_index=True, default="")
    is_demo = models.BooleanField(_("chứng thư demo"), default=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "subject"]
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="personal", user__isnull=False)
                           | models.Q(kind="organisation", issuing_body__isnull=False)),
                name="signing_certificate_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class SealImage(models.Model):
    """The red seal of an issuing body as an image (PNG, transparent background), from a date.

    Like the rest of the body it is effective-dated: the seal in force on an issuance date is the
    one with the latest `valid_from` not after it; a new seal applies from its date and documents
    issued before keep theirs (their PDF is stored as issued). Without any, the seal is drawn.
    """

    issuing_body = models.ForeignKey("units.IssuingBody", on_delete=models.PROTECT, related_name="seal_images",
                                     verbose_name=_("cơ quan ban hành"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    image = models.BinaryField(_("ảnh dấu (PNG)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("rộng (điểm ảnh)"))
    height = models.PositiveIntegerField(_("cao (điểm ảnh)"))
    note = models.CharField(_("căn cứ, ghi chú"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người tải lên"))
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        ordering = ["issuing_body", "-valid_from"]
        verbose_name = _("ảnh dấu của cơ quan")
        verbose_name_plural = _("ảnh dấu của cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "valid_from"], name="seal_image_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body} ({self.valid_from:%d/%m/%Y})"


class RegisterCounter(models.Model):
    """The last number given by an issuing body in one numbering period (a year, or a term).

    The row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's write lock) while a number is
    given, so two leaders signing at once get consecutive numbers. `last_number` may start above 0
    when earlier numbers of the period were given outside this system (see `note`).
    """

    issuing_body = models.ForeignKey(
        "units.IssuingBody", on_delete=models.PROTECT, related_name="register_counters",
        verbose_name=_("cơ quan ban hành"),
    )
    period = models.CharField(_("kỳ đánh số"), max_length=20, help_text=_("Năm (2023) hoặc nhiệm kỳ (2020-2025)."))
    last_number = models.PositiveIntegerField(_("số đã cấp gần nhất"), default=0)
    starting_number = models.PositiveIntegerField(
        _("số đã cấp ngoài hệ thống"), default=0,
        help_text=_("Các số từ 1 đến số này đã cấp trước khi dùng hệ thống (sổ giấy)."),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["issuing_body", "-period"]
        verbose_name = _("bộ đếm số văn bản")
        verbose_name_plural = _("bộ đếm số văn bản")
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "period"], name="register_counter_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body} – {self.period}: {self.last_number}"


class RegisterEntryQuerySet(RestrictedQuerySet):
    unit_prefix = "issuing_body__unit__"


class RegisterEntry(models.Model):
    """One issued document in an issuing body's register: its number, date, summary and signer.

    Numbers are unique per body and period and given in order without gaps; an entry is never
    changed or deleted. A correction is a new entry that points to the one it corrects.
    """

    class Kind(models.TextChoices):
        REPORT = "BC", _("Báo cáo")
        PLAN = "KH", _("Kế hoạch")
        LETTER = "CV", _("Công văn")
        GUIDANCE = "HD", _("Hướng dẫn")
        NOTICE = "TB", _("Thông báo")
        DECISION = "QĐ", _("Quyết định")

    issuing_body = models.ForeignKey(
        "units.IssuingBody", on_delete=models.PROTECT, related_name="register_entries",
        verbose_name=_("cơ quan ban hành"),
    )
    period = models.CharField(_("kỳ đánh số"), max_length=20)
    number = models.PositiveIntegerField(_("số"))
    kind = models.CharField(_("loại văn bản"), max_length=4, choices=Kind.choices)
    reference = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ký")
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=120)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("thay thế, đính chính văn bản"),
    )
    report = models.ForeignKey(
        "documents.Report", on_delete=models.PROTECT, null=True, blank=True, related_name="register_entries",
        verbose_name=_("báo cáo tổng hợp"),
    )
    created_at = models.DateTimeField(_("thời điểm vào sổ"), auto_now_add=True)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["issuing_body", "-period", "-number"]
        verbose_name = _("văn bản trong sổ đăng ký")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "period", "number"], name="register_entry_unique_number"),
        ]

    def __str__(self) -> str:
        return self.reference


class SignedDocumentQuerySet(RestrictedQuerySet):
    unit_prefix = "entry__issuing_body__unit__"


class SignedDocument(models.Model):
    """The signed PDF of a register entry, kept byte for byte with its SHA-256; never rendered again.

    The bytes live in the database so that the number, the register entry and the file are written
    in one transaction (a failed signing leaves neither a number nor an orphan file).
    """

    entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, related_name="signed_document", verbose_name=_("văn bản")
    )
    pdf = models.BinaryField(_("tệp PDF đã ký"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    signed_at = models.DateTimeField(_("thời điểm ký"))
    certificate = models.ForeignKey(
        SigningCertificate, on_delete=models.PROTECT, related_name="+", verbose_name=_("chứng thư người ký")
    )
    organisation_certificate = models.ForeignKey(
        SigningCertificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("chứng thư cơ quan"),
    )
    timestamped = models.BooleanField(_("có dấu thời gian RFC 3161"), default=False)
    seal_image = models.ForeignKey(
        SealImage, on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
        verbose_name=_("ảnh dấu đã dùng"), help_text=_("Trống: dấu vẽ (cơ quan chưa có ảnh dấu)."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("văn thư cấp số"),
    )
    draft = models.OneToOneField(
        "SignedDraft", on_delete=models.PROTECT, null=True, blank=True, related_name="document",
        verbose_name=_("bản lãnh đạo đã ký"),
    )

    objects = SignedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")

    def __str__(self) -> str:
        return f"{self.entry.reference} ({self.sha256[:12]}…)"

    @property
    def filename(self) -> str:
        return self.entry.reference.replace("/", "_") + ".pdf"


class SignedDraftQuerySet(RestrictedQuerySet):
    unit_prefix = "issuing_body__unit__"


class SignedDraft(models.Model):
    """A document the leader has signed, waiting for the văn thư to give it a number and the seal.

    On paper: the leader signs the fair copy, then the records office numbers, dates and stamps it.
    `pdf` is the file exactly as the leader's signature was accepted (no number yet); issuance adds
    the number, the date and the organisation's signature as one incremental update over it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ cấp số")
        ISSUED = "issued", _("Đã cấp số")
        VOID = "void", _("Đã hủy (trả lại)")

    issuing_body = models.ForeignKey("units.IssuingBody", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("cơ quan ban hành"))
    kind = models.CharField(_("loại văn bản"), max_length=4)
    summary = models.CharField(_("trích yếu"), max_length=500)
    report = models.ForeignKey("documents.Report", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="signed_drafts", verbose_name=_("báo cáo tổng hợp"))
    report_version = models.PositiveIntegerField(_("phiên bản báo cáo"), default=0)
    corrects = models.ForeignKey("RegisterEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("đính chính văn bản"))
    correction_text = models.TextField(_("nội dung đính chính"), blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người ký"))
    signer_name = models.CharField(_("họ tên người ký"), max_length=120)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    certificate = models.ForeignKey(SigningCertificate, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("chứng thư người ký"))
    page = models.IntegerField(default=-1)
    seal_box = models.JSONField(default=list)  # where the organisation's signature goes, next to the leader's
    pdf = models.BinaryField(_("tệp PDF đã ký (chưa số)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SignedDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("văn bản đã ký chờ cấp số")
        verbose_name_plural = _("văn bản đã ký chờ cấp số")
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=models.Q(status="pending"),
                                    name="signed_draft_one_pending_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.summary[:60]} ({self.get_status_display()})"


class SigningRequest(models.Model):
    """A one-time pair of links: the exact PDF to sign and where to upload it signed.

    Bound to one user, one purpose and (for a report) one version of it; valid for minutes
    (SIGNING_LINK_MINUTES). The signing agent, a vendor plug-in or the user's own PDF program signs
    `pdf`; `signature_accept` takes the upload only under the rules of docs/signing.md.
    """

    class Purpose(models.TextChoices):
        LEADER = "leader", _("Lãnh đạo ký")
        ORGANISATION = "organisation", _("Văn thư cấp số, ký số của cơ quan")

    token = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("người ký"))
    issuing_body = models.ForeignKey("units.IssuingBody", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey("documents.Report", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    report_version = models.PositiveIntegerField(default=0)
    draft = models.ForeignKey(SignedDraft, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    corrects = models.ForeignKey("RegisterEntry", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    correction_text = models.TextField(blank=True)
    kind = models.CharField(max_length=4, blank=True)  # a document without a report: its kind and summary
    summary = models.CharField(max_length=500, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)  # organisation: the number filled in
    issued_on = models.DateField(null=True, blank=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    field_name = models.CharField(max_length=40)
    page = models.IntegerField(default=-1)
    box = models.JSONField(default=list)
    seal_box = models.JSONField(default=list)
    reason = models.CharField(max_length=255)
    location = models.CharField(max_length=120, blank=True)
    signer_name = models.CharField(max_length=120)
    signer_title = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("yêu cầu ký số")
        verbose_name_plural = _("yêu cầu ký số")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} – {self.user} ({self.created_at:%d/%m/%Y %H:%M})"


class ApprovalStepQuerySet(RestrictedQuerySet):
    unit_prefix = "report__unit__"


class ApprovalStep(models.Model):
    """One step of a consolidated report's life cycle: who did what, when, and why."""

    class Action(models.TextChoices):
        SEND = "send", _("Trình duyệt")
        APPROVE = "approve", _("Duyệt")
        RETURN = "return", _("Trả lại")
        SIGN = "sign", _("Ký số")
        ISSUE = "issue", _("Cấp số, đóng dấu")
        CORRECT = "correct", _("Lập văn bản đính chính")

    report = models.ForeignKey(
        "documents.Report", on_delete=models.CASCADE, related_name="approval_steps", verbose_name=_("báo cáo")
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=20)
    to_status = models.CharField(_("sang trạng thái"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người thực hiện")
    )
    user_name = models.CharField(_("họ tên"), max_length=150)
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("ý kiến, lý do"), blank=True)
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("số văn bản"),
    )

    objects = ApprovalStepQuerySet.as_manager()

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("bước duyệt, ký")
        verbose_name_plural = _("các bước duyệt, ký")

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.user_name} ({self.at:%d/%m/%Y %H:%M})"


class RevocationList(models.Model):
    """A certificate revocation list (CRL) of a CA, imported by a superuser or `manage.py import_crl`.

    The server never fetches revocation data (it works offline): verification, upload acceptance and
    registration check certificates against the current CRL of their issuer held here. Each import is
    kept (history); the newest (latest `this_update`) of an issuer is its current one. A CRL is
    accepted only when it is signed by a trusted root or a kept intermediate CA (`signed_by`).
    """

    issuer = models.CharField(_("tổ chức cấp CRL"), max_length=500)
    issuer_key = models.CharField(_("mã tên tổ chức cấp (SHA-256)"), max_length=64, db_index=True)
    signed_by = models.CharField(_("dấu vân tay chứng thư CA đã ký CRL"), max_length=64)
    this_update = models.DateTimeField(_("ngày phát hành"))
    next_update = models.DateTimeField(_("ngày cập nhật tiếp theo"))
    crl_number = models.CharField(_("số CRL"), max_length=80, blank=True)
    revoked_count = models.PositiveIntegerField(_("số chứng thư bị thu hồi"), default=0)
    der = models.BinaryField(_("CRL (DER)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    is_current = models.BooleanField(_("đang dùng"), default=False)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người nhập"))
    created_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)

    class Meta:
        ordering = ["issuer", "-this_update"]
        verbose_name = _("danh sách chứng thư bị thu hồi (CRL)")
        verbose_name_plural = _("danh sách chứng thư bị thu hồi (CRL)")
        constraints = [
            models.UniqueConstraint(fields=["issuer_key"], condition=models.Q(is_current=True),
                                    name="revocation_list_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} ({self.this_update:%d/%m/%Y %H:%M})"
