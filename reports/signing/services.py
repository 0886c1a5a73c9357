"""Writes of the signing app: certificates, one-time signing links, accepting signatures, issuance.

Paper practice, kept here: the leader signs the approved report (on their own token: through the
agent, or any PDF program, then upload), then the văn thư gives the number and date from the
register and the organisation's signature with the seal (its key in the HSM, or on the văn thư's
token). The server never receives, stores or uses a personal private key.

Numbering: a per-body, per-period counter row is incremented and locked inside the issuing
transaction, so the number, the register entry and the issued file are committed together or not
at all (no gaps), and two văn thư of the same body wait for each other (no duplicates; the
UniqueConstraint on (body, period, number) is the backstop).
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agent.pdf import sign_pdf
from agent.pkcs11token import find_key_id, pyhanko_signer
from core.formatting import (
    format_date_line,
    format_date_short,
    format_doc_number,
    format_doc_number_line,
    local_now,
    person_name,
)
from core.numbering import register_period  # noqa: F401  (re-exported: the register's periods)
from notifications.models import Kind
from notifications.services import notifications_create, users_with_role
from reports.documents.services import report_check_typed_numbers
from reports.documents.text.parts.sources import cited_reports
from reports.signing import hsm, pdfsign, pki, sealimage
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
    SigningRequest,
    TrustRoot,
)
from reports.signing.rendering import RenderedPdf, annex_line, render_correction, render_report
from reports.signing.rules import (  # noqa: F401 - re-exported: the services' callers ask services.can_*
    _report_model,
    can_approve,
    can_correct,
    can_issue,
    can_issue_draft,
    can_return,
    can_send,
    can_sign,
    pending_draft,
)
from reports.signing.selectors import (
    held_crls,
    intermediate_certificates,
    seal_image_on,
    trust_intermediates,
    trust_roots,
)
from units.lifecycle import unit_ensure_active

# A signature's claimed time may differ from the server's clock by this much.
CLOCK_SKEW = dt.timedelta(minutes=5)


def signer_title_of(user, issuing_body) -> str:
    staff = getattr(user, "staff", None)
    return staff.title if staff and staff.title else issuing_body.signer_title.capitalize()


# --------------------------------------------------------------------------------------------------
# Certificates: public certificates only
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


def _certificates_of(data: bytes | str | None) -> list[x509.Certificate]:
    if not data:
        return []
    raw = data.encode() if isinstance(data, str) else bytes(data)
    if b"PRIVATE KEY" in raw:
        raise ValidationError(_("Tệp có chứa khóa bí mật: chỉ nộp chứng thư công khai (khóa bí mật nằm "
                                "trên USB token)."))
    try:
        return pki.load_certificates(raw)
    except pki.CertificateFileError as exc:
        raise ValidationError(str(exc)) from exc


def _intermediate_keep(certificate: x509.Certificate) -> IntermediateCertificate:
    row, _created = IntermediateCertificate.objects.get_or_create(
        fingerprint=pki.fingerprint(certificate),
        defaults={"name": pki.subject_common_name(certificate), "subject": certificate.subject.rfc4514_string(),
                  "issuer": certificate.issuer.rfc4514_string(), "not_after": certificate.not_valid_after_utc,
                  "certificate_pem": pki.IssuedCertificate(None, certificate).pem},
    )
    return row


@transaction.atomic
def certificate_register(*, certificate: bytes | str, kind: str, user=None, issuing_body=None,
                         chain: bytes | str | None = None, is_demo: bool = False) -> SigningCertificate:
    """Register a public certificate for a person (leader, văn thư) or an issuing body's seal.

    `certificate` is one certificate (PEM/DER) or a bundle with its intermediate CAs (PEM, .p7b,
    .p7c); `chain` may bring the intermediates in a separate file. The path leaf → intermediates →
    trusted root is walked and checked now by pyHanko's validator (`pki.chain_validate`: every
    certificate valid now, CA flags, the leaf's key usage for signing); intermediates the server
    already knows help too. The intermediates of the path are kept (`IntermediateCertificate`) so
    that signatures whose CMS lacks them still verify. A file holding a private key is refused: the
    key stays on the token. Registering the same certificate again returns the existing row.
    """
    if kind == SigningCertificate.Kind.PERSONAL and user is None:
        raise ValidationError(_("Chứng thư cá nhân phải gắn với một người ký."))
    if kind == SigningCertificate.Kind.ORGANISATION and issuing_body is None:
        raise ValidationError(_("Chứng thư của cơ quan phải gắn với một cơ quan ban hành."))
    try:
        cert, bundled = pki.split_leaf(_certificates_of(certificate))
    except pki.CertificateFileError as exc:
        raise ValidationError(str(exc)) from exc
    helpers = bundled + _certificates_of(chain) + intermediate_certificates()
    roots = [pki.load_pem(pem) for pem in TrustRoot.objects.values_list("certificate_pem", flat=True)]
    try:
        path = pki.chain_validate(cert, roots=roots, intermediates=helpers, crls=held_crls())
    except pki.ChainError as exc:
        raise ValidationError(str(exc)) from exc
    for intermediate in path[1:-1]:  # path: leaf, intermediates …, root
        _intermediate_keep(intermediate)
    fingerprint = pki.fingerprint(cert)
    owner = {"user": user} if kind == SigningCertificate.Kind.PERSONAL else {"issuing_body": issuing_body}
    existing = SigningCertificate.objects.filter(fingerprint=fingerprint, kind=kind, **owner).first()
    if existing is not None:
        if not existing.is_active:
            existing.is_active = True
            existing.save(update_fields=["is_active"])
        return existing
    return SigningCertificate.objects.create(
        kind=kind, **owner, subject=cert.subject.rfc4514_string(), issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"), not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc, certificate_pem=pki.IssuedCertificate(None, cert).pem,
        fingerprint=fingerprint, is_demo=is_demo,
    )


# --------------------------------------------------------------------------------------------------
# Certificate revocation lists held by the server (imported; nothing is fetched)
# --------------------------------------------------------------------------------------------------


def _crl_signer(crl: x509.CertificateRevocationList) -> x509.Certificate | None:
    """The trusted root or kept intermediate CA whose key signed `crl` (and may sign CRLs), or None."""
    pems = [*TrustRoot.objects.values_list("certificate_pem", flat=True),
            *IntermediateCertificate.objects.values_list("certificate_pem", flat=True)]
    for ca in (pki.load_pem(pem) for pem in pems):
        if ca.subject != crl.issuer or not pki.is_ca(ca):
            continue
        try:
            usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
            if not usage.crl_sign:
                continue
        except x509.ExtensionNotFound:
            pass
        try:
            if crl.is_signature_valid(ca.public_key()):
                return ca
        except (TypeError, ValueError):  # a key type cryptography cannot check CRLs with
            continue
    return None


@transaction.atomic
def crl_import(*, data: bytes, user=None) -> RevocationList:
    """Hold a CA's CRL (PEM or DER) for revocation checks; the newest of an issuer becomes current.

    Refused (nothing saved) unless the CRL is signed by a trusted root or a kept intermediate CA with
    the right to sign CRLs, has a next update date and was not issued in the future. Importing the
    same CRL again returns the row already held; an older CRL than the current one is kept as history.
    """
    try:
        crl = pki.load_crl(data)
    except pki.CrlFileError as exc:
        raise ValidationError(str(exc)) from exc
    signer = _crl_signer(crl)
    if signer is None:
        raise ValidationError(_("CRL của “%(issuer)s” không do chứng thư gốc tin cậy hoặc chứng thư trung gian đã "
                                "đăng ký ký (hoặc chữ ký trên CRL sai); không nhập.")
                              % {"issuer": crl.issuer.rfc4514_string()})
    this_update, next_update = crl.last_update_utc, crl.next_update_utc
    if next_update is None:
        raise ValidationError(_("CRL không có ngày cập nhật tiếp theo (nextUpdate); không nhập."))
    if this_update > timezone.now() + CLOCK_SKEW:
        raise ValidationError(_("CRL có ngày phát hành %(date)s ở tương lai; không nhập.")
                              % {"date": pki.revocation_moment(this_update)})
    der = crl.public_bytes(serialization.Encoding.DER)
    sha = pki.sha256_hex(der)
    existing = RevocationList.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing
    issuer_key = pki.sha256_hex(crl.issuer.public_bytes())
    current = RevocationList.objects.select_for_update().filter(issuer_key=issuer_key, is_current=True).first()
    newest = current is None or this_update > current.this_update
    if newest and current is not None:
        RevocationList.objects.filter(pk=current.pk).update(is_current=False)
    try:
        number = str(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
    except x509.ExtensionNotFound:
        number = ""
    return RevocationList.objects.create(
        issuer=crl.issuer.rfc4514_string()[:500], issuer_key=issuer_key, signed_by=pki.fingerprint(signer),
        this_update=this_update, next_update=next_update, crl_number=number[:80], revoked_count=len(crl), der=der,
        sha256=sha, is_current=newest, imported_by=user,
    )


# --------------------------------------------------------------------------------------------------
# The body's seal image (effective-dated)
# --------------------------------------------------------------------------------------------------


def seal_image_check_date(*, issuing_body, valid_from: dt.date) -> None:
    """A new seal applies from its date, inside the body's period, never before a document the body
    already issued (documents issued keep the seal they carry), one seal per date."""
    if not issuing_body.valid_on(valid_from):
        raise ValidationError(_("Ngày áp dụng %(date)s nằm ngoài thời gian hiệu lực của %(body)s.")
                              % {"date": format_date_short(valid_from), "body": issuing_body.name})
    last = (RegisterEntry.objects.filter(issuing_body=issuing_body).order_by("-issued_on")
            .values_list("issued_on", flat=True).first())
    if last is not None and valid_from < last:
        raise ValidationError(_("%(body)s đã ban hành văn bản ngày %(last)s; ảnh dấu mới chỉ áp dụng từ ngày đó trở "
                                "đi (văn bản đã ban hành giữ dấu của nó).")
                              % {"body": issuing_body.name, "last": format_date_short(last)})
    if SealImage.objects.filter(issuing_body=issuing_body, valid_from=valid_from).exists():
        raise ValidationError(_("%(body)s đã có ảnh dấu áp dụng từ ngày %(date)s.")
                              % {"body": issuing_body.name, "date": format_date_short(valid_from)})


@transaction.atomic
def seal_image_add(*, issuing_body, valid_from: dt.date, data: bytes, user=None, note: str = "") -> SealImage:
    """Upload the body's seal image (PNG, transparent background) applying from `valid_from`.

    The file is checked with Pillow (`sealimage.seal_png_check`: real PNG, decodes whole, size,
    dimensions, transparency) and stored re-encoded; anything else is refused and nothing is saved.
    """
    png = sealimage.seal_png_check(data)
    seal_image_check_date(issuing_body=issuing_body, valid_from=valid_from)
    return SealImage.objects.create(issuing_body=issuing_body, valid_from=valid_from, image=png.data,
                                    sha256=pki.sha256_hex(png.data), width=png.width, height=png.height,
                                    note=note[:255], uploaded_by=user)


def _seal_appearance(*, box, issuing_body, on: dt.date) -> tuple[bytes, SealImage | None]:
    seal = seal_image_on(issuing_body=issuing_body, on=on)
    return (pdfsign.seal_appearance(box=box, body_name=issuing_body.name, image=bytes(seal.image) if seal else None),
            seal)


def personal_certificates(user):
    return SigningCertificate.objects.filter(kind=SigningCertificate.Kind.PERSONAL, user=user, is_active=True)


def seal_certificates(issuing_body):
    return SigningCertificate.objects.filter(kind=SigningCertificate.Kind.ORGANISATION, issuing_body=issuing_body,
                                             is_active=True)


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



# --------------------------------------------------------------------------------------------------
# Report life cycle: draft → pending approval → approved → (leader signs, văn thư issues) → signed
# --------------------------------------------------------------------------------------------------


def _locked_report(report):
    Report = _report_model()
    return Report.objects.select_for_update().select_related("issuing_body", "unit", "plan").get(pk=report.pk)


def _step(report, *, action: str, from_status: str, user, reason: str = "", entry=None, at=None):
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


def _notify_upper_level(report, *, reference: str) -> None:
    """A report answering an upper level's plan was issued: that level's reviewers have it to receive."""
    upper = report.plan  # the plan the report answers (its figures come from `source_plan`)
    if upper.issuing_body.unit_id == report.unit_id:
        return
    notifications_create(
        users=users_with_role(unit_ids=[upper.issuing_body.unit_id], flag="is_reviewer"),
        kind=Kind.SUBORDINATE_RECEIVED, url=report.get_absolute_url(),
        title=_("%(unit)s đã gửi báo cáo số %(ref)s theo %(plan)s") % {
            "unit": report.unit.name, "ref": reference, "plan": upper.reference},
        body=_("Báo cáo đã ký số, cấp số; chờ đồng chí tiếp nhận hoặc trả lại."),
    )


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
    # No unbound figure reaches a signature: every typed number is bound or confirmed first (issue 18.1).
    report_check_typed_numbers(report=_report_model().objects.get(pk=report.pk))
    return _move(report, user=user, to_status=_report_model().Status.PENDING, action=ApprovalStep.Action.SEND,
                 reason=note.strip(), allowed=can_send)


@transaction.atomic
def report_approve(*, report, user, note: str = ""):
    """Pending → approved, by a leader of the issuing unit only."""
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
    if not (reason or "").strip():
        raise ValidationError(_("Phải nêu lý do trả lại."))
    report = _move(report, user=user, to_status=_report_model().Status.RETURNED, action=ApprovalStep.Action.RETURN,
                   reason=reason.strip(), allowed=can_return)
    # a signature waiting for its number is void once the report goes back for editing
    SignedDraft.objects.filter(report=report, status=SignedDraft.Status.PENDING).update(
        status=SignedDraft.Status.VOID)
    return report



# --------------------------------------------------------------------------------------------------
# One-time signing links (bound to the user, the purpose and the report's version; minutes)
# --------------------------------------------------------------------------------------------------


def _new_request(*, purpose: str, user, issuing_body, rendered: RenderedPdf, field_name: str, box, reason: str,
                 signer_name: str, signer_title: str = "", seal_box=None, **extra) -> SigningRequest:
    return SigningRequest.objects.create(
        token=secrets.token_urlsafe(32), purpose=purpose, user=user, issuing_body=issuing_body,
        pdf=rendered.pdf, sha256=pki.sha256_hex(rendered.pdf), field_name=field_name, page=rendered.page,
        box=[round(v, 2) for v in box], seal_box=[round(v, 2) for v in seal_box or []], reason=reason,
        location=issuing_body.place_name,
        signer_name=signer_name, signer_title=signer_title,
        expires_at=timezone.now() + dt.timedelta(minutes=settings.SIGNING_LINK_MINUTES), **extra,
    )


def _boxes(rendered: RenderedPdf) -> dict:
    """The leader's part of the signature block, and the seal's (left of it), for the request."""
    leader, seal = pdfsign.split_box(rendered.box)
    return {"box": leader, "seal_box": seal}


@transaction.atomic
def leader_request_create(*, report, user) -> SigningRequest:
    """The PDF the leader signs (the approved report, no number yet) and its one-time links."""
    Report = _report_model()
    report = Report.objects.select_related("issuing_body", "unit", "plan").get(pk=report.pk)
    if not can_sign(user, report):
        raise ValidationError(_("Chỉ lãnh đạo của đơn vị ban hành ký được báo cáo đã duyệt."))
    if not personal_certificates(user).exists():
        raise ValidationError(_("%(name)s chưa đăng ký chứng thư ký số; liên hệ quản trị để đăng ký.")
                              % {"name": person_name(user)})
    report_check_typed_numbers(report=report)
    report.signer_name = person_name(user)
    report.number = None
    rendered = render_report(report)
    return _new_request(
        purpose=SigningRequest.Purpose.LEADER, user=user, issuing_body=report.issuing_body, rendered=rendered,
        field_name=pdfsign.LEADER_FIELD, **_boxes(rendered), signer_name=person_name(user),
        signer_title=signer_title_of(user, report.issuing_body), report=report, report_version=report.version,
        reason=_("Ký văn bản: %(summary)s") % {"summary": report.summary[:120]},
    )


@transaction.atomic
def correction_request_create(*, entry: RegisterEntry, user, text: str, on: dt.date | None = None) -> SigningRequest:
    """A Thông báo đính chính of `entry` for its leader to sign (the văn thư numbers it after)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Phải nêu nội dung đính chính."))
    if not can_correct(user, entry):
        raise ValidationError(_("Chỉ lãnh đạo của cơ quan ban hành mới ban hành được văn bản đính chính."))
    rendered = render_correction(entry=entry, on=on or local_now().date(), text=text, signer_name=person_name(user))
    return document_request_create(
        issuing_body=entry.issuing_body, user=user, kind=RegisterEntry.Kind.NOTICE,
        summary=f"Đính chính {entry.get_kind_display()} số {entry.reference}", rendered=rendered,
        corrects=entry, correction_text=text,
        reason=_("Ký đính chính văn bản %(reference)s") % {"reference": entry.reference},
    )


