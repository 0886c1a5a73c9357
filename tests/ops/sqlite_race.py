"""Concurrent requests against a SQLite FILE database (run by tests/ops/test_sqlite_concurrency.py).

    DATABASE_URL=sqlite:////tmp/race.sqlite3 python tests/ops/sqlite_race.py ROUNDS

Migrates, seeds the core demo, then in each round two threads post at the same instant (a barrier):
two saves of the same section with the same version, and a return racing an accept. Each thread has
its own database connection, as gunicorn's threads do. Prints one JSON object with every response's
status (500 for an exception, with its text).
"""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from demo.seed import seed_core_demo  # noqa: E402
from reports.submissions.models import Submission, SubmissionEvent  # noqa: E402


def race(posts: list[tuple[str, str, dict]]) -> list[dict]:
    """Run the posts (username, url, data) at the same instant, one thread each."""
    barrier = threading.Barrier(len(posts))
    results: list[dict] = [{} for _ in posts]

    def work(n: int, username: str, url: str, data: dict) -> None:
        client = Client(raise_request_exception=True)
        client.force_login(get_user_model().objects.get(username=username))
        try:
            barrier.wait()
            response = client.post(url, data)
            results[n] = {"status": response.status_code, "conflict": "CHƯA được lưu" in response.content.decode(),
                          "kept": all(f'value="{v}"' in response.content.decode() for v in data.values()
                                      if isinstance(v, str) and v.isdigit() and len(v) > 3)}
        except Exception as exc:  # a 500 in production
            results[n] = {"status": 500, "error": f"{type(exc).__name__}: {exc}"}
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n, *post)) for n, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def main(rounds: int) -> None:
    call_command("migrate", verbosity=0)
    seed_core_demo()
    out: dict[str, list] = {"saves": [], "review": [], "journal_mode": None}
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        out["journal_mode"] = cursor.fetchone()[0]
    draft = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-khun-ha")
    url = reverse("submissions:section", args=[draft.pk, "conference"])
    rows = {"r-conference-rows-TOTAL_FORMS": "0", "r-conference-rows-INITIAL_FORMS": "0",
            "r-conference-rows-MIN_NUM_FORMS": "0", "r-conference-rows-MAX_NUM_FORMS": "1000"}
    for n in range(rounds):
        version = str(Submission.objects.get(pk=draft.pk).version)
        posts = [("tam-duong-khun-ha.entry", url, {"version": version, "v-conference-count": str(3 + k),
                                                   "v-conference-attendance": str(1000 + 10 * n + k),
                                                   "confirm": "on", **rows})
                 for k in range(2)]
        out["saves"].append(race(posts))
    submitted = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-binh-lu")
    for _n in range(rounds):
        Submission.objects.filter(pk=submitted.pk).update(status=Submission.Status.SUBMITTED)
        version = str(Submission.objects.get(pk=submitted.pk).version)
        before = SubmissionEvent.objects.filter(submission=submitted).count()
        results = race([
            ("tam-duong.reviewer", reverse("submissions:accept", args=[submitted.pk]), {"version": version}),
            ("tam-duong.reviewer", reverse("submissions:return", args=[submitted.pk]),
             {"version": version, "reason": "Thiếu số liệu hội nghị, đề nghị bổ sung."}),
        ])
        # How many of the two steps took effect (exactly one must).
        results.append({"steps": SubmissionEvent.objects.filter(submission=submitted).count() - before})
        out["review"].append(results)
    print(json.dumps(out))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
