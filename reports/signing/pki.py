"""Certificates: the demo certificate authority, certificates for keys made on a token, checks.

Certificates are built and read with the `cryptography` library; chains (leaf → intermediate CAs →
trusted root) are walked and checked with pyHanko's validator (`chain_validate`), the same library
and key-usage rule that verify signatures. No private key of a person passes here: a demo
certificate is issued for a public key generated on the demo token. Demo material is named
"DEMO – Không có giá trị pháp lý" so nobody mistakes it for a real one.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils.translation import gettext as _
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.sign.validation.status import SignatureStatus
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

from agent.pdf import run_sync
from core.formatting import LOCAL_TZ, format_date_short

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


SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
    key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def create_ca(*, common_name: str = DEMO_CA_NAME, organisation: str = DEMO_MARK, years: int = 20,
              now: dt.datetime | None = None, issuer: IssuedCertificate | None = None,
              path_length: int | None = 0, not_after: dt.datetime | None = None) -> IssuedCertificate:
    """A self-signed root certificate authority, or an intermediate CA issued by `issuer` (a root
    that has intermediates below it needs `path_length=None` or ≥ 1)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = _new_key()
    name = _name(common_name, organisation)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.certificate.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.certificate.public_key()), critical=False)
    return IssuedCertificate(key=key, certificate=builder.sign(issuer.key if issuer else key, hashes.SHA256()))


def issue_certificate(*, ca: IssuedCertificate, common_name: str, organisation: str, unit: str = "",
                      years: int = 10, not_before: dt.datetime | None = None,
                      public_key=None, key_usage: x509.KeyUsage | None = None) -> IssuedCertificate:
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
        .add_extension(key_usage or SIGNING_KEY_USAGE, critical=True)
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


def to_asn1(certificate: x509.Certificate):
    return translate_pyca_cryptography_cert_to_asn1(certificate)


# --------------------------------------------------------------------------------------------------
# Reading what people upload, walking the chain to a trusted root
# --------------------------------------------------------------------------------------------------


class CertificateFileError(ValueError):
    """The file holds no certificate we can read (the message is for the user, in Vietnamese)."""


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in an upload: one certificate (PEM or DER, .cer/.crt), a PEM bundle (the
    leaf and its intermediates, one after the other), or a PKCS#7 bundle (.p7b/.p7c, PEM or DER)."""
    # Never strip the bytes themselves: DER is binary and its last signature byte may be 0x20 or 0x0a.
    raw = bytes(data)
    try:
        if b"-----BEGIN PKCS7-----" in raw or b"-----BEGIN CERTIFICATE CHAIN-----" in raw:
            return pkcs7.load_pem_pkcs7_certificates(raw)
        if b"-----BEGIN CERTIFICATE-----" in raw:
            return x509.load_pem_x509_certificates(raw)
        try:
            return [x509.load_der_x509_certificate(raw)]
        except ValueError:
            return pkcs7.load_der_pkcs7_certificates(raw)
    except ValueError as exc:
        raise CertificateFileError(_("Tệp không phải là chứng thư số (PEM, DER, .p7b hoặc .p7c).")) from exc


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def split_leaf(certificates: list[x509.Certificate]) -> tuple[x509.Certificate, list[x509.Certificate]]:
    """The end-entity certificate of an upload and the other certificates (its chain).

    The leaf is the one certificate that is not a CA; with none marked, the one that issued no other.
    """
    if not certificates:
        raise CertificateFileError(_("Tệp không có chứng thư nào."))
    leaves = [c for c in certificates if not is_ca(c)]
    if not leaves:
        subjects = {c.issuer for c in certificates if c.issuer != c.subject}
        leaves = [c for c in certificates if c.subject not in subjects]
    if len(leaves) != 1:
        raise CertificateFileError(_("Tệp có %(n)s chứng thư người dùng; chỉ nộp một chứng thư ký số (kèm các "
                                     "chứng thư trung gian của nó).") % {"n": len(leaves)})
    leaf = leaves[0]
    return leaf, [c for c in certificates if c is not leaf]


