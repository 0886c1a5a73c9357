"""Admin building blocks shared by the apps (kept out of `admin.py` so autodiscovery registers nothing here)."""
from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Records written only by the services (audit, register, history): the admin may read, never write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only table of related records under an object's admin page."""

    extra = 0
    can_delete = False
    show_change_link = False
