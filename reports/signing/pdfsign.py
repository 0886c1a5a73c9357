"""PDF bytes in and out (no database access): appearances, the issuance fields, verification.

Signing itself happens on a token (agent/pdf.py signs; the agent on the signer's computer, the
server only with the organisation's key in an HSM). Here:

- `stamp_pdf` draws a visible signature appearance (the leader's box, or the body's red seal);
- `add_issuance_fields` puts two empty read-only text fields over the "Số …" and date lines of page 1
  before the leader signs; `fill_issuance` fills them at issuance (number and date from the register),
  in the same or an earlier incremental update than the organisation's signature;
- `verify_pdf` checks every signature and says, for each, what changed after it. Any change after a
  signature that alters what a reader sees is "changed after signing" (not valid), except the
  issuance recognised precisely: after the leader's signature only the two issuance fields and the
  organisation's signature field changed, and the organisation's signature covers the whole file.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import io
import logging
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NumberObject,
    StreamObject,
    TextStringObject,
    pdf_name,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from agent.pdf import run_sync
from core.formatting import LOCAL_TZ, format_date_short
from reports.signing import pki

logger = logging.getLogger(__name__)

FONT_DIR = settings.BASE_DIR / "static" / "fonts" / "liberation-serif"
FONT_PATH = FONT_DIR / "LiberationSerif-Regular.ttf"
Box = tuple[float, float, float, float]

LEADER_FIELD = "ChuKyNguoiKy"
ORGANISATION_FIELD = "ChuKyCoQuan"
NUMBER_FIELD = "SoKyHieu"
DATE_FIELD = "NgayBanHanh"
ANNEX_FIELD_PREFIX = "KemTheo"  # "Kèm theo Báo cáo số …" of each attached table: KemTheo1, KemTheo2 …
ISSUANCE_FIELDS = frozenset({NUMBER_FIELD, DATE_FIELD, ORGANISATION_FIELD})


def is_issuance_field(name: str) -> bool:
    return name in ISSUANCE_FIELDS or (name.startswith(ANNEX_FIELD_PREFIX) and name[len(ANNEX_FIELD_PREFIX):].isdigit())


def default_signature_box() -> tuple[int, Box]:
    """Where the visible signature goes when the renderer does not say: the right column, lower half
    of the last page (LAYOUT.md: the signer block sits right, level with "Nơi nhận:")."""
    return -1, (330.0, 150.0, 552.0, 235.0)


def split_box(box: Box) -> tuple[Box, Box]:
    """The signature space shared: the leader's stamp right, the body's seal left (where the seal
    goes on paper, over the left of the signature)."""
    x1, y1, x2, y2 = box
    cut = x1 + (x2 - x1) * 0.42
    return (cut + 3, y1, x2, y2), (x1, y1, cut - 3, y2)


# --------------------------------------------------------------------------------------------------
# Appearances (WeasyPrint: real Vietnamese shaping)
# --------------------------------------------------------------------------------------------------

STAMP_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: StampSerif; src: url("{font}"); }}
@page {{ size: {w}pt {h}pt; margin: 0; }}
html, body {{ margin: 0; }}
.stamp {{ box-sizing: border-box; width: {w}pt; height: {h}pt; border: 1.2pt solid #c00000; border-radius: 4pt;
  padding: 2pt 4pt; overflow: hidden; font-family: StampSerif, serif; font-size: {size}pt; line-height: 1.15;
  color: #c00000; display: flex; flex-direction: column; justify-content: center; }}
.stamp div {{ overflow-wrap: anywhere; }}
.first {{ font-weight: bold; }}
</style></head><body><div class="stamp">{lines}</div></body></html>"""

