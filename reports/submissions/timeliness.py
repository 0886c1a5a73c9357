"""THE timeliness rule (on time, late, missing, pending), in Python and, beside it, as SQL.

A unit is on time when it first sent its figures by the end of the deadline day (local time), late when it
sent them after; before it has sent anything it is pending until that moment and missing after. A
submission returned and sent again keeps its first sending (`first_submitted_at`). The same rule serves
submissions, the status board (in SQL, `timeliness_expression`), open requests and the roll-up (also for
a unit that answers with its signed report: its moment is the report's).
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Chậm")
    MISSING = "missing", _("Chưa báo cáo")
    PENDING = "pending", _("Chưa đến hạn")


def deadline_end(deadline: dt.date) -> dt.datetime:
    """The last moment a report is on time: the end of the deadline day, local time."""
    return dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def timeliness(*, deadline: dt.date, first_submitted_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """The timeliness of a unit that first sent its report at `first_submitted_at` (None: not yet), at `now`."""
    end = deadline_end(deadline)
    if first_submitted_at is not None:
        return Timeliness.ON_TIME if first_submitted_at <= end else Timeliness.LATE
    return Timeliness.MISSING if (now or timezone.now()) > end else Timeliness.PENDING


def timeliness_expression(*, deadline: dt.date, now: dt.datetime | None = None,
                          field: str = "first_submitted_at") -> Case:
    """`timeliness` as a SQL expression over the column `field` (for `.annotate()`): the same rule."""
    end = deadline_end(deadline)
    overdue = (now or timezone.now()) > end
    return Case(
        When(**{f"{field}__isnull": False, f"{field}__lte": end}, then=Value(Timeliness.ON_TIME.value)),
        When(**{f"{field}__isnull": False}, then=Value(Timeliness.LATE.value)),
        default=Value(Timeliness.MISSING.value if overdue else Timeliness.PENDING.value),
        output_field=CharField(),
    )
