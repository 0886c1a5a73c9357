"""The bell's list, opening one notification, mail preferences. A user only ever sees their own."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from notifications import selectors, services
from notifications.forms import MailPreferencesForm


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = Paginator(selectors.notifications_for_user(user=self.request.user), 30).get_page(
            self.request.GET.get("trang"))
        ctx.update(page=page, notifications=page.object_list)
        return ctx


class NotificationOpenView(LoginRequiredMixin, View):
    """Marks the notification read and goes where it points (only the owner's: others are a 404)."""

    def get(self, request, pk: int):
        note = get_object_or_404(selectors.notifications_for_user(user=request.user), pk=pk)
        services.notification_mark_read(user=request.user, pk=note.pk)
        if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
            return redirect(note.url)
        return redirect("notifications:list")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        n = services.notification_mark_read(user=request.user)
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
        return redirect("notifications:list")


class MailPreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = MailPreferencesForm

    def get_initial(self):
        return {"kinds": sorted(selectors.mail_kinds_enabled(user=self.request.user))}

    def form_valid(self, form):
        services.mail_preferences_set(user=self.request.user, enabled_kinds=form.cleaned_data["kinds"])
        messages.success(self.request, _("Đã lưu lựa chọn nhận thư."))
        return redirect("notifications:preferences")
