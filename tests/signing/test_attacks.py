"""Forgeries built here must not pass: the attack classes of the PDF-signature literature (Mladenov et
al. 2019, Mainka et al. 2021 "shadow attacks") against an issued document, the "TONG SO: 999.999 NGUOI"
overlay of issue 17, and uploads that break the acceptance rules. Each verdict is "not valid", says
why in Vietnamese, and `verify_pdf` exits non-zero; a refused upload changes nothing."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
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
from pyhanko.sign import fields

from agent.pdf import sign_pdf
from reports.signing import pdfsign, pki, selectors, services
from reports.signing.models import SignedDraft, SigningCertificate, SigningRequest
from tests.signing.helpers import clerk_of, issue_tiny, simple_signer, tiny_pdf, token_sign
from units.models import IssuingBody

pytestmark = pytest.mark.django_db

OVERLAY = b"BT /F1 16 Tf 4 6 Td (TONG SO: 999.999 NGUOI) Tj ET"


@pytest.fixture
def issued(demo, user_named):
    """A document signed by Tam Đường's leader on the token and issued by its văn thư (164-BC/BTGHU)."""
    body = IssuingBody.objects.get(code="tam-duong-btg")
    return issue_tiny(body, user_named("tam-duong.leader"), dt.date(2023, 10, 30))


def _write(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_appearance(writer, width: float, height: float, content: bytes = OVERLAY):
    font = DictionaryObject({pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
                             pdf_name("/BaseFont"): pdf_name("/Helvetica")})
    stream = StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
        pdf_name("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
        pdf_name("/Resources"): DictionaryObject({pdf_name("/Font"): DictionaryObject({pdf_name("/F1"): font})}),
    }, stream_data=b"q 1 1 1 rg 0 0 %d %d re f Q 0 g " % (int(width), int(height)) + content)
    return writer.add_object(stream)


def _verdict(data: bytes):
    verification = selectors.verify_upload(data=data)
    return verification


def _assert_refused(data: bytes, tmp_path, *, words: str = "thay đổi"):
    verification = _verdict(data)
    assert not verification.ok, "a forged file passed"
    assert words in verification.message or any(words in p for s in verification.result.signatures
                                                 for p in s.problems), verification.message
    path = tmp_path / "forged.pdf"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="KHÔNG HỢP LỆ"):
        call_command("verify_pdf", str(path))
    return verification


def test_the_issued_file_itself_is_fully_valid(issued, tmp_path):
    verification = _verdict(bytes(issued.pdf))
    assert verification.ok and verification.exact_copy, verification.message
    leader, org = verification.result.signatures
    assert "chỉ cấp số" in leader.after and not org.after
    assert leader.trusted and leader.chain[-1].startswith("CA DEMO")
    path = tmp_path / "ok.pdf"
    path.write_bytes(bytes(issued.pdf))
    call_command("verify_pdf", str(path))


def test_unsigned_signature_field_painting_new_figures_is_changed_after_signing(issued, tmp_path):
    """Issue 17's finding: an unsigned signature field whose appearance paints "TONG SO: 999.999 NGUOI"."""
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(issued.pdf)), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name="TongSo", on_page=0,
                                                              box=(60, 600, 360, 630)))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == "TongSo":
            field["/AP"] = DictionaryObject({pdf_name("/N"): _text_appearance(writer, 300, 30)})
            writer.update_container(field)
    forged = _write(writer)
    verification = _assert_refused(forged, tmp_path)
    assert verification.result.signatures[0].changed_after and verification.result.signatures[1].changed_after
    assert "TongSo" in verification.result.signatures[1].after


