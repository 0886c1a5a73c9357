"""PKCS#11 access to a token (a USB token, an HSM, or SoftHSM2 for the demo).

A key is found through its certificate: the certificate object on the token with the same DER as
the certificate the server registered, and the private key with that certificate's CKA_ID. Keys
are generated on the token (never extractable) when the demo or an administrator enrols.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pkcs11
from pkcs11 import Attribute, KeyType, ObjectClass

# Where Debian (softhsm2), Windows vendor drivers and macOS usually put PKCS#11 modules.
KNOWN_MODULES = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    r"C:\Windows\System32\vgca_csp11.dll",
]


class TokenError(Exception):
    """A token problem the user can act on (message in Vietnamese)."""


def find_module(explicit: str = "") -> str:
    candidates = [explicit] if explicit else [os.environ.get("PKCS11_MODULE", "")] + KNOWN_MODULES
    for path in candidates:
        if path and os.path.exists(path):
            return path
    raise TokenError("Không tìm thấy thư viện PKCS#11 của USB token (đặt biến môi trường PKCS11_MODULE).")


@dataclass
class TokenConfig:
    module: str
    token_label: str = ""

    def token(self):
        lib = pkcs11.lib(self.module)
        try:
            if self.token_label:
                return lib.get_token(token_label=self.token_label)
            slots = lib.get_slots(token_present=True)
        except pkcs11.exceptions.NoSuchToken as exc:
            raise TokenError(f"Không thấy token “{self.token_label}”: hãy cắm USB token.") from exc
        except pkcs11.exceptions.MultipleTokensReturned as exc:
            raise TokenError(f"Có nhiều token tên “{self.token_label}”.") from exc
        if not slots:
            raise TokenError("Không thấy USB token nào: hãy cắm USB token.")
        return slots[0].get_token()


@contextmanager
def open_session(config: TokenConfig, pin: str, *, rw: bool = False) -> Iterator:
    token = config.token()
    try:
        session = token.open(rw=rw, user_pin=pin)
    except pkcs11.exceptions.PinIncorrect as exc:
        raise TokenError("Sai mã PIN của token.") from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise TokenError("Token đã bị khóa do nhập sai PIN nhiều lần.") from exc
    try:
        yield session
    finally:
        session.close()


def key_id_for(public_numbers_n: int, public_numbers_e: int) -> bytes:
    """The CKA_ID given to a generated key pair and its certificate: SHA-1 of the modulus (as many tools do)."""
    return hashlib.sha1(public_numbers_n.to_bytes((public_numbers_n.bit_length() + 7) // 8, "big")).digest()


def generate_rsa_key(session, *, label: str, bits: int = 2048) -> tuple[bytes, int, int]:
    """A new key pair on the token (private key sensitive, not extractable): (CKA_ID, modulus, exponent)."""
    pub, priv = session.generate_keypair(
        KeyType.RSA, bits, store=True, label=label,
        private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False, Attribute.TOKEN: True},
        public_template={Attribute.TOKEN: True},
    )
    n = int.from_bytes(pub[Attribute.MODULUS], "big")
    e = int.from_bytes(pub[Attribute.PUBLIC_EXPONENT], "big")
    key_id = key_id_for(n, e)
    pub[Attribute.ID] = key_id
    priv[Attribute.ID] = key_id
    return key_id, n, e


def store_certificate(session, *, label: str, key_id: bytes, der: bytes) -> None:
    """Put the certificate on the token next to its key (same CKA_ID), as a card issuer does."""
    from asn1crypto import x509 as asn1_x509
    from pkcs11.constants import CertificateType

    cert = asn1_x509.Certificate.load(der)
    session.create_object({
        Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
        Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: key_id, Attribute.VALUE: der,
        Attribute.SUBJECT: cert.subject.dump(), Attribute.ISSUER: cert.issuer.dump(),
        Attribute.SERIAL_NUMBER: cert["tbs_certificate"]["serial_number"].dump(),
    })


def certificate_ids(session) -> dict[bytes, bytes]:
    """{certificate DER: CKA_ID} of the certificates on the token."""
    found = {}
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        found[bytes(obj[Attribute.VALUE])] = bytes(obj[Attribute.ID])
    return found


def find_key_id(session, accepted_der: list[bytes]) -> tuple[bytes, bytes]:
    """(certificate DER, CKA_ID) of the first certificate on the token the server accepts."""
    on_token = certificate_ids(session)
    for der in accepted_der:
        if der in on_token:
            key_id = on_token[der]
            keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.ID: key_id}))
            if keys:
                return der, key_id
    raise TokenError("Token không có khóa của chứng thư đã đăng ký cho người ký này.")


def pyhanko_signer(session, *, key_id: bytes, extra_certificates: list[bytes] = ()):
    """A pyHanko signer using the token's key (the signature is computed on the token)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.pkcs11 import PKCS11Signer

    return PKCS11Signer(
        session, cert_id=key_id, key_id=key_id,
        other_certs_to_pull=(),
        ca_chain=[asn1_x509.Certificate.load(der) for der in extra_certificates],
    )
