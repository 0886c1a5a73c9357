"""Logged-in pages and downloads are never cached (issue 14 item 10); the CSP comes from django-csp (item 11)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.plans.models import Plan

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def test_logged_in_pages_and_downloads_are_private_no_store(demo, client):
    client.force_login(get_user_model().objects.get(username="tam-duong.reviewer"))
    plan = Plan.objects.get(reference="120-CV/BTGHU")
    for url in (reverse("home"), reverse("plans:status", args=[plan.pk]),
                reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "xlsx"}),
                reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "csv"})):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _directives(response), (url, response.headers.get("Cache-Control"))
        assert "public" not in _directives(response)


def test_the_policy_comes_from_django_csp_and_can_be_report_only(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    code = ("import django; django.setup(); from django.test import Client; "
            "r = Client().get('/dang-nhap/'); print(sorted(h for h in r.headers if 'Security-Policy' in h))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "CSP_REPORT_ONLY": "1",
                               "PATH": "/usr/bin:/bin", "REQUEST_LOG": "0"})
    assert "['Content-Security-Policy-Report-Only']" in done.stdout, done.stderr[-1500:]
