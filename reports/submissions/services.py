"""Writes to submissions: values and rows with their audit, and the life cycle.

Every write is keyword-only, runs in one transaction, checks the optimistic-lock version and
records who changed what (and on whose behalf) in `ValueChange` and `SubmissionEvent`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from reports.plans.models import Indicator, Plan
from reports.submissions.models import (
    Submission,
    SubmissionEvent,
    SubmissionRow,
    SubmissionValue,
    ValueChange,
)

CONFLICT_MESSAGE = _lazy(
    "Báo cáo này vừa được người khác lưu hoặc chuyển trạng thái sau khi bạn mở trang, nên số liệu của bạn "
    "CHƯA được lưu. Số liệu bạn vừa nhập vẫn được giữ trong biểu mẫu; hãy so sánh với số liệu hiện có rồi "
    "lưu lại nếu bạn chắc chắn."
)


class SubmissionConflict(Exception):
    """Someone saved the submission after this form was loaded (optimistic lock)."""

    def __init__(self, message=None):
        super().__init__(str(message or CONFLICT_MESSAGE))


def _check_version(submission: Submission, expected_version: int | None) -> None:
    if expected_version is not None and submission.version != expected_version:
        raise SubmissionConflict()


@dataclass
class SaveResult:
    submission: Submission
    changed: list[tuple[str, Any, Any]] = field(default_factory=list)


def _is_on_behalf(submission: Submission, user) -> bool:
    staff = getattr(user, "staff", None)
    return staff is None or staff.unit_id != submission.unit_id


def submission_get_or_create(*, plan: Plan, unit, user=None) -> Submission:
    """The unit's submission for the plan, created as an empty draft if there is none yet."""
    parent = unit.get_parent()
    submission, created = Submission.objects.get_or_create(
        plan=plan, unit=unit, defaults={"unit_name": unit.name, "parent_name": parent.name if parent else ""}
    )
    if created:
        SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.CREATE, user=user,
                                       on_behalf=user is not None and _is_on_behalf(submission, user))
    return submission


