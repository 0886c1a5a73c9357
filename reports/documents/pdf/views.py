"""Downloads: a report as PDF (cached by content) and its Biểu as Excel; a plan as PDF.

Every lookup goes through the owners' scoped selectors/querysets (`restrict(user, "view")`), so an
object outside the user's subtree is a 404. A signed report downloads its signed file of record.
Renders run inside `core.render_limit.render_slot()` (see `cache.py`); `RenderBusy` becomes a 503
"đang bận" page in `core.middleware`. The report page's download buttons carry `data-pdf-download`
and `static/print/download.js` shows "Đang tạo tệp PDF…" while the file is being made.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from reports.documents.extensions import issued_pdf
from reports.documents.pdf.adapters import plan_print
from reports.documents.pdf.cache import cached_render
from reports.documents.pdf.render import PrintError
from reports.documents.pdf.xlsx import tables_xlsx
from reports.documents.printing import report_print_document
from reports.documents.selectors import report_get_for_user
from reports.plans.models import Plan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(prefix: str, reference: str, unit_code: str = "", draft: bool = False) -> str:
    parts = [prefix, unit_code, reference.replace("/", "-")]
    name = "-".join(p for p in parts if p)
    return name + ("-du-thao" if draft else "")


class ReportPdfDownload(LoginRequiredMixin, View):
    """GET: the report's PDF (the signed file once signed; else the draft, cached by content)."""

    def get(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        name = _filename("bao-cao", report.plan.reference, report.unit.code, draft=not report.is_signed)
        signed = issued_pdf(report)
        if signed is not None:
            response = HttpResponse(signed, content_type="application/pdf")
        else:
            try:
                cached = cached_render(report_print_document(report))
            except PrintError as exc:
                messages.error(request, exc.message)
                return redirect(report.get_absolute_url())
            response = FileResponse(open(cached.path, "rb"), content_type="application/pdf")
            response["X-PDF-Cache"] = "hit" if cached.hit else "miss"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response


class ReportXlsxDownload(LoginRequiredMixin, View):
    """GET: the report's attached tables (Biểu) as an Excel workbook."""

    def get(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        data = tables_xlsx(report_print_document(report))
        response = HttpResponse(data, content_type=XLSX_TYPE)
        name = _filename("bieu", report.plan.reference, report.unit.code)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class PlanPdfDownload(LoginRequiredMixin, View):
    """GET: a plan (Kế hoạch, Hướng dẫn, Công văn) as PDF in the official layout."""

    def get(self, request, pk: int):
        plan = get_object_or_404(Plan.objects.restrict(request.user, "view").select_related("issuing_body"), pk=pk)
        try:
            cached = cached_render(plan_print(plan))
        except PrintError as exc:
            messages.error(request, exc.message or _("Không tạo được tệp PDF."))
            return redirect(plan.get_absolute_url())
        response = FileResponse(open(cached.path, "rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{_filename("ke-hoach", plan.reference)}.pdf"'
        response["X-PDF-Cache"] = "hit" if cached.hit else "miss"
        return response
