"""PAdES signing and verification of PDF bytes with pyHanko (no database access here).

`sign_pdf` adds one visible signature (a leader's, or an organisation's seal) as an incremental
update; `verify_pdf` checks every signature of a file against the given trust roots and says in
Vietnamese what holds and what does not.
"""
from __future__ import annotations

import binascii
import datetime as dt
import html
import io
import logging
import uuid
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from core.formatting import LOCAL_TZ, format_date_short

logger = logging.getLogger(__name__)

FONT_PATH = settings.BASE_DIR / "static" / "fonts" / "liberation-serif" / "LiberationSerif-Regular.ttf"
# A4 in points; the default box when nobody tells where the signature block is.
A4_WIDTH, A4_HEIGHT = 595.28, 841.89
Box = tuple[float, float, float, float]


@dataclass
class SignerMaterial:
    """A private key with its certificate and chain, ready for pyHanko."""

    key: object
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)

    def simple_signer(self) -> SimpleSigner:
        store = SimpleCertificateStore()
        store.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in self.chain])
        return SimpleSigner(
            signing_key=translate_pyca_cryptography_key_to_asn1(self.key),
            signing_cert=translate_pyca_cryptography_cert_to_asn1(self.certificate),
            cert_registry=store,
        )


def _run_sync(fn, *args, **kwargs):
    """pyHanko's sync API calls asyncio.run(), which fails inside a running event loop (async views,
    Playwright in tests): run it in a worker thread then."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def default_signature_box() -> tuple[int, Box]:
    """Where the visible signature goes when the renderer does not say: the right column, lower half
    of the last page (LAYOUT.md: the signer block sits right, level with "Nơi nhận:")."""
    return -1, (330.0, 150.0, 552.0, 235.0)


class _PdfBytesPage(content.ImportedPdfPage):
    """pyHanko's imported-page content, read from bytes instead of a file."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__(file_name="", page_ix=0)

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


STAMP_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: StampSerif; src: url("{font}"); }}
@page {{ size: {w}pt {h}pt; margin: 0; }}
html, body {{ margin: 0; }}
.stamp {{ box-sizing: border-box; width: {w}pt; height: {h}pt; border: 1.2pt solid #c00000; border-radius: 4pt;
  padding: 2pt 4pt; overflow: hidden; font-family: StampSerif, serif; font-size: {size}pt; line-height: 1.15;
  color: #c00000;
  display: flex; flex-direction: column; justify-content: center; }}
.stamp div {{ overflow-wrap: anywhere; }}
.first {{ font-weight: bold; }}
</style></head><body><div class="stamp">{lines}</div></body></html>"""


def _fit_font_size(lines: list[str], width: float, height: float) -> float:
    """The largest size (10 pt down to 5 pt) at which the lines, wrapped, fit the box (a serif's
    average glyph is about half an em wide)."""
    inner_w, inner_h = max(width - 10, 10), max(height - 6, 6)
    size = 10.0
    while size > 5:
        per_line = max(inner_w / (0.56 * size), 1)
        rows = sum(max(1, -(-len(line) // int(per_line))) for line in lines)
        if rows * size * 1.25 <= inner_h:
            break
        size -= 0.5
    return size


def stamp_pdf(lines: list[str], *, width: float, height: float) -> bytes:
    """The visible signature appearance as a one-page PDF (WeasyPrint: real Vietnamese shaping)."""
    from weasyprint import HTML

    lines = [line for line in lines if line]
    size = _fit_font_size(lines, width, height)
    body = "".join(
        f'<div class="{"first" if n == 0 else ""}">{html.escape(line)}</div>' for n, line in enumerate(lines)
    )
    source = STAMP_HTML.format(font=FONT_PATH.as_uri(), w=width, h=height, size=f"{size:.1f}", lines=body)
    return HTML(string=source, base_url=str(settings.BASE_DIR)).write_pdf()


def _stamp_style(lines: list[str], box: Box) -> StaticStampStyle:
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    return StaticStampStyle(background=_PdfBytesPage(stamp_pdf(lines, width=width, height=height)),
                            border_width=0, background_opacity=1.0)


def sign_pdf(
    pdf: bytes,
    *,
    material: SignerMaterial,
    field_name: str,
    box: Box,
    page: int = -1,
    signer_name: str,
    signer_title: str,
    organisation: str,
    reason: str,
    location: str = "",
    timestamp_url: str = "",
    signed_at: dt.datetime | None = None,
    label: str = "",
) -> bytes:
    """Sign `pdf` (PAdES B-B, or B-T with a timestamp server) with a visible stamp in `box`."""
    signed_at = (signed_at or dt.datetime.now(dt.timezone.utc)).astimezone(LOCAL_TZ)
    lines = [
        f"{label or _('Ký số bởi:')} {signer_name}",
        signer_title,
        organisation,
        _("Thời gian ký: %(time)s") % {"time": f"{signed_at:%H:%M} {format_date_short(signed_at.date())}"},
    ]
    meta = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=signer_name,
    )
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url)
    signer = PdfSigner(
        meta,
        signer=material.simple_signer(),
        timestamper=timestamper,
        stamp_style=_stamp_style(lines, box),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=tuple(box)),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = _run_sync(signer.sign_pdf, writer)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------------


@dataclass
class SignatureReport:
    field_name: str
    signer_name: str
    signer_subject: str
    issuer: str
    signing_time: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    changed_after: bool
    timestamped: bool
    reason: str
    revision_sha256: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.problems


@dataclass
class VerificationResult:
    sha256: str
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def message(self) -> str:
        if self.error:
            return self.error
        if self.ok:
            return _("Chữ ký số hợp lệ; tệp không bị thay đổi sau khi ký.")
        problems = [p for s in self.signatures for p in s.problems]
        return problems[0] if problems else _("Chữ ký số không hợp lệ.")

    @property
    def revision_hashes(self) -> list[str]:
        return [s.revision_sha256 for s in self.signatures]


def _name_of(cert: asn1_x509.Certificate) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # pragma: no cover - exotic names
        return cert.subject.human_friendly


def _friendly(name: asn1_x509.Name) -> str:
    """"CA DEMO Ban Tuyên giáo – DEMO – Không có giá trị pháp lý" rather than asn1crypto's English labels."""
    try:
        native = name.native
        parts = [native.get("common_name"), native.get("organizational_unit_name"), native.get("organization_name")]
        parts = [p if isinstance(p, str) else ", ".join(p) for p in parts if p]
        return " – ".join(dict.fromkeys(parts)) or name.human_friendly
    except Exception:  # pragma: no cover - exotic names
        return name.human_friendly


