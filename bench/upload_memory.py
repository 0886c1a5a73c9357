"""Benchmark: peak memory and time of checking bad Excel uploads (issue 14 item 1).

Run from the project root (its own throwaway SQLite database, never yours):

    .venv/bin/python bench/upload_memory.py [--repeat 3] [--inflated-mb 1200]

Each upload is checked (`reports.workbooks.importer.analyse_workbook`, what the upload page does before
showing errors or changes; nothing is written) in a fresh child process, so that its peak resident
memory is its own (VmHWM from /proc, reset just before the check). Printed per case, median over the
repeats: file size, peak RSS of the child during the check, growth over its RSS just before the check
(Django and the file bytes loaded), wall time, the number of errors and the first message.

Cases:
  valid-unit       an untouched unit workbook (Khun Há, 251-CV/BTGHU): the reference
  lying-zip        the unit workbook whose sheet really inflates to --inflated-mb MB (spaces) while the
                   zip headers declare its original size (the outside test's 1.2 MB file -> 1.2 GB)
  honest-bomb      the same member with its true size declared (refused by the declared-size check)
  rows-300k        the district workbook with 300.000 extra rows in one sheet (raw XML, dimension updated)
  digits-20        the district workbook with a 20-digit number in every value cell
  conference-5000  the unit workbook with 5.000 conference rows
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import benchlib

CASES = ["valid-unit", "lying-zip", "honest-bomb", "rows-300k", "digits-20", "conference-5000"]


def _status_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB (ru_maxrss would include the parent's
    peak: Linux keeps it across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _child(case: str, path: str, db: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"  # the parent's database (setup_django would make another)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    sys.path.insert(0, str(benchlib.ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from reports.workbooks.importer import analyse_workbook

    user = get_user_model().objects.get(
        username="tam-duong.reviewer" if case in ("rows-300k", "digits-20") else "tam-duong-khun-ha.entry")
    data = Path(path).read_bytes()
    before = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset this process's peak RSS (VmHWM) to now
    started = time.perf_counter()
    analysis = analyse_workbook(data=data, filename=f"{case}.xlsx", user=user)
    wall = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    first = str(analysis.errors[0]) if analysis.errors else f"OK, {analysis.changed_count} changes"
    print(json.dumps({"peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024, "wall": wall,
                      "errors": analysis.errors.total, "first": first[:110]}))


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def _sheet_part(book: bytes, sheet_name: str) -> str:
    workbook_xml = zipfile.ZipFile(io.BytesIO(book)).read("xl/workbook.xml").decode()
    index = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook_xml).index(sheet_name) + 1
    return f"xl/worksheets/sheet{index}.xml"


def _padded(book: bytes, part: str, megabytes: int, *, lie: bool) -> bytes:
    """`book` with `part` followed by `megabytes` MB of spaces, streamed (never all in memory)."""
    source = zipfile.ZipFile(io.BytesIO(book))
    original = source.read(part)
    head, tail = original.split(b"</worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != part:
                archive.writestr(info.filename, source.read(info.filename))
                continue
            with archive.open(part, "w") as member:
                member.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(megabytes):
                    member.write(chunk)
                member.write(b"</worksheet>" + tail)
    data = bytearray(out.getvalue())
    if lie:  # declare the original size, in the local header and in the central directory
        name = part.encode()
        for signature, name_at, size_at, header in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
            for match in re.finditer(re.escape(signature), data):
                pos = match.start()
                length = struct.unpack_from("<H", data, pos + name_at)[0]
                if bytes(data[pos + header:pos + header + length]) == name:
                    struct.pack_into("<I", data, pos + size_at, len(original))
    return bytes(data)


def _rows(book: bytes, sheet_name: str, count: int) -> bytes:
    part = _sheet_part(book, sheet_name)
    xml = zipfile.ZipFile(io.BytesIO(book)).read(part)
    first = 1000
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>khong-co-%d</t></is></c><c r="D%d"><v>1</v>'
                    b"</c></row>" % (r, r, r, r) for r in range(first, first + count))
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:Z%d"' % (first + count), xml)
    return _rezip(book, {part: xml.replace(b"</sheetData>", rows + b"</sheetData>")})


def build_files(folder: Path, inflated_mb: int) -> dict[str, Path]:
    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from reports.plans.models import Plan
    from reports.submissions.models import Submission
    from reports.workbooks import layout
    from reports.workbooks.export import build_district_workbook, build_unit_workbook
    from reports.workbooks.selectors import units_to_fill

    plan = Plan.objects.get(reference="251-CV/BTGHU")
    draft = Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha")
    reviewer = get_user_model().objects.get(username="tam-duong.reviewer")
    unit_book = build_unit_workbook(plan=plan, unit=draft.unit)
    district = build_district_workbook(plan=plan, units=list(units_to_fill(plan=plan, user=reviewer)))
    files = {"valid-unit": unit_book}
    part = _sheet_part(unit_book, layout.plan_sheets(plan)[0].name)
    files["lying-zip"] = _padded(unit_book, part, inflated_mb, lie=True)
    files["honest-bomb"] = _padded(unit_book, part, inflated_mb, lie=False)
    files["rows-300k"] = _rows(district, "Hội nghị", 300_000)

    wb = load_workbook(io.BytesIO(district))
    for spec in layout.district_sheets(plan):
        ws = wb[spec.name]
        for row in ws.iter_rows(min_row=layout.D_FIRST_ROW, min_col=layout.D_FIRST_VALUE_COL):
            for cell in row:
                cell.value = 12345678901234567890
    out = io.BytesIO()
    wb.save(out)
    files["digits-20"] = out.getvalue()

    wb = load_workbook(io.BytesIO(unit_book))
    ws = wb["Hội nghị"]
    marker = next(c.row for c in ws["A"] if c.value == "conference.rows")
    ws.insert_rows(marker + 2, 5000)
    for r in range(marker + 2, marker + 2 + 5000):
        ws.cell(row=r, column=2).value = "15/10/2026"
        ws.cell(row=r, column=3).value = f"Hội nghị {r}"
    out = io.BytesIO()
    wb.save(out)
    files["conference-5000"] = out.getvalue()

    paths = {}
    for case, data in files.items():
        paths[case] = folder / f"{case}.xlsx"
        paths[case].write_bytes(data)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--inflated-mb", type=int, default=1200)
    parser.add_argument("--child", nargs=3, metavar=("CASE", "FILE", "DB"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    db = benchlib.setup_django("upload-memory")
    from django.core.management import call_command

    from demo.seed import seed_core_demo

    call_command("migrate", verbosity=0)
    seed_core_demo()
    folder = Path(tempfile.mkdtemp(prefix="upload-memory-"))
    try:
        paths = build_files(folder, args.inflated_mb)
        print(f"{'case':16} {'file':>9} {'peak RSS':>9} {'growth':>8} {'time':>7} {'errors':>7}  first message")
        for case in CASES:
            runs = []
            for _ in range(args.repeat):
                done = subprocess.run([sys.executable, __file__, "--child", case, str(paths[case]), str(db)],
                                      capture_output=True, text=True, env=os.environ, timeout=1800)
                if done.returncode != 0:
                    raise SystemExit(f"{case}: {done.stderr[-2000:]}")
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            size = paths[case].stat().st_size

            def med(key, runs=runs):
                return statistics.median(r[key] for r in runs)

            print(f"{case:16} {size / 1e6:7.2f}MB {med('peak_mb'):7.0f}MB {med('growth_mb'):6.0f}MB "
                  f"{med('wall'):6.2f}s {runs[-1]['errors']:7}  {runs[-1]['first']}")
    finally:
        for path in folder.glob("*"):
            path.unlink()
        folder.rmdir()
        db.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
