"""Benchmark: the roll-up of a district (50 units) and of a province (5.000 leaf units under 100 districts).

Run from the project root. Without DATABASE_URL it uses its own throwaway SQLite file; with a PostgreSQL
DATABASE_URL it creates (and drops) a separate test database next to the one named there:

    .venv/bin/python bench/rollup_bench.py [--repeat 9] [--districts 100] [--leaves 50]
    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/x .venv/bin/python bench/rollup_bench.py

The data are bulk-created (units with materialized paths, accepted submissions, 8 figures each); the
roll-up itself is `reports.rollup.rules.rollup`, the one the reports, the command and the JSON use.
Prints the median wall time and the SQL query count of each roll-up, and the ratio province/district.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from zoneinfo import ZoneInfo

import benchlib

DB = benchlib.setup_django("rollup", keep_postgres=True)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from reports.plans.models import Indicator, Plan, Section  # noqa: E402
from reports.rollup.rules import rollup  # noqa: E402
from reports.submissions.models import Submission, SubmissionValue  # noqa: E402
from units.models import IssuingBody, Unit, UnitKind  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODES = ["conference.count", "conference.attendance", "cell_meeting.count", "cell_meeting.attendance",
         "members.studied", "members.required", "nonmembers.studied", "nonmembers.required"]


def build(districts: int, leaves: int) -> tuple[Plan, Unit, Unit]:
    """Province → `districts` districts → `leaves` cells each; one accepted submission per cell."""
    kinds = {code: UnitKind.objects.get_or_create(code=code, defaults={"name": code, "level": level})[0]
             for code, level in (("tinh-uy", 0), ("huyen-uy", 1), ("chi-bo-co-so", 2))}
    start = dt.date(2020, 1, 1)
    province = Unit.add_root(code="bench-p", name="Tỉnh ủy Bench", kind=kinds["tinh-uy"], valid_from=start)
    units = []
    for d in range(districts):
        path = Unit._get_path(province.path, 2, d + 1)
        units.append(Unit(code=f"bench-d{d:03d}", name=f"Huyện ủy {d:03d}", kind=kinds["huyen-uy"], path=path,
                          depth=2, numchild=leaves, valid_from=start))
        for c in range(leaves):
            units.append(Unit(code=f"bench-d{d:03d}-{c:03d}", name=f"Chi bộ {d:03d}.{c:03d}",
                              kind=kinds["chi-bo-co-so"], path=Unit._get_path(path, 3, c + 1), depth=3,
                              numchild=0, valid_from=start))
    Unit.objects.bulk_create(units, batch_size=2000)
    Unit.objects.filter(pk=province.pk).update(numchild=districts)
    body = IssuingBody.objects.create(code="bench-btg", unit=province, name="Ban Tuyên giáo Bench",
                                      citation_name="Ban Tuyên giáo Tỉnh ủy", own_line="TỈNH ỦY BENCH",
                                      place_name="Bench", code_suffix="BTGTU", signer_title="TRƯỞNG BAN",
                                      signer_name="A")
    plan = Plan.objects.create(kind="HD", number=1, reference="1-HD/BENCH", issuing_body=body,
                               issued_on=dt.date(2023, 9, 1), title="về bench", period_start=dt.date(2023, 7, 1),
                               period_end=dt.date(2023, 12, 31), deadline=dt.date(2023, 10, 31),
                               scope=Plan.Scope.SUBTREE, include_own=False)
    plan.sections.set(Section.objects.filter(code__in=["conference", "people", "propaganda"]))
    leaves_qs = Unit.objects.filter(path__startswith=province.path, depth=3).order_by("path")
    at = dt.datetime(2023, 10, 20, 9, 0, tzinfo=TZ)
    Submission.objects.bulk_create(
        [Submission(plan=plan, unit=u, status=Submission.Status.ACCEPTED, unit_name=u.name, first_submitted_at=at,
                    submitted_at=at, accepted_at=at) for u in leaves_qs],
        batch_size=2000,
    )
    indicators = dict(Indicator.objects.filter(code__in=CODES).values_list("code", "pk"))
    values = []
    for n, sid in enumerate(Submission.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True)):
        required = 20 + n % 30
        figures = {"conference.count": 1 + n % 3, "conference.attendance": 30 + n % 50, "cell_meeting.count": 3,
                   "cell_meeting.attendance": 40, "members.studied": required - n % 3, "members.required": required,
                   "nonmembers.studied": 5 - n % 2, "nonmembers.required": 5}
        values.extend(SubmissionValue(submission_id=sid, indicator_id=indicators[c], number=v)
                      for c, v in figures.items())
    SubmissionValue.objects.bulk_create(values, batch_size=5000)
    district = Unit.objects.select_related("kind").get(code="bench-d000")
    return Plan.objects.select_related("issuing_body__unit").get(pk=plan.pk), \
        Unit.objects.select_related("kind").get(pk=province.pk), district


def measure(plan: Plan, unit: Unit, repeat: int) -> tuple[float, int, int]:
    """Median wall time, queries and rows of the roll-up of `unit`, after a warm-up run."""
    rollup(plan=plan, unit=unit)  # warm-up
    m = benchlib.measure(lambda: rollup(plan=plan, unit=unit), repeat)
    return m.wall, m.queries, sum(1 for _ in m.result.units)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--leaves", type=int, default=50)
    args = parser.parse_args()
    vendor = connection.vendor
    if vendor == "sqlite":
        call_command("migrate", verbosity=0)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            plan, province, district = build(args.districts, args.leaves)
            built = time.perf_counter() - t0
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = args.districts * args.leaves
        print(f"{vendor}: {total} leaf units under {args.districts} districts, "
              f"{Submission.objects.count()} submissions, {SubmissionValue.objects.count()} values "
              f"(built in {built:.1f} s)")
        d_time, d_queries, d_rows = measure(plan, district, args.repeat)
        p_time, p_queries, p_rows = measure(plan, province, args.repeat)
        print("| roll-up | leaf units | rows | median ms | queries |")
        print(f"| district | {args.leaves} | {d_rows} | {d_time * 1000:.1f} | {d_queries} |")
        print(f"| province | {total} | {p_rows} | {p_time * 1000:.1f} | {p_queries} |")
        print(f"ratio province/district: time {p_time / d_time:.1f}x for {total / args.leaves:.0f}x the units; "
              f"queries {p_queries}/{d_queries}")
        print(f"goal province < 300 ms: {'met' if p_time < 0.3 else 'NOT met'}")
    finally:
        if vendor == "sqlite":
            connection.close()
            DB.unlink(missing_ok=True)
        else:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
