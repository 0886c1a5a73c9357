"""Benchmark: verification with the CRLs the server holds (docs/signing.md, "Revocation").

Run from the project root (own throwaway SQLite database, never yours):

    .venv/bin/python bench/crl_bench.py [--repeat 5] [--sizes 0,10000,100000]

A root → intermediate → leaf chain made here; a small PDF signed by the leaf; for each size a CRL of
the intermediate listing that many other certificates (the leaf not among them) is imported
(`import_crl` service), then the file is verified (`selectors.verify_upload`). Size "-" is no CRL
held (the "Chưa kiểm tra thu hồi" path). Prints median wall times and the CRL's size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging

import benchlib

DB = benchlib.setup_django("crl")

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from django.core.management import call_command  # noqa: E402

from reports.signing import selectors, services  # noqa: E402
from reports.signing.models import RevocationList  # noqa: E402


def crl_of(ca, count: int, number: int) -> bytes:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.certificate.subject)
               .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7))
               .add_extension(x509.CRLNumber(number), critical=False))
    for serial in range(1, count + 1):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - dt.timedelta(days=2)).build())
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="0,10000,100000")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    from tests.signing.test_chain import Chain
    from tests.signing.test_revocation import signed_at

    chain = Chain()
    services._intermediate_keep(chain.intermediate.certificate)  # as a registration with its chain keeps it
    data = signed_at(chain, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2))
    m = benchlib.measure(lambda: selectors.verify_upload(data=data), args.repeat)
    assert m.result.ok, m.result.message
    print(f"{'-':>8} {'':>10} {'':>10} verify {m.wall:.3f} s  {m.queries} queries")
    for number, size in enumerate((int(s) for s in args.sizes.split(",")), 1):
        der = crl_of(chain.intermediate, size, number)
        RevocationList.objects.all().delete()
        imported = benchlib.measure(lambda der=der: services.crl_import(data=der), 1)
        m = benchlib.measure(lambda: selectors.verify_upload(data=data), args.repeat)
        assert m.result.ok, m.result.message
        print(f"{size:>8} {len(der) // 1024:>7} KB import {imported.wall:.3f} s  verify {m.wall:.3f} s  "
              f"{m.queries} queries")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
