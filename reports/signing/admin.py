from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin
from reports.signing.models import (
    ApprovalStep,
    IntermediateCertificate,
    RegisterCounter,
    RegisterEntry,
    SignedDocument,
    SignedDraft,
    SigningCertificate,
    TrustRoot,
)


@admin.register(TrustRoot)
class TrustRootAdmin(admin.ModelAdmin):
    list_display = ["name", "fingerprint", "is_demo", "created_at"]


@admin.register(IntermediateCertificate)
class IntermediateCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Kept by `certificate_register` from a validated chain; they trust nothing by themselves."""

    list_display = ["name", "issuer", "not_after", "fingerprint", "created_at"]


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "user", "issuing_body", "not_after", "is_demo", "is_active"]
    list_filter = ["kind", "is_demo", "is_active"]
    # Public certificates only (registered by `manage.py register_certificate`); here they can be
    # deactivated. There is no private key to see: it stays on the token or in the HSM.
    readonly_fields = ["kind", "user", "issuing_body", "subject", "issuer", "serial", "not_before", "not_after",
                       "certificate_pem", "fingerprint", "is_demo"]

    def has_add_permission(self, request):
        return False


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
