"""Reading a certificate upload never damages it: a DER certificate is binary, and any of its bytes,
the last one included, may be a whitespace byte."""
from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from reports.signing import pki

WHITESPACE = b" \t\n\r\x0b\x0c"


def _der_ending_in_whitespace() -> bytes:
    """A self-signed DER certificate whose last byte (inside its signature) is a whitespace byte: about one
    certificate in forty; `bytes.strip()` on it used to cut the signature (the demo seed failed at random)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Thử")])
    now = dt.datetime.now(dt.timezone.utc)
    for serial in range(1, 5000):
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(serial).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
                .sign(key, hashes.SHA256()))
        der = cert.public_bytes(serialization.Encoding.DER)
        if der[-1:] in [bytes([b]) for b in WHITESPACE]:
            return der
    raise AssertionError("no certificate ended in a whitespace byte")


def test_a_der_certificate_ending_in_a_whitespace_byte_is_read_whole():
    der = _der_ending_in_whitespace()
    [cert] = pki.load_certificates(der)
    assert cert.public_bytes(serialization.Encoding.DER) == der


def test_pem_with_surrounding_blank_lines_is_still_read():
    der = _der_ending_in_whitespace()
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
    [cert] = pki.load_certificates(b"\n\n  " + pem + b"\n\n")
    assert cert.public_bytes(serialization.Encoding.DER) == der
