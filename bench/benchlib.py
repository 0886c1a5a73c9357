"""What the benchmark scripts share: Django on a throwaway database, and timing a step.

    import benchlib

    DB = benchlib.setup_django("units", REQUEST_LOG="0")   # before any project import
    ...
    m = benchlib.measure(lambda: client.get("/don-vi/"), repeat=5)
    print(m.wall, m.cpu, m.queries)
    DB.unlink(missing_ok=True)

The scripts are run as `.venv/bin/python bench/<script>.py`, so bench/ is on sys.path.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent


def setup_django(name: str, *, keep_postgres: bool = False, **env_defaults: str) -> Path:
    """Put the project on sys.path, point DATABASE_URL at `bench-<name>-<pid>.sqlite3` in the temp dir
    (a PostgreSQL DATABASE_URL is kept instead when `keep_postgres`), default the test settings with
    django-axes off (and `env_defaults`, e.g. REQUEST_LOG="0"), and set Django up.

    Returns the SQLite file, for the script to unlink at the end (not created when PostgreSQL is kept).
    """
    sys.path.insert(0, str(ROOT))
    db = Path(tempfile.gettempdir()) / f"bench-{name}-{os.getpid()}.sqlite3"
    if not (keep_postgres and os.environ.get("DATABASE_URL", "").startswith("postgres")):
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("AXES_ENABLED", "0")
    for key, value in env_defaults.items():
        os.environ.setdefault(key, str(value))
    import django

    django.setup()
    return db


class Measured(NamedTuple):
    wall: float  # median wall time, seconds
    cpu: float  # median CPU time of this process (time.process_time), seconds
    queries: int  # SQL statements of the last run
    result: Any  # what the last run returned


def measure(fn: Callable[[], Any], repeat: int, *, statements_only: bool = False) -> Measured:
    """Run `fn` `repeat` times.

    Queries are counted as the tests' assertNumQueries counts them (CaptureQueriesContext: the statements
    plus the BEGIN/COMMIT/ROLLBACK Django sends itself). With `statements_only`, only the statements, by an
    execute wrapper that keeps nothing (cheap for tens of thousands of statements or huge ones):
    workbook_bench and the units CSV import have always counted so (their README figures).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, queries, result = [], [], 0, None
    for _ in range(repeat):
        statements = 0

        def count(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        recorder = connection.execute_wrapper(count) if statements_only else CaptureQueriesContext(connection)
        with recorder:
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        queries = statements if statements_only else len(recorder.captured_queries)
    return Measured(statistics.median(walls), statistics.median(cpus), queries, result)
