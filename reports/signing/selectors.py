"""Reads of the signing app: registers, signed files, verification, frozen data, signed snapshots."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from agent import PROTOCOL_VERSION
from core.formatting import format_date_line, format_doc_number_line, parse_doc_number
from core.scoping import get_staff, unit_scope_q
from reports.documents.models import Report
from reports.signing import pdfsign, pki, rules
from reports.signing.models import (
    IntermediateCertificate,
    RegisterCounter,
    RegisterEntry,
    RevocationList,
    SealImage,
    SignedDocument,
    SignedDraft,
    SigningCertificate,
    SigningRequest,
    TrustRoot,
)
from reports.submissions.freeze import frozen_reason


def trust_roots() -> list:
    return pdfsign.trust_roots_from_pem(list(TrustRoot.objects.values_list("certificate_pem", flat=True)))


def intermediate_certificates() -> list:
    """The intermediate CAs kept from registrations (cryptography certificates)."""
    return [pki.load_pem(pem) for pem in IntermediateCertificate.objects.values_list("certificate_pem", flat=True)]


def trust_intermediates() -> list:
    """The same, for pyHanko's validation (`other_certs`): they help build paths, trust nothing."""
    return pdfsign.trust_roots_from_pem(list(IntermediateCertificate.objects.values_list("certificate_pem",
                                                                                         flat=True)))


def held_crls() -> list[bytes]:
    """The current CRL of every issuer the server holds (DER), for revocation checks."""
    return [bytes(der) for der in RevocationList.objects.filter(is_current=True).values_list("der", flat=True)]


def seal_image_on(*, issuing_body, on) -> SealImage | None:
    """The body's seal image in force on `on` (latest `valid_from` not after it), or None (drawn seal)."""
    return (SealImage.objects.filter(issuing_body=issuing_body, valid_from__lte=on)
            .order_by("-valid_from").first())


def register_entries_for(*, user, issuing_body=None, period: str | None = None) -> QuerySet[RegisterEntry]:
    """Register entries the user may see (their unit's subtree), newest first."""
    qs = (RegisterEntry.objects.restrict(user, "view")
          .select_related("issuing_body", "signed_document", "corrects")
          .prefetch_related("corrections")
          .defer("signed_document__pdf"))
    if issuing_body is not None:
        qs = qs.filter(issuing_body=issuing_body)
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("issuing_body__unit__path", "issuing_body__code", "-period", "-number")


def register_counters_for(*, user) -> QuerySet[RegisterCounter]:
    return (RegisterCounter.objects.filter(unit_scope_q(user, "view", prefix="issuing_body__unit__"))
            .select_related("issuing_body").order_by("issuing_body__unit__path", "-period"))


def signed_document_get(*, user, pk: int) -> SignedDocument:
    """A signed file the user may download, or 404 outside their subtree."""
    return get_object_or_404(SignedDocument.objects.restrict(user, "view").select_related("entry"), pk=pk)


@dataclass
class Verification:
    result: pdfsign.VerificationResult
    entry: RegisterEntry | None
    matched_by: str  # "sha256", "number" or ""
    exact_copy: bool  # the file is byte for byte the stored signed file
    problems: list[str] = field(default_factory=list)  # register checks (issuance, certificates)
    entry_hidden: bool = False  # an entry matched but is outside the user's scope (not shown)

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.problems

    @property
    def message(self) -> str:
        if self.result.ok and self.problems:
            return self.problems[0]
        return self.result.message


