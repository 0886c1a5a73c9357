"""The demo data set once per test module: the core demo steps inside one transaction that every
test's own transaction nests into, rolled back at the module's end (seeding takes seconds)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def module_demo(django_db_blocker, *extra_steps: Callable[[dict], object], reorganised: bool = False) -> Iterator[dict]:
    """Seed the core demo (then `extra_steps(plans)` in order), yield the plans by reference, roll back.

    With `reorganised`, the demo as `seed_demo` makes it: with the 01/7/2025 reorganisation and the open
    2026 plan 168-HD/BTGDVTU (without, the older world where Tam Đường relays the 2026 plan).
    """
    from demo.seed import seed_core_demo

    with django_db_blocker.unblock(), transaction.atomic():
        plans, _logins = seed_core_demo(reorganised=reorganised)
        for step in extra_steps:
            step(plans)
        yield plans
        transaction.set_rollback(True)
