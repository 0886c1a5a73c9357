"""Content Security Policy, health check, structured request logs, PDF render slots."""
from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from core.logging import JsonFormatter, RequestIdFilter
from core.render_limit import RenderBusy, render_slot

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_csp_forbids_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_templates_have_no_inline_scripts():
    """Every <script> in our templates loads a file: inline code and on* handlers would be blocked by the CSP."""
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html"),
                 *ROOT.glob("reports/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text, flags=re.I):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        for match in re.finditer(r"\son(click|change|submit|load|input|keyup|keydown)\s*=", text, flags=re.I):
            offenders.append(f"{path.relative_to(ROOT)}: on{match.group(1)}= handler")
        if re.search(r"href\s*=\s*[\"']javascript:", text, flags=re.I):
            offenders.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
def test_healthz_answers_json_without_login(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"
    assert "no-cache" in response.headers["Cache-Control"]
    assert client.post("/healthz/").status_code == 405


@pytest.mark.django_db
def test_healthz_is_exempt_from_https_redirect(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz/").status_code == 200
        assert client.get(reverse("login")).status_code == 301


@pytest.mark.django_db
def test_request_log_is_one_json_line_with_request_id_user_status_duration(client, django_user_model):
    user = django_user_model.objects.create_user("nhat-ky", password="x-x-x-x-x-x")
    client.force_login(user)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("bars.request")
    logger.addHandler(handler)
    try:
        with override_settings(REQUEST_LOG=True):
            response = client.get(reverse("home"), HTTP_X_REQUEST_ID="lb-1234567890")
    finally:
        logger.removeHandler(handler)
    assert response.headers["X-Request-ID"] == "lb-1234567890"
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["logger"] == "bars.request"
    assert entry["request_id"] == "lb-1234567890"
    assert entry["user"] == "nhat-ky"
    assert entry["path"] == "/" and entry["method"] == "GET" and entry["status"] == response.status_code
    assert isinstance(entry["duration_ms"], float)
    assert entry["level"] == "INFO" and entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_django_error_logs_carry_the_request_id(client):
    """Django logs 4xx/5xx after the middleware chain: that line must still name the request."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/khong-co-trang-nay/", HTTP_X_REQUEST_ID="lb-404-request")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["request_id"] == "lb-404-request" and entry["status_code"] == 404
    from core.logging import request_id_var

    assert request_id_var.get() == "-"  # cleared once the response was closed


@pytest.mark.django_db
def test_request_id_is_generated_when_missing_or_malformed(client):
    first = client.get("/healthz/", HTTP_X_REQUEST_ID="bad id with spaces").headers["X-Request-ID"]
    second = client.get("/healthz/").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second) and first != second


def test_json_formatter_keeps_extras_and_exceptions():
    record = logging.LogRecord("bars.test", logging.ERROR, __file__, 1, "hỏng %s", ("PDF",), None)
    record.plan = "120-CV/BTGHU"
    try:
        raise ValueError("x")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "hỏng PDF" and entry["plan"] == "120-CV/BTGHU"
    assert entry["request_id"] == "-" and "ValueError" in entry["exception"]


def test_settings_log_json_to_stdout():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["stream"] == "ext://sys.stdout"
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == "core.logging.JsonFormatter"


def test_render_slot_limits_concurrency_and_gives_up_with_render_busy(tmp_path):
    running, peak = 0, 0
    guard = threading.Lock()

    def render():
        nonlocal running, peak
        with render_slot(wait=10):
            with guard:
                running += 1
                peak = max(peak, running)
            time.sleep(0.05)
            with guard:
                running -= 1

    with override_settings(PDF_RENDER_LOCK_DIR=str(tmp_path), PDF_RENDER_SLOTS=1):
        threads = [threading.Thread(target=render) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert peak == 1
        with render_slot():
            failed = []

            def impatient():
                try:
                    with render_slot(wait=0.1):
                        pass
                except RenderBusy:
                    failed.append(True)

            thread = threading.Thread(target=impatient)
            thread.start()
            thread.join()
            assert failed == [True]


@pytest.mark.django_db
def test_render_busy_becomes_a_vietnamese_503(rf):
    from core.middleware import RequestLogMiddleware

    middleware = RequestLogMiddleware(lambda request: None)
    request = rf.get("/bao-cao/1/pdf/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = middleware.process_exception(request, RenderBusy(retry_after=7))
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"
    assert "Hệ thống đang bận" in response.content.decode()