class ChainError(ValueError):
    """The certificate does not chain to a trusted root, is out of date, or is not for signing."""


def _label(certificate) -> str:
    """An asn1crypto certificate's common name, for the user."""
    try:
        return certificate.subject.native.get("common_name") or certificate.subject.human_friendly
    except Exception:  # pragma: no cover - exotic names
        return certificate.subject.human_friendly


def _out_of_date(candidates, moment: dt.datetime, *, expired: bool):
    for cert in candidates:
        validity = cert["tbs_certificate"]["validity"]
        if expired and validity["not_after"].native < moment:
            return cert, validity["not_after"].native
        if not expired and validity["not_before"].native > moment:
            return cert, validity["not_before"].native
    return None, None


def chain_validate(leaf: x509.Certificate, *, roots: list[x509.Certificate], intermediates=(),
                   moment: dt.datetime | None = None, crls: list[bytes] = ()) -> list[x509.Certificate]:
    """The path leaf → intermediate CAs → trusted root, checked at `moment` (now) by pyHanko's
    validator: signatures, CA flags, path lengths, validity of every certificate, and the leaf's key
    usage as signature verification requires it (non-repudiation). `intermediates` only help to
    build the path; nothing is trusted but `roots`. With `crls` (the CRLs the server holds, DER), a
    certificate of the path whose issuer's CRL is held is checked against it (`revocation_policy`).
    Raises ChainError with a Vietnamese reason."""
    moment = moment or dt.datetime.now(dt.timezone.utc)
    asn1_leaf = to_asn1(leaf)
    helpers = [to_asn1(c) for c in intermediates]
    roots_asn1 = [to_asn1(r) for r in roots]
    usage = SignatureStatus.default_usage_constraints()
    try:
        context = ValidationContext(trust_roots=roots_asn1, other_certs=helpers, moment=moment,
                                    allow_fetching=False, revocation_mode="soft-fail")
        path = run_sync(_validate_path, CertificateValidator(asn1_leaf, validation_context=context))
        usage.validate(asn1_leaf)
        certs = list(path.iter_certs(include_root=False))[::-1]  # leaf first
        policy = revocation_policy(certs, crls=usable_crls(crls, moment))
        if policy is not None:  # the same path again, now against the held CRLs
            context = ValidationContext(trust_roots=roots_asn1, other_certs=helpers, moment=moment,
                                        allow_fetching=False, crls=policy[1], revinfo_policy=policy[0])
            run_sync(_validate_path, CertificateValidator(asn1_leaf, validation_context=context))
    except RevokedError as exc:
        raise ChainError(_("Chứng thư số đã bị thu hồi ngày %(date)s (theo CRL máy chủ đang giữ); không dùng được "
                           "để ký.") % {"date": revocation_moment(exc.revocation_dt)}) from exc
    except PathBuildingError as exc:
        raise ChainError(_("Chứng thư không do tổ chức cấp chứng thư tin cậy cấp: không dựng được chuỗi từ chứng "
                           "thư này tới một chứng thư gốc tin cậy (thiếu chứng thư trung gian, hoặc chứng thư gốc "
                           "chưa được tin cậy). Hãy nộp kèm các chứng thư trung gian (tệp PEM nhiều chứng thư, "
                           ".p7b hoặc .p7c).")) from exc
    except ExpiredError as exc:
        cert, when = _out_of_date([asn1_leaf, *helpers], moment, expired=True)
        raise ChainError(_("Chứng thư “%(name)s” trong chuỗi đã hết hạn ngày %(date)s; chuỗi chứng thư không còn "
                           "hiệu lực.") % {"name": _label(cert) if cert else "?",
                                            "date": format_date_short(when.date()) if when else "?"}) from exc
    except NotYetValidError as exc:
        cert, when = _out_of_date([asn1_leaf, *helpers], moment, expired=False)
        raise ChainError(_("Chứng thư “%(name)s” trong chuỗi chưa có hiệu lực (từ ngày %(date)s).")
                         % {"name": _label(cert) if cert else "?",
                            "date": format_date_short(when.date()) if when else "?"}) from exc
    except InvalidCertificateError as exc:
        raise ChainError(_("Chứng thư không dùng để ký số: mục đích sử dụng khóa (key usage) phải có “chống chối "
                           "bỏ” (non-repudiation), như chứng thư ký số của người có thẩm quyền.")) from exc
    except PathValidationError as exc:
        raise ChainError(_("Chuỗi chứng thư không hợp lệ (chứng thư trung gian không phải là tổ chức cấp chứng "
                           "thư, hoặc chữ ký trên chứng thư sai): %(detail)s") % {"detail": exc}) from exc
    return [x509.load_der_x509_certificate(c.dump()) for c in path.iter_certs(include_root=True)]


