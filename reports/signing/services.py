"""Writes of the signing app: certificates, register numbers, signed documents, the report life cycle.

Every service is keyword-only and transactional. Numbering: a per-body, per-period counter row is
incremented and locked inside the signing transaction, so the number, the register entry and the
signed file are committed together or not at all (no gaps), and two signers of the same body wait
for each other (no duplicates; the UniqueConstraint on (body, period, number) is the backstop).
The PDF is laid out before the lock is taken, for the number expected next, and laid out again
in the rare case another signer took that number first.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_doc_number, local_now, person_name
from core.numbering import register_period  # noqa: F401  (re-exported: the register's periods)
from notifications.models import Kind
from notifications.services import notifications_create, users_with_role
from reports.documents.services import report_check_typed_numbers
from reports.documents.text.parts.sources import cited_reports
from reports.signing import pdfsign, pki
from reports.signing.models import (
    RegisterCounter,
    RegisterEntry,
    SignedDocument,
    SigningCertificate,
    TrustRoot,
)
from units.lifecycle import unit_ensure_active


@dataclass
class RenderedPdf:
    """A PDF ready for signing and where its visible signature goes (page index, box in points)."""

    pdf: bytes
    page: int = -1
    box: tuple[float, float, float, float] | None = None


# render(number, reference "164-BC/BTGHU", issue date) -> the PDF carrying them.
Renderer = Callable[[int, str, dt.date], RenderedPdf]


# --------------------------------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def trust_root_add(*, certificate_pem: str, name: str = "", is_demo: bool = False) -> TrustRoot:
    """Trust a root certificate for verification (idempotent on its fingerprint)."""
    cert = pki.load_pem(certificate_pem)
    root, _created = TrustRoot.objects.update_or_create(
        fingerprint=pki.fingerprint(cert),
        defaults={"name": name or pki.subject_common_name(cert), "certificate_pem": certificate_pem,
                  "is_demo": is_demo},
    )
    return root


@transaction.atomic
def certificate_import(
    *,
    pkcs12_data: bytes,
    passphrase: bytes | None,
    kind: str,
    user=None,
    issuing_body=None,
    passphrase_env: str = "",
    is_demo: bool = False,
) -> SigningCertificate:
    """Store a PKCS#12 signing certificate for a leader (`user`) or an issuing body's seal.

    The passphrase is only used to check that the archive opens; it is never stored. Earlier
    certificates of the same owner and kind are deactivated.
    """
    _key, cert, _chain = pki.load_pkcs12(pkcs12_data, passphrase)
    if kind == SigningCertificate.Kind.PERSONAL and user is None:
        raise ValidationError(_("Chứng thư cá nhân phải gắn với một người ký."))
    if kind == SigningCertificate.Kind.ORGANISATION and issuing_body is None:
        raise ValidationError(_("Chứng thư của cơ quan phải gắn với một cơ quan ban hành."))
    owner = {"user": user} if kind == SigningCertificate.Kind.PERSONAL else {"issuing_body": issuing_body}
    SigningCertificate.objects.filter(kind=kind, is_active=True, **owner).update(is_active=False)
    return SigningCertificate.objects.create(
        kind=kind, **owner,
        subject=cert.subject.rfc4514_string(), issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"), not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc, certificate_pem=pki.IssuedCertificate(None, cert).pem,
        pkcs12=pkcs12_data, passphrase_env=passphrase_env, is_demo=is_demo,
    )


def _material(certificate: SigningCertificate) -> pdfsign.SignerMaterial:
    key, cert, chain = pki.load_pkcs12(certificate.pkcs12, pki.passphrase_for(certificate))
    return pdfsign.SignerMaterial(key=key, certificate=cert, chain=chain)


def _check_validity(certificate: SigningCertificate, when: dt.datetime) -> None:
    if not (certificate.not_before <= when <= certificate.not_after):
        raise ValidationError(_("Chứng thư ký số của %(subject)s đã hết hạn hoặc chưa có hiệu lực.")
                              % {"subject": certificate.subject})


# --------------------------------------------------------------------------------------------------
# Register
# --------------------------------------------------------------------------------------------------


def register_counter_get(*, issuing_body, period: str) -> RegisterCounter:
    """The counter row of a body and period, created at 0 when missing (safe when two create it at once)."""
    counter = RegisterCounter.objects.filter(issuing_body=issuing_body, period=period).first()
    if counter:
        return counter
    try:
        with transaction.atomic():
            return RegisterCounter.objects.create(issuing_body=issuing_body, period=period)
    except IntegrityError:
        return RegisterCounter.objects.get(issuing_body=issuing_body, period=period)


@transaction.atomic
def register_counter_set_start(*, issuing_body, period: str, starting_number: int, note: str) -> RegisterCounter:
    """Declare that numbers 1..starting_number of the period were given outside the system.

    Refused once the system has given a number in that period (it would create a gap or a duplicate).
    """
    if starting_number < 0:
        raise ValidationError(_("Số bắt đầu không được âm."))
    counter = register_counter_get(issuing_body=issuing_body, period=period)
    counter = RegisterCounter.objects.select_for_update().get(pk=counter.pk)
    if RegisterEntry.objects.filter(issuing_body=issuing_body, period=period).exists():
        if counter.starting_number == starting_number:
            return counter
        raise ValidationError(_("Kỳ %(period)s đã có văn bản được cấp số trong hệ thống; không đổi được số bắt đầu.")
                              % {"period": period})
    counter.starting_number = counter.last_number = starting_number
    counter.note = note
    counter.save(update_fields=["starting_number", "last_number", "note"])
    return counter


def _take_number(counter_pk: int) -> int:
    """Increment and lock the counter row; must run inside the caller's transaction.

    The UPDATE comes first: on PostgreSQL it locks the row until commit (a second signer's UPDATE
    waits, then sees the new value); on SQLite it takes the database write lock at once, before
    anything was read in this transaction, so a second signer waits (busy timeout) instead of
    failing. The SELECT … FOR UPDATE then reads the value this transaction owns.
    """
    qs = RegisterCounter.objects.filter(pk=counter_pk)
    qs.update(last_number=F("last_number") + 1)
    return qs.select_for_update().get().last_number


def document_issue(
    *,
    issuing_body,
    kind: str,
    summary: str,
    signer,
    render: Renderer,
    on: dt.date | None = None,
    corrects: RegisterEntry | None = None,
    report=None,
    before_commit: Callable[[RegisterEntry, SignedDocument], None] | None = None,
) -> SignedDocument:
    """Give the next number of the body's register, render the PDF with it, sign it, store it.

    `render(number, reference, date)` returns the PDF carrying that number and date. The leader signs
    with their personal certificate, then the body's seal certificate signs too where configured.
    `before_commit(entry, document)` runs inside the same transaction (e.g. to mark a report
    signed), so a failure anywhere leaves no number used. Bad input changes nothing.

    The render normally happens before the counter is locked (for the number that is next at that
    moment), so the lock is held only while signing and storing; `render` may therefore be called
    again with a later number when another signer of the same body was quicker.
    """
    if kind not in RegisterEntry.Kind.values:
        raise ValidationError(_("Loại văn bản không hợp lệ: %(kind)s") % {"kind": kind})
    personal = (SigningCertificate.objects
                .filter(kind=SigningCertificate.Kind.PERSONAL, user=signer, is_active=True)
                .order_by("-created_at").first())
    if personal is None:
        raise ValidationError(_("%(name)s chưa có chứng thư ký số; liên hệ quản trị để được cấp.")
                              % {"name": person_name(signer)})
    seal = (SigningCertificate.objects
            .filter(kind=SigningCertificate.Kind.ORGANISATION, issuing_body=issuing_body, is_active=True)
            .order_by("-created_at").first())
    now = timezone.now()
    _check_validity(personal, now)
    leader = _material(personal)  # a wrong passphrase fails here, before any number is taken
    seal_material = None
    if seal is not None:
        _check_validity(seal, now)
        seal_material = _material(seal)
    on = on or local_now().date()
    period = register_period(on)
    counter = register_counter_get(issuing_body=issuing_body, period=period)
    staff = getattr(signer, "staff", None)
    signer_title = (staff.title if staff and staff.title else issuing_body.signer_title.capitalize())
    signer_name = person_name(signer)
    def reference_of(number: int) -> str:
        return format_doc_number(number, kind, issuing_body.code_suffix)

    # The slow part (the report layout) is done before the counter is locked, for the number that is
    # next now; if another signer took that number meanwhile, the transaction rolls back and we try
    # again. The last try renders under the lock, where the number cannot move.
    prepared: dict[int, RenderedPdf] = {}
    for attempt in range(PRERENDER_ATTEMPTS + 1):
        last_try = attempt == PRERENDER_ATTEMPTS
        if not last_try:
            expected = RegisterCounter.objects.values_list("last_number", flat=True).get(pk=counter.pk) + 1
            if expected not in prepared:
                prepared = {expected: render(expected, reference_of(expected), on)}
        try:
            with transaction.atomic():
                number = _take_number(counter.pk)
                rendered = prepared.get(number)
                if rendered is None:
                    if not last_try:
                        raise _NumberTaken
                    rendered = render(number, reference_of(number), on)
                return _sign_and_store(
                    rendered=rendered, number=number, reference=reference_of(number), period=period, on=on,
                    kind=kind, summary=summary, issuing_body=issuing_body, signer=signer, signer_name=signer_name,
                    signer_title=signer_title, personal=personal, leader=leader, seal=seal,
                    seal_material=seal_material, corrects=corrects, report=report, before_commit=before_commit,
                )
        except _NumberTaken:
            continue
    raise AssertionError("unreachable: the last try renders under the lock")  # pragma: no cover


class _NumberTaken(Exception):
    """Another signer took the number the PDF was rendered for; roll back and render again."""


# Pre-renders (outside the lock) before rendering under the lock; each costs a render.
PRERENDER_ATTEMPTS = 2


def _sign_and_store(*, rendered: RenderedPdf, number: int, reference: str, period: str, on: dt.date, kind: str,
                    summary: str, issuing_body, signer, signer_name: str, signer_title: str, personal, leader,
                    seal, seal_material, corrects, report, before_commit) -> SignedDocument:
    """Inside the numbering transaction: sign (leader, then seal), write the entry and the file."""
    now = timezone.now()
    page, box = (rendered.page, rendered.box) if rendered.box else pdfsign.default_signature_box()
    leader_box, seal_box = _split_box(box) if seal_material is not None else (box, None)
    reason = _("Ký ban hành văn bản số %(reference)s") % {"reference": reference}
    timestamp_url = getattr(settings, "SIGNING_TIMESTAMP_URL", "")
    signed = pdfsign.sign_pdf(
        rendered.pdf, material=leader, field_name="ChuKyNguoiKy", box=leader_box, page=page,
        signer_name=signer_name, signer_title=signer_title,
        organisation="" if seal_material is not None else issuing_body.name,
        reason=reason, location=issuing_body.place_name, timestamp_url=timestamp_url, signed_at=now,
    )
    if seal_material is not None:
        signed = pdfsign.sign_pdf(
            signed, material=seal_material, field_name="ChuKyCoQuan", box=seal_box, page=page,
            signer_name=issuing_body.name, signer_title="", organisation="", label=_("Cơ quan ký:"),
            reason=reason, location=issuing_body.place_name, timestamp_url=timestamp_url, signed_at=now,
        )
    entry = RegisterEntry.objects.create(
        issuing_body=issuing_body, period=period, number=number, kind=kind, reference=reference,
        issued_on=on, summary=summary[:500], signer=signer, signer_name=signer_name,
        signer_title=signer_title, corrects=corrects, report=report,
    )
    document = SignedDocument.objects.create(
        entry=entry, pdf=signed, sha256=pki.sha256_hex(signed), size=len(signed), signed_at=now,
        certificate=personal, organisation_certificate=seal, timestamped=bool(timestamp_url),
    )
    if before_commit is not None:
        before_commit(entry, document)
    return document


def _split_box(box):
    """With a seal: the signature space is shared, the body's stamp left (where the seal goes on
    paper, over the left of the signature) and the leader's stamp right."""
    x1, y1, x2, y2 = box
    cut = x1 + (x2 - x1) * 0.42
    return (cut + 3, y1, x2, y2), (x1, y1, cut - 3, y2)


