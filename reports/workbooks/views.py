"""Download and upload of workbooks. Thin: scoping through restrict() (404 outside), work in services."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.scoping import get_staff, user_can
from reports.plans.models import Plan
from reports.submissions.forms import BehalfSourceForm
from reports.submissions.models import Submission
from reports.submissions.selectors import units_needing_behalf_source
from reports.workbooks import layout
from reports.workbooks.export import (
    MIME,
    build_district_workbook,
    build_unit_workbook,
    district_workbook_filename,
    unit_workbook_filename,
)
from reports.workbooks.forms import UploadForm
from reports.workbooks.importer import CHOICE_FILE, CHOICE_WEB, Expectation, analyse_workbook
from reports.workbooks.selectors import plan_and_unit_for_download, submission_for_download, units_to_fill
from reports.workbooks.services import upload_confirm, upload_discard, upload_load, upload_store

# Changes listed on the confirmation page (a district file may change thousands of values).
PREVIEW_LIMIT = 500


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DownloadSubmissionView(LoginRequiredMixin, View):
    """The unit workbook of a submission the user may see."""

    def get(self, request, pk: int):
        submission = submission_for_download(user=request.user, pk=pk)
        data = build_unit_workbook(plan=submission.plan, unit=submission.unit, user=request.user)
        return _xlsx(data, unit_workbook_filename(submission.plan, submission.unit))


class DownloadUnitView(LoginRequiredMixin, View):
    """The unit workbook for a plan and a unit (before the unit has started its submission)."""

    def get(self, request, plan: int, unit: str):
        plan_obj, unit_obj = plan_and_unit_for_download(user=request.user, plan_pk=plan, unit_code=unit)
        data = build_unit_workbook(plan=plan_obj, unit=unit_obj, user=request.user)
        return _xlsx(data, unit_workbook_filename(plan_obj, unit_obj))


class DownloadDistrictView(LoginRequiredMixin, View):
    """One row per unit of the plan that the user may enter figures for."""

    def get(self, request, plan: int):
        plan_obj = get_object_or_404(Plan.objects.restrict(request.user, "view"), pk=plan)
        units = list(units_to_fill(plan=plan_obj, user=request.user))
        if not units:
            raise Http404
        staff = get_staff(request.user)
        root = staff.unit if staff else plan_obj.issuing_body.unit
        data = build_district_workbook(plan=plan_obj, units=units, root=root, user=request.user)
        return _xlsx(data, district_workbook_filename(plan_obj, root))


class UploadView(LoginRequiredMixin, View):
    """Upload a workbook: every error listed, or the changes shown for confirmation."""

    template_name = "workbooks/upload.html"

    def _target(self, request, pk: int | None, plan: int | None) -> dict:
        if pk is not None:
            submission = get_object_or_404(
                Submission.objects.restrict(request.user, "enter").select_related("plan", "unit"), pk=pk)
            return {"submission": submission, "plan": submission.plan,
                    "expect": Expectation(plan=submission.plan, unit=submission.unit, kind=layout.KIND_UNIT)}
        if not user_can(request.user, "enter"):
            raise Http404
        if plan is not None:
            plan_obj = get_object_or_404(Plan.objects.restrict(request.user, "view"), pk=plan)
            return {"submission": None, "plan": plan_obj, "expect": Expectation(plan=plan_obj)}
        return {"submission": None, "plan": None, "expect": None}

    def get(self, request, pk: int | None = None, plan: int | None = None):
        target = self._target(request, pk, plan)
        return render(request, self.template_name, {**target, "form": UploadForm()})

    def post(self, request, pk: int | None = None, plan: int | None = None):
        target = self._target(request, pk, plan)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {**target, "form": form}, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        analysis = analyse_workbook(data=data, filename=upload.name, user=request.user, expect=target["expect"])
        context = {**target, "form": UploadForm(), "analysis": analysis}
        if not analysis.ok:
            return render(request, self.template_name, context, status=400)
        if not analysis.changed_count:
            return render(request, self.template_name, context)
        stored = upload_store(data=data, filename=upload.name, user=request.user, expect=target["expect"])
        return render(request, "workbooks/preview.html", _preview_context(context, analysis, stored.token,
                                                                          user=request.user))


def _preview_context(context: dict, analysis, token: str, *, user, behalf_form=None) -> dict:
    changes = analysis.changes
    # Units entered on their behalf without a recorded source: the confirmation asks how the figures came.
    behalf_units = units_needing_behalf_source(user=user, targets=[(t.submission, t.unit) for t in analysis.targets])
    if behalf_units and behalf_form is None:
        behalf_form = BehalfSourceForm(prefix="behalf", initial={"received_on": timezone.localdate()})
    return {**context, "analysis": analysis, "token": token, "changes": changes[:PREVIEW_LIMIT],
            "behalf_units": behalf_units, "behalf_form": behalf_form if behalf_units else None,
            "hidden_changes": max(0, len(changes) - PREVIEW_LIMIT), "unit_count": len(analysis.targets),
            "conflicts": analysis.conflicts, "choice_web": CHOICE_WEB, "choice_file": CHOICE_FILE}


def _choices(post) -> dict[str, str]:
    """The user's choice for each conflicting value ("choice-<key>" fields); anything else is no choice."""
    return {name.removeprefix("choice-"): value for name, value in post.items()
            if name.startswith("choice-") and value in (CHOICE_WEB, CHOICE_FILE)}


