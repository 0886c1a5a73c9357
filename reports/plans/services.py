"""Writes of plans: issue a plan, relay an upper level's plan to one's own units.

Every function is keyword-only and transactional; bad input raises `ValidationError` with a
Vietnamese message and changes nothing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.formatting import format_date_short, format_doc_number
from core.numbering import period_label, register_period
from reports.plans.models import Plan, Section
from units.lifecycle import issuing_body_ensure_valid, unit_ensure_active
from units.models import IssuingBody, Unit


def _check_may_issue(*, user, body: IssuingBody) -> None:
    """Only a reviewer of the body's unit (or a superuser) issues plans under that body."""
    if user.is_superuser:
        return
    staff = getattr(user, "staff", None)
    if staff is None or not staff.is_reviewer or staff.unit_id != body.unit_id:
        raise PermissionDenied(_("Bạn không có quyền ban hành văn bản của cơ quan này."))


def plan_reference(*, number: int, kind: str, body: IssuingBody) -> str:
    """The plan's number and symbol: 132-HD/BTGTU."""
    return format_doc_number(number, kind, body.code_suffix)


def _validate(*, body: IssuingBody, number: int, kind: str, issued_on: dt.date, deadline: dt.date,
              period_start: dt.date, period_end: dt.date, reference: str, sections: list[Section]) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in Plan.Kind.values:
        errors.setdefault("kind", []).append(_("Loại văn bản không hợp lệ."))
    if not isinstance(number, int) or number <= 0:
        errors.setdefault("number", []).append(_("Số văn bản phải là số nguyên dương."))
    if period_end < period_start:
        errors.setdefault("period_end", []).append(_("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."))
    if deadline < issued_on:
        errors.setdefault("deadline", []).append(
            _("Hạn báo cáo (%(deadline)s) không thể trước ngày ban hành (%(issued)s).")
            % {"deadline": format_date_short(deadline), "issued": format_date_short(issued_on)}
        )
    if not sections:
        errors.setdefault("sections", []).append(_("Chọn ít nhất một mục cần thu thập."))
    # A number is unique within the body's register and numbering period (another district's board has its
    # own 120-CV/BTGHU; the same board numbers from 1 again next year).
    period = register_period(issued_on)
    if (not errors.get("number") and not errors.get("kind")
            and Plan.objects.filter(issuing_body=body, period=period, reference=reference).exists()):
        errors.setdefault("number", []).append(
            _("%(body)s đã có văn bản số %(reference)s trong %(period)s. Vui lòng kiểm tra lại số văn bản.")
            % {"body": body.name, "reference": reference, "period": period_label(period)}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_create(
    *,
    user,
    body: IssuingBody,
    kind: str,
    number: int,
    issued_on: dt.date,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    sections: Iterable[Section],
    topic: str = "",
    documents_to_study: str = "",
    scope: str = Plan.Scope.DIRECT,
    include_own: bool = True,
    relays: Plan | None = None,
) -> Plan:
    """Issue a plan under `body`: the units below will have to report by `deadline`."""
    _check_may_issue(user=user, body=body)
    if isinstance(issued_on, dt.date):
        unit_ensure_active(unit=body.unit, on=issued_on, action=_("ban hành văn bản"))
        issuing_body_ensure_valid(body=body, on=issued_on)
    sections = list(sections)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Vui lòng nhập trích yếu của văn bản.")]})
    if scope not in Plan.Scope.values:
        raise ValidationError({"scope": [_("Phạm vi đơn vị phải báo cáo không hợp lệ.")]})
    reference = plan_reference(number=number, kind=kind, body=body) if kind in Plan.Kind.values and number else ""
    _validate(body=body, number=number, kind=kind, issued_on=issued_on, deadline=deadline, period_start=period_start,
              period_end=period_end, reference=reference, sections=sections)
    plan = Plan.objects.create(
        kind=kind, number=number, reference=reference, issuing_body=body, issued_on=issued_on, title=title,
        topic=(topic or "").strip(), documents_to_study=_clean_lines(documents_to_study),
        period_start=period_start, period_end=period_end, deadline=deadline, scope=scope,
        include_own=include_own, relays=relays,
    )
    plan.sections.set(sections)
    return plan


@transaction.atomic
def plan_relay(
    *,
    plan: Plan,
    body: IssuingBody,
    number: int,
    issued_on: dt.date,
    deadline: dt.date,
    user,
    kind: str = Plan.Kind.LETTER,
    title: str = "",
    scope: str = Plan.Scope.DIRECT,
    include_own: bool = True,
) -> Plan:
    """Relay an upper level's `plan` to the units of `body`'s unit, with its own number and an earlier deadline.

    The relay keeps the period, topic, documents to study and sections of the plan, and `relays` points
    at it, so the unit's report to the upper level can cite the upper level's request.
    """
    issuer: Unit = plan.issuing_body.unit
    unit: Unit = body.unit
    if unit.pk == issuer.pk or not unit.path.startswith(issuer.path):
        raise ValidationError(
            _("Chỉ đơn vị cấp dưới của %(issuer)s mới triển khai được văn bản này.") % {"issuer": issuer.name}
        )
    if Plan.objects.filter(relays=plan, issuing_body__unit=unit).exists():
        raise ValidationError(
            _("%(unit)s đã triển khai %(plan)s.") % {"unit": unit.name, "plan": str(plan)}
        )
    if deadline > plan.deadline:
        raise ValidationError({"deadline": [
            _("Hạn báo cáo phải không muộn hơn hạn của cấp trên (%(deadline)s).")
            % {"deadline": format_date_short(plan.deadline)}
        ]})
    if issued_on < plan.issued_on:
        raise ValidationError({"issued_on": [
            _("Ngày ban hành không thể trước ngày của văn bản cấp trên (%(issued)s).")
            % {"issued": format_date_short(plan.issued_on)}
        ]})
    return plan_create(
        user=user, body=body, kind=kind, number=number, issued_on=issued_on, title=title or plan.title,
        period_start=plan.period_start, period_end=plan.period_end, deadline=deadline,
        sections=plan.sections.all(), topic=plan.topic, documents_to_study=plan.documents_to_study,
        scope=scope, include_own=include_own, relays=plan,
    )


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
