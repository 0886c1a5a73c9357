"""Benchmark: a submission's entry pages, saving a section, validation and the history page,
with 0, 20 and 100 conference rows (100 is the most a list takes) (and as many audit lines).

Run from the project root (uses its own throwaway SQLite database, never yours):

    .venv/bin/python bench/entry_pages.py [--repeat 7]

Prints, per number of rows, the median wall time and the SQL queries of each step.
"""
from __future__ import annotations

import argparse

import benchlib

DB = benchlib.setup_django("entry-pages")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from reports.submissions import services  # noqa: E402
from reports.submissions.models import Submission  # noqa: E402
from reports.submissions.validation import validate_values  # noqa: E402


def conference_rows(n: int, day: int = 15) -> list[dict]:
    return [{"date": f"2026-10-{day:02d}", "title": f"Hội nghị {k}", "level": "own", "format": "in_person",
             "points": 1, "presenters": "Bí thư", "documents": "Kết luận số 57-KL/TW", "attendance": 40 + k % 7}
            for k in range(n)]


def post_data(submission: Submission, rows: list[dict]) -> dict:
    prefix = "r-conference-rows"
    data = {"version": str(submission.version), "v-conference-count": "3", "v-conference-attendance": "300",
            "v-cell_meeting-count": "12", "v-cell_meeting-attendance": "216", "confirm": "on",
            f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{n}-{name}"] = str(value)
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from demo.seed import run_demo_seed

    run_demo_seed()
    user = get_user_model().objects.get(username="tam-duong-khun-ha.entry")
    client = Client()
    client.force_login(user)
    sub = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-khun-ha")
    section_url = reverse("submissions:section", args=[sub.pk, "conference"])
    client.get(section_url)
    print(f"{'rows':>5} | {'step':<52} | {'median s':>8} | {'queries':>7}")
    for n in (0, 20, 100):
        services.submission_save_values(submission=sub, user=user, values={}, source="form:bench",
                                        rows={"conference.rows": conference_rows(n)})
        steps = [
            ("GET section page (conference)", lambda: client.get(section_url)),
            ("GET overview", lambda: client.get(reverse("submissions:detail", args=[sub.pk]))),
            ("GET history", lambda: client.get(reverse("submissions:history", args=[sub.pk]))),
            ("validate_values (figures + rows)", lambda: validate_values(
                submission=sub, values={"conference.count": 3, "conference.attendance": 300},
                rows={"conference.rows": conference_rows(n, day=16)})),
        ]
        for label, fn in steps:
            m = benchlib.measure(fn, args.repeat)
            print(f"{n:>5} | {label:<52} | {m.wall:>8.3f} | {m.queries:>7}")

        def save():
            current = Submission.objects.get(pk=sub.pk)
            day = 17 + save.count % 10
            save.count += 1
            response = client.post(section_url, post_data(current, conference_rows(n, day=day)))
            assert response.status_code == 302, response.status_code

        save.count = 0
        m = benchlib.measure(save, args.repeat)
        print(f"{n:>5} | {'POST save section (every row changed, audited)':<52} | {m.wall:>8.3f} | {m.queries:>7}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