def trust_roots_from_pem(pems: list[str]) -> list[asn1_x509.Certificate]:
    roots = []
    for pem in pems:
        cert = x509.load_pem_x509_certificate(pem.encode())
        roots.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
    return roots


def verify_pdf(data: bytes, *, trust_roots: list[asn1_x509.Certificate]) -> VerificationResult:
    """Check every signature of `data`; never raises on bad input (the result says what is wrong)."""
    import hashlib

    result = VerificationResult(sha256=hashlib.sha256(data).hexdigest())
    if not data.startswith(b"%PDF-"):
        result.error = _("Tệp không phải là tệp PDF.")
        return result
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged file: pyHanko raises many kinds of errors
        logger.info("unreadable PDF: %s", exc)
        result.error = _("Không đọc được tệp PDF: tệp bị hỏng hoặc đã bị sửa.")
        return result
    if not embedded:
        result.error = _("Tệp PDF không có chữ ký số.")
        return result
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")
    for sig in embedded:
        report = _check_signature(sig, data, context)
        result.signatures.append(report)
    return result


def _check_signature(sig, data: bytes, context: ValidationContext) -> SignatureReport:
    import hashlib

    problems: list[str] = []
    name = subject = issuer = reason = ""
    signing_time = None
    intact = valid = trusted = whole = timestamped = False
    changed_after = True
    try:
        byte_range = sig.byte_range
        revision_end = byte_range[2] + byte_range[3]
    except Exception:
        revision_end = len(data)
    revision_sha = hashlib.sha256(data[:revision_end]).hexdigest()
    try:
        reason = str(sig.sig_object.get("/Reason", "") or "")
    except Exception:
        reason = ""
    try:
        status = _run_sync(validate_pdf_signature, sig, signer_validation_context=context)
        cert = status.signing_cert
        name, subject, issuer = _name_of(cert), _friendly(cert.subject), _friendly(cert.issuer)
        signing_time = status.signer_reported_dt
        if status.timestamp_validity is not None:
            timestamped = True
            signing_time = status.timestamp_validity.timestamp
        intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
        coverage = getattr(status.coverage, "name", "")
        whole = coverage == "ENTIRE_FILE"
        level = getattr(status.modification_level, "name", "NONE")
        # A digest mismatch means the signed bytes themselves were changed.
        changed_after = not intact or (not whole and level not in ("NONE", "LTA_UPDATES", "FORM_FILLING"))
        if not intact:
            problems.append(_("Nội dung tệp đã bị thay đổi sau khi ký (giá trị băm không khớp)."))
        elif not valid:
            problems.append(_("Chữ ký số không đúng với chứng thư của người ký."))
        if intact and valid and not trusted:
            problems.append(_("Chứng thư của người ký không do tổ chức cấp chứng thư tin cậy cấp."))
        if changed_after and intact:
            problems.append(_("Tệp có nội dung được thêm vào sau khi ký, không được phép."))
        if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
            problems.append(_("Chữ ký không bao phủ toàn bộ tài liệu."))
    except Exception as exc:  # malformed signature container, digest of a damaged file …
        logger.info("signature check failed: %s: %s", type(exc).__name__, exc)
        problems.append(_("Không kiểm tra được chữ ký: tệp đã bị sửa hoặc chữ ký bị hỏng."))
    return SignatureReport(
        field_name=str(sig.field_name), signer_name=name, signer_subject=subject, issuer=issuer,
        signing_time=signing_time, intact=intact, valid=valid, trusted=trusted, covers_whole_file=whole,
        changed_after=changed_after, timestamped=timestamped, reason=reason, revision_sha256=revision_sha,
        problems=problems,
    )
