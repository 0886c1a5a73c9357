"""Writes of the workbooks: importing a checked file (all or nothing), and the uploads kept for confirmation.

An upload is checked and its changes shown; the file waits under MEDIA_ROOT/uploads/<token>.xlsx
(with a small JSON note of who uploaded it and for what) until the user confirms. Confirming reads
and checks the SAME file again inside the transaction that applies it, so what is saved is what
the checks passed at that moment.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.plans.models import Plan
from reports.submissions.models import Submission
from reports.submissions.services import (
    SubmissionConflict,
    submission_get_or_create,
    submission_save_values,
    submissions_get_or_create_bulk,
    submissions_save_values_bulk,
    submissions_warnings_confirm_bulk,
)
from reports.workbooks import layout
from reports.workbooks.importer import CellError, Expectation, ImportAnalysis, analyse_workbook
from units.models import Unit

UPLOAD_DIR = "uploads"
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def source_for(filename: str) -> str:
    """The audit source of an import: "file:<name>" (what ValueChange.source records)."""
    name = Path(filename or "tep.xlsx").name
    return f"file:{name}"[:255]


@transaction.atomic
def workbook_import(*, data: bytes, filename: str, user, expect: Expectation | None = None,
                    dry_run: bool = False, choices: dict[str, str] | None = None, require_source: bool = False,
                    behalf_source: dict | None = None) -> ImportAnalysis:
    """Check the whole file and, when it has no error and `dry_run` is false, apply every change.

    All or nothing: one transaction for every submission the file touches; any error (found in the
    file, or raised while saving, e.g. someone saved meanwhile) saves nothing. Each change is audited
    with the source "file:<name>". With `require_source` (an upload on the web) the units the user enters
    for on their behalf need how the figures came (`behalf_sources_ensure`: `behalf_source` is recorded for
    those without one); refused, `analysis.needs_source` is set and nothing is saved.
    """
    analysis = analyse_workbook(data=data, filename=filename, user=user, expect=expect, choices=choices)
    if analysis.ok and analysis.unresolved:
        # Values the file may overwrite although it is older: saved only by an explicit choice for each.
        for conflict in analysis.unresolved:
            if choices is None:
                for change, message in zip(conflict.changes, conflict.messages, strict=True):
                    analysis.error(message, sheet=change.sheet, cell=change.cell, unit=conflict.unit_name)
            else:
                change = conflict.changes[0]
                analysis.error(
                    _("%(label)s: chưa chọn “Giữ số trên web” (%(old)s) hay “Lấy số trong tệp” (%(new)s). "
                      "Chưa có gì được lưu.") % {"label": change.label, "old": change.old[:80],
                                                  "new": change.new[:80]},
                    sheet=change.sheet, cell=change.cell, unit=conflict.unit_name)
        analysis.targets = []
        return analysis
    if dry_run or not analysis.ok or not analysis.targets:
        return analysis
    source = source_for(filename)
    savepoint = transaction.savepoint()
    target = None
    try:
        # A district file (numbers only, up to thousands of units) goes through the bulk services.
        bulk = analysis.kind == layout.KIND_DISTRICT and not any(t.rows for t in analysis.targets)
        if bulk:
            _apply_district(analysis, user=user, source=source, require_source=require_source,
                            behalf_source=behalf_source)
        for target in () if bulk else analysis.targets:
            submission = target.submission
            if submission is None:
                submission = submission_get_or_create(plan=target.plan, unit=target.unit, user=user)
            submission_save_values(
                submission=submission, user=user, values=target.values, rows=target.rows, source=source,
                expected_version=target.expected_version if target.submission is not None else None,
                require_source=require_source, behalf_source=behalf_source,
            )
        _record_confirmed_warnings(analysis, user=user)
    except (ValidationError, SubmissionConflict) as problem:
        transaction.savepoint_rollback(savepoint)
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        analysis.needs_source = getattr(problem, "code", None) in ("behalf_source_missing",
                                                                         "behalf_source_invalid")
        failed = getattr(problem, "submission", None)
        unit_name = failed.unit.name if failed is not None else (target.unit.name if target is not None else "")
        analysis.errors.extend(CellError(message=m, unit=unit_name) for m in messages)
        analysis.targets = []
        return analysis
    transaction.savepoint_commit(savepoint)
    return analysis


def _record_confirmed_warnings(analysis: ImportAnalysis, *, user) -> None:
    """Importing a file with warnings is the officer's confirmation of them: recorded per unit for the reviewer."""
    by_unit: dict[str, list[str]] = {}
    for warning in analysis.warnings:
        by_unit.setdefault(warning.unit, []).append(warning.message)
    wanted = {t.unit.pk: by_unit[t.unit.name] for t in analysis.targets if t.unit.name in by_unit}
    if not wanted or analysis.plan is None:
        return
    submissions = Submission.objects.filter(plan__in={t.plan.pk for t in analysis.targets}, unit_id__in=wanted)
    submissions_warnings_confirm_bulk(items=[(s, wanted[s.unit_id]) for s in submissions], user=user)


