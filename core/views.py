"""Shared base views: every object view looks its object up in a queryset already restricted to the user."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView, TemplateView

from core.home import home_panels


class RestrictedQuerysetMixin(LoginRequiredMixin):
    """Narrows `queryset` with `restrict(user, action)`: anything outside the subtree is a 404."""

    action = "view"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.action)


class RestrictedListView(RestrictedQuerysetMixin, ListView):
    paginate_by = 100


class RestrictedDetailView(RestrictedQuerysetMixin, DetailView):
    pass


class HomeView(LoginRequiredMixin, TemplateView):
    """The start page: what needs the user now, by role (filled in by the domain apps' selectors)."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)

        context["panels"] = home_panels(self.request.user)
        return context
