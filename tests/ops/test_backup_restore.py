"""Backup and restore drill: scripts/backup.sh then scripts/restore.sh into a fresh database.

Runs only on PostgreSQL (CI's second pass; locally `DATABASE_URL=postgres://... pytest tests/ops`). It never
touches the test database: it creates a scratch source database, migrates and seeds the demo there (as
`manage.py` would on a server), writes stored files with known hashes, backs both up, restores into a
second scratch database and a second media folder, and then finds every submission, every value and
every signed PDF (bytes matching their recorded SHA-256) again.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DB = settings.DATABASES["default"]

pytestmark = pytest.mark.skipif(
    DB["ENGINE"] != "django.db.backends.postgresql",
    reason="backup/restore uses pg_dump/pg_restore: run with DATABASE_URL=postgres://… (CI's PostgreSQL pass)",
)


def _url(name: str) -> str:
    return f"postgres://{DB['USER']}:{DB['PASSWORD']}@{DB['HOST'] or '127.0.0.1'}:{DB['PORT'] or 5432}/{name}"


def _admin_sql(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=DB["USER"], password=DB["PASSWORD"],
                            host=DB["HOST"] or "127.0.0.1", port=DB["PORT"] or 5432)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def _query(name: str, sql: str) -> list[tuple]:
    import psycopg2

    conn = psycopg2.connect(_url(name))
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def _env(database: str, media: Path) -> dict[str, str]:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=_url(database), MEDIA_ROOT=str(media))
    return env


def _run(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def scratch_databases():
    suffix = uuid.uuid4().hex[:8]
    names = [f"bars_ops_src_{suffix}", f"bars_ops_dst_{suffix}", f"bars_ops_bad_{suffix}"]
    for name in names:
        _admin_sql(f'CREATE DATABASE "{name}"')
    yield names
    for name in names:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# (table, key columns) whose every row must come back: submissions and everything hanging off them.
CHECKED = {
    "submissions_submission": "id, plan_id, unit_id, status, version",
    "submissions_submissionvalue": "*",
    "submissions_submissionrow": "*",
    "submissions_submissionevent": "id, submission_id",
}


def _fingerprint(name: str, table: str, columns: str) -> str:
    rows = _query(name, f"SELECT {columns} FROM {table} ORDER BY 1")
    return hashlib.sha256(repr(rows).encode()).hexdigest() + f" ({len(rows)} rows)"


def _signed_documents(name: str) -> dict[int, str] | None:
    exists = _query(name, "SELECT count(*) FROM pg_tables WHERE tablename = 'signing_signeddocument'")[0][0]
    if not exists:
        return None
    rows = _query(name, "SELECT id, sha256, pdf FROM signing_signeddocument")
    for _id, recorded, pdf in rows:
        assert hashlib.sha256(bytes(pdf)).hexdigest() == recorded
    return {row_id: recorded for row_id, recorded, _pdf in rows}


def test_backup_restores_every_submission_file_and_signed_pdf(scratch_databases, tmp_path):
    source, target, _ = scratch_databases
    media, restored_media, backup = tmp_path / "media", tmp_path / "media-restored", tmp_path / "backup"
    env = _env(source, media)
    _run([sys.executable, "manage.py", "migrate", "--no-input"], env)
    _run([sys.executable, "manage.py", "seed_demo"], env)

    # Stored files as the application keeps them under MEDIA_ROOT (uploaded workbooks, PDFs).
    files = {
        "workbooks/2026/tam-duong-khun-ha.xlsx": os.urandom(20_000),
        "pdf/120-CV-BTGHU/bao-cao-ky.pdf": b"%PDF-1.7\n" + os.urandom(50_000),
        "pdf/tên tiếng Việt.pdf": b"%PDF-1.7\n" + os.urandom(1_000),
    }
    for relative, content in files.items():
        (media / relative).parent.mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(content)

    submissions = _query(source, "SELECT count(*) FROM submissions_submission")[0][0]
    assert submissions >= 52, "the demo should have seeded the Tam Đường submissions"
    before = {table: _fingerprint(source, table, columns) for table, columns in CHECKED.items()}
    signed_before = _signed_documents(source)

    _run(["scripts/backup.sh", str(backup)], env)
    assert {p.name for p in backup.iterdir()} == {"db.dump", "media.tar.gz", "media.sha256", "SHA256SUMS"}

    result = _run(["scripts/restore.sh", str(backup)], _env(target, restored_media))
    assert f"restored: {submissions} submissions" in result.stdout

    after = {table: _fingerprint(target, table, columns) for table, columns in CHECKED.items()}
    assert after == before
    assert _signed_documents(target) == signed_before
    for relative, content in files.items():
        assert hashlib.sha256((restored_media / relative).read_bytes()).digest() == hashlib.sha256(content).digest()
    # The restored database is usable by the application as it is.
    _run([sys.executable, "manage.py", "migrate", "--check"], _env(target, restored_media))


def test_restore_refuses_damaged_backup_and_non_empty_database(scratch_databases, tmp_path):
    source, target, bad = scratch_databases
    media, backup = tmp_path / "media", tmp_path / "backup"
    media.mkdir()
    (media / "a.pdf").write_bytes(b"%PDF-1.7 a")
    env = _env(source, media)
    _run([sys.executable, "manage.py", "migrate", "--no-input"], env)
    _run(["scripts/backup.sh", str(backup)], env)

    # Restoring into the source (not empty) is refused and changes nothing.
    result = _run(["scripts/restore.sh", str(backup)], _env(source, tmp_path / "m1"), check=False)
    assert result.returncode == 3 and "not empty" in result.stderr

    # One flipped byte in the dump is caught before anything is written.
    dump = backup / "db.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    result = _run(["scripts/restore.sh", str(backup)], _env(bad, tmp_path / "m2"), check=False)
    assert result.returncode != 0 and "FAILED" in (result.stdout + result.stderr)
    assert _query(bad, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0] == 0
    assert not (tmp_path / "m2").exists()
