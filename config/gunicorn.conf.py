"""gunicorn settings for production (`make serve` uses them too): `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Sizing (docs/scaling.md): gthread workers, one process per CPU plus one, a few threads each. Page requests
are short and mostly wait on PostgreSQL, so threads keep the CPUs busy; PDF renders are CPU-bound and
limited by core.render_limit.render_slot() to PDF_RENDER_SLOTS on the host (half the CPUs), so at
least half the CPUs always serve pages. Every value can be overridden from the environment.
"""
from __future__ import annotations

import os

cpus = os.cpu_count() or 2

bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", str(cpus + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A PDF render may wait up to PDF_RENDER_WAIT (30 s) for a slot, then render for a few seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "90"))
graceful_timeout = 30
# Idle keep-alive connections wait in the gthread poller, not in a thread. Longer than the clients' pauses
# (and than a proxy's upstream keep-alive) so that a reused connection is never closed under a request.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "30"))
# Worker recycling is off by default: a recycled gthread worker drops its idle keep-alive connections,
# and a client that reuses one at that moment gets "connection reset" (the load test saw 9 such errors
# in 7.533 requests with max_requests=2000). Workers stay near 120 MB after thousands of requests, PDFs
# included (bench/README.md, load test). GUNICORN_MAX_REQUESTS=N turns recycling on to bound a leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Behind a reverse proxy on another host, list its address so X-Forwarded-Proto is trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "bars"

# The application logs one JSON line per request itself (core.middleware.RequestLogMiddleware) with the
# request id and user, so gunicorn's access log is off; its own messages are JSON lines as well.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
