"""Certificates: the demo certificate authority, certificates for keys made on a token, checks.

Everything here uses the `cryptography` library. No private key of a person passes here: a demo
certificate is issued for a public key generated on the demo token. Demo material is named
"DEMO – Không có giá trị pháp lý" so nobody mistakes it for a real one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "DEMO – Không có giá trị pháp lý"
DEMO_CA_NAME = "CA DEMO Ban Tuyên giáo"
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
                      years: int = 10, not_before: dt.datetime | None = None,
                      public_key=None) -> IssuedCertificate:
    """An end-entity signing certificate (digital signature + non-repudiation) issued by `ca`.

    Demo certificates start well in the past so that documents dated in earlier years (seed 004 is
    from 2023) can be signed with a certificate valid at the signing time.
    """
    now = dt.datetime.now(dt.timezone.utc)
    not_before = not_before or now - dt.timedelta(days=365 * 5)
    key = None if public_key is not None else _new_key()
    public_key = public_key if public_key is not None else key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, unit))
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return IssuedCertificate(key=key, certificate=cert)


def load_pem(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def subject_common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def rsa_public_key(modulus: int, exponent: int):
    return rsa.RSAPublicNumbers(exponent, modulus).public_key()


def der_of(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def chains_to(certificate: x509.Certificate, roots: list[x509.Certificate]) -> bool:
    """Whether `certificate` is a root itself or directly issued by one of `roots` (signature checked)."""
    for root in roots:
        if der_of(root) == der_of(certificate):
            return True
        if root.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(root)
            return True
        except (ValueError, TypeError, InvalidSignature):
            continue
    return False


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
