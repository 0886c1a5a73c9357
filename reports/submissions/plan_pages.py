"""Pages that follow a plan's answers: the plan list (with counts), a plan's page (with the user's own
request), the status board (with export) and "my open requests".

They show submissions, so they live here, above the plans app; issuing and relaying stay in
`reports.plans.views`. `config/urls.py` mounts both under the `plans:` namespace (`/ke-hoach/`).
Apps above this one add to a plan's page through `plan_page_extra_register` (the documents app: the
dashboard and the consolidated report), so nothing here imports upward.

Views are thin: lookups go through the selectors (scoped with `restrict`, 404 outside the user's
scope), writes through the services.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.scoping import get_staff
from reports.plans import selectors
from reports.plans.models import Plan
from reports.submissions import exports, notices, services
from reports.submissions import selectors as submission_selectors
from reports.submissions.forms import BoardFilterForm

# extra(user, plan) -> a dict added to the plan page's context (empty when it does not apply to the user).
PlanPageExtra = Callable[[Any, Plan], dict]
_plan_page_extras: list[PlanPageExtra] = []


def plan_page_extra_register(extra: PlanPageExtra) -> PlanPageExtra:
    """Add to every plan's page what `extra(user, plan)` returns (called by an app above, at start-up)."""
    if extra not in _plan_page_extras:
        _plan_page_extras.append(extra)
    return extra


def submission_url(pk: int | None) -> str:
    """Link to a unit's submission (the data-entry app's page), "" when there is none."""
    if pk is None:
        return ""
    return reverse("submissions:detail", kwargs={"pk": pk})


def submission_start_url(plan_pk: int, unit_code: str) -> str:
    """Link to start a unit's submission (its own staff, or a reviewer entering on its behalf)."""
    return reverse("submissions:start", kwargs={"plan": plan_pk, "unit": unit_code})


def request_url(plan_pk: int, unit_code: str, submission_pk: int | None) -> str:
    return submission_url(submission_pk) if submission_pk else submission_start_url(plan_pk, unit_code)


class PlanListView(LoginRequiredMixin, TemplateView):
    template_name = "plans/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plans = list(selectors.plan_list_for_user(user=user))
        reviewable = set(selectors.plans_on_board(user=user).values_list("pk", flat=True))
        counts = submission_selectors.submission_counts_by_plan(plans)
        for plan in plans:
            plan.can_review = plan.pk in reviewable
            by_status = counts.get(plan.pk, {})
            plan.reported_count = sum(by_status.get(s, 0) for s in submission_selectors.REPORTED_STATUSES)
        context.update(plans=plans, can_create=selectors.issuing_bodies_for_user(user=user).exists())
        return context


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plan = selectors.plan_detail_for_user(user=user, pk=self.kwargs["pk"])
        context.update(
            plan=plan,
            documents=[line for line in plan.documents_to_study.splitlines() if line.strip()],
            can_review=selectors.plans_on_board(user=user).filter(pk=plan.pk).exists(),
            can_relay=selectors.plans_relayable_by(user=user, plan=plan)
            and not any(p.issuing_body.unit_id == get_staff(user).unit_id for p in plan.visible_relays),
            assigned_count=selectors.plan_assigned_units(plan).count(),
        )
        own = submission_selectors.own_request_for_plan(user=user, plan=plan)
        if own is not None:
            own.url = request_url(plan.pk, own.unit.code, own.submission.pk if own.submission else None)
            own.timeliness_label = submission_selectors.TIMELINESS_LABELS[own.timeliness]
        context["own"] = own
        for extra in _plan_page_extras:
            context.update(extra(user, plan))
        return context


class _BoardMixin(LoginRequiredMixin):
    def board(self):
        plan = selectors.plan_for_board(user=self.request.user, pk=self.kwargs["pk"])
        board = submission_selectors.status_board(plan=plan)
        form = BoardFilterForm(self.request.GET or None)
        status = timeliness = q = ""
        if form.is_valid():
            status, timeliness = form.cleaned_data["status"], form.cleaned_data["timeliness"]
            q = form.cleaned_data["q"]
        rows = submission_selectors.filter_rows(board.rows, status=status, timeliness=timeliness, q=q)
        return board, form, rows


