"""Who may see and do what: every queryset is narrowed to the user's unit subtree here.

A user works in one unit; the unit's subtree (itself and everything below it in the current tree)
is what they may see. Roles narrow what they may do there. Views never filter by hand: they call
`Model.objects.restrict(user, action)` and answer 404 for anything outside.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q

# Action -> the Staff flags that grant it (any of them). "view" needs no role, only a unit.
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "view": (),
    "enter": ("is_entry", "is_reviewer"),
    "review": ("is_reviewer",),
    "approve": ("is_leader",),
    "sign": ("is_leader",),
    "admin": ("is_unit_admin",),
}
# Actions that apply only to the user's own unit, never to units below it.
OWN_UNIT_ACTIONS = {"approve", "sign"}

NOTHING = Q(pk__in=[])


def get_staff(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "staff", None) if hasattr(user, "staff") else None


def user_can(user, action: str) -> bool:
    """Whether the user holds a role that allows `action` somewhere (superusers always)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    staff = get_staff(user)
    if staff is None:
        return False
    roles = ACTION_ROLES.get(action)
    if roles is None:
        raise ValueError(f"unknown action {action!r}")
    return not roles or any(getattr(staff, flag) for flag in roles)


def unit_scope_q(user, action: str = "view", prefix: str = "unit__") -> Q:
    """A Q object restricting rows whose unit (reached through `prefix`) the user may act on."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    if not user_can(user, action):
        return NOTHING
    staff = get_staff(user)
    if action in OWN_UNIT_ACTIONS:
        return Q(**{f"{prefix}pk": staff.unit_id})
    return Q(**{f"{prefix}path__startswith": staff.unit.path})


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with `restrict(user, action)`; subclasses name the path to their unit."""

    unit_prefix = "unit__"

    def restrict(self, user, action: str = "view"):
        return self.filter(unit_scope_q(user, action, prefix=self.unit_prefix))
