"""Pages of consolidated reports: list, create, read, refresh, edit the text; the roll-up JSON; the dashboard.

Views are thin: reads through `selectors` (scoped with `restrict`, 404 outside the user's subtree), writes
through `services`.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.scoping import get_staff
from reports.documents import selectors, services
from reports.documents import text as report_text
from reports.documents.extensions import report_panels
from reports.documents.pdf.views import ReportPdfDownload
from reports.documents.printing import report_document
from reports.documents.text import typed
from reports.documents.text.parts import sources
from reports.plans.models import Plan


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class ListPage(LoginRequiredMixin, TemplateView):
    """Reports the user may see, and for a reviewer the plans their unit answers (with a create button)."""

    template_name = "documents/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["reports"] = [(report, selectors.owed_for_report(report=report))
                              for report in selectors.report_list_for_user(user=user)[:200]]
        context["to_report"] = selectors.plans_to_report_for_user(user=user)
        context["staff"] = get_staff(user)
        return context


class ReportCreateView(LoginRequiredMixin, View):
    """POST: the reviewer's unit's report for a plan (made from the roll-up as of now, or the existing one)."""

    def post(self, request):
        staff = get_staff(request.user)
        if staff is None or not staff.is_reviewer:
            raise Http404
        plan = get_object_or_404(Plan.objects.restrict(request.user, "view").select_related(
            "issuing_body__unit", "relays"), pk=request.POST.get("plan") or 0)
        try:
            report = services.report_get_or_create(
                plan=plan, unit=staff.unit, user=request.user,
                include_submitted=request.POST.get("include_submitted") == "on",
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect("documents:list")
        return redirect(report.get_absolute_url())


class ReportDetailView(LoginRequiredMixin, TemplateView):
    """The report as it will print (filled text, tables), its figures' moment, history and actions."""

    template_name = "documents/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        report = selectors.report_get_for_user(user=user, pk=kwargs["pk"])
        staff = get_staff(user)
        can_edit = report.is_editable and (user.is_superuser or (
            staff is not None and staff.is_reviewer and staff.unit_id == report.unit_id))
        candidates = selectors.earlier_plans_for_user(user=user, plan=report.plan) if can_edit else []
        context.update(
            report=report, doc=report_document(report), can_edit=can_edit, compare_candidates=candidates,
            compare_selected=report.compare_with_id or (candidates[0].pk if candidates else None),
            typed_numbers=[] if report.is_signed else services.report_typed_numbers(report=report),
            **_upward_context(report, user),
            changes=list(report.changes.select_related("user")[:20]),
            snapshot=report.snapshot, report_panels=report_panels(report=report, user=user),
        )
        return context


def _upward_context(report, user) -> dict:
    """How the report stands with the upper level, and the subordinate reports it is made from (issue 18.5)."""
    staff = get_staff(user)
    receipt = selectors.receipt_of(report) if report.is_signed else None
    replaced_by = getattr(report, "replaced_by", None) if report.pk else None
    upper_unit_id = report.plan.issuing_body.unit_id
    is_upper_reviewer = user.is_superuser or (
        staff is not None and staff.is_reviewer and staff.unit_id == upper_unit_id)
    is_own_reviewer = user.is_superuser or (staff is not None and staff.is_reviewer and staff.unit_id == report.unit_id)
    cited, not_received = sources.cited_reports(report.snapshot or {})
    return {
        "receipt": receipt, "replaced_by": replaced_by,
        "chain": selectors.report_chain(report)[:-1],
        "may_receive": (report.is_signed and receipt is None and replaced_by is None and is_upper_reviewer
                        and upper_unit_id != report.unit_id),
        "may_correct": (report.is_signed and receipt is not None and receipt.action == "return"
                        and replaced_by is None and is_own_reviewer),
        "cited_reports": [{**d, "line": sources.citation_line(d)} for d in cited],
        "not_received": not_received,
    }


class ReportReceiveView(LoginRequiredMixin, View):
    """POST: the upper level accepts a subordinate's signed report, or returns it with a reason."""

    def post(self, request, pk: int):
        report = selectors.report_get_for_user(user=request.user, pk=pk, action="review")
        accept = request.POST.get("action") == "accept"
        try:
            services.report_receive(report=report, user=request.user, accept=accept,
                                    reason=request.POST.get("reason", ""))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Đã tiếp nhận báo cáo.") if accept else _("Đã trả lại báo cáo kèm lý do."))
        return redirect(report.get_absolute_url())


