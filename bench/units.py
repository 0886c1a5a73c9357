"""Benchmark: a province of 300 and 3.000 units loaded from a spreadsheet, exported, re-imported, and shown.

Run from the project root (uses its own throwaway SQLite database, never yours):

    .venv/bin/python bench/units.py [--repeat 5] [--sizes 300,3000]

Per size: the import of a generated CSV (once: it creates the units), then the median wall time and
the number of SQL queries of: export to JSON, a re-import of that export (no change), the hierarchy
page for the province reviewer (today and as of a date) and `units_as_of` for the whole forest.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

import benchlib

DB = benchlib.setup_django("units", REQUEST_LOG="0")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from units.models import Staff, Unit, UnitKind  # noqa: E402
from units.selectors import units_as_of  # noqa: E402

TMP = Path(tempfile.mkdtemp(prefix="bench-units-"))


def write_province(n: int) -> Path:
    """A province -> districts (20) -> communes -> village cells, n units in all, as a CSV."""
    rows = [("p%d" % n, f"Tỉnh ủy P{n}", "b-province", "", "2020-01-01")]
    districts = 20
    communes = max(1, -(-(n - 1 - districts) // (districts * 6)))  # ceiling
    count = 1
    for d in range(districts):
        dcode = f"p{n}-d{d:02d}"
        rows.append((dcode, f"Huyện ủy D{d:02d}", "b-district", f"p{n}", "2020-01-01"))
        count += 1
        for c in range(communes):
            ccode = f"{dcode}-c{c:03d}"
            rows.append((ccode, f"Đảng ủy xã C{c:03d} D{d:02d}", "b-commune", dcode, "2020-01-01"))
            count += 1
            for v in range(5):
                rows.append((f"{ccode}-v{v}", f"Chi bộ bản V{v} C{c:03d}", "b-cell", ccode, "2020-01-01"))
                count += 1
    path = TMP / f"province-{n}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "name", "kind", "parent", "valid_from"])
        writer.writerows(rows[:n])  # parents always come before their children
    return path


def quiet(*args):
    with open(os.devnull, "w") as devnull:
        call_command(*args, stdout=devnull, stderr=devnull)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="300,3000")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    for code, name, level in [("b-province", "Tỉnh ủy", 0), ("b-district", "Huyện ủy", 1),
                              ("b-commune", "Đảng ủy xã", 2), ("b-cell", "Chi bộ", 3)]:
        UnitKind.objects.get_or_create(code=code, defaults={"name": name, "level": level})
    print(f"{'units':>6}  {'step':<34} {'median s':>9} {'queries':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        path = write_province(n)
        # Once (it creates the units); statements only, without the COMMIT, as this step has always counted.
        m = benchlib.measure(lambda path=path: quiet("import_units", str(path)), 1, statements_only=True)
        print(f"{n:>6}  {'import_units CSV (create all)':<34} {m.wall:>9.3f} {m.queries:>8}")
        assert Unit.objects.filter(path__startswith=Unit.objects.get(code=f"p{n}").path).count() == n
        export = TMP / f"export-{n}.json"
        m = benchlib.measure(lambda n=n, export=export: quiet("export_units", "--root", f"p{n}", "-o", str(export)),
                             args.repeat)
        print(f"{n:>6}  {'export_units --format json':<34} {m.wall:>9.3f} {m.queries:>8}")
        m = benchlib.measure(lambda export=export: quiet("import_units", str(export)), args.repeat)
        print(f"{n:>6}  {'import_units (re-import, 0 change)':<34} {m.wall:>9.3f} {m.queries:>8}")
        user, _ = get_user_model().objects.get_or_create(username=f"p{n}.reviewer")
        Staff.objects.update_or_create(user=user, defaults={"unit": Unit.objects.get(code=f"p{n}"),
                                                             "is_reviewer": True})
        client = Client()
        client.force_login(user)
        m = benchlib.measure(lambda client=client: client.get("/don-vi/"), args.repeat)
        print(f"{n:>6}  {'GET /don-vi/ (province reviewer)':<34} {m.wall:>9.3f} {m.queries:>8}")
        m = benchlib.measure(lambda client=client: client.get("/don-vi/?ngay=2023-10-30"), args.repeat)
        print(f"{n:>6}  {'GET /don-vi/?ngay=2023-10-30':<34} {m.wall:>9.3f} {m.queries:>8}")
        m = benchlib.measure(lambda: units_as_of(on=dt.date(2023, 10, 30)), args.repeat)
        print(f"{n:>6}  {'units_as_of (whole forest)':<34} {m.wall:>9.3f} {m.queries:>8}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