# --------------------------------------------------------------------------------------------------
# Report life cycle: draft → pending approval → approved → signed; returned at any step before signing
# --------------------------------------------------------------------------------------------------


def _report_model():
    from reports.documents.models import Report

    return Report


def _is_unit_staff(user, report, flag: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = getattr(user, "staff", None)
    return staff is not None and staff.unit_id == report.unit_id and getattr(staff, flag)


def can_send(user, report) -> bool:
    Report = _report_model()
    editable = report.status in (Report.Status.DRAFT, Report.Status.RETURNED)
    return editable and _is_unit_staff(user, report, "is_reviewer")


def can_approve(user, report) -> bool:
    return report.status == _report_model().Status.PENDING and _is_unit_staff(user, report, "is_leader")


def can_sign(user, report) -> bool:
    return report.status == _report_model().Status.APPROVED and _is_unit_staff(user, report, "is_leader")


def can_return(user, report) -> bool:
    Report = _report_model()
    if report.status == Report.Status.PENDING:
        return _is_unit_staff(user, report, "is_leader") or _is_unit_staff(user, report, "is_reviewer")
    if report.status == Report.Status.APPROVED:
        return _is_unit_staff(user, report, "is_leader")
    return False


def _locked_report(report):
    Report = _report_model()
    return Report.objects.select_for_update().select_related("issuing_body", "unit", "plan").get(pk=report.pk)


def _step(report, *, action: str, from_status: str, user, reason: str = "", entry=None, at=None):
    from reports.signing.models import ApprovalStep

    return ApprovalStep.objects.create(
        report=report, action=action, from_status=from_status, to_status=report.status, user=user,
        user_name=person_name(user), at=at or timezone.now(), reason=reason, entry=entry,
    )


def _move(report, *, user, to_status: str, action: str, reason: str = "", allowed: Callable) -> object:
    Report = _report_model()
    report = _locked_report(report)
    if report.status == Report.Status.SIGNED:
        raise ValidationError(_("Báo cáo đã ký số, không thể thay đổi."))
    if not allowed(user, report):
        raise ValidationError(_("Bạn không có quyền thực hiện thao tác này với báo cáo ở trạng thái “%(status)s”.")
                              % {"status": report.get_status_display()})
    from_status = report.status
    Report.objects.filter(pk=report.pk).update(status=to_status, version=F("version") + 1, updated_by=user,
                                                updated_at=timezone.now())
    report.refresh_from_db()
    _step(report, action=action, from_status=from_status, user=user, reason=reason)
    _notify_moved(report, user=user, reason=reason)
    return report


def _notify_moved(report, *, user, reason: str) -> None:
    """Tell who acts next: leaders (approve, then sign) or the reviewers (a return, with its reason)."""
    Report = _report_model()
    flag, kind, title = {
        Report.Status.PENDING: ("is_leader", Kind.TO_APPROVE, _("Báo cáo chờ phê duyệt: %(report)s")),
        Report.Status.APPROVED: ("is_leader", Kind.TO_SIGN, _("Báo cáo chờ ký số: %(report)s")),
        Report.Status.RETURNED: ("is_reviewer", Kind.RETURNED, _("Báo cáo tổng hợp bị trả lại: %(report)s")),
    }.get(report.status, (None, None, None))
    if flag is None:
        return
    users = [u for u in users_with_role(unit_ids=[report.unit_id], flag=flag) if u.pk != user.pk]
    body = (_("Lý do: %(reason)s") % {"reason": reason}) if reason else ""
    notifications_create(users=users, kind=kind, title=title % {"report": report.plan.reference}, body=body,
                         url=report.get_absolute_url())


@transaction.atomic
def report_send_for_approval(*, report, user, note: str = ""):
    """Draft or returned → pending approval, by a reviewer of the issuing unit."""
    from reports.signing.models import ApprovalStep

    # No unbound figure reaches a signature: every typed number is bound or confirmed first (issue 18.1).
    report_check_typed_numbers(report=_report_model().objects.get(pk=report.pk))
    return _move(report, user=user, to_status=_report_model().Status.PENDING, action=ApprovalStep.Action.SEND,
                 reason=note.strip(), allowed=can_send)


@transaction.atomic
def report_approve(*, report, user, note: str = ""):
    """Pending → approved, by a leader of the issuing unit only."""
    from reports.signing.models import ApprovalStep

    # Approving while subordinate reports are missing is allowed, with the warning kept in the step (issue 18.5).
    _cited, missing = cited_reports(_report_model().objects.get(pk=report.pk).snapshot or {})
    if missing:
        warning = _("Duyệt khi chưa nhận được báo cáo của: %(names)s.") % {"names": "; ".join(missing)}
        note = f"{note.strip()} {warning}".strip()
    return _move(report, user=user, to_status=_report_model().Status.APPROVED, action=ApprovalStep.Action.APPROVE,
                 reason=note.strip(), allowed=can_approve)


@transaction.atomic
def report_return(*, report, user, reason: str):
    """Pending or approved → returned with a reason (required), back to the reviewers for editing."""
    from reports.signing.models import ApprovalStep

    if not (reason or "").strip():
        raise ValidationError(_("Phải nêu lý do trả lại."))
    return _move(report, user=user, to_status=_report_model().Status.RETURNED, action=ApprovalStep.Action.RETURN,
                 reason=reason.strip(), allowed=can_return)


def report_sign(*, report, user, on: dt.date | None = None, render: Callable | None = None) -> SignedDocument:
    """Approved → signed: the next register number, the PDF rendered with it, signed, stored, locked.

    `render(report)` returns a RenderedPdf for a report whose number, issue date and signer are set
    (in memory); by default the documents app's renderer. Atomic: `document_issue` commits the
    number, the register entry, the signed file, the report's new state and the step together.
    """
    from reports.signing.models import ApprovalStep
    from reports.signing.rendering import render_report

    Report = _report_model()
    render = render or render_report
    report = Report.objects.select_related("issuing_body", "unit", "plan").get(pk=report.pk)
    if report.status == Report.Status.SIGNED:
        raise ValidationError(_("Báo cáo đã được ký số."))
    if not can_sign(user, report):
        raise ValidationError(_("Chỉ lãnh đạo của đơn vị ban hành ký được báo cáo đã duyệt."))
    report_check_typed_numbers(report=report)
    unit_ensure_active(unit=report.unit, on=on, action=_("ký, ban hành văn bản"))
    signer_name = person_name(user)

    def _render(number: int, reference: str, issued_on: dt.date) -> RenderedPdf:
        # Runs before the counter is locked too; `_mark_signed` re-checks the state atomically.
        current = Report.objects.select_related("issuing_body", "unit", "plan").get(pk=report.pk)
        if not can_sign(user, current):  # someone signed or returned it meanwhile
            raise ValidationError(_("Báo cáo vừa được người khác ký hoặc trả lại; hãy tải lại trang."))
        current.number, current.issued_on, current.signer_name = number, issued_on, signer_name
        return render(current)

    def _mark_signed(entry: RegisterEntry, document: SignedDocument) -> None:
        updated = Report.objects.filter(pk=report.pk, status=Report.Status.APPROVED).update(
            status=Report.Status.SIGNED, number=entry.number, issued_on=entry.issued_on,
            signed_at=document.signed_at, signer_name=signer_name, version=F("version") + 1, updated_by=user,
            updated_at=timezone.now(),
        )
        if updated != 1:
            raise ValidationError(_("Báo cáo vừa được người khác ký hoặc trả lại; hãy tải lại trang."))
        report.refresh_from_db()
        _step(report, action=ApprovalStep.Action.SIGN, from_status=Report.Status.APPROVED, user=user,
              entry=entry, at=document.signed_at)

    return document_issue(
        issuing_body=report.issuing_body, kind=report.kind, summary=report.summary, signer=user,
        render=_render, on=on, report=report, before_commit=_mark_signed,
    )


# --------------------------------------------------------------------------------------------------
# Corrections: a signed document never changes; a correction is a new numbered document citing it
# --------------------------------------------------------------------------------------------------


def can_correct(user, entry: RegisterEntry) -> bool:
    """Only a leader of the issuing unit issues a correction of its document."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = getattr(user, "staff", None)
    return staff is not None and staff.is_leader and staff.unit_id == entry.issuing_body.unit_id


def _correction_document(*, entry: RegisterEntry, reference: str, on: dt.date, text: str, signer_name: str):
    from core.formatting import format_date_line, format_date_short
    from reports.documents.pdf.document import Block, Closing, Header, PrintDocument

    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("^", "\\^").replace("]", "\\]")

    body = entry.issuing_body
    kind_label = entry.get_kind_display()
    header = Header(own_line=body.own_line, number_line=f"Số {reference}",
                    place_date_line=format_date_line(on, body.place_name), superior_line=body.superior_line,
                    board_line=body.board_line)
    opening = (f"Ngày {format_date_short(entry.issued_on)}, {body.citation_name} ban hành {kind_label} số "
               f"{entry.reference} về {entry.summary}. Nay {body.citation_name} đính chính như sau:")
    blocks = [Block.of("paragraph", escape(opening))]
    blocks += [Block.of("paragraph", escape(line.strip())) for line in text.splitlines() if line.strip()]
    blocks.append(Block.of("paragraph", escape(
        f"Các nội dung khác của {kind_label} số {entry.reference} giữ nguyên. Đề nghị các cơ quan, đơn vị "
        "nhận văn bản cập nhật theo nội dung đính chính trên.")))
    closing = Closing(recipients=tuple(r.lstrip("- ").strip() for r in body.recipient_list) or ("Lưu.",),
                      signer_title=body.signer_title, signer_name=signer_name, authority=body.signer_authority)
    return PrintDocument(header=header, doc_type="THÔNG BÁO",
                         summary=f"đính chính {kind_label} số {entry.reference}",
                         blocks=tuple(blocks), closing=closing, title=f"Thông báo {reference}", author=body.name)


def correction_issue(*, entry: RegisterEntry, user, text: str, on: dt.date | None = None) -> SignedDocument:
    """Issue and sign a Thông báo đính chính (a new number of the same register) citing `entry`.

    The corrected document stays as it was signed; the register shows the correction next to it, and
    a report's steps record it.
    """
    from reports.documents.pdf.render import render_document
    from reports.signing.models import ApprovalStep

    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Phải nêu nội dung đính chính."))
    if not can_correct(user, entry):
        raise ValidationError(_("Chỉ lãnh đạo của cơ quan ban hành mới ban hành được văn bản đính chính."))
    signer_name = person_name(user)

    def render(number: int, reference: str, issued_on: dt.date) -> RenderedPdf:
        result = render_document(_correction_document(entry=entry, reference=reference, on=issued_on, text=text,
                                                      signer_name=signer_name))
        box = result.signature_box
        return RenderedPdf(pdf=result.pdf, page=box.page, box=box.box) if box else RenderedPdf(pdf=result.pdf)

    def record(new_entry: RegisterEntry, document: SignedDocument) -> None:
        if entry.report_id:
            report = entry.report
            _step(report, action=ApprovalStep.Action.CORRECT, from_status=report.status, user=user, reason=text,
                  entry=new_entry, at=document.signed_at)

    return document_issue(
        issuing_body=entry.issuing_body, kind=RegisterEntry.Kind.NOTICE,
        summary=f"Đính chính {entry.get_kind_display()} số {entry.reference}", signer=user, render=render, on=on,
        corrects=entry, report=None, before_commit=record,
    )