@transaction.atomic
def document_request_create(*, issuing_body, user, kind: str, summary: str, rendered: RenderedPdf, reason: str = "",
                            **extra) -> SigningRequest:
    """A document other than a report (a correction notice, a letter) for a leader of the body to sign.

    `rendered` must carry the issuance fields (rendering.py) so that the văn thư can number it.
    """
    if kind not in RegisterEntry.Kind.values:
        raise ValidationError(_("Loại văn bản không hợp lệ: %(kind)s") % {"kind": kind})
    staff = getattr(user, "staff", None)
    if staff is None or not staff.is_leader or staff.unit_id != issuing_body.unit_id:
        raise ValidationError(_("Chỉ lãnh đạo của cơ quan ban hành ký được văn bản của cơ quan."))
    if not personal_certificates(user).exists():
        raise ValidationError(_("%(name)s chưa đăng ký chứng thư ký số; liên hệ quản trị để đăng ký.")
                              % {"name": person_name(user)})
    return _new_request(
        purpose=SigningRequest.Purpose.LEADER, user=user, issuing_body=issuing_body, rendered=rendered,
        field_name=pdfsign.LEADER_FIELD, **_boxes(rendered), signer_name=person_name(user),
        signer_title=signer_title_of(user, issuing_body), kind=kind, summary=summary[:500],
        reason=reason or _("Ký văn bản: %(summary)s") % {"summary": summary[:120]}, **extra,
    )


