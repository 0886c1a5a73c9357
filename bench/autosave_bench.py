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

from django.urls import reverse  # noqa: E402
from entrylib import conference_rows, section_post, seeded_entry  # noqa: E402

from reports.submissions import services  # noqa: E402
from reports.submissions.models import Submission  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    user, client, sub = seeded_entry()
    url = reverse("submissions:section", args=[sub.pk, "conference"])
    client.get(url)
    def figures(count: int) -> dict:
        return {"v-conference-count": count, "v-conference-attendance": 130}

    print(f"{'rows':>5} | {'step':<58} | {'median s':>8} | {'queries':>7}")
    for n in (0, 20):
        rows = conference_rows(n, typed=True, attendance=5)
        services.submission_save_values(submission=sub, user=user, values={}, source="form:bench",
                                        rows={"conference.rows": conference_rows(n, attendance=5)})
        counter = {"n": n + 2}

        def next_count() -> int:  # the count of conferences, at least the listed rows, changed every run
            counter["n"] = n + 3 if counter["n"] == n + 2 else n + 2
            return counter["n"]

        def full_save():
            current = Submission.objects.get(pk=sub.pk)
            data = section_post(current, rows, figures(next_count()), rows_stored=True)
            response = client.post(url, data, follow=True)
            assert response.status_code == 200 and response.redirect_chain, response.status_code

        def autosave():
            current = Submission.objects.get(pk=sub.pk)
            data = section_post(current, rows, figures(next_count()), rows_stored=True, autosave="1")
            response = client.post(url, data)
            assert response.status_code == 200 and response.json()["saved"], response.content[:300]

        def page():  # the section page alone: every tab's mark from the one validator over the stored figures
            assert client.get(url).status_code == 200

        for label, fn in (("full save: POST + redirect + section page again", full_save),
                          ("autosave: POST autosave=1, JSON answer", autosave),
                          ("section page GET (every tab's mark computed)", page)):
            m = benchlib.measure(fn, args.repeat)
            print(f"{n:>5} | {label:<58} | {m.wall:>8.3f} | {m.queries:>7}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
