"""Benchmark: importing a district workbook with 5.000 unit rows (38 number columns each).

Run from the project root (uses its own throwaway SQLite database, never yours):

    .venv/bin/python bench/workbook_bench.py [--units 5000] [--repeat 3]

Steps measured (median wall and CPU time over the repeats, SQL queries, peak Python memory; on a shared
machine the CPU time is the steadier figure):
  export   build the district workbook (pre-filled, 5.000 rows)
  check    read + check an untouched export (the dry run: 0 changes)
  check*   read + check a filled file (every unit changes its 38 values; the web form's rules for all)
  import   check + apply a file where --changed units (default 100) changed their 38 values, in one
           transaction (rolled back after each repeat); applied through
           submissions.services.submissions_save_values_bulk (every value audited)
  import*  (with --full-apply) check + apply the filled file: 5.000 submissions × 38 values
Goal: import of the 5.000-row workbook ≤ 5 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import tracemalloc

import benchlib

DB = benchlib.setup_django("workbook")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from reports.plans.models import Plan, Section  # noqa: E402
from reports.submissions.models import Submission, SubmissionValue  # noqa: E402
from reports.workbooks.export import build_district_workbook  # noqa: E402
from reports.workbooks.importer import analyse_workbook  # noqa: E402
from reports.workbooks.layout import district_sheets  # noqa: E402
from reports.workbooks.services import workbook_import  # noqa: E402
from units.models import IssuingBody, Staff, Unit, UnitKind  # noqa: E402


def build(n: int):
    """A district with `n` party cells (paths computed, one bulk insert), a plan and a reviewer."""
    kind, _ = UnitKind.objects.get_or_create(code="wb-district", defaults={"name": "Huyện ủy", "level": 1})
    cell, _ = UnitKind.objects.get_or_create(code="wb-cell", defaults={"name": "Chi bộ", "level": 2})
    root = Unit.add_root(code="wb-root", name="Huyện ủy Thử nghiệm", kind=kind, valid_from=dt.date(2020, 1, 1))
    Unit.objects.bulk_create(
        Unit(code=f"wb-{i:05d}", name=f"Chi bộ thôn số {i:05d}", kind=cell, valid_from=dt.date(2020, 1, 1),
             path=Unit._get_path(root.path, 2, i + 1), depth=2, numchild=0)
        for i in range(n))
    Unit.objects.filter(pk=root.pk).update(numchild=n)
    body = IssuingBody.objects.create(code="wb-btg", unit=root, name="Ban Tuyên giáo Huyện ủy Thử nghiệm",
                                      citation_name="Ban Tuyên giáo", own_line="B", place_name="B",
                                      code_suffix="BTGHU", signer_title="TRƯỞNG BAN", signer_name="A")
    user = get_user_model().objects.create_user("wb.reviewer", password="x")
    Staff.objects.create(user=user, unit=root, is_reviewer=True, is_entry=True)
    plan = Plan.objects.create(kind="CV", number=9, reference="9-CV/BTGHU", issuing_body=body, include_own=False,
                               issued_on=dt.date(2024, 1, 2), title="bench", period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 3, 31), deadline=dt.date(2024, 3, 20))
    plan.sections.set(Section.objects.filter(code__in=["conference", "people", "propaganda", "documents",
                                                       "narrative"]))
    units = list(Unit.objects.filter(path__startswith=root.path, depth=2).order_by("path"))
    # Half the units already have a draft with a few values; the others have not started.
    subs = Submission.objects.bulk_create(
        Submission(plan=plan, unit=u, unit_name=u.name, status="draft") for u in units[::2])
    from reports.plans.models import Indicator

    count = Indicator.objects.get(code="conference.count")
    SubmissionValue.objects.bulk_create(SubmissionValue(submission=s, indicator=count, number=1) for s in subs)
    return plan, user, root, units


def filled(data: bytes, plan, limit: int | None = None) -> bytes:
    """The number cells of every unit (or the first `limit` units) set to values that pass the checks."""
    wb = load_workbook(io.BytesIO(data))
    fixed = {"members.required": 40, "members.studied": 38, "nonmembers.required": 10, "nonmembers.studied": 9,
             "conference.attendance": 120, "cell_meeting.attendance": 60}
    for spec in district_sheets(plan):
        ws = wb[spec.name]
        codes = [c.value for c in ws[3]]
        for n, row in enumerate(ws.iter_rows(min_row=4)):
            if limit is not None and n >= limit:
                break
            for col, code in enumerate(codes):
                if col >= 3 and code:
                    row[col].value = fixed.get(code, 3 + (row[0].row + col) % 7)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def peak_memory(fn) -> float:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--changed", type=int, default=100, help="units changed in the 'import' step")
    parser.add_argument("--full-apply", action="store_true", help="also apply the fully filled file (slow)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    import warnings

    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    try:
        plan, user, root, units = build(args.units)
        # Statements only, without BEGIN/COMMIT/ROLLBACK, as this benchmark has always counted (README figures).
        export_time, export_cpu, export_q, data = benchlib.measure(
            lambda: build_district_workbook(plan=plan, units=units, root=root, user=user), args.repeat,
            statements_only=True)
        full = filled(data, plan)
        some = filled(data, plan, limit=args.changed)
        print(f"district workbook: {len(units)} units, {len(data) / 2**20:.1f} MB untouched, "
              f"{len(full) / 2**20:.1f} MB filled")

        def check_untouched():
            analysis = analyse_workbook(data=data, filename="d.xlsx", user=user)
            assert analysis.ok and analysis.changed_count == 0, analysis.errors[:3]
            return analysis

        def check_filled():
            analysis = analyse_workbook(data=full, filename="d.xlsx", user=user)
            assert analysis.ok, analysis.errors[:3]
            return analysis

        def importer(payload):
            def run():
                with transaction.atomic():
                    analysis = workbook_import(data=payload, filename="d.xlsx", user=user)
                    assert analysis.ok, analysis.errors[:3]
                    transaction.set_rollback(True)
                return analysis
            return run

        steps = [("check (untouched, 0 changes)", check_untouched, args.repeat),
                 ("check* (all units filled)", check_filled, args.repeat),
                 (f"import ({args.changed} units changed)", importer(some), args.repeat)]
        if args.full_apply:
            steps.append(("import* (all units filled)", importer(full), 1))
        rows = [("export", export_time, export_cpu, export_q, None)]
        for name, fn, repeat in steps:
            median, cpu, queries, analysis = benchlib.measure(fn, repeat, statements_only=True)
            rows.append((name, median, cpu, queries, analysis.changed_count))
        mem_check = peak_memory(check_filled)
        mem_import = peak_memory(importer(some))
        print(f"{'step':34} {'wall s':>8} {'cpu s':>8} {'queries':>8} {'changes':>8}  (medians of {args.repeat})")
        for name, median, cpu, queries, changes in rows:
            print(f"{name:34} {median:8.2f} {cpu:8.2f} {queries:8d} {changes if changes is not None else '':>8}")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"peak Python memory (tracemalloc): check* {mem_check:.0f} MB, import {mem_import:.0f} MB; "
              f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        connection.close()
        DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
