"""Benchmark: signing (number + render + two PAdES signatures + store) and verification.

Run from the project root (uses its own throwaway SQLite database, never yours):

    .venv/bin/python bench/signing_bench.py [--repeat 5]

Prints the median wall time and SQL queries of: issuing a small document (the register and
signing cost without the report layout), signing the full demo report (seed 004, with its Biểu
tables: render + sign) and how long of it the register counter stays locked, and verifying.
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

from reports.signing import selectors, services  # noqa: E402
from units.models import IssuingBody  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools", "weasyprint"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))
        from weasyprint import HTML

        User = get_user_model()
        leader = User.objects.get(username="tam-duong.leader")
        reviewer = User.objects.get(username="tam-duong.reviewer")
        body = IssuingBody.objects.get(code="tam-duong-btg")

        def small(number, reference, on):
            return services.RenderedPdf(pdf=HTML(string=f"<h1>BÁO CÁO</h1><p>Số {reference}</p>").write_pdf())

        held: list[float] = []
        original = services._sign_and_store

        def timed_store(**kwargs):  # the part run while the counter row is locked
            start = time.perf_counter()
            try:
                return original(**kwargs)
            finally:
                held.append(time.perf_counter() - start)

        services._sign_and_store = timed_store
        rows = []
        issued = benchlib.measure(lambda: services.document_issue(issuing_body=body, kind="CV", summary="Thử",
                                                                  signer=leader, render=small,
                                                                  on=dt.date(2024, 1, 2)), args.repeat)
        rows.append(("document_issue, one-page PDF, leader + seal signatures", issued.wall, issued.queries))
        from reports.documents.models import Report
        from reports.documents.services import report_get_or_create
        from reports.plans.models import Plan
        from units.models import Unit

        plan, unit = Plan.objects.get(reference="132-HD/BTGTU"), Unit.objects.get(code="tam-duong")

        def full_sign():
            Report.objects.filter(unit=unit, plan=plan).update(status=Report.Status.APPROVED, number=None,
                                                                issued_on=None)
            return services.report_sign(report=Report.objects.get(unit=unit, plan=plan), user=leader,
                                        on=dt.date(2023, 10, 30))

        report = report_get_or_create(plan=plan, unit=unit, user=reviewer)
        services.report_send_for_approval(report=report, user=reviewer)
        services.report_approve(report=report, user=leader)
        # Each repetition signs the demo report again (a new number each time; the bench resets the state).
        signed = benchlib.measure(full_sign, args.repeat)
        document = signed.result
        rows.append(("report_sign, seed 004 report with Biểu tables (render + sign + store)", signed.wall,
                     signed.queries))
        rows.append(("  of which the counter row is locked (sign + store)", statistics.median(held[-args.repeat:]), 0))
        data = bytes(document.pdf)
        verified = benchlib.measure(lambda: selectors.verify_upload(data=data), args.repeat)
        rows.append(("verify_upload of the signed report (2 signatures, demo root)", verified.wall, verified.queries))
        print(f"signed report: {len(data):,} bytes, {document.entry.reference}")
        print(f"{'step':<78} {'median s':>9} {'queries':>8}")
        for step, median, queries in rows:
            print(f"{step:<78} {median:>9.2f} {queries:>8}")
    finally:
        DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
