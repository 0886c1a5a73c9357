"""Pages of the signing app: the register, signed downloads, verification, report life-cycle actions."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from agent import DEFAULT_PORT as AGENT_PORT
from reports.documents.models import Report
from reports.documents.text.parts.sources import cited_reports
from reports.signing import reauth, selectors, services
from reports.signing.forms import MAX_VERIFY_BYTES, ReauthForm, SignedUploadForm, VerifyForm
from reports.signing.models import SignedDocument
from units.models import IssuingBody, Unit


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
        verification = selectors.verify_upload(data=data, number=form.cleaned_data.get("number", ""),
                                               user=self.request.user)
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
    "cap-so": "issue",
}


def report_url(report) -> str:
    return report.get_absolute_url()


class ReportActionView(LoginRequiredMixin, View):
    """POST-only: send for approval, approve, return (with a reason) or sign a consolidated report."""

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            return HttpResponse(status=404)
        report = get_object_or_404(Report.objects.restrict(request.user, "view"), pk=pk)
        if ACTIONS[action] in ("sign", "issue") and not reauth.recently_authenticated(request):
            messages.info(request, _("Nhập lại mật khẩu để ký số, cấp số."))
            return reauth.reauth_redirect(request, report_url(report))
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
            elif ACTIONS[action] == "sign":
                signing = services.leader_request_create(report=report, user=request.user)
                return HttpResponseRedirect(reverse("signing:request_page", args=[signing.token]))
            else:
                draft = services.pending_draft(report)
                if draft is None:
                    raise ValidationError(_("Báo cáo chưa được lãnh đạo ký."))
                to_token = _issue(request, draft)
                if to_token is not None:
                    return to_token
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(report_url(report))


def _issue(request, draft) -> HttpResponseRedirect | None:
    """The văn thư issues a leader-signed draft with the organisation key the settings name: in the HSM at once
    (None: the caller's page again, with the number in a message), or on the văn thư's own token (the signing
    page, where the agent or an upload adds the organisation's signature)."""
    if settings.SIGNING_ORGANISATION_KEY == "hsm":
        document = services.draft_issue(draft=draft, user=request.user)
        messages.success(request, _("Đã cấp số %(reference)s và ký số của cơ quan.")
                         % {"reference": document.entry.reference})
        return None
    signing = services.issuance_request_create(draft=draft, user=request.user)
    return HttpResponseRedirect(reverse("signing:request_page", args=[signing.token]))


class CorrectionView(LoginRequiredMixin, View):
    """POST: a leader signs a Thông báo đính chính of a register entry (404 outside scope); the văn
    thư numbers it as any other document."""

    def post(self, request, pk: int):
        entry = get_object_or_404(selectors.register_entries_for(user=request.user), pk=pk)
        if not reauth.recently_authenticated(request):
            return reauth.reauth_redirect(request, reverse("signing:register"))
        try:
            signing = services.correction_request_create(entry=entry, user=request.user,
                                                         text=request.POST.get("text", ""))
            return HttpResponseRedirect(reverse("signing:request_page", args=[signing.token]))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("signing:register"))


class DraftIssueView(LoginRequiredMixin, View):
    """POST: the văn thư numbers a signed document that has no report page (a correction notice)."""

    def post(self, request, pk: int):
        draft = get_object_or_404(selectors.drafts_waiting_for(user=request.user), pk=pk)
        if not reauth.recently_authenticated(request):
            return reauth.reauth_redirect(request, reverse("home"))
        try:
            to_token = _issue(request, draft)
            if to_token is not None:
                return to_token
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("home"))


# --------------------------------------------------------------------------------------------------
# One-time links: the page for the signer, and the endpoints the agent (or a vendor plug-in) calls
# --------------------------------------------------------------------------------------------------


def _return_url(signing) -> str:
    if signing.report_id:
        return report_url(signing.report)
    if signing.draft_id and signing.draft.report_id:
        return report_url(signing.draft.report)
    return reverse("signing:register")


