"""`manage.py sign_report --plan 132-HD/BTGTU --unit tam-duong --user tam-duong.leader -o signed.pdf`.

Gets (or creates) the unit's consolidated report for the plan, moves it through the life cycle as
far as needed (sent for approval by a reviewer of the unit, approved by the leader), then does what
the people would do: the leader signs through their token (the shipped agent's code, on this
machine, with the PIN from --pin-env or the demo token's), the signed file goes through the same
acceptance as an upload, and the body's văn thư issues it (number, date, organisation signature).
Writes the issued PDF. A report issued earlier is not signed again: its stored file is written.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from agent.client import sign_spec
from agent.pkcs11token import TokenConfig, TokenError, find_module
from core.formatting import format_date_short, parse_date
from reports.documents.models import Report
from reports.documents.services import report_get_or_create
from reports.plans.selectors import plan_for_unit, plan_resolve_for_unit
from reports.signing import hsm, services
from reports.signing.models import SignedDocument
from reports.signing.selectors import request_spec, signed_document_for_report
from units.models import Staff, Unit


def _reviewer(unit):
    staff = Staff.objects.filter(unit=unit, is_reviewer=True).select_related("user").order_by("pk").first()
    if staff is None:
        raise CommandError(_("Đơn vị %(unit)s không có cán bộ tổng hợp để lập và trình báo cáo.") % {"unit": unit.name})
    return staff.user


def _get_or_create_report(*, plan, unit):
    """The unit's report for the plan; created (from the roll-up) by the unit's reviewer when missing."""
    existing = (Report.objects.filter(unit=unit, replaced_by__isnull=True)
                .filter(Q(plan=plan) | Q(source_plan=plan)).first())
    if existing is not None:
        return existing
    return report_get_or_create(plan=plan, unit=unit, user=_reviewer(unit))


def _token_sign(request, *, pin_env: str) -> bytes:
    """Sign a request's PDF on the token as the signer's agent would (same code, no HTTP)."""
    hsm.use_demo_token_conf()
    pin = os.environ.get(pin_env, "") if pin_env else settings.DEMO_TOKEN_PIN
    try:
        config = TokenConfig(module=find_module(os.environ.get("PKCS11_MODULE", "")),
                             token_label=os.environ.get("PKCS11_TOKEN_LABEL", settings.DEMO_TOKEN_LABEL))
        return sign_spec(request_spec(request), bytes(request.pdf), services.appearance_for(request),
                         config=config, pin=pin)
    except TokenError as exc:
        raise CommandError(str(exc)) from exc


def _clerk(unit, name: str):
    if name:
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(_("Không có tài khoản %(user)s.") % {"user": name})
        return user
    staff = Staff.objects.filter(unit=unit, is_clerk=True).select_related("user").order_by("pk").first()
    if staff is None:
        raise CommandError(_("Đơn vị %(unit)s chưa có văn thư để cấp số.") % {"unit": unit.name})
    return staff.user


def _sign_and_issue(*, report, leader, unit, on, pin_env: str, clerk_name: str):

    draft = services.pending_draft(report)
    if draft is None:
        request = services.leader_request_create(report=report, user=leader)
        draft = services.signature_accept(token=request.token, data=_token_sign(request, pin_env=pin_env),
                                          user=leader)
    clerk = _clerk(unit, clerk_name)
    if settings.SIGNING_ORGANISATION_KEY == "hsm":
        return services.draft_issue(draft=draft, user=clerk, on=on)
    request = services.issuance_request_create(draft=draft, user=clerk, on=on)
    return services.signature_accept(token=request.token, data=_token_sign(request, pin_env=""), user=clerk)


class Command(BaseCommand):
    help = "Duyệt và ký số báo cáo tổng hợp của một đơn vị, ghi ra tệp PDF đã ký."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="số, ký hiệu văn bản yêu cầu báo cáo (132-HD/BTGTU)")
        parser.add_argument("--unit", required=True, help="mã đơn vị (tam-duong)")
        parser.add_argument("--user", required=True, help="tài khoản lãnh đạo ký (tam-duong.leader)")
        parser.add_argument("-o", "--output", required=True, help="tệp PDF đã ký ghi ra")
        parser.add_argument("--date", help="ngày ban hành YYYY-MM-DD hoặc ngày/tháng/năm (mặc định: hôm nay)")
        parser.add_argument("--pin-env", default="", help="biến môi trường chứa PIN token của người ký "
                            "(mặc định: PIN của token demo)")
        parser.add_argument("--clerk", default="", help="tài khoản văn thư cấp số (mặc định: văn thư của đơn vị)")

    def handle(self, *args, **options):
        for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)
        User = get_user_model()
        user = User.objects.filter(username=options["user"]).select_related("staff").first()
        if user is None:
            raise CommandError(_("Không có tài khoản %(user)s.") % {"user": options["user"]})
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("Không có đơn vị mã %(unit)s.") % {"unit": options["unit"]})
        on = None
        if options.get("date"):
            try:
                on = parse_date(options["date"])
            except ValueError as exc:
                raise CommandError(_("Ngày không hợp lệ, cần dạng YYYY-MM-DD hoặc ngày/tháng/năm.")) from exc
        plan = plan_resolve_for_unit(reference=options["plan"], unit=unit)
        if plan is None or plan_for_unit(reference=options["plan"], unit=unit) is None:
            raise CommandError(_("Đơn vị %(unit)s không phải báo cáo theo văn bản %(plan)s.")
                               % {"unit": unit.name, "plan": options["plan"]})
        report = _get_or_create_report(plan=plan, unit=unit)
        try:
            if report.status in (Report.Status.DRAFT, Report.Status.RETURNED):
                report = services.report_send_for_approval(report=report, user=_reviewer(unit),
                                                           note="Trình duyệt qua lệnh sign_report.")
            if report.status == Report.Status.PENDING:
                report = services.report_approve(report=report, user=user)
            if report.status == Report.Status.APPROVED:
                document = _sign_and_issue(report=report, leader=user, unit=unit, on=on, pin_env=options["pin_env"],
                                           clerk_name=options["clerk"])
                entry = document.entry
                self.stderr.write(_("Đã ký và cấp số %(reference)s, ngày %(date)s.")
                                  % {"reference": entry.reference, "date": format_date_short(entry.issued_on)})
            else:
                document = signed_document_for_report(report=report)
                if document is None:
                    raise CommandError(_("Báo cáo ở trạng thái đã ký nhưng không có tệp đã ký."))
                self.stderr.write(_("Báo cáo đã ký trước đó (số %(reference)s); ghi lại tệp đã lưu.")
                                  % {"reference": document.entry.reference})
                document = SignedDocument.objects.get(pk=document.pk)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        Path(options["output"]).write_bytes(bytes(document.pdf))
        self.stdout.write(f"{options['output']} {document.sha256}")