def signing_request_open(*, token: str) -> SigningRequest:
    """The live request of a one-time link, or ValidationError (same message for unknown, used, expired)."""
    request = SigningRequest.objects.select_related("issuing_body", "user").filter(token=token).first()
    if request is None or request.used_at is not None or request.expires_at < timezone.now():
        raise ValidationError(_("Liên kết ký đã hết hạn hoặc đã được dùng; hãy mở lại trang và bấm ký."))
    return request


def appearance_for(request: SigningRequest) -> bytes:
    box = request.box
    if request.purpose == SigningRequest.Purpose.ORGANISATION:
        return _seal_appearance(box=box, issuing_body=request.issuing_body,
                                on=request.issued_on or local_now().date())[0]
    return pdfsign.leader_appearance(box=box, signer_name=request.signer_name, signer_title=request.signer_title,
                                     signed_at=timezone.now())


# --------------------------------------------------------------------------------------------------
# Accepting an uploaded signature: strict rules, a clear Vietnamese reason, nothing changes on refusal
# --------------------------------------------------------------------------------------------------


def _refuse(message: str):
    raise ValidationError(message)


def check_signed_upload(*, request: SigningRequest, data: bytes, allowed: list[SigningCertificate]):
    """The checks every accepted upload passes (docs/signing.md); returns (verification, certificate)."""
    original = bytes(request.pdf)
    if not data.startswith(b"%PDF-"):
        _refuse(_("Tệp tải lên không phải là tệp PDF."))
    if len(data) <= len(original) or data[:len(original)] != original:
        _refuse(_("Tệp đã ký không phải là bản được giao để ký (nội dung khác từng byte, hoặc tệp đã được lưu "
                  "lại thay vì ký thêm); hãy ký đúng tệp tải về, không sửa, không in ra PDF mới."))
    before = pdfsign.signature_count(original)
    after = pdfsign.signature_count(data)
    if after != before + 1:
        _refuse(_("Tệp phải có đúng một chữ ký mới (có %(n)s).") % {"n": max(after - before, 0)})
    result = pdfsign.verify_pdf(data, trust_roots=trust_roots(), other_certs=trust_intermediates(),
                                crls=held_crls())
    if result.error:
        _refuse(result.error)
    new = result.signatures[-1]
    if new.signed_bytes != len(data) or not new.covers_whole_file:
        _refuse(_("Chữ ký mới phải bao phủ toàn bộ tệp; tệp có nội dung thêm sau chữ ký."))
    if new.field_name != request.field_name:
        _refuse(_("Chữ ký phải đặt vào ô chữ ký “%(field)s” đã định sẵn.") % {"field": request.field_name})
    if not (new.intact and new.valid):
        _refuse(_("Chữ ký số không đúng: %(why)s") % {"why": new.problems[0] if new.problems else "?"})
    if new.revoked_at is not None:  # revoked on the held CRL, before or after the claimed signing time
        _refuse(_("Chứng thư số đã bị thu hồi ngày %(date)s (theo CRL máy chủ đang giữ); không nhận chữ ký này.")
                % {"date": pki.revocation_moment(new.revoked_at)})
    if not new.trusted:
        _refuse(_("Chứng thư ký không do tổ chức cấp chứng thư tin cậy cấp."))
    for earlier in result.signatures[:-1]:
        if not earlier.ok:
            _refuse(_("Chữ ký trước đó trong tệp không còn hợp lệ: %(why)s")
                    % {"why": earlier.problems[0] if earlier.problems else earlier.after})
    certificate = next((c for c in allowed if c.fingerprint == new.certificate_sha256), None)
    if certificate is None:
        _refuse(_("Chứng thư dùng để ký (%(subject)s) chưa được đăng ký cho người ký này trong hệ thống.")
                % {"subject": new.signer_name or "?"})
    when = new.signing_time
    now = timezone.now()
    if when is None or not (request.created_at - CLOCK_SKEW <= when <= now + CLOCK_SKEW):
        _refuse(_("Thời điểm ký ghi trong chữ ký không khớp với thời điểm giao tệp để ký."))
    if not (certificate.not_before <= when <= certificate.not_after):
        _refuse(_("Chứng thư ký số đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký."))
    return result, certificate


