"""Limit how many PDF renders run at once, so that rendering never starves page requests.

WeasyPrint holds a CPU (and the GIL) for up to seconds per document. Every code path that renders a
PDF on a web request must do it inside `render_slot()`::

    from core.render_limit import render_slot

    with render_slot():
        pdf_bytes = html.write_pdf()

Two limits apply, both from settings (environment variables of the same name):

* `PDF_RENDER_SLOTS_PER_PROCESS` (default 1): renders running at once in one process (a semaphore
  shared by the threads of a gunicorn worker);
* `PDF_RENDER_SLOTS` (default: half the CPUs, at least 1): renders running at once on the whole host,
  across all gunicorn workers, held as `fcntl` locks on files `pdf-slot-<n>.lock` in
  `PDF_RENDER_LOCK_DIR` (default `var/run`). A crashed worker's lock is released by the kernel.

A render that gets no slot within `PDF_RENDER_WAIT` seconds (default 30) raises `RenderBusy`;
`core.middleware.RequestLogMiddleware` turns it into a 503 page "hệ thống đang bận" with Retry-After.
Batch rendering (many PDFs) belongs to a task queue, not to web requests (docs/scaling.md).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

_POLL_SECONDS = 0.05


class RenderBusy(Exception):
    """No render slot became free in time; the request should be retried later."""

    def __init__(self, retry_after: int = 10):
        super().__init__("no PDF render slot free")
        self.retry_after = retry_after


_lock = threading.Lock()
_process_semaphore: threading.BoundedSemaphore | None = None
_process_pid: int | None = None


def _semaphore() -> threading.BoundedSemaphore:
    """The per-process semaphore, recreated after a fork (gunicorn workers fork from the master)."""
    global _process_semaphore, _process_pid
    with _lock:
        if _process_semaphore is None or _process_pid != os.getpid():
            size = max(1, int(getattr(settings, "PDF_RENDER_SLOTS_PER_PROCESS", 1)))
            _process_semaphore = threading.BoundedSemaphore(size)
            _process_pid = os.getpid()
        return _process_semaphore


def host_slots() -> int:
    return max(1, int(getattr(settings, "PDF_RENDER_SLOTS", 0) or max(1, (os.cpu_count() or 2) // 2)))


def _lock_dir() -> Path:
    path = Path(getattr(settings, "PDF_RENDER_LOCK_DIR", "") or Path(settings.BASE_DIR) / "var" / "run")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _try_host_slot() -> int | None:
    """Open and lock the first free slot file without waiting; its file descriptor, or None."""
    directory = _lock_dir()
    for index in range(host_slots()):
        fd = os.open(directory / f"pdf-slot-{index}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


@contextlib.contextmanager
def render_slot(wait: float | None = None) -> Iterator[None]:
    """Hold one render slot (per process and per host) for the duration of the block.

    Raises `RenderBusy` when no slot is free within `wait` seconds (settings.PDF_RENDER_WAIT by default).
    """
    timeout = float(getattr(settings, "PDF_RENDER_WAIT", 30) if wait is None else wait)
    deadline = time.monotonic() + timeout
    semaphore = _semaphore()
    if not semaphore.acquire(timeout=max(0.0, timeout)):
        raise RenderBusy()
    try:
        fd = _try_host_slot()
        while fd is None:
            if time.monotonic() >= deadline:
                raise RenderBusy()
            time.sleep(_POLL_SECONDS)
            fd = _try_host_slot()
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
    finally:
        semaphore.release()