def _with_agent_csp(response: HttpResponse) -> HttpResponse:
    """This page alone may talk to the agent on the user's own computer (127.0.0.1); django-csp adds it."""
    update = {"connect-src": [f"http://127.0.0.1:{AGENT_PORT}"]}
    response._csp_update = update
    response._csp_update_ro = update
    return response


class RequestPageView(LoginRequiredMixin, View):
    """The signer's page for a link: one click through the agent, or download → sign → upload."""

    def get(self, request, token: str):
        signing = _own_request(request, token)
        spec_url = request.build_absolute_uri(reverse("signing:request_spec", args=[token]))
        return _with_agent_csp(render(request, "signing/request.html", {
            "signing": signing, "spec_url": spec_url, "return_url": _return_url(signing),
            "agent_url": f"http://127.0.0.1:{AGENT_PORT}", "form": SignedUploadForm(),
        }))

    def post(self, request, token: str):
        signing = _own_request(request, token)
        if not reauth.recently_authenticated(request):
            return reauth.reauth_redirect(request, reverse("signing:request_page", args=[token]))
        form = SignedUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = services.signature_accept(token=token, data=form.cleaned_data["file"].read(),
                                                   user=request.user)
                messages.success(request, _accepted_message(result))
                return HttpResponseRedirect(_return_url(signing))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
        spec_url = request.build_absolute_uri(reverse("signing:request_spec", args=[token]))
        return _with_agent_csp(render(request, "signing/request.html", {
            "signing": signing, "spec_url": spec_url, "return_url": _return_url(signing),
            "agent_url": f"http://127.0.0.1:{AGENT_PORT}", "form": form,
        }, status=400))


def _accepted_message(result) -> str:
    if isinstance(result, SignedDocument):
        return _("Đã cấp số %(reference)s và ký số của cơ quan.") % {"reference": result.entry.reference}
    return _("Đã nhận chữ ký số của lãnh đạo; văn bản chờ văn thư cấp số.")


def _own_request(request, token: str):
    """The live request of this user (404 for anybody else, unknown, used or expired alike)."""
    try:
        signing = services.signing_request_open(token=token)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    if signing.user_id != request.user.pk:
        raise Http404
    return signing


def _live_request(token: str):
    try:
        return services.signing_request_open(token=token)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": exc.messages[0]}, status=410)


class RequestSpecView(View):
    """GET: the request as JSON for the agent. The unguessable one-time token is the credential."""

    def get(self, request, token: str):
        signing = _live_request(token)
        if isinstance(signing, JsonResponse):
            return signing
        response = JsonResponse(selectors.request_spec(signing, absolute=request.build_absolute_uri),
                                json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response


class RequestPdfView(View):
    """GET: the exact PDF to sign (byte for byte what the upload must extend)."""

    appearance = False

    def get(self, request, token: str):
        signing = _live_request(token)
        if isinstance(signing, JsonResponse):
            return signing
        data = services.appearance_for(signing) if self.appearance else bytes(signing.pdf)
        response = HttpResponse(data, content_type="application/pdf")
        name = "hinh-chu-ky.pdf" if self.appearance else "van-ban-can-ky.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(csrf_exempt, name="dispatch")
class RequestUploadView(View):
    """POST application/pdf: the signed file for a link (the agent has no session; the token binds it)."""

    def post(self, request, token: str):
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_VERIFY_BYTES:
            return JsonResponse({"ok": False, "message": _("Tệp quá lớn (tối đa 30 MB).")}, status=400)
        data = request.FILES["file"].read() if "file" in request.FILES else request.body
        try:
            result = services.signature_accept(token=token, data=data)
        except ValidationError as exc:
            return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400,
                                json_dumps_params={"ensure_ascii": False})
        return JsonResponse({"ok": True, "message": _accepted_message(result)},
                            json_dumps_params={"ensure_ascii": False})


class ReauthView(LoginRequiredMixin, FormView):
    """Enter the password again before signing or issuing (SIGNING_REAUTH_SECONDS)."""

    template_name = "signing/reauth.html"
    form_class = ReauthForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "request": self.request}

    def form_valid(self, form):
        reauth.mark_authenticated(self.request)
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()},
                                               require_https=self.request.is_secure()):
            target = reverse("home")
        return HttpResponseRedirect(target)
