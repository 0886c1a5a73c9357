"""Rendered PDFs cached by content: served again without rendering until something changes.

The key is SHA-256 of the document's content (``PrintDocument.fingerprint()``: header, number, text,
footnotes, closing, tables) and of the layout version (print.css, the print template, the renderer
version, the fonts' version, WeasyPrint's version). Any edit of the report text, a refresh of its
figures, a number given by the register, or a change of the stylesheet gives a new key.

Files: ``MEDIA_ROOT/pdf-cache/<key[:2]>/<key>.pdf`` and ``<key>.json`` (pages, signature box).
Writes are atomic (temporary file + ``os.replace``), so a reader never sees half a file.

Concurrency: a render runs inside ``core.render_limit.render_slot()`` (a per-process semaphore plus
host-wide ``fcntl`` slots; ``RenderBusy`` → 503 "đang bận" after ``PDF_RENDER_WAIT`` seconds), so a
long render (a province report) never takes every worker and other pages stay responsive. Two
requests for the same document render it once: the second waits on a per-key ``fcntl`` lock and then
finds the file.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core.render_limit import render_slot
from reports.documents.pdf.document import PrintDocument
from reports.documents.pdf.render import SignatureBox, layout_version, render_document

CACHE_DIRNAME = "pdf-cache"


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / CACHE_DIRNAME


def cache_key(doc: PrintDocument) -> str:
    return hashlib.sha256(f"{doc.fingerprint()}:{layout_version()}".encode()).hexdigest()


@dataclass(frozen=True)
class CachedPdf:
    """A rendered PDF on disk; ``hit`` tells whether it was served from the cache."""

    key: str
    path: Path
    pages: int
    signature_box: SignatureBox | None
    hit: bool

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _paths(key: str) -> tuple[Path, Path]:
    folder = cache_dir() / key[:2]
    return folder / f"{key}.pdf", folder / f"{key}.json"


def _load(key: str) -> CachedPdf | None:
    pdf_path, meta_path = _paths(key)
    if not (pdf_path.exists() and meta_path.exists()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    box = SignatureBox.from_dict(meta["signature_box"]) if meta.get("signature_box") else None
    return CachedPdf(key=key, path=pdf_path, pages=meta.get("pages", 0), signature_box=box, hit=True)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _key_lock(key: str):
    folder = cache_dir() / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{key}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def cached_render(doc: PrintDocument) -> CachedPdf:
    """The PDF of ``doc`` from the cache, or rendered now (inside a render slot) and stored.

    Raises ``render.PrintError`` for documents that cannot be rendered and
    ``core.render_limit.RenderBusy`` when no render slot frees up in time.
    """
    key = cache_key(doc)
    found = _load(key)
    if found is not None:
        return found
    with _key_lock(key):
        found = _load(key)  # rendered by another request while we waited
        if found is not None:
            return found
        with render_slot():
            result = render_document(doc)
        pdf_path, meta_path = _paths(key)
        meta = {"pages": result.pages,
                "signature_box": result.signature_box.as_dict() if result.signature_box else None}
        _write_atomic(pdf_path, result.pdf)
        _write_atomic(meta_path, json.dumps(meta).encode())
        return CachedPdf(key=key, path=pdf_path, pages=result.pages, signature_box=result.signature_box, hit=False)


def cache_clear() -> int:
    """Delete every cached PDF; returns the number of files removed."""
    removed = 0
    root = cache_dir()
    if not root.exists():
        return 0
    for path in root.rglob("*"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
