"""The demo data set (`manage.py seed_demo`). Each step is idempotent; later work appends steps."""
from __future__ import annotations

from collections.abc import Callable

# Extra steps registered by other apps (e.g. demo certificates), run after the core ones in order.
EXTRA_STEPS: list[tuple[str, str]] = [
    # ("label", "dotted.path.to.function")  — function(stdout) -> None
    ("certificates", "core.demo.certificates.seed_certificates"),
    ("demo report", "reports.documents.pdf.demo.seed_demo_report"),  # seed 004 dated draft (Số 164)
]


def run_demo_seed(stdout=None) -> list[tuple[str, str, str]]:
    from django.db import transaction
    from django.utils.module_loading import import_string

    from core.demo.figures import seed_figures
    from core.demo.hierarchy import seed_hierarchy
    from core.demo.plans import seed_plans
    from core.demo.users import seed_users
    from reports.plans.catalogue import catalogue_load

    with transaction.atomic():
        catalogue_load()
        seed_hierarchy()
        logins = seed_users()
        plans = seed_plans()
        seed_figures(plans)
    for _label, path in EXTRA_STEPS:
        step: Callable = import_string(path)
        step(stdout)
    return logins
