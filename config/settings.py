"""Settings, read from the environment.

Every value that differs between a developer's machine and production comes from an environment
variable; the defaults are those of the demo (SQLite file, DEBUG on only when asked for).
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# PRODUCTION=1 marks a real deployment: SECRET_KEY is then required and demo-only commands
# (seed_demo, demo certificates) refuse to run.
PRODUCTION = env_bool("PRODUCTION", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
    # Flagged by `check --deploy` on purpose: only for the demo and the tests.
    SECRET_KEY = "django-insecure-demo-key-not-for-production"
elif 32 <= len(SECRET_KEY) < 50:
    # A random secret of 32+ characters is strong enough but shorter than Django's 50-character
    # heuristic; stretch it deterministically (same input, same key) rather than reject it.
    import hashlib

    SECRET_KEY = "k1:" + hashlib.sha512(b"party-reports-secret-key:" + SECRET_KEY.encode()).hexdigest()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "axes",
    "csp",
    "core",
    "units",
    "reports.plans",
    "reports.submissions",
    "reports.documents",
    "reports.workbooks",
    "reports.signing",
    "demo",
    "notifications",
]

MIDDLEWARE = [
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp: Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # who is acting, for the records of role and password changes (units/access.py)
    "units.access.ActorMiddleware",
    # Pages and downloads of a logged-in session: Cache-Control private, no-store.
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves concurrent web requests (gunicorn threads, several workers):
    # - every transaction takes the write lock when it BEGINs (IMMEDIATE): two saves queue one behind
    #   the other instead of both reading, then one failing with "database is locked" when both try to
    #   upgrade their read lock (SQLite cannot wait there: it would deadlock);
    # - a writer waits up to SQLITE_BUSY_TIMEOUT seconds for the lock ("timeout", SQLite's busy timeout);
    # - WAL: readers never wait for a writer, and a commit costs one fsync (synchronous=NORMAL is safe in WAL).
    # The loser of a race then sees the winner's commit and gets the optimistic-lock conflict, as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese only, with the machinery ready. The source strings are the Vietnamese text itself, so the
# application's own strings need no catalogue (Django's own strings come from its "vi" catalogue).
# `locale/vi` holds only the few Django admin plurals that Django's "vi" catalogue lacks. Every
# user-facing string stays wrapped (gettext, {% translate %}) so that another language can be added
# later: `manage.py makemessages -l <lang>` into `locale/`, then the language in LANGUAGES.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", PRODUCTION)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security defaults; production hardening tightens them further (see README).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The load balancer probes /healthz/ over plain HTTP on the app port.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# Login throttling (django-axes records the failures; core/login_throttle.py decides): a user name is
# held back after 5 failures from any address, an address after 20 failures for any user names; the
# delay starts at 1 minute and doubles with every further failure up to 30 minutes; failures are
# forgotten after 24 quiet hours, and a user's successful login forgets that user name's failures.
# AXES_ENABLED=0 switches it off (the tests do, see config/settings_test.py).
# Behind a reverse proxy: TRUSTED_PROXIES lists its addresses (or networks); X-Forwarded-For is read only
# on requests coming from them (see docs/operations.md, "Behind the reverse proxy").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
LOGIN_USER_FAILURES = int(os.environ.get("LOGIN_USER_FAILURES", os.environ.get("AXES_FAILURE_LIMIT", "5")))
LOGIN_ADDRESS_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FAILURES", "20"))
LOGIN_DELAY_MINUTES = int(os.environ.get("LOGIN_DELAY_MINUTES", "1"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))  # the longest delay
LOGIN_FORGET_HOURS = int(os.environ.get("LOGIN_FORGET_HOURS", "24"))
AXES_FAILURE_LIMIT = "core.login_throttle.failure_limit"
AXES_COOLOFF_TIME = LOGIN_FORGET_HOURS  # hours: axes deletes attempts older than this
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # counted separately
AXES_RESET_ON_SUCCESS = False  # core.login_throttle.forget_user_failures instead (user name only)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused try while held back is not a new failure
# The page shown while held back (HTTP 429, templates/registration/lockout.html), in Vietnamese.
AXES_LOCKOUT_CALLABLE = "core.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.login_throttle.client_ip"
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Content Security Policy (django-csp, csp.middleware.CSPMiddleware): scripts only from our own static
# files, never inline, no eval; styles from our files plus style="" attributes (templates use them for
# widths and indentation); never framed by another site (a view that must be framed by our own pages
# adds `@csp_update({"frame-ancestors": [SELF]})` with `xframe_options_sameorigin`).
# CSP_REPORT_ONLY=1 (environment) sends the same policy as Content-Security-Policy-Report-Only instead.
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
# Browser features the application never uses, switched off (django-permissions-policy).
PERMISSIONS_POLICY = {"camera": [], "microphone": [], "geolocation": [], "payment": [], "usb": []}

# PDF renders running at once (core/render_limit.py): per gunicorn worker process and per host.
PDF_RENDER_SLOTS_PER_PROCESS = int(os.environ.get("PDF_RENDER_SLOTS_PER_PROCESS", "1"))
PDF_RENDER_SLOTS = int(os.environ.get("PDF_RENDER_SLOTS", "0"))  # 0: half the CPUs, at least 1
PDF_RENDER_WAIT = float(os.environ.get("PDF_RENDER_WAIT", "30"))
PDF_RENDER_LOCK_DIR = os.environ.get("PDF_RENDER_LOCK_DIR", str(BASE_DIR / "var" / "run"))

# Structured logs: JSON lines on stdout with the request id (core/logging.py); one line per request from
# core.middleware.RequestLogMiddleware (logger "bars.request", REQUEST_LOG=0 silences it).
# LOG_FORMAT=text gives plain lines for a developer's terminal.
REQUEST_LOG = env_bool("REQUEST_LOG", True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "text" if os.environ.get("LOG_FORMAT", "json") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "bars.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Application settings.
# Document register: numbers restart every calendar year ("year") or every term ("term").
REGISTER_RESET = os.environ.get("REGISTER_RESET", "year")
# Largest Excel upload accepted, in bytes.
WORKBOOK_MAX_BYTES = int(os.environ.get("WORKBOOK_MAX_BYTES", str(5 * 1024 * 1024)))
# What an upload may really inflate to (all its parts together), and the rows and cells read per sheet
# (reports/workbooks/reader.py): beyond them the file is refused with a message, memory stays bounded.
WORKBOOK_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("WORKBOOK_MAX_UNCOMPRESSED_BYTES", str(40 * WORKBOOK_MAX_BYTES)))
WORKBOOK_MAX_ROWS = int(os.environ.get("WORKBOOK_MAX_ROWS", "20000"))
WORKBOOK_MAX_COLUMNS = int(os.environ.get("WORKBOOK_MAX_COLUMNS", "200"))
# Optional RFC 3161 timestamp server for signatures; off when empty.
SIGNING_TIMESTAMP_URL = os.environ.get("SIGNING_TIMESTAMP_URL", "")

# Notifications (notifications/, `manage.py send_reminders` from cron every few minutes).
# Mail: the console back end in the demo (messages printed by send_reminders), SMTP from the environment
# in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION or os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hệ thống báo cáo tuyên giáo <khong-tra-loi@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in mails point here (no request to read the host from when cron sends).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Reminders: a "deadline coming" reminder this many days before the deadline (each threshold once);
# "overdue" for deadlines passed within NOTIFY_OVERDUE_WITHIN_DAYS; reviewers are reminded of a
# submission waiting NOTIFY_REVIEW_AFTER_DAYS days for them.
NOTIFY_DEADLINE_DAYS_BEFORE = [int(d) for d in env_list("NOTIFY_DEADLINE_DAYS_BEFORE", "7,3,1")]
NOTIFY_OVERDUE_WITHIN_DAYS = int(os.environ.get("NOTIFY_OVERDUE_WITHIN_DAYS", "30"))
NOTIFY_REVIEW_AFTER_DAYS = int(os.environ.get("NOTIFY_REVIEW_AFTER_DAYS", "3"))
# Mail outbox: a claim older than this is a run that died (released); refused messages retried this often;
# notifications older than this many days are not mailed (they stay in the application).
NOTIFY_MAIL_CLAIM_MINUTES = int(os.environ.get("NOTIFY_MAIL_CLAIM_MINUTES", "15"))
NOTIFY_MAIL_ATTEMPTS = int(os.environ.get("NOTIFY_MAIL_ATTEMPTS", "5"))
NOTIFY_MAIL_MAX_AGE_DAYS = int(os.environ.get("NOTIFY_MAIL_MAX_AGE_DAYS", "3"))

# Signing (docs/signing.md). Personal keys never reach the server: leaders and văn thư sign on their
# own token through the agent (agent/) or any PDF signing program, and upload.
# One-time links handed to the agent (or for download → sign elsewhere → upload) expire after these minutes.
SIGNING_LINK_MINUTES = int(os.environ.get("SIGNING_LINK_MINUTES", "10"))
# Signing and issuing ask for the password again when the last login is older than this (seconds).
SIGNING_REAUTH_SECONDS = int(os.environ.get("SIGNING_REAUTH_SECONDS", "300"))
# Where the organisation's key (the seal) is: "hsm" (server-side hardware security module through
# PKCS#11, SIGNING_HSM_*) or "token" (the văn thư's own token, through the agent or an upload).
SIGNING_ORGANISATION_KEY = os.environ.get("SIGNING_ORGANISATION_KEY", "hsm")
# The demo token directory (SoftHSM2, its own softhsm2.conf; never /etc) made by seed_demo.
DEMO_TOKEN_DIR = Path(os.environ.get("DEMO_TOKEN_DIR", str(BASE_DIR / "var" / "softhsm")))
DEMO_TOKEN_LABEL = "DEMO-BTG"
DEMO_TOKEN_PIN = "123456"  # demo only, documented in docs/signing.md
# PKCS#11 module of the HSM holding the seals; empty: the demo SoftHSM2 token above.
SIGNING_HSM_MODULE = os.environ.get("SIGNING_HSM_MODULE", "")
SIGNING_HSM_TOKEN_LABEL = os.environ.get("SIGNING_HSM_TOKEN_LABEL", DEMO_TOKEN_LABEL)
# The HSM user PIN is read from this environment variable at each issuance (never stored).
SIGNING_HSM_PIN_ENV = os.environ.get("SIGNING_HSM_PIN_ENV", "SIGNING_HSM_PIN")