SEAL_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: StampSerif; src: url("{font}"); }}
@page {{ size: {w}pt {h}pt; margin: 0; }}
html, body {{ margin: 0; }}
.wrap {{ width: {w}pt; height: {h}pt; display: flex; align-items: center; justify-content: center; }}
.seal {{ box-sizing: border-box; width: {d}pt; height: {d}pt; border-radius: 50%; border: 2.2pt solid #d00000;
  color: #d00000; font-family: StampSerif, serif; display: flex; align-items: center; justify-content: center;
  text-align: center; }}
.inner {{ box-sizing: border-box; width: {d2}pt; height: {d2}pt; border-radius: 50%; border: 0.8pt solid #d00000;
  display: flex; flex-direction: column; align-items: center; justify-content: center; padding: 2pt;
  font-size: {size}pt; line-height: 1.1; font-weight: bold; }}
.star {{ font-size: {star}pt; line-height: 1; }}
.note {{ font-size: {note}pt; font-weight: normal; }}
</style></head><body><div class="wrap"><div class="seal"><div class="inner">
<div>{name}</div><div class="star">★</div><div class="note">{note_text}</div>
</div></div></div></body></html>"""


def _fit_font_size(lines: list[str], width: float, height: float) -> float:
    """The largest size (10 pt down to 5 pt) at which the lines, wrapped, fit the box."""
    inner_w, inner_h = max(width - 10, 10), max(height - 6, 6)
    size = 10.0
    while size > 5:
        per_line = max(inner_w / (0.56 * size), 1)
        rows = sum(max(1, -(-len(line) // int(per_line))) for line in lines)
        if rows * size * 1.25 <= inner_h:
            break
        size -= 0.5
    return size


def _html_pdf(source: str) -> bytes:
    return HTML(string=source, base_url=str(settings.BASE_DIR)).write_pdf()


def stamp_pdf(lines: list[str], *, width: float, height: float) -> bytes:
    """A visible signature appearance (a red-bordered box with the signer's lines) as a one-page PDF."""
    lines = [line for line in lines if line]
    size = _fit_font_size(lines, width, height)
    body = "".join(f'<div class="{"first" if n == 0 else ""}">{html.escape(line)}</div>'
                   for n, line in enumerate(lines))
    return _html_pdf(STAMP_HTML.format(font=FONT_PATH.as_uri(), w=width, h=height, size=f"{size:.1f}", lines=body))


def signature_lines(*, signer_name: str, signer_title: str, organisation: str, signed_at: dt.datetime,
                    label: str = "") -> list[str]:
    when = signed_at.astimezone(LOCAL_TZ)
    return [f"{label or _('Ký số bởi:')} {signer_name}", signer_title, organisation,
            _("Thời gian ký: %(time)s") % {"time": f"{when:%H:%M} {format_date_short(when.date())}"}]


def leader_appearance(*, box: Box, signer_name: str, signer_title: str, signed_at: dt.datetime) -> bytes:
    return stamp_pdf(signature_lines(signer_name=signer_name, signer_title=signer_title, organisation="",
                                     signed_at=signed_at), width=abs(box[2] - box[0]), height=abs(box[3] - box[1]))


SEAL_IMAGE_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: {w}pt {h}pt; margin: 0; }}
html, body {{ margin: 0; }}
.wrap {{ width: {w}pt; height: {h}pt; display: flex; align-items: center; justify-content: center; }}
img {{ width: {d}pt; height: {d}pt; object-fit: contain; }}
</style></head><body><div class="wrap"><img src="data:image/png;base64,{data}" alt=""></div></body></html>"""


def seal_appearance(*, box: Box, body_name: str, note: str = "", image: bytes | None = None) -> bytes:
    """The red round seal of the body: its uploaded image (PNG, transparent background) when it has
    one in force, else drawn (circle, the body's name, a star)."""
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if image:
        d = max(min(width, height) - 2, 20)
        return _html_pdf(SEAL_IMAGE_HTML.format(w=width, h=height, d=d, data=base64.b64encode(image).decode()))
    d = max(min(width, height) - 2, 20)
    size = max(4.0, min(7.5, d / max(len(body_name), 1) * 2.4))
    source = SEAL_HTML.format(font=FONT_PATH.as_uri(), w=width, h=height, d=d, d2=d - 8, size=f"{size:.1f}",
                              star=f"{d / 6:.1f}", note=f"{max(size - 2, 3.5):.1f}", name=html.escape(body_name),
                              note_text=html.escape(note))
    return _html_pdf(source)


LINE_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: LineSerif; src: url("{regular}"); }}
@font-face {{ font-family: LineSerif; font-style: italic; src: url("{italic}"); }}
@page {{ size: {w}pt {h}pt; margin: 0; }}
html, body {{ margin: 0; background: #fff; }}
div {{ width: {w}pt; height: {h}pt; font-family: LineSerif; font-size: {size}pt; line-height: 1.15;
  text-align: center; padding-top: 2pt; box-sizing: border-box; {style} }}
</style></head><body><div>{text}</div></body></html>"""


def line_pdf(text: str, *, width: float, height: float, italic: bool = False, size: float = 14) -> bytes:
    """One header line ("Số 164-BC/BTGHU", the date line) as the print layout sets it, on white."""
    return _html_pdf(LINE_HTML.format(regular=FONT_PATH.as_uri(),
                                      italic=(FONT_DIR / "LiberationSerif-Italic.ttf").as_uri(),
                                      w=width, h=height, size=size, text=html.escape(text),
                                      style="font-style: italic;" if italic else ""))


# --------------------------------------------------------------------------------------------------
# The issuance fields
# --------------------------------------------------------------------------------------------------


def _line_appearance(writer, text: str, *, width: float, height: float, italic: bool, size: float = 14):
    """A form XObject showing one header line (an appearance stream for a field widget)."""
    imported = writer.import_page_as_xobject(
        PdfFileReader(io.BytesIO(line_pdf(text, width=width, height=height, italic=italic, size=size))), page_ix=0)
    stream = StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
        pdf_name("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
        pdf_name("/Resources"): DictionaryObject({pdf_name("/XObject"): DictionaryObject(
            {pdf_name("/Line"): imported})}),
    }, stream_data=b"q /Line Do Q")
    return DictionaryObject({pdf_name("/N"): writer.add_object(stream)})


def add_issuance_fields(pdf: bytes, *, number_box: Box, date_box: Box, page: int = 0, number_text: str = "",
                        date_text: str = "", annex: list[tuple[int, Box]] = (), annex_text: str = "") -> bytes:
    """The unsigned PDF with two read-only text fields on the "Số …" and date lines, empty (their
    appearance shows the blank form of the line, "Số      -BC/BTGHU", when given)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    root = writer.root
    if "/AcroForm" not in root:
        root["/AcroForm"] = writer.add_object(DictionaryObject({pdf_name("/Fields"): ArrayObject()}))
    form = root["/AcroForm"].get_object()
    slots = [(NUMBER_FIELD, page, number_box, number_text, False), (DATE_FIELD, page, date_box, date_text, True)]
    slots += [(f"{ANNEX_FIELD_PREFIX}{n}", on_page, box, annex_text, True) for n, (on_page, box) in enumerate(annex, 1)]
    for name, on_page, box, text, italic in slots:
        page_ref = writer.find_page_for_modification(on_page)[0]
        page_obj = page_ref.get_object()
        annots = page_obj.get("/Annots")
        if annots is None:
            annots = ArrayObject()
            page_obj["/Annots"] = annots
        annots = annots.get_object()
        widget = DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/FT"): pdf_name("/Tx"), pdf_name("/T"): TextStringObject(name),
            pdf_name("/F"): NumberObject(4), pdf_name("/Ff"): NumberObject(1),  # print; read-only
            pdf_name("/Rect"): ArrayObject([FloatObject(v) for v in box]), pdf_name("/P"): page_ref,
            pdf_name("/DA"): TextStringObject("/Helv 0 Tf 0 g"),
        })
        if text:
            widget["/AP"] = _line_appearance(writer, text, width=abs(box[2] - box[0]), height=abs(box[3] - box[1]),
                                             italic=italic)
        ref = writer.add_object(widget)
        annots.append(ref)
        form["/Fields"].append(ref)
        writer.update_container(page_obj)
    writer.update_container(form)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fields_by_name(root) -> dict:
    form = root.get("/AcroForm")
    if form is None:
        return {}
    found = {}
    for ref in form.get_object().get("/Fields", []):
        obj = ref.get_object()
        if "/T" in obj:
            found[str(obj["/T"])] = ref
    return found


