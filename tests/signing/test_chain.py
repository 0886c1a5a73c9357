"""Certificates that chain through intermediate CAs (leaf → CA trung gian → root), as the Ban Cơ yếu
Chính phủ issues them: registered with their chain, refused when the chain does not hold, and
signatures made with them verify even when the CMS does not carry the intermediate."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from agent.pdf import sign_pdf
from reports.signing import pki, selectors, services
from reports.signing.models import IntermediateCertificate, SigningCertificate
from tests.signing.helpers import clerk_of, tiny_pdf
from units.models import IssuingBody

pytestmark = pytest.mark.django_db

PERSONAL = SigningCertificate.Kind.PERSONAL


class Chain:
    """A root (trusted by the test) → an intermediate CA → a leader's personal certificate."""

    def __init__(self, *, trusted: bool = True, intermediate_expired: bool = False, leaf_usage=None):
        now = dt.datetime.now(dt.timezone.utc)
        self.root = pki.create_ca(common_name="Root CA thử (Ban Cơ yếu)", organisation="Thử", path_length=None)
        self.intermediate = pki.create_ca(
            common_name="CA trung gian thử", organisation="Thử", issuer=self.root, path_length=0,
            now=now - dt.timedelta(days=800) if intermediate_expired else now,
            not_after=now - dt.timedelta(days=2) if intermediate_expired else None)
        self.leaf = pki.issue_certificate(ca=self.intermediate, common_name="Phạm Thị Hải Đường",
                                          organisation="Ban Tuyên giáo Huyện ủy Tam Đường",
                                          key_usage=leaf_usage, not_before=now - dt.timedelta(days=30), years=2)
        if trusted:
            services.trust_root_add(certificate_pem=self.root.pem)

    def pem_bundle(self) -> bytes:
        return (self.leaf.pem + self.intermediate.pem).encode()

    def leaf_der(self) -> bytes:
        return self.leaf.certificate.public_bytes(serialization.Encoding.DER)

    def p7b(self, *, pem: bool = False) -> bytes:
        return pkcs7.serialize_certificates([self.intermediate.certificate, self.root.certificate],
                                            serialization.Encoding.PEM if pem else serialization.Encoding.DER)

    def signer(self, *, with_intermediate: bool) -> SimpleSigner:
        store = SimpleCertificateStore()
        if with_intermediate:
            store.register(translate_pyca_cryptography_cert_to_asn1(self.intermediate.certificate))
        return SimpleSigner(signing_key=translate_pyca_cryptography_key_to_asn1(self.leaf.key),
                            signing_cert=translate_pyca_cryptography_cert_to_asn1(self.leaf.certificate),
                            cert_registry=store)


def _register(data: bytes, leader):
    return services.certificate_register(certificate=data, kind=PERSONAL, user=leader)


def _fingerprint(issued) -> str:
    return pki.fingerprint(issued.certificate)


def test_leaf_through_an_intermediate_registers_signs_and_verifies(demo, user_named):
    """Register with a PEM bundle, sign an upload whose CMS lacks the intermediate, issue, verify."""
    leader = user_named("tam-duong.leader")
    chain = Chain()
    registered = _register(chain.pem_bundle(), leader)
    assert registered.fingerprint == _fingerprint(chain.leaf)  # the leaf, not the intermediate
    kept = IntermediateCertificate.objects.get(fingerprint=_fingerprint(chain.intermediate))
    assert "CA trung gian thử" in kept.subject

    body = IssuingBody.objects.get(code="tam-duong-btg")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử chuỗi",
                                                rendered=tiny_pdf("Thử chuỗi"))
    signed = sign_pdf(bytes(request.pdf), signer=chain.signer(with_intermediate=False), field_name=request.field_name,
                      box=request.box, page=request.page, appearance=services.appearance_for(request))
    draft = services.signature_accept(token=request.token, data=signed, user=leader)
    assert draft.certificate == registered
    document = services.draft_issue(draft=draft, user=clerk_of(body.unit), on=dt.date.today())
    verification = selectors.verify_upload(data=bytes(document.pdf))
    assert verification.ok, verification.message
    leader_sig = verification.result.signatures[0]
    assert leader_sig.trusted and leader_sig.chain[1:] == ["CA trung gian thử – Thử", "Root CA thử (Ban Cơ yếu) – Thử"]


