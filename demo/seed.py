"""The demo steps in order (`manage.py seed_demo`). Each step is idempotent."""
from __future__ import annotations

from django.db import transaction

from demo.certificates import seed_certificates
from demo.figures import seed_figures
from demo.hierarchy import seed_hierarchy
from demo.notifications import seed_notifications
from demo.plans import seed_plans
from demo.reorganisation import seed_open_plan_2026, seed_reorganisation
from demo.report import seed_demo_report
from demo.seal import seed_seal_images
from demo.users import seed_users
from reports.plans.catalogue import catalogue_load


def seed_core_demo(*, reorganised: bool = False) -> tuple[dict, list[tuple[str, str, str]]]:
    """The core steps: catalogue, hierarchy, users, plans, seed 004's figures.

    With `reorganised` (what `seed_demo` makes), then the 01/7/2025 reorganisation of Lai Châu and the
    open 2026 plan 168-HD/BTGDVTU (demo/reorganisation.py). Without, the open 2026 plan is relayed by
    Tam Đường in a tree that was never reorganised: the world the older tests were written in.
    Returns (plans by reference, logins). Tests use it alone; `run_demo_seed` adds the later steps.
    """
    catalogue_load()
    seed_hierarchy()
    logins = seed_users()
    plans = seed_plans(reorganised=reorganised)
    seed_figures(plans)
    if reorganised:
        seed_reorganisation()
        plan = seed_open_plan_2026()
        plans[plan.reference] = plan
    return plans, logins


def run_demo_seed(stdout=None, *, reorganised: bool = False) -> list[tuple[str, str, str]]:
    """Every demo step: the core ones in one transaction, then the certificates and the dated demo report."""
    with transaction.atomic():
        _plans, logins = seed_core_demo(reorganised=reorganised)
    seed_certificates(stdout)
    seed_seal_images(stdout)  # before the dated report is issued: 164-BC/BTGHU carries the image
    seed_demo_report(stdout)  # seed 004's dated draft (Số 164)
    seed_notifications(stdout)  # the seeded history's notifications were read long ago
    return logins
