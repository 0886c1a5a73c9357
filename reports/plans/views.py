"""Pages that write plans: issuing a plan and relaying one (reviewers only).

The pages that follow a plan's answers (list, detail, status board, my requests) belong to the submissions
app (`reports.submissions.plan_pages`), which sits above plans; `config/urls.py` puts both under `plans:`.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.scoping import user_can
from reports.plans import selectors, services
from reports.plans.forms import PlanForm, RelayForm


class _PlanWriteMixin(LoginRequiredMixin):
    """Issuing and relaying are for reviewers; others get a 404 like anything outside their scope."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_can(request.user, "review"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["bodies"] = selectors.issuing_bodies_for_user(user=self.request.user)
        return kwargs

    def _apply_errors(self, form, error: ValidationError):
        if hasattr(error, "error_dict"):
            for name, errs in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errs)
        else:
            form.add_error(None, error)
        return self.form_invalid(form)


class PlanCreateView(_PlanWriteMixin, FormView):
    template_name = "plans/form.html"
    form_class = PlanForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Ban hành kế hoạch, công văn, hướng dẫn"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                user=self.request.user, body=data["body"], kind=data["kind"], number=data["number"],
                issued_on=data["issued_on"], title=data["title"], period_start=data["period_start"],
                period_end=data["period_end"], deadline=data["deadline"], sections=data["sections"],
                topic=data["topic"], documents_to_study=data["documents_to_study"], scope=data["scope"],
                include_own=data["include_own"],
            )
        except ValidationError as error:
            return self._apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ban hành %(plan)s.") % {"plan": str(plan)})
        return redirect(plan)


class PlanRelayView(_PlanWriteMixin, FormView):
    template_name = "plans/form.html"
    form_class = RelayForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = selectors.plan_detail_for_user(user=request.user, pk=kwargs["pk"])
            if not selectors.plans_relayable_by(user=request.user, plan=self.plan):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"title": self.plan.title, "deadline": self.plan.deadline}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Triển khai %(plan)s") % {"plan": str(self.plan)}, parent_plan=self.plan, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plan = services.plan_relay(
                plan=self.plan, body=data["body"], number=data["number"], issued_on=data["issued_on"],
                deadline=data["deadline"], user=self.request.user, kind=data["kind"], title=data["title"],
                scope=data["scope"], include_own=data["include_own"],
            )
        except ValidationError as error:
            return self._apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã triển khai %(parent)s bằng %(plan)s.")
                         % {"parent": str(self.plan), "plan": str(plan)})
        return redirect(plan)
