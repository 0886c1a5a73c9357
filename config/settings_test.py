"""Settings for the test suite: the base settings with fast hashing and no HTTPS redirect."""
import os
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests log in with client.login() and deliberately wrong passwords; the lockout has its own tests
# (tests/security/test_axes.py) that switch it on with override_settings.
AXES_ENABLED = False
# One JSON line per request is noise in test output; tests/security/test_logging.py switches it on.
REQUEST_LOG = False
# PDF render slots are per host; test processes of several developers must not wait for each other.
PDF_RENDER_LOCK_DIR = os.path.join(tempfile.gettempdir(), f"bars-pdf-slots-{os.getpid()}")
# The demo SoftHSM2 token of one test run: its own directory, shared by the xdist workers of the run (and the
# commands they start, which inherit the run id) but never by another run on the same machine, whose token
# of the same label would make every lookup ambiguous. tests/conftest.py removes it when the run ends.
TEST_RUN_ID = os.environ.setdefault("BARS_TEST_RUN_ID", os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid()))
DEMO_TOKEN_DIR = Path(tempfile.gettempdir()) / f"bars-softhsm-tests-{os.getuid()}-{TEST_RUN_ID}"
