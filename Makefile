# Everyday commands. `make demo` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
PYTHON := .venv/bin/python
# pytest-xdist workers for `make test` (0 runs everything in one process);
# extra pytest arguments go in PYTEST_ARGS, e.g. make test PYTEST_ARGS="-m 'not browser' -x".
WORKERS ?= 2
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup demo test lint vendor
.PHONY: serve

help:
	@echo "make setup   install Debian packages and .venv (only what is missing)"
	@echo "make demo    migrate, load the demo data and serve on http://$(HOST):$(PORT)/"
	@echo "make serve   production stack: local PostgreSQL, gunicorn, whitenoise on http://$(HOST):$(PORT)/"
	@echo "make test    the whole test suite, browser tests included"
	@echo "make lint    ruff check . and lint-imports (the layers contract)"
	@echo "make vendor  re-download static/vendor and static/fonts (pinned versions)"

setup:
	@scripts/setup.sh

demo: setup
	DEBUG=1 $(PYTHON) manage.py migrate --no-input
	DEBUG=1 $(PYTHON) manage.py seed_demo
	@echo "Serving the demo on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	DEBUG=1 $(PYTHON) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PYTHON) -m pytest -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/lint-imports

vendor:
	@scripts/vendor.sh

# Production stack on this machine: PostgreSQL in var/pg, migrate, collectstatic, demo data, gunicorn.
serve: setup
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh
