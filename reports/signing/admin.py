import base64

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnlyAdminMixin
from core.dates import VnDateField
from core.scoping import unit_scope_q
from reports.signing import sealimage, services
from reports.signing.models import (
    ApprovalStep,
    IntermediateCertificate,
    RegisterCounter,
    RegisterEntry,
    RevocationList,
    SealImage,
    SignedDocument,
    SignedDraft,
    SigningCertificate,
    TrustRoot,
)
from units.admin import ScopedAdminMixin
from units.models import IssuingBody


@admin.register(TrustRoot)
class TrustRootAdmin(admin.ModelAdmin):
    list_display = ["name", "fingerprint", "is_demo", "created_at"]


@admin.register(IntermediateCertificate)
class IntermediateCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Kept by `certificate_register` from a validated chain; they trust nothing by themselves."""

    list_display = ["name", "issuer", "not_after", "fingerprint", "created_at"]


def _became(obj, saved) -> None:
    """The admin's unsaved object takes the row the service wrote (for its log entry and redirect)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})


class CertificateUploadForm(forms.ModelForm):
    """Register a public certificate by upload (what `manage.py register_certificate` does)."""

    file = forms.FileField(label=_("Chứng thư (.cer, .crt, .pem, .p7b, .p7c)"), help_text=_(
        "Chứng thư công khai xuất từ USB token, có thể kèm các chứng thư trung gian (tệp PEM nhiều chứng thư, "
        ".p7b, .p7c). Không bao giờ nộp khóa bí mật."))
    chain = forms.FileField(label=_("Các chứng thư trung gian (nếu để riêng)"), required=False)

    class Meta:
        model = SigningCertificate
        fields = ["kind", "user", "issuing_body"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None or self.errors:
            return cleaned
        if upload.size > 256 * 1024 or (cleaned.get("chain") and cleaned["chain"].size > 256 * 1024):
            raise ValidationError(_("Tệp chứng thư quá lớn (tối đa 256 KB)."))
        chain = cleaned.get("chain")
        self.registration = {"certificate": upload.read(), "chain": chain.read() if chain else None,
                             "kind": cleaned.get("kind"), "user": cleaned.get("user"),
                             "issuing_body": cleaned.get("issuing_body")}
        try:  # a dry run of the service (rolled back) so that its refusal shows on the form
            with transaction.atomic():
                services.certificate_register(**self.registration)
                transaction.set_rollback(True)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "user", "issuing_body", "not_after", "is_demo", "is_active"]
    list_filter = ["kind", "is_demo", "is_active"]
    # Public certificates only (registered here by upload or by `manage.py register_certificate`,
    # with their chain to a trusted root); once registered they can only be deactivated. There is no
    # private key to see: it stays on the token or in the HSM.
    readonly_fields = ["kind", "user", "issuing_body", "subject", "issuer", "serial", "not_before", "not_after",
                       "certificate_pem", "fingerprint", "is_demo"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CertificateUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "user", "issuing_body", "file", "chain"]
        return [*self.readonly_fields, "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_add_permission(self, request):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        _became(obj, services.certificate_register(**form.registration))
        return None


class CrlUploadForm(forms.ModelForm):
    """Import a CA's CRL by upload (what `manage.py import_crl` does)."""

    file = forms.FileField(label=_("Tệp CRL (.crl, PEM hoặc DER)"), help_text=_(
        "Danh sách chứng thư bị thu hồi do tổ chức cấp chứng thư (chứng thư gốc tin cậy hoặc trung gian đã đăng "
        "ký) phát hành. CRL mới hơn của cùng tổ chức thay CRL cũ; CRL cũ được giữ làm lịch sử."))

    class Meta:
        model = RevocationList
        fields = []

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None or self.errors:
            return cleaned
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("Tệp CRL quá lớn (tối đa 20 MB)."))
        self.data_bytes = upload.read()
        try:  # a dry run of the service (rolled back) so that its refusal shows on the form
            with transaction.atomic():
                services.crl_import(data=self.data_bytes)
                transaction.set_rollback(True)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


