"""The bell in the navigation bar: how many notifications the user has not read."""
from __future__ import annotations

from notifications.selectors import unread_count


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell_unread": unread_count(user=user)}
