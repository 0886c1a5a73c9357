"""Real certificates (passphrase from the environment, imported by command) and RFC 3161 timestamps."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.signing import pki, selectors, services
from reports.signing.models import SigningCertificate
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


def test_import_a_real_certificate_whose_passphrase_is_in_the_environment(demo, user_named, tmp_path, monkeypatch,
                                                                         tiny_renderer):
    ca = pki.create_ca(common_name="CA Thử nghiệm", organisation="Tổ chức thử")
    issued = pki.issue_certificate(ca=ca, common_name="Phạm Thị Hải Đường", organisation="Ban Tuyên giáo")
    p12 = tmp_path / "leader.p12"
    p12.write_bytes(pki.to_pkcs12(issued, chain=[ca.certificate], passphrase="bí-mật-thật", name="leader"))
    (tmp_path / "ca.pem").write_text(ca.pem)
    monkeypatch.delenv("LEADER_P12_PASSPHRASE", raising=False)
    args = ["--p12", str(p12), "--passphrase-env", "LEADER_P12_PASSPHRASE", "--user", "tam-duong.leader",
            "--trust-root", str(tmp_path / "ca.pem")]
    with pytest.raises(CommandError, match="Chưa đặt biến môi trường"):
        call_command("import_certificate", *args)
    monkeypatch.setenv("LEADER_P12_PASSPHRASE", "sai")
    with pytest.raises(CommandError, match="sai mật khẩu"):
        call_command("import_certificate", *args)
    monkeypatch.setenv("LEADER_P12_PASSPHRASE", "bí-mật-thật")
    call_command("import_certificate", *args)
    leader = user_named("tam-duong.leader")
    active = SigningCertificate.objects.get(user=leader, is_active=True)
    assert not active.is_demo and active.passphrase_env == "LEADER_P12_PASSPHRASE"
    assert b"b\xc3\xad-m\xe1\xba\xadt" not in bytes(active.pkcs12)  # the passphrase itself is not stored
    body = IssuingBody.objects.get(code="tam-duong-btg")
    document = services.document_issue(issuing_body=body, kind="BC", summary="Thử", signer=leader,
                                       render=tiny_renderer(), on=dt.date(2024, 4, 1))
    result = selectors.verify_upload(data=bytes(document.pdf)).result
    assert result.ok and result.signatures[0].signer_name == "Phạm Thị Hải Đường"
    monkeypatch.delenv("LEADER_P12_PASSPHRASE")
    with pytest.raises(ValidationError, match="LEADER_P12_PASSPHRASE"):
        services.document_issue(issuing_body=body, kind="BC", summary="Thử", signer=leader,
                                render=tiny_renderer(), on=dt.date(2024, 4, 2))


def test_rfc3161_timestamp_when_a_server_is_configured(demo, user_named, settings, monkeypatch, tiny_renderer):
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign import timestamps

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
    requested = []
    monkeypatch.setattr(timestamps, "HTTPTimeStamper", lambda url: requested.append(url) or dummy)
    settings.SIGNING_TIMESTAMP_URL = "http://tsa.example.invalid/"
    document = services.document_issue(issuing_body=IssuingBody.objects.get(code="tam-duong-btg"), kind="BC",
                                       summary="Thử", signer=user_named("tam-duong.leader"),
                                       render=tiny_renderer(), on=dt.date(2024, 4, 1))
    assert document.timestamped and requested == ["http://tsa.example.invalid/"] * 2
    result = selectors.verify_upload(data=bytes(document.pdf)).result
    assert result.ok, result.message
    assert all(s.timestamped for s in result.signatures)