def _apply_district(analysis: ImportAnalysis, *, user, source: str, require_source: bool = False,
                    behalf_source: dict | None = None) -> None:
    """A district file's changes in a constant number of queries (the bulk submission services)."""
    new_units = [t.unit for t in analysis.targets if t.submission is None]
    created = submissions_get_or_create_bulk(plan=analysis.plan, units=new_units, user=user) if new_units else {}
    submissions_save_values_bulk(
        changes=[(t.submission or created[t.unit.pk], t.values) for t in analysis.targets], user=user,
        source=source, expected_versions={t.submission.pk: t.submission.version for t in analysis.targets
                                          if t.submission is not None},
        require_source=require_source, behalf_source=behalf_source)


# --------------------------------------------------------------------------------------------------
# Uploads waiting for confirmation
# --------------------------------------------------------------------------------------------------


@dataclass
class StoredUpload:
    """An uploaded file kept until its import is confirmed or cancelled."""

    token: str
    filename: str
    user_id: int
    expect_plan: int | None
    expect_unit: int | None
    expect_kind: str | None
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()

    def expectation(self) -> Expectation:
        return Expectation(
            plan=Plan.objects.filter(pk=self.expect_plan).first() if self.expect_plan else None,
            unit=Unit.objects.filter(pk=self.expect_unit).first() if self.expect_unit else None,
            kind=self.expect_kind,
        )


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _purge_old(directory: Path) -> None:
    limit = time.time() - UPLOAD_MAX_AGE_SECONDS
    for item in directory.glob("*"):
        try:
            if item.stat().st_mtime < limit:
                item.unlink()
        except OSError:
            continue


def upload_store(*, data: bytes, filename: str, user, expect: Expectation | None = None) -> StoredUpload:
    """Keep an uploaded file (already checked) for its confirmation step; returns its token."""
    directory = _upload_dir()
    _purge_old(directory)
    token = secrets.token_urlsafe(24)
    path = directory / f"{token}.xlsx"
    path.write_bytes(data)
    note = {
        "filename": Path(filename or "tep.xlsx").name, "user": user.pk,
        "plan": expect.plan.pk if expect and expect.plan else None,
        "unit": expect.unit.pk if expect and expect.unit else None,
        "kind": expect.kind if expect else None,
    }
    (directory / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return StoredUpload(token=token, filename=note["filename"], user_id=user.pk, expect_plan=note["plan"],
                        expect_unit=note["unit"], expect_kind=note["kind"], path=path)


def upload_load(*, token: str, user) -> StoredUpload | None:
    """The upload with this token if it belongs to `user` (None otherwise: unknown, expired, someone else's)."""
    if not _TOKEN_RE.match(token or ""):
        return None
    directory = _upload_dir()
    path, note_path = directory / f"{token}.xlsx", directory / f"{token}.json"
    if not path.exists() or not note_path.exists():
        return None
    try:
        note = json.loads(note_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if note.get("user") != user.pk:
        return None
    return StoredUpload(token=token, filename=note.get("filename", "tep.xlsx"), user_id=note["user"],
                        expect_plan=note.get("plan"), expect_unit=note.get("unit"), expect_kind=note.get("kind"),
                        path=path)


def upload_discard(*, upload: StoredUpload) -> None:
    """Delete a kept upload (after it was applied or cancelled)."""
    for path in (upload.path, upload.path.with_suffix(".json")):
        path.unlink(missing_ok=True)


def upload_confirm(*, upload: StoredUpload, user, choices: dict[str, str] | None = None,
                   behalf_source: dict | None = None) -> ImportAnalysis:
    """Re-check the kept file and apply it (all or nothing) with the user's choice for every conflict and,
    for units entered on their behalf, how the figures came; the file is deleted once applied."""
    analysis = workbook_import(data=upload.read(), filename=upload.filename, user=user,
                               expect=upload.expectation(), choices=choices if choices is not None else {},
                               require_source=True, behalf_source=behalf_source)
    if analysis.ok:
        upload_discard(upload=upload)
    return analysis

