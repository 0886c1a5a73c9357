"""SQLite (the embedded default) under concurrent requests: the loser of a race waits, then gets the
optimistic-lock conflict with its input kept, never a 500 "database is locked" (issue 14 item 5).

Runs tests/ops/sqlite_race.py in a subprocess on a SQLite FILE database (the test database is an
in-memory one, whose locking differs), with real threads each holding its own connection.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_two_saves_and_a_return_racing_an_accept_never_answer_500(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "config.settings_test", "LOG_LEVEL": "ERROR"}
    done = subprocess.run([sys.executable, str(ROOT / "tests/ops/sqlite_race.py"), "4"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["journal_mode"] == "wal"
    for pair in out["saves"]:
        assert sorted(r["status"] for r in pair) == [302, 409], pair
        loser = next(r for r in pair if r["status"] == 409)
        assert loser["conflict"] and loser["kept"], loser  # the clear message, the figures typed kept
    for *pair, steps in out["review"]:
        assert [r["status"] for r in pair] == [302, 302], pair  # both answered: one done, one told why not
        assert steps == {"steps": 1}


def test_a_lock_held_past_the_busy_timeout_is_a_vietnamese_503_not_a_500(rf):
    from django.db import OperationalError

    from core.middleware import RequestLogMiddleware

    request = rf.post("/bao-cao-don-vi/1/muc/conference/")
    response = RequestLogMiddleware(lambda r: None).process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "chưa lưu được gì" in response.content.decode()
    assert RequestLogMiddleware(lambda r: None).process_exception(request, OperationalError("no such table")) is None
