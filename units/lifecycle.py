"""THE rule for what a unit may still do over time: after its end date (dissolved, merged into another,
split) a unit issues, submits, accepts, returns, reopens and signs nothing, and its staff write nothing in
its name. Reading stays where the history allows it (see `core.scoping`).

    unit_ensure_active(unit=tam_duong, on=date(2026, 11, 3), action="ban hành văn bản")  -> ValidationError
    unit_ensure_active(unit=tam_duong, on=date(2023, 10, 30), action="ký")               -> None

`on` is the date the act takes effect (a plan's issue date, a signing date, the moment of a submission),
so a back-dated act before the end date stays possible (`sign_report --date 2023-10-30`).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from core.scoping import get_staff


def _day(on) -> dt.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, dt.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def unit_ensure_active(*, unit, on=None, action: str) -> None:
    """Refuse `action` by or for `unit` on `on` (a date or a moment; today by default) after its end date."""
    day = _day(on)
    if unit.dissolved_on is None or day < unit.dissolved_on:
        return
    successor = unit.successor.name if unit.successor_id else None
    message = _("“%(unit)s” đã kết thúc hoạt động từ ngày %(date)s (giải thể, sáp nhập hoặc chia tách): "
                "không thể %(action)s từ ngày này.") % {"unit": unit.name, "date": format_date_short(unit.dissolved_on),
                                                       "action": action}
    if successor:
        message += " " + _("Đơn vị kế thừa: %(successor)s.") % {"successor": successor}
    else:
        parts = [part.name for part in unit.split_into.order_by("path")]
        if parts:
            message += " " + _("Đã chia tách thành: %(parts)s.") % {"parts": ", ".join(parts)}
    raise ValidationError(message)


def staff_ensure_active(*, user, on=None, action: str) -> None:
    """Refuse `action` by a user whose unit has ended (superusers and users without a unit pass)."""
    staff = get_staff(user)
    if staff is None or getattr(user, "is_superuser", False):
        return
    unit_ensure_active(unit=staff.unit, on=on, action=action)


def issuing_body_ensure_valid(*, body, on: dt.date) -> None:
    """Refuse a document under `body` dated outside the body's period (its successor issues after it)."""
    if body.valid_on(on):
        return
    if on < body.valid_from:
        raise ValidationError(_("Cơ quan ban hành “%(body)s” chỉ có từ ngày %(date)s.")
                              % {"body": body.name, "date": format_date_short(body.valid_from)})
    following = getattr(body, "successor", None)  # a missing reverse one-to-one is an AttributeError
    message = _("Cơ quan ban hành “%(body)s” hết hiệu lực từ ngày %(date)s: không thể ban hành văn bản ngày "
                "%(on)s.") % {"body": body.name, "date": format_date_short(body.valid_to), "on": format_date_short(on)}
    if following is not None:
        message += " " + _("Hãy ban hành dưới tên “%(name)s” (ký hiệu %(suffix)s).") % {
            "name": following.name, "suffix": following.code_suffix}
    raise ValidationError(message)
