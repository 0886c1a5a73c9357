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

from django.urls import reverse  # noqa: E402
from entrylib import conference_rows, section_post, seeded_entry  # noqa: E402

from reports.submissions import services  # noqa: E402
from reports.submissions.models import Submission  # noqa: E402
from reports.submissions.validation import validate_values  # noqa: E402


def figures(rows: list[dict]) -> dict:
    """The section's figures, consistent with its list (a count below the listed conferences is refused)."""
    return {"v-conference-count": max(3, len(rows)),
            "v-conference-attendance": max(300, sum(row["attendance"] for row in rows)),
            "v-cell_meeting-count": 12, "v-cell_meeting-attendance": 216}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    user, client, sub = seeded_entry()
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
            rows = conference_rows(n, day=day)
            data = section_post(current, rows, figures(rows), rows_stored=False)
            response = client.post(section_url, data)
            assert response.status_code == 302, response.status_code

        save.count = 0
        m = benchlib.measure(save, args.repeat)
        print(f"{n:>5} | {'POST save section (every row changed, audited)':<52} | {m.wall:>8.3f} | {m.queries:>7}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
