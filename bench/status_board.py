"""Benchmark: the status board (selector, page, Excel export) for plans with 50, 500 and 2.000 units.

Run from the project root (uses its own throwaway SQLite database, never yours):

    .venv/bin/python bench/status_board.py [--repeat 7]

Prints, per size, the median wall time and the number of SQL queries of each step.
"""
from __future__ import annotations

import argparse
import datetime as dt
from zoneinfo import ZoneInfo

import benchlib

DB = benchlib.setup_django("status-board")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from reports.plans.models import Plan, Section  # noqa: E402
from reports.submissions.models import Submission  # noqa: E402
from reports.submissions.selectors import status_board  # noqa: E402
from units.models import IssuingBody, Staff, Unit, UnitKind  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def build(n: int):
    kind, _ = UnitKind.objects.get_or_create(code="b-district", defaults={"name": "Huyện ủy", "level": 1})
    cell, _ = UnitKind.objects.get_or_create(code="b-cell", defaults={"name": "Chi bộ", "level": 2})
    root = Unit.add_root(code=f"b{n}", name=f"Huyện ủy B{n}", kind=kind, valid_from=dt.date(2020, 1, 1))
    # Children through treebeard's bulk path helper would be faster; add_child keeps paths exact.
    for i in range(n):
        root = Unit.objects.get(pk=root.pk)
        root.add_child(code=f"b{n}-{i:05d}", name=f"Chi bộ B{n} {i:05d}", kind=cell, valid_from=dt.date(2020, 1, 1))
    root = Unit.objects.get(pk=root.pk)
    body = IssuingBody.objects.create(code=f"b{n}-btg", unit=root, name=f"Ban Tuyên giáo B{n}",
                                      citation_name="Ban Tuyên giáo", own_line="B", place_name="B",
                                      code_suffix="BTGHU", signer_title="TRƯỞNG BAN", signer_name="A")
    user = get_user_model().objects.create_user(f"b{n}.reviewer", password="x", first_name="Lê", last_name="Mai")
    Staff.objects.create(user=user, unit=root, is_reviewer=True, is_entry=True)
    plan = Plan.objects.create(kind="CV", number=n, reference=f"{n}-CV/BTGHU", issuing_body=body,
                               issued_on=dt.date(2024, 1, 2), title="bench", period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 3, 31), deadline=dt.date(2024, 3, 20))
    plan.sections.set(Section.objects.all()[:2])
    subs = []
    for i, unit in enumerate(root.get_children()):
        if i % 10 == 9:
            continue
        at = dt.datetime(2024, 3, 10 + i % 15, 9, tzinfo=TZ)
        subs.append(Submission(plan=plan, unit=unit, unit_name=unit.name, status="accepted", first_submitted_at=at,
                               submitted_at=at, accepted_at=at, last_entered_by=user))
    Submission.objects.bulk_create(subs)
    return plan, user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", default="50,500,2000")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"{'units':>6} {'step':<10} {'median ms':>10} {'queries':>8}")
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            plan, user = build(n)
            client = Client()
            client.force_login(user)
            page = reverse("plans:status", kwargs={"pk": plan.pk})
            xlsx = reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "xlsx"})
            steps = {
                "selector": lambda plan=plan: status_board(plan=Plan.objects.get(pk=plan.pk)),
                "page": lambda page=page, client=client: client.get(page),
                "xlsx": lambda xlsx=xlsx, client=client: client.get(xlsx),
            }
            for name, fn in steps.items():
                m = benchlib.measure(fn, args.repeat)
                print(f"{n:>6} {name:<10} {m.wall * 1000:>10.1f} {m.queries:>8}")
    finally:
        connection.close()
        DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