def _validate_path(validator: CertificateValidator):
    return asyncio.run(validator.async_validate_path())


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------------
# Revocation: CRLs the server holds (imported, never fetched)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldCrl:
    """A CRL the server holds, read with asn1crypto for pyHanko (`der`) and by issuer name."""

    der: bytes
    issuer: object  # asn1crypto x509.Name
    this_update: dt.datetime
    next_update: dt.datetime | None

    @classmethod
    def load(cls, der: bytes) -> HeldCrl:
        tbs = asn1_crl.CertificateList.load(der)["tbs_cert_list"]
        return cls(der=der, issuer=tbs["issuer"], this_update=tbs["this_update"].native,
                   next_update=tbs["next_update"].native)


def usable_crls(crls, moment: dt.datetime) -> list[HeldCrl]:
    """The held CRLs in force at `moment` (issued before it, next update not passed)."""
    held = [c if isinstance(c, HeldCrl) else HeldCrl.load(bytes(c)) for c in crls]
    return [c for c in held if c.this_update <= moment + dt.timedelta(minutes=5)
            and (c.next_update is None or c.next_update >= moment)]


def revocation_policy(path_certs, *, crls: list[HeldCrl]):
    """(pyHanko's revocation policy, the CRLs to give it) for a path (leaf first, without the root),
    or None when the server holds no CRL of any issuer along it.

    The leaf must be checked against a CRL (CRL_REQUIRED) when its issuer's CRL is held; the CA
    certificates above it likewise when every one of their issuers' CRLs is held. Otherwise pyHanko's
    "check if declared, soft" rule applies, as without CRLs (nothing can be fetched offline).
    """
    path_certs = list(path_certs)
    if not path_certs or not crls:
        return None
    issuers = [c.issuer for c in path_certs]
    covered = [any(crl.issuer == issuer for crl in crls) for issuer in issuers]
    if not any(covered):
        return None
    soft, required = RevocationCheckingRule.CHECK_IF_DECLARED_SOFT, RevocationCheckingRule.CRL_REQUIRED
    rules = RevocationCheckingPolicy(
        ee_certificate_rule=required if covered[0] else soft,
        intermediate_ca_cert_rule=required if len(covered) > 1 and all(covered[1:]) else soft,
    )
    return CertRevTrustPolicy(rules), [c.der for c in crls]


def revocation_moment(moment: dt.datetime) -> str:
    """"25/10/2023 lúc 17:30" (Asia/Ho_Chi_Minh), for "Chứng thư số đã bị thu hồi ngày …"."""
    local = moment.astimezone(LOCAL_TZ)
    return _("%(date)s lúc %(time)s") % {"date": format_date_short(local.date()), "time": f"{local:%H:%M}"}


class CrlFileError(ValueError):
    """The file is not a CRL we can read (the message is for the user, in Vietnamese)."""


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    raw = bytes(data)
    try:
        if b"-----BEGIN X509 CRL-----" in raw:
            return x509.load_pem_x509_crl(raw)
        return x509.load_der_x509_crl(raw)
    except ValueError as exc:
        raise CrlFileError(_("Tệp không phải là danh sách chứng thư bị thu hồi (CRL) dạng PEM hoặc DER.")) from exc
