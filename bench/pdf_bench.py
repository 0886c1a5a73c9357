"""Benchmark: the report as PDF — cold render, cached re-download, and a 5,000-row Biểu.

Run from the project root (uses its own throwaway SQLite database and media folder, never yours):

    .venv/bin/python bench/pdf_bench.py [--repeat 5] [--rows 5000] [--big-repeat 1]

Prints medians (wall and CPU seconds; the machine is shared, so CPU time is the steadier figure):

* the demo district report of Tam Đường (seed 004 text, footnotes, Biểu 01 and 02 of 51 units + the
  district): building the print document from the database and rendering it, cache bypassed;
* the cached re-download: ``GET /bao-cao/<pk>/tai-pdf/`` through the full Django stack with a warm
  cache (document built from the database, content hash, file served), and its query count;
* a province-sized report: the seed 004 text with a 5,000-row Biểu, rendered in a child process
  whose peak resident memory (``ru_maxrss``) is reported.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

WORK = Path(tempfile.gettempdir()) / f"bench-pdf-{os.getpid()}"
# The child process (--child-big) inherits the parent's MEDIA_ROOT; it does not use the database.
DB = benchlib.setup_django("pdf", MEDIA_ROOT=str(WORK / "media"))


def big_child(rows: int) -> None:
    """Render the seed 004 text with an n-row Biểu; print wall, CPU, pages and peak memory as JSON."""
    import dataclasses

    from demo.samples import STUDY_COLUMNS, figures_table, seed_004_document, seed_004_units
    from reports.documents.pdf.render import render_document

    units = seed_004_units()[1:]
    big = [(f"{name} ({i // len(units) + 1})", values) for i, (name, values) in
           ((i, units[i % len(units)]) for i in range(rows))]
    table = figures_table("Biểu số 01", "Kết quả học tập, quán triệt toàn tỉnh", "Kèm theo Báo cáo …",
                          STUDY_COLUMNS, big)
    doc = dataclasses.replace(seed_004_document(with_tables=False), tables=(table,))
    t0, c0 = time.perf_counter(), time.process_time()
    result = render_document(doc)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "pages": result.pages, "bytes": len(result.pdf), "peak_mb": peak_mb}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--big-repeat", type=int, default=1)
    parser.add_argument("--child-big", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_big:
        big_child(args.child_big)
        return

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from demo.seed import run_demo_seed
    from reports.documents.pdf.cache import cached_render
    from reports.documents.pdf.render import render_document
    from reports.documents.printing import report_print_document as report_print
    from reports.documents.selectors import report_for

    try:
        call_command("migrate", verbosity=0)
        run_demo_seed()
        report = report_for(plan_reference="132-HD/BTGTU", unit_code="tam-duong")

        render_document(report_print(report))  # warm-up: fonts, stylesheet, template
        cold = benchlib.measure(lambda: render_document(report_print(report)), args.repeat)
        print(f"district report cold render ({cold.result.pages} pages): median wall {cold.wall:.2f} s, "
              f"CPU {cold.cpu:.2f} s (n={args.repeat})")

        client = Client()
        client.force_login(get_user_model().objects.get(username="tam-duong.reviewer"))
        url = reverse("documents:report_pdf", args=[report.pk])
        cached_render(report_print(report))

        def download() -> bytes:
            response = client.get(url)
            body = b"".join(response.streaming_content)
            assert response["X-PDF-Cache"] == "hit" and body.startswith(b"%PDF-")
            return body

        hit = benchlib.measure(download, max(args.repeat, 5) * 4)
        print(f"cached re-download GET {url}: median {hit.wall * 1000:.1f} ms, {hit.queries} queries, "
              f"{len(hit.result) / 1024:.0f} KiB")

        for _ in range(args.big_repeat):
            out = subprocess.run([sys.executable, __file__, "--child-big", str(args.rows)], capture_output=True,
                                 text=True, check=True, env=os.environ.copy())
            data = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{args.rows}-row Biểu report ({data['pages']} pages, {data['bytes'] / 1048576:.1f} MiB): wall "
                  f"{data['wall']:.1f} s, CPU {data['cpu']:.1f} s, peak memory {data['peak_mb']:.0f} MB")
    finally:
        connection.close()
        DB.unlink(missing_ok=True)
        shutil.rmtree(WORK, ignore_errors=True)  # the media folder (unless MEDIA_ROOT was given)


if __name__ == "__main__":
    main()