def test_incremental_saving_attack_new_annotation(issued, tmp_path):
    """ISA: an incremental update adds a FreeText annotation over the figures."""
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(issued.pdf)), strict=False)
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    annot = writer.add_object(DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/FreeText"),
        pdf_name("/Rect"): ArrayObject([FloatObject(v) for v in (60, 600, 360, 630)]),
        pdf_name("/Contents"): TextStringObject("TONG SO: 999.999 NGUOI"), pdf_name("/F"): NumberObject(4),
        pdf_name("/DA"): TextStringObject("/Helv 16 Tf 0 g"),
        pdf_name("/AP"): DictionaryObject({pdf_name("/N"): _text_appearance(writer, 300, 30)}),
    }))
    annots = page.get("/Annots")
    annots.get_object().append(annot)
    writer.update_container(page)
    _assert_refused(_write(writer), tmp_path)


def test_incremental_saving_attack_new_page_content_and_added_page(issued, tmp_path):
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(issued.pdf)), strict=False)
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    extra = writer.add_object(StreamObject(stream_data=b"q 1 1 1 rg 50 600 400 40 re f Q"))
    contents = page["/Contents"]
    page["/Contents"] = ArrayObject([*(contents if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]),
                                     extra])
    writer.update_container(page)
    _assert_refused(_write(writer), tmp_path)
    # a page added after the signatures
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(issued.pdf)), strict=False)
    writer.insert_page(DictionaryObject({pdf_name("/Type"): pdf_name("/Page"),
                                         pdf_name("/MediaBox"): ArrayObject([NumberObject(0), NumberObject(0),
                                                                             NumberObject(595), NumberObject(842)])}))
    _assert_refused(_write(writer), tmp_path)


def test_shadow_hide_an_overlay_present_when_signed_is_hidden_afterwards(demo, user_named, tmp_path):
    """Shadow "hide": the leader signs a file whose white annotation covers a line; after signing the
    annotation is flagged hidden and the covered content appears."""
    body = IssuingBody.objects.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")
    rendered = tiny_pdf("Số liệu thật")
    writer = IncrementalPdfFileWriter(io.BytesIO(rendered.pdf), strict=False)
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    cover = writer.add_object(DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Square"),
        pdf_name("/Rect"): ArrayObject([FloatObject(v) for v in (40, 500, 560, 720)]), pdf_name("/F"): NumberObject(4),
        pdf_name("/AP"): DictionaryObject({pdf_name("/N"): _text_appearance(writer, 520, 220, b"")}),
    }))
    page["/Annots"].get_object().append(cover)
    writer.update_container(page)
    rendered.pdf = _write(writer)
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                rendered=rendered)
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    document = services.draft_issue(draft=draft, user=clerk_of(body.unit), on=dt.date(2024, 9, 1))
    assert _verdict(bytes(document.pdf)).ok
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(document.pdf)), strict=False)
    page = writer.find_page_for_modification(0)[0].get_object()
    square = next(ref for ref in page["/Annots"] if ref.get_object().get("/Subtype") == "/Square")
    annot = square.get_object()
    annot["/F"] = NumberObject(2)  # hidden
    writer.mark_update(square)
    _assert_refused(_write(writer), tmp_path)


def test_shadow_replace_the_number_fields_refilled_after_issuance(issued, tmp_path):
    """Shadow "replace": the issuance fields filled again with another number, no new seal."""
    writer = pdfsign.fill_issuance(bytes(issued.pdf), number_line="Số 999-BC/BTGHU",
                                   date_line="Tam Đường, ngày 01 tháng 01 năm 2024")
    verification = _assert_refused(_write(writer), tmp_path)
    assert verification.result.signatures[1].changed_after  # after the seal: a form change