def fill_issuance(pdf: bytes, *, number_line: str, date_line: str, annex_line: str = "") -> IncrementalPdfFileWriter:
    """A writer over `pdf` with the issuance fields filled (value and appearance); the caller signs
    it (the organisation's signature) so that the same revision carries both."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields_ = _fields_by_name(writer.root)
    annexes = sorted(name for name in fields_ if name.startswith(ANNEX_FIELD_PREFIX) and is_issuance_field(name))
    for name, text, italic in ((NUMBER_FIELD, number_line, False), (DATE_FIELD, date_line, True),
                               *((name, annex_line, True) for name in annexes if annex_line)):
        if name not in fields_:
            raise ValueError(f"no {name} field")
        obj = fields_[name].get_object()
        x1, y1, x2, y2 = (float(v) for v in obj["/Rect"])
        obj["/V"] = TextStringObject(text)
        obj["/AP"] = _line_appearance(writer, text, width=abs(x2 - x1), height=abs(y2 - y1), italic=italic)
        writer.update_container(obj)
    return writer


def issuance_values(data: bytes) -> dict[str, str]:
    """The values of the issuance fields in the file's last revision ({} when absent or empty)."""
    try:
        root = PdfFileReader(io.BytesIO(data), strict=False).root
        fields_ = _fields_by_name(root)
    except Exception:
        return {}
    values = {}
    for name in (NUMBER_FIELD, DATE_FIELD):
        if name in fields_:
            value = fields_[name].get_object().get("/V")
            if value:
                values[name] = str(value)
    return values


