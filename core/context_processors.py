"""Navigation by role, for the base layout."""
from __future__ import annotations

from core.scoping import get_staff, user_can


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_staff": None}
    return {
        "nav_staff": get_staff(user),
        "nav_can_enter": user_can(user, "enter"),
        "nav_can_review": user_can(user, "review"),
        "nav_can_approve": user_can(user, "approve"),
        "nav_can_admin": user.is_superuser or user_can(user, "admin"),
    }
