"""The demo data set (`manage.py seed_demo`). Each step is idempotent; later work appends steps."""
from __future__ import annotations

from collections.abc import Callable

# Extra steps registered by other apps (e.g. demo certificates), run after the core ones in order.
EXTRA_STEPS: list[tuple[str, str]] = [
    # ("label", "dotted.path.to.function")  — function(stdout) -> None
    ("certificates", "core.demo.certificates.seed_certificates"),
    ("demo report", "reports.documents.pdf.demo.seed_demo_report"),  # seed 004 dated draft (Số 164)
]


def seed_core_demo() -> tuple[dict, list[tuple[str, str, str]]]:
    """The core steps: catalogue, hierarchy, users, plans, seed 004's figures.

    Returns (plans by reference, logins). Tests use it alone; `seed_demo` adds EXTRA_STEPS.
    """
    from core.demo.figures import seed_figures
    from core.demo.hierarchy import seed_hierarchy
    from core.demo.plans import seed_plans
    from core.demo.users import seed_users
    from reports.plans.catalogue import catalogue_load

    catalogue_load()
    seed_hierarchy()
    logins = seed_users()
    plans = seed_plans()
    seed_figures(plans)
    return plans, logins


def run_demo_seed(stdout=None) -> list[tuple[str, str, str]]:
    from django.db import transaction
    from django.utils.module_loading import import_string

    with transaction.atomic():
        _plans, logins = seed_core_demo()
    for _label, path in EXTRA_STEPS:
        step: Callable = import_string(path)
        step(stdout)
    return logins