def signature_count(data: bytes) -> int:
    try:
        return len(list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures))
    except Exception:
        return -1


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
    signed_bytes: int = 0
    certificate_sha256: str = ""
    chain: list[str] = field(default_factory=list)
    after: str = ""  # what changed after this signature, in Vietnamese ("" when nothing)
    problems: list[str] = field(default_factory=list)
    revoked_at: dt.datetime | None = None  # the signer's (or a CA's) revocation on a held CRL
    notes: list[str] = field(default_factory=list)  # remarks that do not make the signature invalid

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.changed_after and not self.problems


@dataclass
class VerificationResult:
    sha256: str
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""
    issuance: dict[str, str] = field(default_factory=dict)  # the number and date fields, when issued
    problems: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def ok(self) -> bool:
        return (not self.error and not self.problems and bool(self.signatures)
                and all(s.ok for s in self.signatures))

    @property
    def message(self) -> str:
        if self.error:
            return self.error
        if self.ok:
            return " ".join([_("Chữ ký số hợp lệ; tệp không bị thay đổi sau khi ký."),
                             *dict.fromkeys(n for s in self.signatures for n in s.notes)])
        problems = self.problems + [p for s in self.signatures for p in s.problems]
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


def _describe_fields(names) -> str:
    return _("trường biểu mẫu, chữ ký chưa ký hoặc hình hiển thị mới: %(names)s") % {
        "names": ", ".join(sorted(names)) or "?"}


def verify_pdf(data: bytes, *, trust_roots: list[asn1_x509.Certificate],
               other_certs: list[asn1_x509.Certificate] = (), crls: list[bytes] = ()) -> VerificationResult:
    """Check every signature of `data` and what changed after each; never raises on bad input.

    `other_certs` (the intermediate CAs kept from registrations) help build a signer's path when its
    CMS does not carry them; only `trust_roots` are trusted. `crls` are the CRLs the server holds
    (DER, nothing is fetched): see `_revocation_check`."""
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
    context = ValidationContext(trust_roots=trust_roots, other_certs=list(other_certs), allow_fetching=False,
                                revocation_mode="soft-fail")
    revocation = _Revocation(trust_roots=trust_roots, other_certs=list(other_certs), crls=crls)
    checked = [(sig, *_check_signature(sig, data, context, revocation)) for sig in embedded]
    reports = [report for _sig, report, _level, _fields in checked]
    result.signatures = reports
    # The issuance exception: the leader's signature followed only by the issuance fields and the
    # organisation's signature, which itself is intact, valid, trusted and covers the whole file.
    org = next((r for r in reports if r.field_name == ORGANISATION_FIELD), None)
    org_covers = org is not None and org.ok and org.covers_whole_file
    for sig, report, level, changed in checked:
        if report.covers_whole_file or not report.intact:
            continue
        if level in ("NONE",) and report.signed_bytes < len(data):
            # nothing pyHanko recognises as a revision, yet bytes follow: appended data
            report.changed_after = True
            report.after = _("dữ liệu được thêm vào cuối tệp sau khi ký")
        elif level == "LTA_UPDATES":
            report.after = _("chỉ thêm dữ liệu kiểm tra chứng thư (DSS, dấu thời gian)")
        elif (level == "FORM_FILLING" and report.field_name == LEADER_FIELD and changed
              and all(is_issuance_field(name) for name in changed) and ORGANISATION_FIELD in changed
              and org_covers):
            report.after = _("chỉ cấp số, ngày ban hành và chữ ký số của cơ quan (văn thư)")
            result.issuance = issuance_values(data)
        else:
            report.changed_after = True
            report.after = (_describe_fields(changed) if level == "FORM_FILLING" and changed
                            else _("nội dung trang, chú thích hoặc đối tượng của tệp bị thay đổi"))
        if report.changed_after:
            report.problems.append(_("Tệp bị thay đổi sau khi ký: %(what)s.") % {"what": report.after})
    return result


@dataclass
class _Revocation:
    trust_roots: list
    other_certs: list
    crls: list[bytes]


def _revocation_check(sig, status, signing_time: dt.datetime | None, revocation: _Revocation):
    """(revocation moment or None, problems, notes) for a signature pyHanko found intact and valid.

    The path is validated again with the held CRLs in force now and pyHanko's revocation policy
    (`pki.revocation_policy`: a CRL is required for a certificate whose issuer's CRL is held; nothing
    is fetched). A certificate revoked before the signing time makes the signature not valid; revoked
    after it, the signature stays valid with a note; no usable CRL of the signer's issuer: a note.
    """
    problems, notes = [], []
    now = dt.datetime.now(dt.timezone.utc)
    if status.validation_path is None:
        return None, problems, notes
    path_certs = list(status.validation_path.iter_certs(include_root=False))[::-1]  # leaf first
    held = [pki.HeldCrl.load(der) for der in revocation.crls]
    usable = pki.usable_crls(held, now)
    issuer = status.signing_cert.issuer
    if not any(c.issuer == issuer for c in usable):
        stale = [c for c in held if c.issuer == issuer]
        if stale:
            notes.append(_("Chưa kiểm tra thu hồi: CRL của %(issuer)s mà máy chủ giữ đã quá hạn cập nhật (%(date)s); "
                           "cần nhập CRL mới.") % {"issuer": _friendly(issuer),
                                                   "date": pki.revocation_moment(stale[0].next_update)})
        else:
            notes.append(_("Chưa kiểm tra thu hồi: máy chủ chưa có CRL của %(issuer)s.")
                         % {"issuer": _friendly(issuer)})
    policy = pki.revocation_policy(path_certs, crls=usable)
    if policy is None:
        return None, problems, notes
    context = ValidationContext(trust_roots=revocation.trust_roots, other_certs=revocation.other_certs,
                                allow_fetching=False, crls=policy[1], revinfo_policy=policy[0])
    checked = run_sync(validate_pdf_signature, sig, signer_validation_context=context)
    details = checked.revocation_details
    if details is None:
        if not checked.trusted and status.trusted:
            problems.append(_("Không kiểm tra được tình trạng thu hồi của chứng thư với CRL máy chủ đang giữ."))
        return None, problems, notes
    when = details.revocation_date
    whose = _("Chứng thư của tổ chức cấp chứng thư trong chuỗi") if details.ca_revoked else _("Chứng thư số")
    if signing_time is None or when <= signing_time:
        problems.append(_("%(whose)s đã bị thu hồi ngày %(date)s, trước thời điểm ký; chữ ký không có giá trị.")
                        % {"whose": whose, "date": pki.revocation_moment(when)})
    else:
        notes.append(_("%(whose)s bị thu hồi ngày %(date)s, sau thời điểm ký; chữ ký đã ký trước đó vẫn hợp lệ.")
                     % {"whose": whose, "date": pki.revocation_moment(when)})
    return when, problems, notes


