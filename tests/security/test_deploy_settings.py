"""Production settings: `check --deploy` clean, secrets only from the environment, DEBUG off unless set.

Each case runs manage.py in a subprocess with a production-like environment, as a deployment would.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # A clean environment as on a server: nothing inherited from the test run (pytest-django's settings
    # module, the browser fixtures' DJANGO_ALLOW_ASYNC_UNSAFE, a developer's DEBUG=1 ...).
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PRODUCTION="1",
        DEBUG="False",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    for key in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "AXES_ENABLED"):
        env.pop(key, None)
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _settings(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = _production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_set_and_production_is_hardened(tmp_path):
    env = _production_env(tmp_path)
    env.pop("DEBUG")
    values = _settings(
        env,
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SESSION_COOKIE_AGE",
        "AXES_ENABLED",
        "AXES_FAILURE_LIMIT",
        "LOGIN_USER_FAILURES",
        "LOGIN_ADDRESS_FAILURES",
        "AXES_COOLOFF_MINUTES",
        "AUTH_PASSWORD_VALIDATORS",
        "AUTHENTICATION_BACKENDS",
        "MIDDLEWARE",
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert values["AXES_ENABLED"] is True
    assert values["AXES_FAILURE_LIMIT"] == "core.login_throttle.failure_limit"
    assert (values["LOGIN_USER_FAILURES"], values["LOGIN_ADDRESS_FAILURES"], values["AXES_COOLOFF_MINUTES"]) == (
        5, 20, 30)
    assert len(values["AUTH_PASSWORD_VALIDATORS"]) >= 4
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert values["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert "csp.middleware.CSPMiddleware" in values["MIDDLEWARE"]
    assert "core.middleware.PrivateCacheMiddleware" in values["MIDDLEWARE"]


def test_local_http_serving_switches(tmp_path):
    """`make serve` runs production settings on plain HTTP: the two switches turn redirect and secure cookies off."""
    env = _production_env(tmp_path, SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0")
    values = _settings(env, "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS")
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_no_secret_literal_in_settings():
    """Secrets come from the environment: settings.py reads them with os.environ and holds no credentials."""
    text = (ROOT / "config" / "settings.py").read_text()
    assert 'os.environ.get("SECRET_KEY"' in text and 'os.environ.get(\n        "DATABASE_URL"' not in text
    assert 'os.environ.get("DATABASE_URL"' in text
    assert not re.search(r"\w+://[^/\s:@\"']+:[^@\s\"']+@", text), "a URL with credentials in settings.py"
