"""Admin of the catalogue (sections, indicators: editable data) and of plans, scoped to the user's units."""
from __future__ import annotations

from django.contrib import admin

from reports.plans.models import Indicator, Plan, Section


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fk_name = "section"
    fields = ("code", "label", "kind", "rollup", "unit_label", "denominator", "order")
    extra = 0
    show_change_link = True


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "title")
    list_display_links = ("code", "title")
    search_fields = ("code", "title")
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "section", "kind", "rollup", "unit_label", "denominator")
    list_filter = ("section", "kind", "rollup")
    search_fields = ("code", "label")
    list_select_related = ("section", "denominator")
    autocomplete_fields = ("denominator",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "issuing_body", "issued_on", "deadline", "scope", "relays")
    list_filter = ("kind", "scope", "issuing_body")
    search_fields = ("reference", "title", "topic")
    date_hierarchy = "issued_on"
    list_select_related = ("issuing_body", "relays")
    filter_horizontal = ("sections",)
    raw_id_fields = ("relays",)

    def get_queryset(self, request):
        # Unit admins see the plans of their subtree (and above, read-only by permissions), like the pages.
        return super().get_queryset(request).restrict(request.user, "view")
