"""Benchmark: a section autosave (static/js/entry.js posts the form with autosave=1, JSON back) beside a
full "Lưu nháp" (POST, redirect, the section page rendered again), with 0 and 20 conference rows.

Each run changes one figure (what a pause in typing sends). Run from the project root (own throwaway
SQLite database, never yours):

    .venv/bin/python bench/autosave_bench.py [--repeat 9]

Prints the median wall time and the SQL queries of each step.
"""
from __future__ import annotations

import argparse

import benchlib

DB = benchlib.setup_django("autosave")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from reports.submissions import services  # noqa: E402
from reports.submissions.models import Submission  # noqa: E402


def conference_rows(n: int) -> list[dict]:
    return [{"date": "15/10/2026", "title": f"Hội nghị {k}", "level": "own", "format": "in_person",
             "points": 1, "presenters": "Bí thư", "documents": "Kết luận số 57-KL/TW", "attendance": 5}
            for k in range(n)]


def post_data(submission: Submission, rows: list[dict], count: int, **extra) -> dict:
    prefix = "r-conference-rows"
    data = {"version": str(submission.version), "v-conference-count": str(count), "v-conference-attendance": "130",
            "confirm": "on", f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows)),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{n}-{name}"] = str(value)
    data.update(extra)
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from demo.seed import run_demo_seed

    run_demo_seed()
    user = get_user_model().objects.get(username="tam-duong-khun-ha.entry")
    client = Client()
    client.force_login(user)
    sub = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-khun-ha")
    url = reverse("submissions:section", args=[sub.pk, "conference"])
    client.get(url)
    print(f"{'rows':>5} | {'step':<58} | {'median s':>8} | {'queries':>7}")
    for n in (0, 20):
        rows = conference_rows(n)
        services.submission_save_values(submission=sub, user=user, values={}, source="form:bench",
                                        rows={"conference.rows": [dict(r, date="2026-10-15") for r in rows]})
        counter = {"n": n + 2}

        def next_count() -> int:  # the count of conferences, at least the listed rows, changed every run
            counter["n"] = n + 3 if counter["n"] == n + 2 else n + 2
            return counter["n"]

        def full_save():
            current = Submission.objects.get(pk=sub.pk)
            response = client.post(url, post_data(current, rows, next_count()), follow=True)
            assert response.status_code == 200 and response.redirect_chain, response.status_code

        def autosave():
            current = Submission.objects.get(pk=sub.pk)
            response = client.post(url, post_data(current, rows, next_count(), autosave="1"))
            assert response.status_code == 200 and response.json()["saved"], response.content[:300]

        for label, fn in (("full save: POST + redirect + section page again", full_save),
                          ("autosave: POST autosave=1, JSON answer", autosave)):
            m = benchlib.measure(fn, args.repeat)
            print(f"{n:>5} | {label:<58} | {m.wall:>8.3f} | {m.queries:>7}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
