"""Hierarchy pages: the user's subtree with counts, and one unit with its history."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from units import selectors


class UnitTreeView(LoginRequiredMixin, TemplateView):
    template_name = "units/tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units = list(selectors.unit_tree_for_user(user=self.request.user))
        base_depth = min((u.depth for u in units), default=1)
        for unit in units:
            unit.indent = unit.depth - base_depth
        context["units"] = units
        context["unit_count"] = len(units)
        return context


class UnitDetailView(LoginRequiredMixin, TemplateView):
    template_name = "units/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = selectors.unit_get_for_user(user=self.request.user, code=kwargs["code"])
        context["unit"] = unit
        context["children"] = unit.get_children().select_related("kind")
        context["versions"] = unit.versions.select_related("parent", "kind")
        context["changes"] = unit.changes.all()
        context["issuing_bodies"] = unit.issuing_bodies.all()
        return context
