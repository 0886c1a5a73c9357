"""Hierarchy pages: the user's subtree with counts (today or as of a date), and one unit with its history;
the page of an invitation link where a new user sets its password (units/invitations.py)."""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from units import selectors
from units.access import password_set_through_link
from units.forms import AsOfForm, ThrottledPasswordChangeForm
from units.models import Unit
from units.transfer import export_rows, render


class UnitTreeView(LoginRequiredMixin, TemplateView):
    """The units of the user's subtree with counts; with `?ngay=` the tree as it stood that day."""

    template_name = "units/tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AsOfForm(self.request.GET or None)
        on = form.cleaned_data.get("ngay") if form.is_valid() else None
        context["form"] = form
        context["on"] = on
        if on:
            rows = selectors.units_as_of_rows_for_user(user=self.request.user, on=on)
        else:
            rows = selectors.unit_tree_rows(user=self.request.user)
        query = form.cleaned_data.get("q", "") if form.is_valid() else self.request.GET.get("q", "")[:100].strip()
        context["query"] = query
        context["total_count"] = len(rows)
        rows = selectors.filter_rows(rows, query)
        context["rows"] = rows
        context["unit_count"] = len(rows)
        return context


class UnitDetailView(LoginRequiredMixin, TemplateView):
    """One unit (in the user's subtree, else 404): subordinates, issuing bodies, staff and history."""

    template_name = "units/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = selectors.unit_get_for_user(user=self.request.user, code=kwargs["code"])
        versions, changes = selectors.unit_history(unit=unit)
        parent = unit.get_parent()
        predecessors = list(selectors.unit_predecessors(unit=unit))
        parts = list(unit.split_into.all()) if unit.dissolved_on and not unit.successor_id else []
        context.update(
            unit=unit,
            parent=parent,
            parent_visible=parent is not None and selectors.unit_visible(user=self.request.user, unit=parent),
            children=selectors.unit_children(unit=unit),
            versions=versions,
            changes=changes,
            predecessors=predecessors,
            split_parts=parts,
            linkable_ids=selectors.units_visible_ids(user=self.request.user,
                                                     units=[*predecessors, *parts, unit.successor]),
            issuing_bodies=unit.issuing_bodies.all(),
            staff=unit.staff.select_related("user"),
        )
        return context


class UnitExportView(LoginRequiredMixin, View):
    """The user's subtree as a file (the format of `export_units`, re-importable with `import_units`);
    with `?ngay=` the tree as it stood that day (as `export_units --date`)."""""

    CONTENT_TYPES = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
        "json": "application/json",
    }

    def get(self, request, fmt: str):
        if fmt not in self.CONTENT_TYPES:
            raise Http404
        try:
            root = selectors.unit_export_root_for_user(user=request.user)
        except Unit.DoesNotExist as exc:
            raise Http404 from exc
        form = AsOfForm(request.GET or None)
        on = form.cleaned_data.get("ngay") if form.is_valid() else None
        response = HttpResponse(render(export_rows(root=root, on=on), fmt), content_type=self.CONTENT_TYPES[fmt])
        name = f"don-vi-{root.code if root else 'tat-ca'}{'-' + on.isoformat() if on else ''}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Everyone changes their own password (recorded by units/access.py; other sessions end); the old password
    is checked like a login, so an open session cannot be used to guess it."""

    template_name = "registration/password_change.html"
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link of an invitation: the user chooses its password (Django's validators apply)."""

    template_name = "registration/password_set.html"
    success_url = reverse_lazy("password_set_done")

    def form_valid(self, form):
        with password_set_through_link(self.user):
            return super().form_valid(form)


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_set_done.html"
