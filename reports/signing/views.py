"""Pages of the signing app: the register, signed downloads, verification, report life-cycle actions."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from reports.documents.text.parts.sources import cited_reports
from reports.signing import selectors, services
from reports.signing.forms import VerifyForm
from units.models import IssuingBody


class RegisterView(LoginRequiredMixin, TemplateView):
    """Sổ đăng ký văn bản đi: the issued documents of the bodies in the user's subtree."""

    template_name = "signing/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        bodies = IssuingBody.objects.filter(unit__in=_units_in_scope(user)).order_by("unit__path", "code")
        body_code = self.request.GET.get("co-quan", "")
        period = self.request.GET.get("ky", "")
        body = get_object_or_404(bodies, code=body_code) if body_code else None
        entries = selectors.register_entries_for(user=user, issuing_body=body, period=period or None)
        counters = selectors.register_counters_for(user=user)
        if body is not None:
            counters = counters.filter(issuing_body=body)
        if period:
            counters = counters.filter(period=period)
        staff = getattr(user, "staff", None)
        context.update(bodies=bodies, body=body, period=period, entries=entries[:500],
                       counters=[c for c in counters if c.starting_number],
                       correct_unit_id=staff.unit_id if staff is not None and staff.is_leader else None)
        return context


def _units_in_scope(user):
    from units.models import Unit

    return Unit.objects.restrict(user, "view")


class SignedDownloadView(LoginRequiredMixin, View):
    """The signed PDF exactly as stored (never rendered again); 404 outside the user's subtree."""

    def get(self, request, pk: int):
        document = selectors.signed_document_get(user=request.user, pk=pk)
        response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
        disposition = "inline" if request.GET.get("xem") else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response


class VerifyView(LoginRequiredMixin, FormView):
    """Upload a PDF: is the signature valid, who signed, when, changed since, which register entry."""

    template_name = "signing/verify.html"
    form_class = VerifyForm

    def form_valid(self, form):
        data = form.cleaned_data["file"].read()
        verification = selectors.verify_upload(data=data, number=form.cleaned_data.get("number", ""))
        entry = verification.entry
        can_download = bool(
            entry is not None and hasattr(entry, "signed_document")
            and selectors.register_entries_for(user=self.request.user).filter(pk=entry.pk).exists()
        )
        return self.render_to_response(self.get_context_data(
            form=form, verification=verification, result=verification.result, entry=entry,
            can_download=can_download, filename=form.cleaned_data["file"].name,
        ))


ACTIONS = {
    "gui-duyet": "send",
    "duyet": "approve",
    "tra-lai": "return",
    "ky": "sign",
}


def report_url(report) -> str:
    return report.get_absolute_url()


class ReportActionView(LoginRequiredMixin, View):
    """POST-only: send for approval, approve, return (with a reason) or sign a consolidated report."""

    def post(self, request, pk: int, action: str):
        from reports.documents.models import Report

        if action not in ACTIONS:
            return HttpResponse(status=404)
        report = get_object_or_404(Report.objects.restrict(request.user, "view"), pk=pk)
        note = request.POST.get("note", "") or request.POST.get("reason", "")
        try:
            if ACTIONS[action] == "send":
                services.report_send_for_approval(report=report, user=request.user, note=note)
                messages.success(request, _("Đã trình lãnh đạo duyệt báo cáo."))
            elif ACTIONS[action] == "approve":
                approved = services.report_approve(report=report, user=request.user, note=note)
                messages.success(request, _("Đã duyệt báo cáo; có thể ký số."))
                _cited, missing = cited_reports(approved.snapshot or {})
                if missing:
                    messages.warning(request, _("Lưu ý: chưa nhận được báo cáo của %(names)s; báo cáo ghi rõ các đơn "
                                                "vị chưa có báo cáo.") % {"names": "; ".join(missing)})
            elif ACTIONS[action] == "return":
                services.report_return(report=report, user=request.user, reason=note)
                messages.success(request, _("Đã trả lại báo cáo để chỉnh sửa."))
            else:
                document = services.report_sign(report=report, user=request.user)
                messages.success(request, _("Đã ký số và cấp số %(reference)s.")
                                 % {"reference": document.entry.reference})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(report_url(report))


class CorrectionView(LoginRequiredMixin, View):
    """POST: a leader issues a signed Thông báo đính chính of a register entry (404 outside scope)."""

    def post(self, request, pk: int):
        entry = get_object_or_404(selectors.register_entries_for(user=request.user), pk=pk)
        try:
            document = services.correction_issue(entry=entry, user=request.user, text=request.POST.get("text", ""))
            messages.success(request, _("Đã ký và cấp số %(reference)s cho văn bản đính chính.")
                             % {"reference": document.entry.reference})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("signing:register"))
