"""What the entry benchmarks (entry_pages.py, autosave_bench.py) share: the seeded demo with Khun Há's
entry officer logged in on its 251-CV/BTGHU submission, conference rows, and the section form's POST data.

Import it after `benchlib.setup_django(...)`: it imports the project's models.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo.seed import run_demo_seed
from reports.submissions.models import Submission

ROWS_PREFIX = "r-conference-rows"


def seeded_entry() -> tuple[object, Client, Submission]:
    """Migrate and seed the throwaway database; return the entry officer, a logged-in client, the submission."""
    call_command("migrate", verbosity=0)
    run_demo_seed()
    user = get_user_model().objects.get(username="tam-duong-khun-ha.entry")
    client = Client()
    client.force_login(user)
    submission = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-khun-ha")
    return user, client, submission


def conference_rows(n: int, *, day: int = 15, typed: bool = False, attendance: int | None = None) -> list[dict]:
    """`n` conference rows dated `day`/10/2026 (as typed in the form, dd/mm/yyyy, when `typed`; else ISO as
    stored); each row's attendance is `attendance`, or 40 to 46 people when None."""
    date = f"{day:02d}/10/2026" if typed else f"2026-10-{day:02d}"
    return [{"date": date, "title": f"Hội nghị {k}", "level": "own", "format": "in_person", "points": 1,
             "presenters": "Bí thư", "documents": "Kết luận số 57-KL/TW",
             "attendance": 40 + k % 7 if attendance is None else attendance}
            for k in range(n)]


def section_post(submission: Submission, rows: list[dict], figures: dict[str, object], *,
                 rows_stored: bool, **extra: str) -> dict:
    """The conference section form as the browser posts it: `figures` by field name (v-…), the rows as a
    formset (counted as initial forms when `rows_stored`), confirmed, at the submission's current version."""
    data = {"version": str(submission.version), "confirm": "on",
            f"{ROWS_PREFIX}-TOTAL_FORMS": str(len(rows)),
            f"{ROWS_PREFIX}-INITIAL_FORMS": str(len(rows) if rows_stored else 0),
            f"{ROWS_PREFIX}-MIN_NUM_FORMS": "0", f"{ROWS_PREFIX}-MAX_NUM_FORMS": "1000"}
    data.update({name: str(value) for name, value in figures.items()})
    for n, row in enumerate(rows):
        for name, value in row.items():
            data[f"{ROWS_PREFIX}-{n}-{name}"] = str(value)
    data.update(extra)
    return data