def _register_checks(result: pdfsign.VerificationResult, entry: RegisterEntry | None) -> list[str]:
    """An issued file: the number and date it shows are the register's, the leader's certificate is
    the register's signer's, the organisation's is the body's. Without them the issuance is not trusted."""
    problems = []
    by_field = {s.field_name: s for s in result.signatures}
    if pdfsign.ORGANISATION_FIELD not in by_field:
        return problems
    if entry is None:
        return [_("Không tìm thấy văn bản trong sổ đăng ký: không xác nhận được số và ngày ban hành.")]
    number_line = format_doc_number_line(entry.number, entry.kind, entry.issuing_body.code_suffix)
    date_line = format_date_line(entry.issued_on, entry.issuing_body.place_name)
    if (result.issuance.get(pdfsign.NUMBER_FIELD) != number_line
            or result.issuance.get(pdfsign.DATE_FIELD) != date_line):
        problems.append(_("Số, ngày ghi trên văn bản không khớp với sổ đăng ký (%(reference)s).")
                        % {"reference": entry.reference})
    org = by_field[pdfsign.ORGANISATION_FIELD]
    if not SigningCertificate.objects.filter(kind=SigningCertificate.Kind.ORGANISATION, issuing_body=entry.issuing_body,
                                             fingerprint=org.certificate_sha256).exists():
        problems.append(_("Chữ ký cơ quan không phải của %(body)s.") % {"body": entry.issuing_body.name})
    leader = by_field.get(pdfsign.LEADER_FIELD)
    if leader is None or not SigningCertificate.objects.filter(
            kind=SigningCertificate.Kind.PERSONAL, user=entry.signer_id,
            fingerprint=leader.certificate_sha256).exists():
        problems.append(_("Chữ ký lãnh đạo không phải của người ký ghi trong sổ (%(name)s).")
                        % {"name": entry.signer_name})
    return problems


def verify_upload(*, data: bytes, number: str = "", user=None) -> Verification:
    """Verify a PDF against the trusted roots, find its register entry and check the issuance.

    The entry is matched by the SHA-256 of the file or of one of its signed revisions, else by the
    number the issuance field shows, the signature's reason or the number typed. With a `user` (the
    web page) the entry is returned only when the file is byte for byte the stored one or the entry
    is within the user's subtree; the command line (no user) is the operator's.
    """
    result = pdfsign.verify_pdf(data, trust_roots=trust_roots(), other_certs=trust_intermediates(),
                                crls=held_crls())
    hashes = {result.sha256, *result.revision_hashes}
    entry, matched_by, exact = None, "", False
    document = (SignedDocument.objects.filter(sha256__in=hashes).select_related("entry__issuing_body")
                .defer("pdf").first())
    if document is not None:
        entry, matched_by, exact = document.entry, "sha256", document.sha256 == result.sha256
    else:
        references = [number] if number else []
        shown = result.issuance.get(pdfsign.NUMBER_FIELD, "")
        if shown.startswith("Số "):
            references.insert(0, shown[3:])
        for sig in result.signatures:
            if "số " in sig.reason:
                references.append(sig.reason.rsplit("số ", 1)[1].split(",")[0])
        for reference in references:
            try:
                no, kind, suffix = parse_doc_number(reference.strip())
            except ValueError:
                continue
            entry = (RegisterEntry.objects.filter(number=no, kind=kind, issuing_body__code_suffix__iexact=suffix)
                     .select_related("issuing_body").order_by("-issued_on").first())
            if entry is not None:
                matched_by = "number"
                break
    problems = _register_checks(result, entry) if result.ok else []
    hidden = False
    if entry is not None and user is not None and not exact:
        if not RegisterEntry.objects.restrict(user, "view").filter(pk=entry.pk).exists():
            entry, matched_by, hidden = None, "", True
    return Verification(result=result, entry=entry, matched_by=matched_by, exact_copy=exact, problems=problems,
                        entry_hidden=hidden)