def signature_accept(*, token: str, data: bytes, user=None):
    """Take an uploaded signed PDF for a one-time link: a leader's signature (→ SignedDraft) or the
    organisation's at issuance in token mode (→ SignedDocument). Refusals change nothing."""
    with transaction.atomic():
        request = signing_request_open(token=token)
        request = SigningRequest.objects.select_for_update().get(pk=request.pk)
        if request.used_at is not None:
            _refuse(_("Liên kết ký đã hết hạn hoặc đã được dùng; hãy mở lại trang và bấm ký."))
        if user is not None and user.pk != request.user_id:
            _refuse(_("Liên kết ký này dành cho người khác."))
        if request.purpose == SigningRequest.Purpose.LEADER:
            result = _accept_leader(request=request, data=data)
        else:
            result = _accept_organisation(request=request, data=data)
        SigningRequest.objects.filter(pk=request.pk).update(used_at=timezone.now())
        return result


def _accept_leader(*, request: SigningRequest, data: bytes) -> SignedDraft:
    Report = _report_model()
    signer = request.user
    verification, certificate = check_signed_upload(
        request=request, data=data, allowed=list(personal_certificates(signer)))
    report = None
    if request.report_id:
        report = _locked_report(request.report)
        if report.version != request.report_version or not can_sign(signer, report):
            _refuse(_("Báo cáo đã thay đổi (hoặc đã được ký, trả lại) sau khi giao tệp để ký; hãy ký lại."))
        kind, summary, body = report.kind, report.summary, report.issuing_body
    else:
        staff = getattr(signer, "staff", None)
        if staff is None or not staff.is_leader or staff.unit_id != request.issuing_body.unit_id:
            _refuse(_("Chỉ lãnh đạo của cơ quan ban hành ký được văn bản của cơ quan."))
        kind, summary, body = request.kind, request.summary, request.issuing_body
    draft = SignedDraft.objects.create(
        issuing_body=body, kind=kind, summary=summary[:500], report=report,
        report_version=request.report_version, corrects=request.corrects, correction_text=request.correction_text,
        signer=signer, signer_name=request.signer_name, signer_title=request.signer_title, certificate=certificate,
        page=request.page, seal_box=request.seal_box, pdf=data, sha256=pki.sha256_hex(data),
        signed_at=verification.signatures[-1].signing_time,
    )
    if report is not None:
        Report.objects.filter(pk=report.pk).update(signer_name=request.signer_name, updated_by=signer,
                                                    updated_at=timezone.now())
        report.refresh_from_db()
        # the step is when the signature was accepted (the signature's own time has whole seconds only)
        _step(report, action=ApprovalStep.Action.SIGN, from_status=report.status, user=signer)
    clerks = users_with_role(unit_ids=[body.unit_id], flag="is_clerk")
    notifications_create(users=clerks, kind=Kind.TO_ISSUE,
                         title=_("Văn bản chờ cấp số, đóng dấu: %(summary)s") % {"summary": summary[:120]},
                         body=_("%(name)s đã ký số.") % {"name": request.signer_name},
                         url=report.get_absolute_url() if report is not None else "")
    return draft