class StatusBoardView(_BoardMixin, TemplateView):
    template_name = "plans/status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board, form, rows = self.board()
        for row in rows:
            row.url = submission_url(row.submission.pk) if row.submission else ""
            # A unit that relayed the plan answers it with its consolidated report, not a submission.
            answered_elsewhere = row.submission or row.report or row.relay
            row.start_url = "" if answered_elsewhere else submission_start_url(board.plan.pk, row.unit.code)
        query = self.request.GET.urlencode()
        staff = get_staff(self.request.user)
        # "Nhập số liệu" on the issuing unit's own row only for its own staff; a higher level enters it on behalf.
        context["viewer_unit_id"] = staff.unit_id if staff else None
        context["can_accept"] = self.request.user.is_superuser or bool(staff and staff.is_reviewer)
        context.update(plan=board.plan, board=board, summary=board.summary, rows=rows, filter_form=form,
                       query=query, filtered=len(rows) != len(board.rows),
                       status_counts=[(label, board.summary.by_status[code])
                                      for code, label in submission_selectors.STATUS_CHOICES
                                      if board.summary.by_status.get(code)])
        return context


class StatusExportView(_BoardMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        if kwargs["fmt"] not in ("csv", "xlsx"):
            raise Http404
        board, _form, rows = self.board()
        name = f"tinh-hinh-bao-cao-{slugify(board.plan.reference.replace('/', '-'))}"
        if kwargs["fmt"] == "xlsx":
            response = HttpResponse(
                exports.board_xlsx(board, rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(exports.board_csv(board, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.{kwargs["fmt"]}"'
        return response


class MyRequestsView(LoginRequiredMixin, TemplateView):
    """A data-entry user's open requests: plans their unit must still report on, with deadlines."""

    template_name = "plans/my_requests.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        requests = submission_selectors.open_requests_for_user(user=user)
        for item in requests:
            item.url = request_url(item.plan.pk, item.unit.code, item.submission.pk if item.submission else None)
        returned = list(submission_selectors.returned_submissions_for_user(user=user))
        for sub in returned:
            sub.url = submission_url(sub.pk)
        context.update(requests=requests, returned=returned)
        return context


class BoardBulkView(LoginRequiredMixin, View):
    """The status board's "select many": accept the selected submissions, or remind the selected units now.

    Each acceptance takes the same checks as one by one; refused ones are listed with their reason and the
    others go through. A reminder goes to the entry staff of selected units that have not sent their report.
    """

    def post(self, request, pk: int):
        plan = selectors.plan_for_board(user=request.user, pk=pk)
        board = submission_selectors.status_board(plan=plan)
        chosen = set(request.POST.getlist("unit"))
        rows = [row for row in board.rows if row.unit.code in chosen]
        back = reverse("plans:status", kwargs={"pk": plan.pk})
        if request.POST.get("q_back"):
            back += "?" + request.POST["q_back"]
        if not rows:
            messages.warning(request, _("Chưa chọn đơn vị nào."))
            return HttpResponseRedirect(back)
        action = request.POST.get("action")
        if action == "accept":
            with_submission = [row.submission for row in rows if row.submission is not None]
            refused = [(row.unit_name, _("Đơn vị chưa có báo cáo.")) for row in rows if row.submission is None]
            accepted, more = services.submissions_accept_many(submissions=with_submission, user=request.user)
            refused += more
            if accepted:
                messages.success(request, _("Đã tiếp nhận %(n)s báo cáo: %(units)s.")
                                 % {"n": len(accepted), "units": ", ".join(s.unit_name for s in accepted)})
            for name, reason in refused:
                messages.error(request, _("Không tiếp nhận %(unit)s: %(reason)s") % {"unit": name, "reason": reason})
        elif action == "remind":
            waiting = [row for row in rows if row.status not in submission_selectors.REPORTED_STATUSES]
            done = [row.unit_name for row in rows if row.status in submission_selectors.REPORTED_STATUSES]
            sent = notices.remind_units_now(plan=plan, units=[row.unit for row in waiting], actor=request.user)
            messages.success(request, _("Đã nhắc %(n)s đơn vị (%(people)s người nhận): %(units)s.")
                             % {"n": len(waiting), "people": sent, "units": ", ".join(r.unit_name for r in waiting)})
            if done:
                messages.info(request, _("Không nhắc các đơn vị đã gửi báo cáo: %(units)s.")
                              % {"units": ", ".join(done)})
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
        return HttpResponseRedirect(back)