def test_shadow_hide_and_replace_objects_rewritten(issued, tmp_path):
    """Shadow "hide-and-replace": an update redefines objects of the signed revision (the page's
    content stream) with the same object numbers."""
    data = bytes(issued.pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page = writer.find_page_for_modification(0)[0].get_object()
    contents = page.raw_get("/Contents")
    first = contents[0] if isinstance(contents, ArrayObject) else contents
    stream = first.get_object()
    stream._data = b"BT /F1 16 Tf 60 600 Td (TONG SO: 999.999 NGUOI) Tj ET"
    stream._encoded_data = None
    stream.pop("/Filter", None)
    writer.mark_update(first)
    _assert_refused(_write(writer), tmp_path)


def test_a_forged_issuance_with_a_trusted_but_foreign_certificate(demo, user_named, tmp_path):
    """The number and date filled and "sealed" with a trusted certificate that is not the body's."""
    body = IssuingBody.objects.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                rendered=tiny_pdf())
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    ca = pki.create_ca(common_name="CA khác được tin cậy")
    services.trust_root_add(certificate_pem=ca.pem)
    stranger = pki.issue_certificate(ca=ca, common_name="Không phải cơ quan", organisation="Lạ")
    writer = pdfsign.fill_issuance(bytes(draft.pdf), number_line="Số 164-BC/BTGHU",
                                   date_line="Tam Đường, ngày 30 tháng 10 năm 2023")
    forged = sign_pdf(writer, signer=simple_signer(stranger, ca), field_name=pdfsign.ORGANISATION_FIELD,
                      box=(100, 150, 300, 235), reason="Cấp số 164-BC/BTGHU")
    assert pdfsign.verify_pdf(forged, trust_roots=selectors.trust_roots()).ok  # the PDF alone looks fine …
    services.draft_issue(draft=draft, user=clerk_of(body.unit), on=dt.date(2023, 10, 30))  # the real 164
    verification = selectors.verify_upload(data=forged)
    assert not verification.ok  # … but the register says otherwise
    assert "không phải của" in verification.message


def test_universal_signature_forgery_and_signature_wrapping(issued, tmp_path):
    data = bytes(issued.pdf)
    matches = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
    last = matches[-1]
    start, end = last.span()
    # USF: the signature's Contents emptied (zeros), the byte range unchanged
    hexes = list(re.finditer(rb"/Contents\s*<([0-9a-fA-F]{64,})>", data))
    lt, gt = hexes[-1].span(1)
    zeroed = data[:lt] + b"0" * (gt - lt) + data[gt:]
    _assert_refused(zeroed, tmp_path, words="")
    # USF: a byte range that covers nothing of the document
    a, b, c, d = (int(x) for x in last.groups())
    silly = f"/ByteRange [0 0 {c} 0]".encode().ljust(end - start)
    _assert_refused(data[:start] + silly + data[end:], tmp_path, words="")
    # signature wrapping: the second range moved so that the signed bytes are no longer those shown
    wrapped_range = f"/ByteRange [{a} {b} {c - 10} {d}]".encode().ljust(end - start)
    _assert_refused(data[:start] + wrapped_range + data[end:], tmp_path, words="")


def test_bytes_after_the_end_of_the_file(issued, tmp_path):
    data = bytes(issued.pdf) + b"\n1 0 obj (TONG SO: 999.999 NGUOI) endobj\n%%EOF\n"
    _assert_refused(data, tmp_path, words="")


# -- uploads of a leader's signature ------------------------------------------------------------------


@pytest.fixture
def leader_request(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    return services.document_request_create(issuing_body=body, user=user_named("tam-duong.leader"), kind="BC",
                                            summary="Thử", rendered=tiny_pdf())


def _refused(request, data, match: str):
    with pytest.raises(ValidationError, match=match):
        services.signature_accept(token=request.token, data=data)
    assert not SignedDraft.objects.exists()
    request.refresh_from_db()
    assert request.used_at is None


def test_upload_of_a_resaved_file_is_refused(leader_request):
    """The signed file saved again as a whole (a "print to PDF", a program that rewrites): not the handed-out
    bytes followed by one signature."""
    import pypdf

    signed = token_sign(leader_request)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(signed)))
    out = io.BytesIO()
    writer.write(out)
    _refused(leader_request, out.getvalue(), "không phải là bản được giao")


def test_upload_with_two_new_signatures_is_refused(leader_request):
    ca = pki.create_ca(common_name="CA thêm")
    other = pki.issue_certificate(ca=ca, common_name="Chữ ký thêm", organisation="Lạ")
    once = token_sign(leader_request)
    twice = sign_pdf(once, signer=simple_signer(other, ca), field_name="ThemChuKy", box=(10, 10, 100, 60))
    _refused(leader_request, twice, "đúng một chữ ký")