# --------------------------------------------------------------------------------------------------
# Issuance by the văn thư: number and date from the register, the seal (organisation's signature)
# --------------------------------------------------------------------------------------------------


def _issuance_lines(draft: SignedDraft, number: int, on: dt.date) -> tuple[str, str]:
    body = draft.issuing_body
    return format_doc_number_line(number, draft.kind, body.code_suffix), format_date_line(on, body.place_name)


def _annex_line(draft: SignedDraft, number: int, on: dt.date) -> str:
    return annex_line(draft.report, number=number, on=on) if draft.report_id else ""


def _seal_box(draft: SignedDraft):
    return draft.page, tuple(draft.seal_box) or pdfsign.split_box(pdfsign.default_signature_box()[1])[1]


@transaction.atomic
def draft_issue(*, draft: SignedDraft, user, on: dt.date | None = None) -> SignedDocument:
    """HSM mode: number, date and the organisation's signature made in the HSM, stored, in one transaction."""
    if settings.SIGNING_ORGANISATION_KEY != "hsm":
        raise ValidationError(_("Khóa của cơ quan nằm trên USB token của văn thư: hãy ký bằng trình ký."))
    draft = SignedDraft.objects.select_for_update().select_related("issuing_body").get(pk=draft.pk)
    if not can_issue_draft(user, draft):
        raise ValidationError(_("Chỉ văn thư của cơ quan ban hành cấp số cho văn bản lãnh đạo đã ký."))
    seals = list(seal_certificates(draft.issuing_body))
    if not seals:
        raise ValidationError(_("%(body)s chưa có chứng thư số của cơ quan.") % {"body": draft.issuing_body.name})
    on = on or local_now().date()
    unit_ensure_active(unit=draft.issuing_body.unit, on=on, action=_("ký, ban hành văn bản"))
    period = register_period(on)
    counter = register_counter_get(issuing_body=draft.issuing_body, period=period)
    number = _take_number(counter.pk)
    number_line, date_line = _issuance_lines(draft, number, on)
    writer = pdfsign.fill_issuance(bytes(draft.pdf), number_line=number_line, date_line=date_line,
                                   annex_line=_annex_line(draft, number, on))
    page, box = _seal_box(draft)
    reference = format_doc_number(number, draft.kind, draft.issuing_body.code_suffix)
    with hsm.hsm_session() as session:
        try:
            der, key_id = find_key_id(session, [pki.der_of(pki.load_pem(c.certificate_pem)) for c in seals])
        except Exception as exc:
            raise ValidationError(_("HSM không có khóa của chứng thư cơ quan đã đăng ký.")) from exc
        certificate = next(c for c in seals if c.fingerprint == pki.sha256_hex(der))
        appearance, seal = _seal_appearance(box=box, issuing_body=draft.issuing_body, on=on)
        timestamper = None
        if settings.SIGNING_TIMESTAMP_URL:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(settings.SIGNING_TIMESTAMP_URL)
        signed = sign_pdf(writer, signer=pyhanko_signer(session, key_id=key_id), timestamper=timestamper,
                          field_name=pdfsign.ORGANISATION_FIELD, box=box, page=page, appearance=appearance,
                          reason=_("Cấp số %(reference)s, đóng dấu") % {"reference": reference},
                          location=draft.issuing_body.place_name, name=draft.issuing_body.name)
    return _issue_store(draft=draft, user=user, number=number, period=period, on=on, reference=reference, pdf=signed,
                        certificate=certificate, seal_image=seal)