def request_spec(request: SigningRequest, *, absolute=lambda path: path) -> dict:
    """The JSON the agent (or a vendor plug-in) reads for a one-time link (docs/signing.md)."""
    if request.purpose == SigningRequest.Purpose.ORGANISATION:
        certificates = SigningCertificate.objects.filter(kind=SigningCertificate.Kind.ORGANISATION,
                                                         issuing_body=request.issuing_body, is_active=True)
    else:
        certificates = SigningCertificate.objects.filter(kind=SigningCertificate.Kind.PERSONAL, user=request.user,
                                                         is_active=True)
    return {
        "version": PROTOCOL_VERSION,
        "purpose": request.purpose,
        "pdf_url": absolute(reverse("signing:request_pdf", args=[request.token])),
        "pdf_sha256": request.sha256,
        "appearance_url": absolute(reverse("signing:request_appearance", args=[request.token])),
        "upload_url": absolute(reverse("signing:request_upload", args=[request.token])),
        "field_name": request.field_name,
        "page": request.page,
        "box": request.box,
        "reason": request.reason,
        "location": request.location,
        "signer_name": request.signer_name,
        "certificates": [base64.b64encode(pki.der_of(pki.load_pem(c.certificate_pem))).decode()
                         for c in certificates],
        "timestamp_url": settings.SIGNING_TIMESTAMP_URL,
        "expires_at": request.expires_at.isoformat(),
    }


def entries_correcting(entry: RegisterEntry) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(Q(corrects=entry)).order_by("issued_on", "number")


# --------------------------------------------------------------------------------------------------
# Reports: waiting lists, steps, frozen data, signed snapshots
# --------------------------------------------------------------------------------------------------


def reports_waiting_for(*, user):
    """Reports of the user's own unit waiting for them: a leader approves pending and signs approved ones;
    a reviewer sees those returned to them."""
    staff = get_staff(user)
    if staff is None:
        return Report.objects.none()
    statuses = []
    if staff.is_leader:
        statuses += [Report.Status.PENDING, Report.Status.APPROVED]
    if staff.is_reviewer:
        statuses += [Report.Status.RETURNED]
    return (Report.objects.restrict(user, "view").filter(unit=staff.unit, status__in=statuses)
            .select_related("plan", "issuing_body").order_by("updated_at"))


def approval_steps_for(*, report):
    return report.approval_steps.select_related("user", "entry").order_by("at", "pk")


def signed_document_for_report(*, report) -> SignedDocument | None:
    """The signed file of a report (its latest register entry), or None before signing."""
    return (SignedDocument.objects.filter(entry__report=report).select_related("entry")
            .defer("pdf").order_by("-signed_at").first())


def report_is_frozen(report) -> bool:
    return report is not None and report.status == "signed"


def submission_is_frozen(submission) -> bool:
    """Whether a signed report above has closed this submission: `reports.submissions.freeze`, the one rule."""
    return frozen_reason(submission) is not None


def signed_report_snapshot(*, plan, unit) -> dict | None:
    """The figures snapshot of the unit's signed report answering `plan` (or a plan relaying it).

    For the province roll-up: a district's figures come from what its leader signed. None when the
    unit has no signed report for that plan.
    """
    report = (Report.objects.filter(unit=unit, status=Report.Status.SIGNED)
              .filter(Q(plan=plan) | Q(plan__relays=plan) | Q(source_plan=plan))
              .order_by("-signed_at").only("snapshot").first())
    return report.snapshot if report is not None else None


def drafts_waiting_for(*, user):
    """Documents signed by a leader waiting for the văn thư of the same unit to number them."""

    staff = get_staff(user)
    if staff is None or not staff.is_clerk:
        return SignedDraft.objects.none()
    return (SignedDraft.objects.filter(issuing_body__unit=staff.unit, status=SignedDraft.Status.PENDING)
            .select_related("report", "issuing_body").defer("pdf").order_by("signed_at"))


def report_panel(*, report, user) -> dict:
    """Context for `signing/_report_panel.html`: what the user may do now, the steps, the signed file."""
    document = signed_document_for_report(report=report)
    draft = rules.pending_draft(report)
    return {
        "report": report,
        "draft": draft,
        "can_issue": rules.can_issue(user, report),
        "issue_with_hsm": settings.SIGNING_ORGANISATION_KEY == "hsm",
        "steps": list(approval_steps_for(report=report)),
        "document": document,
        "corrections": list(entries_correcting(document.entry).select_related("signed_document")
                            .defer("signed_document__pdf")) if document else [],
        "can_send": rules.can_send(user, report),
        "can_approve": rules.can_approve(user, report),
        "can_sign": rules.can_sign(user, report),
        "can_return": rules.can_return(user, report),
    }