@admin.register(RevocationList)
class RevocationListAdmin(admin.ModelAdmin):
    """CRLs held for offline revocation checks: added by upload (superuser), never edited."""

    list_display = ["issuer", "this_update", "next_update", "revoked_count", "is_current", "imported_by",
                    "created_at"]
    list_filter = ["is_current"]
    readonly_fields = ["issuer", "this_update", "next_update", "crl_number", "revoked_count", "sha256", "signed_by",
                       "is_current", "imported_by", "created_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CrlUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        _became(obj, services.crl_import(data=form.data_bytes, user=request.user))


@admin.register(RegisterCounter)
class RegisterCounterAdmin(admin.ModelAdmin):
    list_display = ["issuing_body", "period", "last_number", "starting_number", "note"]
    readonly_fields = ["last_number"]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the register is written only by signing."""

    list_display = ["reference", "issued_on", "summary", "signer_name", "issuing_body"]
    list_filter = ["issuing_body", "period", "kind"]


@admin.register(ApprovalStep)
class ApprovalStepAdmin(RegisterEntryAdmin):
    list_display = ["report", "action", "user_name", "at", "reason"]
    list_filter = ["action"]


@admin.register(SignedDraft)
class SignedDraftAdmin(RegisterEntryAdmin):
    list_display = ["summary", "signer_name", "signed_at", "status", "issuing_body"]
    list_filter = ["status"]
    exclude = ["pdf"]


@admin.register(SignedDocument)
class SignedDocumentAdmin(RegisterEntryAdmin):
    list_display = ["entry", "sha256", "size", "signed_at", "timestamped"]
    list_filter = ["timestamped"]
    exclude = ["pdf"]


class SealImageForm(forms.ModelForm):
    """Upload of a seal image: the file is checked (sealimage.seal_png_check) and the date against the
    register before anything is saved; the service re-checks both when saving."""

    valid_from = VnDateField(label=_("Áp dụng từ ngày"), help_text=_(
        "Văn bản cấp số từ ngày này mang ảnh dấu mới; văn bản đã ban hành giữ dấu của nó."))
    file = forms.FileField(label=_("Ảnh dấu (PNG nền trong suốt)"), help_text=_(
        "Ảnh chụp/quét con dấu đỏ, tách nền trong suốt; gần vuông, từ 120 đến 4000 điểm ảnh mỗi chiều, tối đa 2 MB."))

    class Meta:
        model = SealImage
        fields = ["issuing_body", "valid_from", "note"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > sealimage.MAX_UPLOAD_BYTES:
                self.add_error("file", _("Ảnh dấu quá lớn (tối đa 2 MB)."))
            else:
                try:
                    sealimage.seal_png_check(upload.read())
                except ValidationError as exc:
                    self.add_error("file", exc)
                upload.seek(0)
        body, valid_from = cleaned.get("issuing_body"), cleaned.get("valid_from")
        if body is not None and valid_from is not None:
            try:
                services.seal_image_check_date(issuing_body=body, valid_from=valid_from)
            except ValidationError as exc:
                self.add_error("valid_from", exc)
        return cleaned


@admin.register(SealImage)
class SealImageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The issuing bodies' seal images, from a date (an upload is never edited: a new seal is a new row)."""

    unit_prefix = "issuing_body__unit__"
    form = SealImageForm
    list_display = ["issuing_body", "valid_from", "width", "height", "uploaded_by", "created_at"]
    list_filter = ["issuing_body"]
    SHOWN = ["issuing_body", "valid_from", "note", "preview", "width", "height", "sha256", "uploaded_by",
             "created_at"]

    def get_fields(self, request, obj=None):
        return ["issuing_body", "valid_from", "file", "note"] if obj is None else self.SHOWN

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.SHOWN

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        widget = form.base_fields.get("issuing_body") and form.base_fields["issuing_body"].widget
        if widget is not None:  # choose a body here; bodies are added, changed, removed on their own page
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return form

    def has_change_permission(self, request, obj=None):
        # an upload is never edited (a new seal is a new row from its date): the page only shows it
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or not obj.documents.exists())

    @admin.display(description=_("Ảnh dấu"))
    def preview(self, obj):
        data = base64.b64encode(bytes(obj.image)).decode()
        return format_html('<img src="data:image/png;base64,{}" alt="" style="width:160px;height:auto;'
                           'background:#eee">', data)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "issuing_body":
            # ended bodies too: a seal's date must fall in the body's period (the service checks it)
            kwargs["queryset"] = IssuingBody.objects.filter(unit_scope_q(request.user, "admin", prefix="unit__"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:  # nothing to change: every field is read-only once uploaded
            return
        upload = form.cleaned_data["file"]
        upload.seek(0)
        _became(obj, services.seal_image_add(issuing_body=form.cleaned_data["issuing_body"],
                                             valid_from=form.cleaned_data["valid_from"], data=upload.read(),
                                             user=request.user, note=form.cleaned_data.get("note") or ""))
