"""Structured logs: one JSON object per line on stdout, each carrying the id of the request it belongs to.

`RequestLogMiddleware` (core/middleware.py) sets the request id in a context variable for the duration of a
request; `RequestIdFilter` copies it onto every log record, and `JsonFormatter` writes the record and any
`extra={...}` fields as JSON. The request log line itself has the fields
`request_id, method, path, status, duration_ms, user` (see `core.middleware`).

Used by `LOGGING` in config/settings.py and by gunicorn (`logconfig_dict` in config/gunicorn.conf.py).
"""
from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging

# The id of the request being handled by this thread / task ("-" outside a request).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
) | {"message", "asctime", "request_id", "taskName"}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (from the context variable) to every record that does not carry one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as a single JSON line: time (UTC, ISO 8601), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRS or key.startswith("_") or key in payload:
                continue
            payload[key] = _jsonable(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    # Django passes the request and the socket as extras of django.request / django.server records.
    return str(value)