def _check_signature(sig, data: bytes, context: ValidationContext, revocation: _Revocation):
    problems: list[str] = []
    notes: list[str] = []
    revoked_at = None
    name = subject = issuer = reason = cert_sha = ""
    chain: list[str] = []
    signing_time = None
    intact = valid = trusted = whole = timestamped = False
    level, changed = "OTHER", []
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
        status = run_sync(validate_pdf_signature, sig, signer_validation_context=context)
        cert = status.signing_cert
        name, subject, issuer = _name_of(cert), _friendly(cert.subject), _friendly(cert.issuer)
        cert_sha = hashlib.sha256(cert.dump()).hexdigest()
        if status.validation_path is not None:
            chain = [_friendly(c.subject) for c in status.validation_path.iter_certs(include_root=True)][::-1]
        signing_time = status.signer_reported_dt
        if status.timestamp_validity is not None:
            timestamped = True
            signing_time = status.timestamp_validity.timestamp
        intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
        coverage = getattr(status.coverage, "name", "")
        whole = coverage == "ENTIRE_FILE"
        diff = status.diff_result
        level = getattr(getattr(diff, "modification_level", None), "name", "NONE" if diff is None else "OTHER")
        changed = sorted(getattr(diff, "changed_form_fields", None) or [])
        if not intact:
            problems.append(_("Nội dung tệp đã bị thay đổi sau khi ký (giá trị băm không khớp)."))
        elif not valid:
            problems.append(_("Chữ ký số không đúng với chứng thư của người ký."))
        if intact and valid and not trusted:
            problems.append(_("Chứng thư của người ký không do tổ chức cấp chứng thư tin cậy cấp."))
        if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
            problems.append(_("Chữ ký không bao phủ toàn bộ tài liệu."))
        if intact and valid:
            revoked_at, revocation_problems, notes = _revocation_check(sig, status, signing_time, revocation)
            problems += revocation_problems
            trusted = trusted and not revocation_problems
    except Exception as exc:  # malformed signature container, digest of a damaged file …
        logger.info("signature check failed: %s: %s", type(exc).__name__, exc)
        problems.append(_("Không kiểm tra được chữ ký: tệp đã bị sửa hoặc chữ ký bị hỏng."))
    report = SignatureReport(
        field_name=str(sig.field_name), signer_name=name, signer_subject=subject, issuer=issuer,
        signing_time=signing_time, intact=intact, valid=valid, trusted=trusted, covers_whole_file=whole,
        changed_after=not intact, timestamped=timestamped, reason=reason, revision_sha256=revision_sha,
        signed_bytes=revision_end, certificate_sha256=cert_sha, chain=chain, problems=problems,
        revoked_at=revoked_at, notes=notes,
    )
    return report, level, changed
