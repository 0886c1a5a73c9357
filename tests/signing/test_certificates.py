"""Public certificates only (registered by command), and RFC 3161 timestamps on token signatures."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.signing import pki, services
from reports.signing.models import SigningCertificate
from tests.signing.helpers import tiny_pdf, token_sign

pytestmark = pytest.mark.django_db


def test_register_a_public_certificate_by_command(demo, user_named, tmp_path):
    ca = pki.create_ca(common_name="CA Thử nghiệm", organisation="Tổ chức thử")
    issued = pki.issue_certificate(ca=ca, common_name="Phạm Thị Hải Đường", organisation="Ban Tuyên giáo")
    cer = tmp_path / "leader.cer"
    cer.write_bytes(issued.certificate.public_bytes(serialization.Encoding.DER))
    (tmp_path / "ca.pem").write_text(ca.pem)
    with pytest.raises(CommandError, match="tin cậy"):  # its root is not trusted yet
        call_command("register_certificate", "--cert", str(cer), "--user", "tam-duong.leader")
    call_command("register_certificate", "--cert", str(cer), "--user", "tam-duong.leader",
                 "--trust-root", str(tmp_path / "ca.pem"))
    registered = SigningCertificate.objects.get(fingerprint=pki.fingerprint(issued.certificate))
    assert registered.user == user_named("tam-duong.leader") and not registered.is_demo
    # a private key is never taken, whatever the file says
    keyfile = tmp_path / "leader.pem"
    keyfile.write_bytes(issued.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()) + issued.pem.encode())
    with pytest.raises(CommandError, match="khóa bí mật"):
        call_command("register_certificate", "--cert", str(keyfile), "--user", "tam-duong.leader")


def test_a_certificate_from_an_untrusted_authority_is_refused(demo, user_named):
    ca = pki.create_ca(common_name="CA lạ")
    issued = pki.issue_certificate(ca=ca, common_name="Người lạ", organisation="Không rõ")
    with pytest.raises(Exception, match="tin cậy"):
        services.certificate_register(certificate=issued.pem, kind=SigningCertificate.Kind.PERSONAL,
                                      user=user_named("tam-duong.leader"))


def test_rfc3161_timestamp_on_a_token_signature(demo, user_named, monkeypatch):
    """A leader's agent with a timestamp server: the signature carries a verified timestamp (PAdES B-T)."""
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign import timestamps

    from agent import pdf as agent_pdf
    from reports.signing import selectors

    ca = pki.create_ca(common_name="CA dấu thời gian thử")
    services.trust_root_add(certificate_pem=ca.pem)
    key = pki._new_key()
    now = dt.datetime.now(dt.timezone.utc)
    tsa_cert = (x509.CertificateBuilder().subject_name(pki._name("TSA thử", "Thử"))
                .issuer_name(ca.certificate.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .sign(ca.key, hashes.SHA256()))
    dummy = timestamps.DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa_cert),
        tsa_key=translate_pyca_cryptography_key_to_asn1(key),
        certs_to_embed=[translate_pyca_cryptography_cert_to_asn1(ca.certificate)],
    )
    original = agent_pdf.sign_pdf
    monkeypatch.setattr("agent.client.sign_pdf",
                        lambda *a, timestamper=None, **kw: original(*a, timestamper=dummy, **kw))
    body = user_named("tam-duong.leader").staff.unit.issuing_bodies.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                rendered=tiny_pdf())
    signed = token_sign(request)
    result = selectors.verify_upload(data=signed).result
    assert result.ok, result.message
    assert result.signatures[-1].timestamped
    draft = services.signature_accept(token=request.token, data=signed, user=leader)
    assert draft.pk