@transaction.atomic
def issuance_request_create(*, draft: SignedDraft, user, on: dt.date | None = None) -> SigningRequest:
    """Token mode: the leader-signed PDF with the next number and date filled in, for the văn thư's token.

    The number is checked again (under the lock) when the signed file comes back; if another
    document took it meanwhile the upload is refused and the văn thư signs again (no gap, no duplicate).
    """
    import io

    draft = SignedDraft.objects.select_related("issuing_body").get(pk=draft.pk)
    if not can_issue_draft(user, draft):
        raise ValidationError(_("Chỉ văn thư của cơ quan ban hành cấp số cho văn bản lãnh đạo đã ký."))
    on = on or local_now().date()
    unit_ensure_active(unit=draft.issuing_body.unit, on=on, action=_("ký, ban hành văn bản"))
    counter = register_counter_get(issuing_body=draft.issuing_body, period=register_period(on))
    number = RegisterCounter.objects.values_list("last_number", flat=True).get(pk=counter.pk) + 1
    number_line, date_line = _issuance_lines(draft, number, on)
    writer = pdfsign.fill_issuance(bytes(draft.pdf), number_line=number_line, date_line=date_line,
                                   annex_line=_annex_line(draft, number, on))
    out = io.BytesIO()
    writer.write(out)
    page, box = _seal_box(draft)
    reference = format_doc_number(number, draft.kind, draft.issuing_body.code_suffix)
    return _new_request(
        purpose=SigningRequest.Purpose.ORGANISATION, user=user, issuing_body=draft.issuing_body,
        rendered=RenderedPdf(pdf=out.getvalue(), page=page, box=box), field_name=pdfsign.ORGANISATION_FIELD,
        box=box, signer_name=draft.issuing_body.name, draft=draft, number=number, issued_on=on,
        reason=_("Cấp số %(reference)s, đóng dấu") % {"reference": reference},
    )


