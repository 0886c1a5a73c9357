"""Keys and certificates: the demo certificate authority, demo certificates, loading a signer.

Everything here uses the `cryptography` library; pyHanko takes the loaded key and certificates.
Demo material is named "DEMO – Không có giá trị pháp lý" so nobody mistakes it for a real one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_MARK = "DEMO – Không có giá trị pháp lý"
DEMO_CA_NAME = "CA DEMO Ban Tuyên giáo"
# Demo PKCS#12 archives are encrypted with this well-known passphrase (no environment variable needed).
DEMO_PASSPHRASE = "demo"
KEY_SIZE = 2048


@dataclass
class IssuedCertificate:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def _fit(value: str, limit: int = 64) -> str:
    """X.509 name attributes are limited to 64 bytes of UTF-8 (Vietnamese letters take 2–3)."""
    while len(value.encode()) > limit:
        value = value[:-1]
    return value.strip()


def _name(common_name: str, organisation: str, unit: str = "") -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
    ]
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _fit(unit)))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def create_ca(*, common_name: str = DEMO_CA_NAME, organisation: str = DEMO_MARK, years: int = 20,
              now: dt.datetime | None = None) -> IssuedCertificate:
    """A self-signed root certificate authority."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = _new_key()
    name = _name(common_name, organisation)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return IssuedCertificate(key=key, certificate=cert)


def issue_certificate(*, ca: IssuedCertificate, common_name: str, organisation: str, unit: str = "",
                      years: int = 10, not_before: dt.datetime | None = None) -> IssuedCertificate:
    """An end-entity signing certificate (digital signature + non-repudiation) issued by `ca`.

    Demo certificates start well in the past so that documents dated in earlier years (seed 004 is
    from 2023) can be signed with a certificate valid at the signing time.
    """
    now = dt.datetime.now(dt.timezone.utc)
    not_before = not_before or now - dt.timedelta(days=365 * 5)
    key = _new_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, unit))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return IssuedCertificate(key=key, certificate=cert)


def to_pkcs12(issued: IssuedCertificate, *, chain: list[x509.Certificate], passphrase: str, name: str) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode()[:64], issued.key, issued.certificate, chain, encryption
    )


def load_pem(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def subject_common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def passphrase_for(signing_certificate) -> bytes | None:
    """The passphrase of a stored certificate: from its environment variable, or the demo one.

    A real certificate whose variable is not set is refused with a clear message (no key is tried).
    """
    if signing_certificate.passphrase_env:
        value = os.environ.get(signing_certificate.passphrase_env)
        if value is None:
            raise ValidationError(
                _("Chưa đặt biến môi trường %(name)s chứa mật khẩu chứng thư ký số của %(subject)s.")
                % {"name": signing_certificate.passphrase_env, "subject": signing_certificate.subject}
            )
        return value.encode()
    if signing_certificate.is_demo:
        return DEMO_PASSPHRASE.encode()
    return None


def load_pkcs12(data: bytes, passphrase: bytes | None):
    """(private key, certificate, chain) from a PKCS#12 archive, with a clear message when it fails."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(bytes(data), passphrase)
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("Không mở được tệp chứng thư ký số (sai mật khẩu hoặc tệp hỏng).")) from exc
    if key is None or cert is None:
        raise ValidationError(_("Tệp PKCS#12 không chứa khóa ký và chứng thư."))
    return key, cert, list(chain or [])


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