def _bump_version(submission: Submission, expected_version: int | None, user, on_behalf: bool) -> None:
    """Optimistic lock: one UPDATE that only succeeds if nobody saved since `expected_version`."""
    qs = Submission.objects.filter(pk=submission.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    updated = qs.update(version=F("version") + 1, last_entered_by=user, entered_on_behalf=on_behalf,
                        updated_at=timezone.now())
    if not updated:
        raise SubmissionConflict()
    submission.refresh_from_db(fields=["version", "last_entered_by", "entered_on_behalf", "updated_at"])


def _refuse_if_frozen(submission: Submission) -> None:
    """Figures behind a signed report never change (the signing app decides what is frozen)."""
    from reports.signing.selectors import submission_is_frozen

    if submission_is_frozen(submission):
        raise ValidationError(_("Số liệu này đã được tổng hợp vào báo cáo đã ký số, không thể sửa hay mở lại."))


def _render(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@transaction.atomic
def submission_save_values(
    *,
    submission: Submission,
    user,
    values: dict[str, int | str | None],
    rows: dict[str, list[dict]] | None = None,
    source: str,
    expected_version: int | None = None,
) -> SaveResult:
    """Store numbers/texts (by indicator code) and row lists; audit each change.

    Refuses a locked submission and negative numbers. `source` is "form:<section>" or
    "file:<name>". Unchanged values write nothing (and are not audited). With `expected_version`
    (the version the form was loaded with) a stale save raises `SubmissionConflict` and writes nothing.
    Checking the figures is `validation.validate_values`' job, called by the form or importer first.
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _refuse_if_frozen(submission)
    _check_version(submission, expected_version)
    if not submission.is_editable:
        raise ValidationError(_("Báo cáo đã gửi hoặc đã được tiếp nhận, không thể sửa."))
    on_behalf = _is_on_behalf(submission, user)
    codes = set(values) | set(rows or {})
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unknown = codes - set(indicators)
    if unknown:
        raise ValidationError(_("Chỉ tiêu không tồn tại: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    existing = {
        v.indicator.code: v
        for v in submission.values.select_related("indicator").filter(indicator__code__in=values)
    }
    result = SaveResult(submission=submission)
    audit: list[ValueChange] = []
    now = timezone.now()
    for code, new in values.items():
        indicator = indicators[code]
        current = existing.get(code)
        if indicator.is_number:
            if new is not None and int(new) < 0:
                raise ValidationError(_("%(label)s: không được là số âm.") % {"label": indicator.label})
            new_number = None if new in (None, "") else int(new)
            old = current.number if current else None
            if old == new_number:
                continue
            if current:
                current.number = new_number
                current.save(update_fields=["number"])
            else:
                SubmissionValue.objects.create(submission=submission, indicator=indicator, number=new_number)
            old_repr, new_repr = _render(old), _render(new_number)
        else:
            new_text = (new or "").replace("\r\n", "\n")
            old = current.text if current else ""
            if old == new_text:
                continue
            if current:
                current.text = new_text
                current.save(update_fields=["text"])
            else:
                SubmissionValue.objects.create(submission=submission, indicator=indicator, text=new_text)
            old_repr, new_repr = old, new_text
        result.changed.append((code, old_repr, new_repr))
        audit.append(ValueChange(submission=submission, indicator=indicator, old_value=old_repr, new_value=new_repr,
                                 user=user, on_behalf=on_behalf, source=source, at=now))
    for code, new_rows in (rows or {}).items():
        indicator = indicators[code]
        old_rows = [r.data for r in submission.rows.filter(indicator=indicator).order_by("position")]
        if old_rows == new_rows:
            continue
        submission.rows.filter(indicator=indicator).delete()
        SubmissionRow.objects.bulk_create(
            SubmissionRow(submission=submission, indicator=indicator, position=n, data=data)
            for n, data in enumerate(new_rows)
        )
        result.changed.append((code, len(old_rows), len(new_rows)))
        for n in range(max(len(old_rows), len(new_rows))):
            old_row = old_rows[n] if n < len(old_rows) else None
            new_row = new_rows[n] if n < len(new_rows) else None
            if old_row != new_row:
                audit.append(ValueChange(
                    submission=submission, indicator=indicator, row_position=n,
                    old_value=_render(old_row), new_value=_render(new_row),
                    user=user, on_behalf=on_behalf, source=source, at=now))
    if result.changed:
        _bump_version(submission, expected_version, user, on_behalf)
    ValueChange.objects.bulk_create(audit)
    if result.changed:
        SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.SAVE, user=user,
                                       on_behalf=on_behalf, reason=source, at=now)
    return result


@transaction.atomic
def submission_submit(*, submission: Submission, user, at=None, expected_version: int | None = None) -> Submission:
    """Draft or returned → submitted. The first submission time decides on time / late."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_version(submission, expected_version)
    if not submission.is_editable:
        raise ValidationError(_("Chỉ gửi được báo cáo đang nhập hoặc bị trả lại."))
    at = at or timezone.now()
    on_behalf = _is_on_behalf(submission, user)
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = at
    submission.first_submitted_at = submission.first_submitted_at or at
    submission.version += 1
    submission.save(update_fields=["status", "submitted_at", "first_submitted_at", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.SUBMIT, user=user,
                                   on_behalf=on_behalf, at=at)
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission, user, at=None, expected_version: int | None = None) -> Submission:
    """Submitted → accepted (locked)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_version(submission, expected_version)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Chỉ tiếp nhận được báo cáo đã gửi."))
    at = at or timezone.now()
    submission.status = Submission.Status.ACCEPTED
    submission.accepted_at = at
    submission.version += 1
    submission.save(update_fields=["status", "accepted_at", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.ACCEPT, user=user, at=at)
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, user, reason: str,
                      expected_version: int | None = None) -> Submission:
    """Submitted → returned with a reason (required)."""
    if not reason.strip():
        raise ValidationError(_("Phải nêu lý do trả lại."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_version(submission, expected_version)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi."))
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason.strip()
    submission.version += 1
    submission.save(update_fields=["status", "return_reason", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.RETURN, user=user,
                                   reason=reason.strip())
    return submission


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason: str,
                      expected_version: int | None = None) -> Submission:
    """Accepted → returned, by the reviewer, with a reason (required)."""
    if not reason.strip():
        raise ValidationError(_("Phải nêu lý do mở lại."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_version(submission, expected_version)
    _refuse_if_frozen(submission)
    if submission.status != Submission.Status.ACCEPTED:
        raise ValidationError(_("Chỉ mở lại được báo cáo đã tiếp nhận."))
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason.strip()
    submission.accepted_at = None
    submission.version += 1
    submission.save(update_fields=["status", "return_reason", "accepted_at", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.REOPEN, user=user,
                                   reason=reason.strip())
    return submission
