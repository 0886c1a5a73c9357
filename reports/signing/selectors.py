"""Reads of the signing app: registers, signed files, verification, frozen data, signed snapshots."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.formatting import parse_doc_number
from reports.signing import pdfsign
from reports.signing.models import RegisterCounter, RegisterEntry, SignedDocument, TrustRoot
from reports.submissions.freeze import frozen_reason


def trust_roots() -> list:
    return pdfsign.trust_roots_from_pem(list(TrustRoot.objects.values_list("certificate_pem", flat=True)))


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
    from core.scoping import unit_scope_q

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


def verify_upload(*, data: bytes, number: str = "") -> Verification:
    """Verify a PDF against the trusted roots and find its register entry.

    The entry is matched by the SHA-256 of the file or of one of its signed revisions, else by
    the number in the signature's reason ("Ký ban hành văn bản số 164-BC/BTGHU") or the number typed.
    """
    result = pdfsign.verify_pdf(data, trust_roots=trust_roots())
    hashes = {result.sha256, *result.revision_hashes}
    document = (SignedDocument.objects.filter(sha256__in=hashes).select_related("entry__issuing_body")
                .defer("pdf").first())
    if document is not None:
        return Verification(result=result, entry=document.entry, matched_by="sha256",
                            exact_copy=document.sha256 == result.sha256)
    references = [number] if number else []
    for sig in result.signatures:
        if "số " in sig.reason:
            references.append(sig.reason.rsplit("số ", 1)[1])
    for reference in references:
        try:
            no, kind, suffix = parse_doc_number(reference)
        except ValueError:
            continue
        entry = (RegisterEntry.objects.filter(number=no, kind=kind, issuing_body__code_suffix__iexact=suffix)
                 .select_related("issuing_body").order_by("-issued_on").first())
        if entry is not None:
            return Verification(result=result, entry=entry, matched_by="number", exact_copy=False)
    return Verification(result=result, entry=None, matched_by="", exact_copy=False)


def entries_correcting(entry: RegisterEntry) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(Q(corrects=entry)).order_by("issued_on", "number")


# --------------------------------------------------------------------------------------------------
# Reports: waiting lists, steps, frozen data, signed snapshots
# --------------------------------------------------------------------------------------------------


def reports_waiting_for(*, user):
    """Reports of the user's own unit waiting for them: a leader approves pending and signs approved ones;
    a reviewer sees those returned to them."""
    from core.scoping import get_staff
    from reports.documents.models import Report

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
    from reports.documents.models import Report

    report = (Report.objects.filter(unit=unit, status=Report.Status.SIGNED)
              .filter(Q(plan=plan) | Q(plan__relays=plan) | Q(source_plan=plan))
              .order_by("-signed_at").only("snapshot").first())
    return report.snapshot if report is not None else None


def report_panel(*, report, user) -> dict:
    """Context for `signing/_report_panel.html`: what the user may do now, the steps, the signed file."""
    from reports.signing import services

    document = signed_document_for_report(report=report)
    return {
        "report": report,
        "steps": list(approval_steps_for(report=report)),
        "document": document,
        "corrections": list(entries_correcting(document.entry).select_related("signed_document")
                            .defer("signed_document__pdf")) if document else [],
        "can_send": services.can_send(user, report),
        "can_approve": services.can_approve(user, report),
        "can_sign": services.can_sign(user, report),
        "can_return": services.can_return(user, report),
    }
