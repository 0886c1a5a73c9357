"""Benchmark: the signing path as people take it, on the demo SoftHSM2 token, and verification.

Run from the project root (uses its own throwaway SQLite database, never yours):

    .venv/bin/python bench/signing_bench.py [--repeat 5]

Prints the median wall time and SQL queries of: preparing the leader's PDF (the full seed 004 report
with its Biểu tables, laid out, issuance fields added), the leader's signature on the token (the
agent's code), accepting the upload (every check of docs/signing.md), the văn thư's issuance (the
register counter row is locked for this step only: fill number and date, seal signature in the
"HSM", store) and verifying the issued file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import time

import benchlib

DB = benchlib.setup_django("signing")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reports.signing import pki, sealimage, selectors, services  # noqa: E402


def _seal_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 590, 590), outline=(205, 20, 30, 255), width=22)
    draw.regular_polygon((300, 280, 70), n_sides=5, fill=(205, 20, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools", "weasyprint"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))
        from reports.documents.models import Report
        from reports.documents.services import report_get_or_create
        from reports.plans.models import Plan
        from reports.signing.models import SignedDraft
        from tests.signing.helpers import clerk_of, token_sign
        from units.models import Unit

        User = get_user_model()
        leader = User.objects.get(username="tam-duong.leader")
        reviewer = User.objects.get(username="tam-duong.reviewer")
        plan, unit = Plan.objects.get(reference="132-HD/BTGTU"), Unit.objects.get(code="tam-duong")
        report = report_get_or_create(plan=plan, unit=unit, user=reviewer)
        services.report_send_for_approval(report=report, user=reviewer)
        services.report_approve(report=report, user=leader)
        clerk = clerk_of(unit)
        rows = []

        def fresh():
            SignedDraft.objects.filter(report=report).update(status=SignedDraft.Status.VOID)
            Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED, number=None, issued_on=None)
            return Report.objects.get(pk=report.pk)

        prepared = benchlib.measure(lambda: services.leader_request_create(report=fresh(), user=leader), args.repeat)
        request = prepared.result
        rows.append(("leader_request_create: seed 004 report laid out (10 pages) + issuance fields",
                     prepared.wall, prepared.queries))
        signed = benchlib.measure(lambda: token_sign(request), args.repeat)
        rows.append(("leader's signature on the SoftHSM2 token (agent code, stamp drawn by the server)",
                     signed.wall, signed.queries))

        def accept():
            again = services.leader_request_create(report=fresh(), user=leader)
            data = token_sign(again)
            return services.signature_accept(token=again.token, data=data, user=leader)

        accepted = benchlib.measure(accept, args.repeat)
        rows.append(("  prepare + sign + signature_accept (all upload checks)", accepted.wall, accepted.queries))
        def issue_times():
            walls, queries, document = [], 0, None
            for _ in range(args.repeat):  # each issuance needs a fresh leader's signature, made untimed
                draft = accept()
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    document = services.draft_issue(draft=draft, user=clerk, on=dt.date(2023, 10, 30))
                    walls.append(time.perf_counter() - start)
                queries = len(ctx.captured_queries)
            return statistics.median(walls), queries, document

        wall, queries, document = issue_times()
        rows.append(("draft_issue: number + date filled, seal signed in the HSM, stored (counter locked)",
                     wall, queries))
        drawn_size = len(bytes(document.pdf))
        # the same with the body's uploaded seal image (600 × 600 px PNG) instead of the drawn seal
        seal = _seal_png()
        uploaded = benchlib.measure(lambda: sealimage.seal_png_check(seal), args.repeat)
        rows.append(("seal image upload checked and re-encoded by Pillow (600 px PNG)", uploaded.wall,
                     uploaded.queries))
        services.seal_image_add(issuing_body=report.issuing_body, valid_from=dt.date(2023, 10, 30), data=seal)
        wall, queries, document = issue_times()
        rows.append(("draft_issue with the uploaded seal image", wall, queries))
        data = bytes(document.pdf)
        print(f"issued file: {drawn_size:,} bytes with the drawn seal, {len(data):,} with the seal image")
        # registering a certificate that chains leaf → intermediate CA → root (pyHanko's validator)
        root = pki.create_ca(common_name="Root bench", organisation="Bench", path_length=None)
        services.trust_root_add(certificate_pem=root.pem)
        intermediate = pki.create_ca(common_name="CA trung gian bench", organisation="Bench", issuer=root)
        bundles = [(pki.issue_certificate(ca=intermediate, common_name=f"Bench {n}", organisation="Bench").pem
                    + intermediate.pem).encode() for n in range(args.repeat)]
        registered = benchlib.measure(lambda: services.certificate_register(
            certificate=bundles.pop(), kind="personal", user=leader), args.repeat)
        rows.append(("certificate_register of a leaf + intermediate bundle (chain walked to the root)",
                     registered.wall, registered.queries))
        verified = benchlib.measure(lambda: selectors.verify_upload(data=data), args.repeat)
        rows.append(("verify_upload of the issued report (2 signatures, issuance recognised)", verified.wall,
                     verified.queries))
        print(f"issued report: {len(data):,} bytes, {document.entry.reference}")
        print(f"{'step':<86} {'median s':>9} {'queries':>8}")
        for step, median, queries in rows:
            print(f"{step:<86} {median:>9.2f} {queries:>8}")
    finally:
        DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
