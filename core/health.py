"""Health check for load balancers and monitoring: `GET /healthz/` → JSON, 200 when the database answers.

Public (no login) and cheap: one `SELECT 1`. It says nothing about the data, only whether this app server
can serve requests. Exempt from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT) so that a load balancer
may probe the app port over plain HTTP.
"""
from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("bars.health")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check: database unavailable", extra={"error": str(exc)})
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": "ok", "db_ms": round((time.perf_counter() - started) * 1000, 1)}
    )