def test_upload_signed_with_an_unregistered_certificate_is_refused(leader_request, user_named):
    ca = pki.create_ca(common_name="CA tin cậy khác")
    services.trust_root_add(certificate_pem=ca.pem)
    other = pki.issue_certificate(ca=ca, common_name="Phạm Thị Hải Đường", organisation="Giả mạo")
    forged = sign_pdf(bytes(leader_request.pdf), signer=simple_signer(other, ca), field_name=pdfsign.LEADER_FIELD,
                      box=leader_request.box)
    _refused(leader_request, forged, "chưa được đăng ký")
    # another leader's registered certificate (on the same demo token) is not this leader's either
    SigningCertificate.objects.filter(user=user_named("lai-chau.leader")).update(user=user_named("lai-chau.leader"))
    untrusted_ca = pki.create_ca(common_name="CA không tin cậy")
    stranger = pki.issue_certificate(ca=untrusted_ca, common_name="Người lạ", organisation="Lạ")
    forged = sign_pdf(bytes(leader_request.pdf), signer=simple_signer(stranger, untrusted_ca),
                      field_name=pdfsign.LEADER_FIELD, box=leader_request.box)
    _refused(leader_request, forged, "tin cậy")


def test_upload_in_another_field_or_after_expiry_or_twice(leader_request, user_named):
    signed = token_sign(leader_request)
    SigningRequest.objects.filter(pk=leader_request.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(leader_request, signed, "hết hạn")
    SigningRequest.objects.filter(pk=leader_request.pk).update(expires_at=timezone.now() + dt.timedelta(minutes=5))
    assert services.signature_accept(token=leader_request.token, data=signed)
    with pytest.raises(ValidationError, match="đã được dùng"):
        services.signature_accept(token=leader_request.token, data=signed)
    assert SignedDraft.objects.count() == 1


def test_a_link_is_bound_to_its_user(leader_request, user_named, login):
    from django.urls import reverse

    assert login("tam-duong.reviewer").get(reverse("signing:request_page", args=[leader_request.token])).status_code \
        == 404
    with pytest.raises(ValidationError, match="người khác"):
        services.signature_accept(token=leader_request.token, data=token_sign(leader_request),
                                  user=user_named("tam-duong.reviewer"))
    assert not SignedDraft.objects.exists()


def test_report_changed_after_the_link_was_given_is_refused(draft_report, user_named, monkeypatch):
    from reports.documents.models import Report
    from tests.signing.helpers import tiny_pdf as tiny

    monkeypatch.setattr("reports.signing.services.render_report", lambda report: tiny())
    reviewer, leader = user_named("tam-duong.reviewer"), user_named("tam-duong.leader")
    services.report_send_for_approval(report=draft_report, user=reviewer)
    services.report_approve(report=draft_report, user=leader)
    request = services.leader_request_create(report=draft_report, user=leader)
    signed = token_sign(request)
    Report.objects.filter(pk=draft_report.pk).update(version=draft_report.version + 5)
    _refused(request, signed, "đã thay đổi")


def test_the_register_entry_is_shown_only_in_scope_or_for_the_exact_file(issued, user_named):
    from reports.signing.selectors import verify_upload

    data = bytes(issued.pdf)
    outsider = user_named("ha-tinh-khoi.leader")
    exact = verify_upload(data=data, user=outsider)
    assert exact.entry is not None and exact.exact_copy  # whoever holds the exact file may see its entry
    changed = data + b"\n%%EOF\n"
    hidden = verify_upload(data=changed, number="164-BC/BTGHU", user=outsider)
    assert hidden.entry is None and hidden.entry_hidden
    inside = verify_upload(data=changed, number="164-BC/BTGHU", user=user_named("lai-chau.reviewer"))
    assert inside.entry is not None and not inside.ok