class ReportCorrectView(LoginRequiredMixin, View):
    """POST: a new numbered report replacing a returned signed one (the signed one never changes)."""

    def post(self, request, pk: int):
        report = selectors.report_get_for_user(user=request.user, pk=pk, action="review")
        try:
            new = services.report_correct(report=report, user=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect(report.get_absolute_url())
        messages.success(request, _("Đã lập báo cáo thay thế (dự thảo): sửa, trình duyệt và ký để có số mới."))
        return redirect(new.get_absolute_url())


class TypedNumberView(LoginRequiredMixin, View):
    """POST: bind a typed number to the figure it stands for, or keep it with a reason (issue 18.1)."""

    def post(self, request, pk: int):
        report = selectors.report_get_for_user(user=request.user, pk=pk, action="review")
        block, index = request.POST.get("block", ""), request.POST.get("index", "")
        try:
            if not index.isdigit():
                raise ValidationError(_("Thiếu vị trí của số cần xử lý."))
            if request.POST.get("action") == "confirm":
                services.report_number_confirm(report=report, user=request.user, block_key=block, index=int(index),
                                               reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã ghi nhận lý do giữ nguyên số gõ tay."))
            else:
                services.report_number_bind(report=report, user=request.user, block_key=block, index=int(index),
                                            placeholder=request.POST.get("placeholder", ""))
                messages.success(request, _("Đã gắn số với số liệu: từ nay số này luôn lấy theo số liệu tổng hợp."))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        return redirect(report.get_absolute_url() + "#typed-numbers")


class ReportRefreshView(LoginRequiredMixin, View):
    """POST: take the figures again; the message lists what changed."""

    def post(self, request, pk: int):
        report = selectors.report_get_for_user(user=request.user, pk=pk, action="review")
        include = request.POST.get("include_submitted") == "on" if request.POST.get("choose_included") else None
        compare_with = services.KEEP
        if request.POST.get("choose_compare"):
            compare_with = None
            if request.POST.get("compare") == "on":
                # The comparison page's list (same selector): a plan not offered to this user changes nothing.
                compare_with = selectors.earlier_plan_for_user(user=request.user, plan=report.plan,
                                                               pk=request.POST.get("compare_with", ""))
                if compare_with is None:
                    messages.error(request, _("Kỳ so sánh đã chọn không có trong danh sách kế hoạch trước mà bạn "
                                              "được xem; báo cáo không thay đổi."))
                    return redirect(report.get_absolute_url())
        try:
            result = services.report_refresh(report=report, user=request.user, include_submitted=include,
                                             compare_with=compare_with)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect(report.get_absolute_url())
        if result.changes:
            messages.success(request, _("Đã cập nhật số liệu. Thay đổi: %(lines)s") % {
                "lines": "; ".join(result.lines)})
        else:
            messages.info(request, _("Đã cập nhật số liệu: không có số liệu nào thay đổi."))
        return redirect(report.get_absolute_url())


class ReportEditView(LoginRequiredMixin, TemplateView):
    """Text areas per block; placeholders stay visible and are explained; figures stay bound."""

    template_name = "documents/edit.html"

    def get_report(self):
        report = selectors.report_get_for_user(user=self.request.user, pk=self.kwargs["pk"], action="review")
        staff = get_staff(self.request.user)
        if not self.request.user.is_superuser and (staff is None or staff.unit_id != report.unit_id):
            raise Http404
        return report

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = kwargs.get("report") or self.get_report()
        values = report_text.figures(report.snapshot or {})
        described = typed.figure_labels(values, services.indicator_labels())
        posted = kwargs.get("posted") or {}
        blocks = []
        for block in report.blocks:
            notes = [{"name": f"{block['key']}#fn{n}", "number": n,
                      "value": posted.get(f"{block['key']}#fn{n}", note)}
                     for n, note in enumerate(block.get("footnotes", []), start=1)]
            blocks.append({
                **block, "value": posted.get(block["key"], block["text"]), "edited": report_text.is_edited(block),
                "segments": typed.editor_segments(posted.get(block["key"], block["text"]), values, described),
                "notes": notes,
                "preview": report_text.FOOTNOTE.sub("", report_text.fill(block["text"], values)),
                "rows": 1 if block["kind"].startswith("heading") else max(2, len(block["text"]) // 95 + 2),
            })
        context.update(report=report, blocks=blocks, help=report_text.PLACEHOLDER_HELP,
                       summary=posted.get("summary", report.summary),
                       recipients=posted.get("recipients", report.recipients))
        return context

    def get(self, request, *args, **kwargs):
        report = self.get_report()
        if not report.is_editable:
            messages.error(request, _("Báo cáo đang trình duyệt, đã duyệt hoặc đã ký: không sửa được nội dung."))
            return redirect(report.get_absolute_url())
        return self.render_to_response(self.get_context_data(report=report, **kwargs))

    def post(self, request, *args, **kwargs):
        report = self.get_report()
        names = [b["key"] for b in report.blocks]
        names += [f"{b['key']}#fn{n}" for b in report.blocks for n in range(1, len(b.get("footnotes", [])) + 1)]
        texts = {name: request.POST[f"block-{name}"] for name in names if f"block-{name}" in request.POST}
        reset = request.POST.getlist("reset")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            services.report_update_text(
                report=report, user=request.user, texts=texts, summary=request.POST.get("summary"),
                recipients=request.POST.get("recipients"), reset=reset, expected_version=version,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
            posted = {k: v for k, v in texts.items()}
            posted.update(summary=request.POST.get("summary", report.summary),
                          recipients=request.POST.get("recipients", report.recipients))
            return self.render_to_response(self.get_context_data(report=report, posted=posted, **kwargs),
                                           status=400)
        messages.success(request, _("Đã lưu nội dung báo cáo."))
        return redirect(report.get_absolute_url())


class ReportPdfView(LoginRequiredMixin, View):
    """GET: the report's PDF shown in the browser (the print layer's download, inline instead of attached)."""

    def get(self, request, pk: int):
        response = ReportPdfDownload.as_view()(request, pk=pk)
        if response.has_header("Content-Disposition"):
            response["Content-Disposition"] = response["Content-Disposition"].replace("attachment;", "inline;")
        return response


class RollupJsonView(LoginRequiredMixin, View):
    """GET ?plan=132-HD/BTGTU&unit=tam-duong[&include_submitted=1]: the `rollup --json` figures (scoped)."""

    raise_exception = True  # an anonymous script gets 403, not a login page

    def get(self, request, *args, **kwargs):
        plan = request.GET.get("plan", "").strip()
        unit = (kwargs.get("unit") or request.GET.get("unit", "")).strip()
        if not plan or not unit:
            return JsonResponse({"error": _("Thiếu tham số plan hoặc unit.")}, status=400)
        result = selectors.rollup_for_user(user=request.user, plan_reference=plan, unit_code=unit,
                                           include_submitted=request.GET.get("include_submitted") in ("1", "true"))
        return JsonResponse(result.to_json(), json_dumps_params={"ensure_ascii": False})


class DashboardView(LoginRequiredMixin, TemplateView):
    """Completion, each unit's rates against the unit's overall rate (Chart.js), late/missing/below-average."""

    template_name = "documents/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, unit, result, charts = selectors.dashboard_for_user(
            user=self.request.user, plan_pk=kwargs["plan"], unit_code=self.request.GET.get("unit"))
        report = selectors.report_for_user(user=self.request.user, plan=plan, unit=unit)
        context.update(plan=plan, unit=unit, result=result, charts=charts, report=report,
                       owed=selectors.owed_for_plan(plan=plan, unit=unit, report=report),
                       can_review=Plan.objects.restrict(self.request.user, "review").filter(pk=plan.pk).exists())
        return context


class ComparisonView(LoginRequiredMixin, TemplateView):
    """So với cùng kỳ: the dashboard's rows beside an earlier plan's figures (predecessors added in); read-only."""

    template_name = "documents/comparison.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = selectors.comparison_for_user(user=self.request.user, plan_pk=kwargs["plan"],
                                             unit_code=self.request.GET.get("unit"),
                                             earlier_pk=self.request.GET.get("earlier"))
        context.update(page=page, plan=page.plan, unit=page.unit, comparison=page.comparison)
        return context