def test_a_leaf_registers_from_a_p7b_or_an_intermediate_already_known(demo, user_named, tmp_path):
    chain = Chain()
    cer, p7b = tmp_path / "leader.cer", tmp_path / "chain.p7b"
    cer.write_bytes(chain.leaf_der())
    p7b.write_bytes(chain.p7b())
    with pytest.raises(CommandError, match="trung gian"):  # the leaf alone: the server does not know its CA
        call_command("register_certificate", "--cert", str(cer), "--user", "tam-duong.leader")
    call_command("register_certificate", "--cert", str(cer), "--chain", str(p7b), "--user", "tam-duong.leader")
    assert SigningCertificate.objects.filter(fingerprint=_fingerprint(chain.leaf)).exists()
    # the root inside the .p7b is not kept as an intermediate (and is trusted only as a TrustRoot)
    assert list(IntermediateCertificate.objects.values_list("fingerprint", flat=True)) == [
        _fingerprint(chain.intermediate)]
    # a second official of the same CA registers the .cer alone: the intermediate is known now
    other = pki.issue_certificate(ca=chain.intermediate, common_name="Lê Văn Thư", organisation="Văn thư")
    registered = _register(other.certificate.public_bytes(serialization.Encoding.DER), user_named("tam-duong.clerk"))
    assert registered.user == user_named("tam-duong.clerk")
    # a .p7b (PEM armour) holding the leaf and its chain together
    third = pki.issue_certificate(ca=chain.intermediate, common_name="Phạm Thị Hải Đường 2", organisation="X")
    bundle = pkcs7.serialize_certificates([third.certificate, chain.intermediate.certificate],
                                          serialization.Encoding.PEM)
    assert _register(bundle, user_named("tam-duong.leader")).fingerprint == _fingerprint(third)


def test_a_leaf_from_an_untrusted_intermediate_is_refused(demo, user_named):
    leader = user_named("tam-duong.leader")
    chain = Chain(trusted=False)  # its root is nobody's trust anchor here
    before = SigningCertificate.objects.count()
    with pytest.raises(ValidationError, match="tin cậy"):
        _register(chain.pem_bundle(), leader)
    # a bundle that brings its own root does not make that root trusted either
    with pytest.raises(ValidationError, match="tin cậy"):
        _register(chain.pem_bundle() + chain.root.pem.encode(), leader)
    assert SigningCertificate.objects.count() == before
    assert not IntermediateCertificate.objects.filter(fingerprint=_fingerprint(chain.intermediate)).exists()


def test_a_chain_with_an_expired_intermediate_is_refused(demo, user_named):
    chain = Chain(intermediate_expired=True)
    with pytest.raises(ValidationError, match="CA trung gian thử.*hết hạn"):
        _register(chain.pem_bundle(), user_named("tam-duong.leader"))
    assert not IntermediateCertificate.objects.exists()
    assert not SigningCertificate.objects.filter(fingerprint=_fingerprint(chain.leaf)).exists()


def test_a_certificate_not_for_signing_is_refused(demo, user_named):
    encipherment_only = x509.KeyUsage(
        digital_signature=False, content_commitment=False, key_encipherment=True, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False)
    chain = Chain(leaf_usage=encipherment_only)
    with pytest.raises(ValidationError, match="không dùng để ký số"):
        _register(chain.pem_bundle(), user_named("tam-duong.leader"))
    assert not SigningCertificate.objects.filter(fingerprint=_fingerprint(chain.leaf)).exists()


def test_a_bundle_with_two_personal_certificates_or_garbage_is_refused(demo, user_named):
    chain = Chain()
    other = pki.issue_certificate(ca=chain.intermediate, common_name="Người thứ hai", organisation="X")
    with pytest.raises(ValidationError, match="chỉ nộp một chứng thư"):
        _register(chain.pem_bundle() + other.pem.encode(), user_named("tam-duong.leader"))
    with pytest.raises(ValidationError, match="không phải là chứng thư số"):
        _register(b"\x89PNG\r\n\x1a\n not a certificate", user_named("tam-duong.leader"))


def test_an_administrator_registers_a_certificate_with_its_chain_in_the_admin(demo, user_named, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    chain = Chain()
    url = reverse("admin:signing_signingcertificate_add")
    leader = user_named("tam-duong.leader")
    form = {"kind": "personal", "user": leader.pk}
    assert login("tam-duong.admin").get(url).status_code == 403  # unit admins do not register certificates
    client = login("admin")
    before = SigningCertificate.objects.count()
    response = client.post(url, {**form, "file": SimpleUploadedFile("leader.cer", chain.leaf_der())})
    assert response.status_code == 200 and "trung gian" in response.content.decode()  # the chain is missing
    assert SigningCertificate.objects.count() == before and not IntermediateCertificate.objects.exists()
    response = client.post(url, {**form, "file": SimpleUploadedFile("leader.cer", chain.leaf_der()),
                                 "chain": SimpleUploadedFile("ca.p7b", chain.p7b())})
    assert response.status_code == 302, response.content.decode()[:3000]
    registered = SigningCertificate.objects.get(fingerprint=_fingerprint(chain.leaf))
    assert registered.user == leader and registered.kind == "personal"
    assert IntermediateCertificate.objects.filter(fingerprint=_fingerprint(chain.intermediate)).exists()
