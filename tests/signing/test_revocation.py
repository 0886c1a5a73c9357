"""Revocation from CRLs the server holds (offline, nothing fetched): a CA's CRL is imported only when
a trusted root or a kept intermediate signed it; a signature by a certificate revoked before its
signing time is not valid, revoked after it stays valid with a note; without a CRL the verdict says
revocation was not checked; uploads and registrations with a revoked certificate are refused."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

from agent.pdf import run_sync
from reports.signing import pdfsign, pki, selectors, services
from reports.signing.models import RevocationList, SignedDraft, SigningCertificate, SigningRequest
from tests.signing.helpers import tiny_pdf
from tests.signing.test_chain import Chain
from units.models import IssuingBody

pytestmark = pytest.mark.django_db

NOW = dt.datetime.now(dt.timezone.utc)
PERSONAL = SigningCertificate.Kind.PERSONAL


def make_crl(ca: pki.IssuedCertificate, revoked: list[tuple[x509.Certificate, dt.datetime]], *,
             this_update: dt.datetime | None = None, number: int = 1, pem: bool = False) -> bytes:
    """A CRL issued by `ca` listing `revoked` (certificate, revocation moment)."""
    this_update = this_update or NOW - dt.timedelta(hours=1)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.certificate.subject)
               .last_update(this_update).next_update(this_update + dt.timedelta(days=7))
               .add_extension(x509.CRLNumber(number), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key()),
                              critical=False))
    for cert, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(when).build())
    crl = builder.sign(ca.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.PEM if pem else serialization.Encoding.DER)


class _SignerAt(PdfSigner):
    """pyHanko's signer with the signing time it writes into the CMS set (a signature made earlier)."""

    def __init__(self, *args, at: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(self, *args, **kwargs):
        session = super().init_signing_session(*args, **kwargs)
        session.system_time = self._at
        return session


def signed_at(chain: Chain, at: dt.datetime) -> bytes:
    """A small PDF signed by the chain's leaf, claiming `at` as its signing time."""
    writer = IncrementalPdfFileWriter(io.BytesIO(tiny_pdf("Thử thu hồi").pdf), strict=False)
    meta = PdfSignatureMetadata(field_name=pdfsign.LEADER_FIELD, md_algorithm="sha256",
                                subfilter=fields.SigSeedSubFilter.PADES)
    signer = _SignerAt(meta, signer=chain.signer(with_intermediate=True), at=at,
                       new_field_spec=fields.SigFieldSpec(sig_field_name=pdfsign.LEADER_FIELD, on_page=-1,
                                                          box=(330, 150, 552, 235)))
    return run_sync(signer.sign_pdf, writer).getvalue()


@pytest.fixture
def chain(demo):
    chain = Chain()
    services.certificate_register(certificate=chain.pem_bundle(), kind=PERSONAL,
                                  user=selectors_user("tam-duong.leader"))
    return chain


def selectors_user(username: str):
    from tests.signing.helpers import user

    return user(username)


def verify_command(tmp_path, data: bytes) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("verify_pdf", str(path), stdout=out)
    return out.getvalue()


def test_a_signature_made_after_the_revocation_is_not_valid(chain, tmp_path):
    data = signed_at(chain, NOW - dt.timedelta(days=1))
    assert selectors.verify_upload(data=data).ok  # nothing held yet: valid (soft)
    services.crl_import(data=make_crl(chain.intermediate, [(chain.leaf.certificate, NOW - dt.timedelta(days=3))]))
    verification = selectors.verify_upload(data=data)
    assert not verification.ok
    assert "Chứng thư số đã bị thu hồi ngày" in verification.message
    assert pki.revocation_moment(NOW - dt.timedelta(days=3)).split(" lúc")[0] in verification.message
    assert verification.result.signatures[0].revoked_at is not None
    with pytest.raises(CommandError, match="KHÔNG HỢP LỆ: Chứng thư số đã bị thu hồi"):
        verify_command(tmp_path, data)


def test_a_signature_made_before_the_revocation_stays_valid_with_a_note(chain, tmp_path):
    data = signed_at(chain, NOW - dt.timedelta(days=10))
    services.crl_import(data=make_crl(chain.intermediate, [(chain.leaf.certificate, NOW - dt.timedelta(days=3))]))
    verification = selectors.verify_upload(data=data)
    assert verification.ok, verification.message
    assert "bị thu hồi ngày" in verification.message and "sau thời điểm ký" in verification.message
    out = verify_command(tmp_path, data)
    assert "HỢP LỆ" in out and "sau thời điểm ký" in out


def test_a_certificate_not_on_the_held_crl_is_valid_without_a_note(chain):
    other = pki.issue_certificate(ca=chain.intermediate, common_name="Người khác", organisation="X")
    services.crl_import(data=make_crl(chain.intermediate, [(other.certificate, NOW - dt.timedelta(days=3))]))
    verification = selectors.verify_upload(data=signed_at(chain, NOW - dt.timedelta(days=1)))
    assert verification.ok, verification.message
    assert verification.message == "Chữ ký số hợp lệ; tệp không bị thay đổi sau khi ký."


def test_without_a_crl_the_verdict_says_revocation_was_not_checked(chain, login):
    data = signed_at(chain, NOW - dt.timedelta(days=1))
    verification = selectors.verify_upload(data=data)
    assert verification.ok, verification.message
    assert "Chưa kiểm tra thu hồi: máy chủ chưa có CRL của CA trung gian thử" in verification.message
    # the verify page shows it too
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    page = login("tam-duong.reviewer").post(reverse("signing:verify"),
                                            {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert "Chưa kiểm tra thu hồi: máy chủ chưa có CRL của CA trung gian thử" in page.content.decode()


def test_the_verify_page_says_not_valid_for_a_revoked_signer(chain, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = signed_at(chain, NOW - dt.timedelta(days=1))
    services.crl_import(data=make_crl(chain.intermediate, [(chain.leaf.certificate, NOW - dt.timedelta(days=3))]))
    page = login("tam-duong.reviewer").post(reverse("signing:verify"),
                                            {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    html = page.content.decode()
    assert "KHÔNG HỢP LỆ" in html and "Chứng thư số đã bị thu hồi ngày" in html


def test_a_crl_not_signed_by_a_trusted_ca_is_refused(chain, tmp_path):
    stranger = pki.create_ca(common_name="CA lạ", organisation="Lạ")
    # the same name as the kept intermediate, another key: a forged CRL
    forged = pki.IssuedCertificate(key=stranger.key, certificate=chain.intermediate.certificate)
    path = tmp_path / "x.crl"
    for data in (make_crl(stranger, []), make_crl(forged, [(chain.leaf.certificate, NOW)])):
        path.write_bytes(data)
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_crl", str(path), stderr=err)
        assert "không do chứng thư gốc tin cậy hoặc chứng thư trung gian đã đăng ký ký" in err.getvalue()
    path.write_bytes(b"not a crl")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_crl", str(path), stderr=err)
    assert "không phải là danh sách chứng thư bị thu hồi" in err.getvalue()
    assert not RevocationList.objects.exists()


def test_a_newer_crl_replaces_the_older_as_current_and_history_is_kept(chain, tmp_path):
    older = make_crl(chain.intermediate, [], this_update=NOW - dt.timedelta(days=2), number=1, pem=True)
    newer = make_crl(chain.intermediate, [(chain.leaf.certificate, NOW - dt.timedelta(days=1))],
                     this_update=NOW - dt.timedelta(hours=2), number=2)
    (tmp_path / "new.crl").write_bytes(newer)
    (tmp_path / "old.crl").write_bytes(older)
    out = io.StringIO()
    call_command("import_crl", str(tmp_path / "new.crl"), str(tmp_path / "old.crl"), stdout=out)
    assert "đang dùng" in out.getvalue() and "lưu lịch sử" in out.getvalue()
    rows = {r.crl_number: r for r in RevocationList.objects.all()}
    assert rows["2"].is_current and not rows["1"].is_current and rows["2"].revoked_count == 1
    assert services.crl_import(data=newer) == rows["2"]  # the same CRL again: nothing new
    newest = make_crl(chain.intermediate, [], this_update=NOW - dt.timedelta(minutes=30), number=3)
    services.crl_import(data=newest)
    assert list(RevocationList.objects.filter(is_current=True).values_list("crl_number", flat=True)) == ["3"]
    assert RevocationList.objects.count() == 3


def test_a_superuser_imports_a_crl_in_the_admin(chain, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("admin:signing_revocationlist_add")
    assert login("tam-duong.admin").get(url).status_code == 403
    client = login("admin")
    stranger = pki.create_ca(common_name="CA lạ", organisation="Lạ")
    response = client.post(url, {"file": SimpleUploadedFile("x.crl", make_crl(stranger, []))})
    assert response.status_code == 200 and "không do chứng thư gốc tin cậy" in response.content.decode()
    assert not RevocationList.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("ca.crl", make_crl(chain.intermediate, [], pem=True))})
    assert response.status_code == 302, response.content.decode()[:2000]
    held = RevocationList.objects.get()
    assert held.is_current and held.imported_by.username == "admin" and "CA trung gian thử" in held.issuer


def test_an_upload_signed_with_a_revoked_certificate_is_refused(chain):
    leader = selectors_user("tam-duong.leader")
    services.crl_import(data=make_crl(chain.intermediate, [(chain.leaf.certificate, NOW - dt.timedelta(hours=1))]))
    body = IssuingBody.objects.get(code="tam-duong-btg")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử thu hồi",
                                                rendered=tiny_pdf("Thử thu hồi"))
    from agent.pdf import sign_pdf

    signed = sign_pdf(bytes(request.pdf), signer=chain.signer(with_intermediate=False), field_name=request.field_name,
                      box=request.box, page=request.page, appearance=services.appearance_for(request))
    drafts = SignedDraft.objects.count()
    with pytest.raises(ValidationError, match="Chứng thư số đã bị thu hồi ngày"):
        services.signature_accept(token=request.token, data=signed, user=leader)
    assert SignedDraft.objects.count() == drafts
    assert SigningRequest.objects.get(pk=request.pk).used_at is None


def test_registering_a_revoked_certificate_is_refused(chain):
    other = pki.issue_certificate(ca=chain.intermediate, common_name="Người bị thu hồi", organisation="X")
    services.crl_import(data=make_crl(chain.intermediate, [(other.certificate, NOW - dt.timedelta(days=1))]))
    before = SigningCertificate.objects.count()
    with pytest.raises(ValidationError, match="Chứng thư số đã bị thu hồi ngày"):
        services.certificate_register(certificate=other.pem, kind=PERSONAL, user=selectors_user("tam-duong.clerk"))
    assert SigningCertificate.objects.count() == before
    # a certificate of the same CA that is not on the CRL registers
    fine = pki.issue_certificate(ca=chain.intermediate, common_name="Người còn hiệu lực", organisation="X")
    assert services.certificate_register(certificate=fine.pem, kind=PERSONAL, user=selectors_user("tam-duong.clerk"))


def test_a_revoked_intermediate_ca_makes_its_signatures_not_valid(chain):
    """The root's CRL revokes the intermediate CA; with the CRLs of every CA of the path held, the
    intermediate is checked too (pyHanko's CRL_REQUIRED for CA certificates)."""
    data = signed_at(chain, NOW - dt.timedelta(days=1))
    services.crl_import(data=make_crl(chain.intermediate, []))
    assert selectors.verify_upload(data=data).ok
    services.crl_import(data=make_crl(chain.root, [(chain.intermediate.certificate, NOW - dt.timedelta(days=2))]))
    verification = selectors.verify_upload(data=data)
    assert not verification.ok
    assert "Chứng thư của tổ chức cấp chứng thư trong chuỗi đã bị thu hồi ngày" in verification.message
