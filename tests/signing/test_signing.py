"""PAdES signatures: the signed demo report validates against the demo root; any change fails."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from reports.signing import pdfsign, pki, selectors, services
from reports.signing.models import TrustRoot
from tests.signing.helpers import sign_and_issue, simple_signer, tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_report(draft_report, user_named):
    """The demo report sent, approved, signed by the Tam Đường leader on the token, issued by the văn thư."""
    reviewer, leader = user_named("tam-duong.reviewer"), user_named("tam-duong.leader")
    services.report_send_for_approval(report=draft_report, user=reviewer)
    services.report_approve(report=draft_report, user=leader)
    return sign_and_issue(draft_report, leader, on=dt.date(2023, 10, 30))


def _demo_root_context():
    roots = pdfsign.trust_roots_from_pem([TrustRoot.objects.get(is_demo=True).certificate_pem])
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def test_signed_demo_report_validates_with_pyhanko_against_the_demo_root(signed_report, tmp_path):
    pdf = bytes(signed_report.pdf)
    assert signed_report.entry.reference == "164-BC/BTGHU"
    assert signed_report.sha256 == pki.sha256_hex(pdf)
    reader = PdfFileReader(io.BytesIO(pdf))
    sigs = reader.embedded_signatures
    assert [s.field_name for s in sigs] == ["ChuKyNguoiKy", "ChuKyCoQuan"]  # the leader, then the body
    for sig in sigs:
        status = validate_pdf_signature(sig, signer_validation_context=_demo_root_context())
        assert status.bottom_line, status.pretty_print_details()
        assert status.intact and status.valid and status.trusted
    leader = validate_pdf_signature(sigs[0], signer_validation_context=_demo_root_context())
    assert "Phạm Thị Hải Đường" in leader.signing_cert.subject.human_friendly
    assert "DEMO" in leader.signing_cert.issuer.human_friendly
    # The number and date were filled in by the văn thư after the leader signed: page 1 shows them.
    out = tmp_path / "signed.pdf"
    out.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "Số 164-BC/BTGHU" in text and "ngày 30 tháng 10 năm 2023" in text


def test_one_changed_byte_fails_with_a_clear_message(signed_report):
    pdf = bytearray(bytes(signed_report.pdf))
    pdf[len(pdf) // 3] ^= 0x01
    result = selectors.verify_upload(data=bytes(pdf)).result
    assert not result.ok
    assert "thay đổi" in result.message or "sửa" in result.message


def test_random_file_and_unsigned_pdf_fail(demo):
    assert selectors.verify_upload(data=os.urandom(4096)).result.message == "Tệp không phải là tệp PDF."
    unsigned = tiny_pdf().pdf
    result = selectors.verify_upload(data=unsigned).result
    assert not result.ok and result.message == "Tệp PDF không có chữ ký số."


def test_signature_from_an_unknown_authority_is_not_trusted(demo):
    from agent.pdf import sign_pdf

    ca = pki.create_ca(common_name="CA lạ")
    issued = pki.issue_certificate(ca=ca, common_name="Người lạ", organisation="Không rõ")
    pdf = sign_pdf(tiny_pdf().pdf, signer=simple_signer(issued, ca), field_name="Sig", box=(330, 150, 552, 235),
                   reason="thử")
    result = selectors.verify_upload(data=pdf).result
    assert not result.ok and result.signatures[0].intact and not result.signatures[0].trusted
    assert "tin cậy" in result.message


def test_verify_pdf_command_exit_status(signed_report, tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(bytes(signed_report.pdf))
    call_command("verify_pdf", str(good))
    out = capsys.readouterr().out
    assert "HỢP LỆ" in out and "164-BC/BTGHU" in out and "Phạm Thị Hải Đường" in out
    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x20
    bad.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="KHÔNG HỢP LỆ"):
        call_command("verify_pdf", str(bad))


def test_visible_signature_sits_in_the_signature_block(signed_report, tmp_path):
    """Render the signature page to PNG: the red stamps are between the title and the signer's name."""
    from PIL import Image

    from reports.documents.pdf.render import render_document
    from reports.documents.printing import report_print_document

    report = signed_report.entry.report
    box = render_document(report_print_document(report)).signature_box  # where the renderer put #signature-box
    assert box is not None
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(bytes(signed_report.pdf))
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", str(box.page + 1), "-l", str(box.page + 1),
                    str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    image = Image.open(png).convert("RGB")
    red = [(x, y) for x in range(image.width) for y in range(image.height)
           if (lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90)(image.getpixel((x, y)))]
    assert red, "no visible signature on the signature page"
    xs, ys = [p[0] for p in red], [image.height - p[1] for p in red]  # to PDF coordinates (72 dpi = 1 pt)
    assert min(xs) >= box.x1 - 2 and max(xs) <= box.x2 + 2
    assert min(ys) >= box.y1 - 2 and max(ys) <= box.y2 + 2
    assert box.x1 > box.page_width / 2 - 40  # the right-hand column (LAYOUT.md closing block)
