"""Admin of submissions: read-only (figures change only through the entry pages, the Excel import and
the services, which keep the audit), scoped to the user's subtree like the pages."""
from __future__ import annotations

from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin, ReadOnlyInline
from reports.submissions.models import Submission, SubmissionEvent, SubmissionRow, SubmissionValue, ValueChange


class ValueInline(ReadOnlyInline):
    model = SubmissionValue
    fields = ("indicator", "number", "text")
    readonly_fields = fields


class RowInline(ReadOnlyInline):
    model = SubmissionRow
    fields = ("indicator", "position", "data")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ("at", "action", "user", "on_behalf", "reason")
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("unit_name", "plan", "status", "first_submitted_at", "last_entered_by", "entered_on_behalf")
    list_filter = ("status", "entered_on_behalf", "plan")
    search_fields = ("unit_name", "unit__code", "plan__reference")
    list_select_related = ("plan", "last_entered_by")
    readonly_fields = [f.name for f in Submission._meta.fields]
    inlines = [ValueInline, RowInline, EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "submission", "indicator", "row_position", "old_value", "new_value", "user", "on_behalf",
                    "source")
    list_filter = ("on_behalf",)
    search_fields = ("submission__unit_name", "indicator__code", "source")
    list_select_related = ("submission__plan", "indicator", "user")
    readonly_fields = [f.name for f in ValueChange._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            submission__in=Submission.objects.restrict(request.user, "view"))
