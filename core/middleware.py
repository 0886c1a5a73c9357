"""Cross-cutting HTTP middleware: request ids and structured request logs, private caching, login lockout.

Order in settings.MIDDLEWARE: `RequestLogMiddleware` first (it times everything, including the
security redirect); `PrivateCacheMiddleware` after authentication. The Content Security Policy is
django-csp's middleware (settings.CONTENT_SECURITY_POLICY).
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.signals import request_finished
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import empty

from core.logging import request_id_var
from core.render_limit import RenderBusy

request_logger = logging.getLogger("bars.request")

# An incoming X-Request-ID (from the load balancer) is kept only if it looks like an id.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _user_label(request: HttpRequest) -> str:
    """The username if authentication already ran for this request (never triggers a query itself)."""
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return "-"
    if not getattr(wrapped, "is_authenticated", False):
        return "anonymous"
    return wrapped.get_username()


class RequestLogMiddleware:
    """Gives each request an id (header X-Request-ID in and out) and logs one JSON line when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset when this middleware returns: Django logs 4xx/5xx responses ("django.request") after the
        # middleware chain; the id is cleared when the response is closed (request_finished, below).
        request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response.headers["X-Request-ID"] = request_id
            return response
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            if getattr(settings, "REQUEST_LOG", True):
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": duration_ms,
                        "user": _user_label(request),
                    },
                )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Busy, not broken: 503 with a Vietnamese page and Retry-After.

        A PDF render that found no free slot in time; a write on the embedded SQLite that waited the
        whole busy timeout for the lock (the transaction was rolled back: nothing was saved).
        """
        if isinstance(exception, RenderBusy):
            body = render_to_string("core/render_busy.html", request=request)
            response = HttpResponse(body, status=503)
            response.headers["Retry-After"] = str(exception.retry_after)
            return response
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            request_logger.warning("database busy: %s %s", request.method, request.path)
            body = render_to_string("core/database_busy.html", request=request)
            response = HttpResponse(body, status=503)
            response.headers["Retry-After"] = "5"
            return response
        return None


def _clear_request_id(**_kwargs) -> None:
    request_id_var.set("-")


request_finished.connect(_clear_request_id, dispatch_uid="core.middleware.clear_request_id")


class PrivateCacheMiddleware:
    """Responses to a logged-in session are never stored by a browser's or a proxy's cache.

    Every page, JSON answer, PDF and Excel download of a logged-in user holds data of the units in that
    user's scope: `Cache-Control: private, no-store` (with Django's never-cache set: max-age=0, no-cache,
    must-revalidate, Expires in the past), so the back button after logging out, a shared computer or a
    caching proxy never shows them again. Static files are served by WhiteNoise before this and keep
    their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        logged_in = (session is not None and session.get(SESSION_KEY)) or (
            user is not None and getattr(user, "is_authenticated", False))
        if logged_in:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