def _accept_organisation(*, request: SigningRequest, data: bytes) -> SignedDocument:
    draft = SignedDraft.objects.select_for_update().select_related("issuing_body").get(pk=request.draft_id)
    if not can_issue_draft(request.user, draft):
        _refuse(_("Văn bản này đã được cấp số hoặc đã bị trả lại."))
    _verification, certificate = check_signed_upload(
        request=request, data=data, allowed=list(seal_certificates(draft.issuing_body)))
    period = register_period(request.issued_on)
    counter = register_counter_get(issuing_body=draft.issuing_body, period=period)
    number = _take_number(counter.pk)
    if number != request.number:
        _refuse(_("Số %(number)s vừa được cấp cho văn bản khác; hãy bấm cấp số và ký lại.")
                % {"number": request.number})
    reference = format_doc_number(number, draft.kind, draft.issuing_body.code_suffix)
    return _issue_store(draft=draft, user=request.user, number=number, period=period, on=request.issued_on,
                        reference=reference, pdf=data, certificate=certificate,
                        seal_image=seal_image_on(issuing_body=draft.issuing_body, on=request.issued_on))


def _issue_store(*, draft: SignedDraft, user, number: int, period: str, on: dt.date, reference: str, pdf: bytes,
                 certificate: SigningCertificate, seal_image: SealImage | None = None) -> SignedDocument:
    """Inside the numbering transaction: the register entry, the issued file, the report's new state."""
    Report = _report_model()
    now = timezone.now()
    entry = RegisterEntry.objects.create(
        issuing_body=draft.issuing_body, period=period, number=number, kind=draft.kind, reference=reference,
        issued_on=on, summary=draft.summary[:500], signer=draft.signer, signer_name=draft.signer_name,
        signer_title=draft.signer_title, corrects=draft.corrects, report=draft.report,
    )
    document = SignedDocument.objects.create(
        entry=entry, pdf=pdf, sha256=pki.sha256_hex(pdf), size=len(pdf), signed_at=draft.signed_at,
        certificate=draft.certificate, organisation_certificate=certificate, issued_by=user, draft=draft,
        seal_image=seal_image,
    )
    SignedDraft.objects.filter(pk=draft.pk).update(status=SignedDraft.Status.ISSUED)
    if draft.report_id:
        updated = Report.objects.filter(pk=draft.report_id, status=Report.Status.APPROVED).update(
            status=Report.Status.SIGNED, number=number, issued_on=on, signed_at=draft.signed_at,
            signer_name=draft.signer_name, version=F("version") + 1, updated_by=user, updated_at=now,
        )
        if updated != 1:
            raise ValidationError(_("Báo cáo vừa được trả lại; không cấp số được."))
        report = Report.objects.select_related("plan__issuing_body", "unit").get(pk=draft.report_id)
        _step(report, action=ApprovalStep.Action.ISSUE, from_status=Report.Status.APPROVED, user=user, entry=entry,
              at=now)
        _notify_upper_level(report, reference=reference)
    elif draft.corrects_id and draft.corrects.report_id:
        report = draft.corrects.report
        _step(report, action=ApprovalStep.Action.CORRECT, from_status=report.status, user=user,
              reason=draft.correction_text, entry=entry, at=now)
    return document


# --------------------------------------------------------------------------------------------------
# Corrections: a signed document never changes; a correction is a new numbered document citing it
# --------------------------------------------------------------------------------------------------


