"""Admin of consolidated reports: read-mostly (figures and text change through the report pages)."""
from django.contrib import admin

from reports.documents.models import Report, ReportChange


class ReportChangeInline(admin.TabularInline):
    model = ReportChange
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "details", "user", "at")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("unit", "plan", "number", "status", "as_of")
    list_filter = ("status",)
    search_fields = ("unit__name", "plan__reference", "summary")
    readonly_fields = ("snapshot", "as_of", "blocks", "version", "created_by", "updated_by", "signed_at",
                       "number", "issued_on", "status")
    inlines = [ReportChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view").select_related("unit", "plan")
