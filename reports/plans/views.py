"""Pages of reports.plans (placeholder list until the domain work lands)."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class ListPage(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"