def _after_import(targets) -> str:
    if len(targets) == 1 and targets[0].submission is not None:
        return reverse("submissions:detail", kwargs={"pk": targets[0].submission.pk})
    if targets:
        return reverse("plans:detail", kwargs={"pk": targets[0].plan.pk})
    return reverse("workbooks:upload")


class ConfirmView(LoginRequiredMixin, View):
    """Apply a checked upload: the same file is checked again and applied in one transaction."""

    def post(self, request, token: str):
        upload = upload_load(token=token, user=request.user)
        if upload is None:
            raise Http404
        choices = _choices(request.POST)
        behalf_form = BehalfSourceForm(request.POST, prefix="behalf")
        source = behalf_form.cleaned_data if behalf_form.is_valid() else None
        analysis = upload_confirm(upload=upload, user=request.user, choices=choices, behalf_source=source)
        if not analysis.ok and (analysis.unresolved or analysis.needs_source):
            # A conflicting value without a choice: nothing saved, the same page again with what is missing.
            shown = analyse_workbook(data=upload.read(), filename=upload.filename, user=request.user,
                                     expect=upload.expectation(), choices=choices)
            shown.errors.extend(analysis.errors)
            return render(request, "workbooks/preview.html", _preview_context(
                {"form": UploadForm(), "submission": None, "plan": shown.plan}, shown, upload.token,
                user=request.user, behalf_form=behalf_form), status=400)
        if not analysis.ok:
            upload_discard(upload=upload)
            return render(request, "workbooks/upload.html", {
                "form": UploadForm(), "analysis": analysis, "submission": None, "plan": analysis.plan,
                "changed_meanwhile": True,
            }, status=400)
        for target in analysis.targets:  # a submission created by the import
            if target.submission is None:
                target.submission = Submission.objects.filter(plan=target.plan, unit=target.unit).first()
        messages.success(request, _("Đã nhập %(count)s giá trị từ tệp %(name)s (%(units)s đơn vị).") % {
            "count": analysis.changed_count, "name": upload.filename, "units": len(analysis.targets)})
        return redirect(_after_import(analysis.targets))


class CancelView(LoginRequiredMixin, View):
    """Drop a checked upload without applying it."""

    def post(self, request, token: str):
        upload = upload_load(token=token, user=request.user)
        if upload is None:
            raise Http404
        upload_discard(upload=upload)
        messages.info(request, _("Đã hủy, không có số liệu nào được lưu."))
        return redirect("workbooks:upload")
