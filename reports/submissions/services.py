"""Writes to submissions: values and rows with their audit, and the life cycle.

Every write is keyword-only, runs in one transaction, checks the optimistic-lock version and
records who changed what (and on whose behalf) in `ValueChange` and `SubmissionEvent`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from reports.plans.models import Indicator, Plan
from reports.submissions import notices, policy
from reports.submissions.freeze import frozen_reasons, refuse_if_frozen
from reports.submissions.models import (
    BehalfSource,
    Submission,
    SubmissionEvent,
    SubmissionRow,
    SubmissionValue,
    ValueChange,
)
from units.lifecycle import staff_ensure_active, unit_ensure_active
from units.models import Unit

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
    if not Submission.objects.filter(plan=plan, unit=unit).exists():
        unit_ensure_active(unit=unit, action=_("lập báo cáo"))
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
    require_source: bool = False,
    behalf_source: dict | None = None,
) -> SaveResult:
    """Store numbers/texts (by indicator code) and row lists; audit each change.

    Refuses a locked submission and negative numbers. `source` is "form:<section>" or
    "file:<name>". Unchanged values write nothing (and are not audited). With `expected_version`
    (the version the form was loaded with) a stale save raises `SubmissionConflict` and writes nothing.
    Checking the figures is `validation.validate_values`' job, called by the form or importer first.
    With `require_source` (every page and upload of a user) figures entered on the unit's behalf need how
    they came (`behalf_sources_ensure`; `behalf_source` records it with the same save).
    """
    submission = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    refuse_if_frozen(submission)
    _check_version(submission, expected_version)
    if not submission.is_editable:
        raise ValidationError(_("Báo cáo đã gửi hoặc đã được tiếp nhận, không thể sửa."))
    unit_ensure_active(unit=submission.unit, action=_("nhập, sửa số liệu"))
    if require_source:
        behalf_sources_ensure(submissions=[submission], user=user, source=behalf_source)
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
def submission_warnings_confirm(*, submission: Submission, user, warnings: list[str]) -> SubmissionEvent | None:
    """Record that the officer saved figures despite these warnings (the reviewer sees them, and who confirmed)."""
    created = submissions_warnings_confirm_bulk(items=[(submission, warnings)], user=user)
    return created[0] if created else None


@transaction.atomic
def submissions_warnings_confirm_bulk(*, items: list[tuple[Submission, list[str]]], user) -> list[SubmissionEvent]:
    """`submission_warnings_confirm` for many submissions (a district workbook) in one statement."""
    events = []
    for submission, warnings in items:
        warnings = [w for w in dict.fromkeys(warnings) if w]
        if warnings:
            events.append(SubmissionEvent(submission=submission, action=SubmissionEvent.Action.CONFIRM, user=user,
                                          on_behalf=_is_on_behalf(submission, user), reason="\n".join(warnings)))
    return SubmissionEvent.objects.bulk_create(events) if events else []


def behalf_source_record(*, submission: Submission, user, channel: str, sender: str, received_on,
                         note: str = "") -> BehalfSource:
    """Record how figures entered on the unit's behalf came (phone, paper, e-mail), from whom and when."""
    if not _is_on_behalf(submission, user):
        raise ValidationError(_("Chỉ ghi nguồn số liệu khi nhập thay đơn vị khác."))
    if channel not in BehalfSource.Channel.values:
        raise ValidationError(_("Hãy chọn số liệu nhận qua điện thoại, văn bản giấy, thư điện tử hoặc cách khác."),
                              code="behalf_source_invalid")
    if not sender.strip():
        raise ValidationError(_("Hãy ghi người cung cấp số liệu."), code="behalf_source_invalid")
    if received_on > timezone.localdate():
        raise ValidationError(_("Ngày nhận số liệu không được sau hôm nay."), code="behalf_source_invalid")
    return BehalfSource.objects.create(submission=submission, channel=channel, sender=sender.strip()[:200],
                                       received_on=received_on, note=note.strip()[:500], entered_by=user)


BEHALF_SOURCE_MISSING = _lazy(
    "Đang nhập thay %(units)s: hãy ghi trước số liệu nhận qua đâu (điện thoại, văn bản giấy, thư điện tử), từ ai và "
    "ngày nào (mục “Nguồn số liệu nhập thay” đầu biểu mẫu, hoặc trên trang tổng quan của báo cáo). Chưa có gì được "
    "lưu.")


def behalf_sources_ensure(*, submissions: list[Submission], user, source: dict | None = None) -> None:
    """THE rule of entry on behalf: figures entered or sent for another unit must say how they came.

    For each submission `user` acts on for another unit (`_is_on_behalf`) that has no `BehalfSource` yet,
    `source` (channel, sender, received_on, note: what the form asked, once) is recorded when given;
    any that still has none refuses the whole call with one Vietnamese message naming the units. Every
    path calls it: a section saved on the web and its autosave, a unit or district workbook uploaded on a
    unit's behalf, submitting on its behalf. Two queries whatever the number of submissions (and one
    insert when recording). Call it inside the transaction that writes, so a refusal writes nothing.
    """
    behalf = [s for s in submissions if s.pk is not None and _is_on_behalf(s, user)]
    if not behalf:
        return
    have = set(BehalfSource.objects.filter(submission__in=[s.pk for s in behalf])
               .values_list("submission_id", flat=True))
    missing = [s for s in behalf if s.pk not in have]
    if not missing:
        return
    if source is not None:
        for submission in missing:
            behalf_source_record(submission=submission, user=user, **source)
        return
    names = [s.unit_name or str(s.unit) for s in missing]
    units = ", ".join(names[:5]) + (_(" và %(n)s đơn vị khác") % {"n": len(names) - 5} if len(names) > 5 else "")
    raise ValidationError(str(BEHALF_SOURCE_MISSING) % {"units": units}, code="behalf_source_missing")


@transaction.atomic
def submission_submit(*, submission: Submission, user, at=None, expected_version: int | None = None,
                      require_source: bool = False) -> Submission:
    """Draft or returned → submitted. The first submission time decides on time / late."""
    submission = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    refuse_if_frozen(submission)
    _check_version(submission, expected_version)
    if not submission.is_editable:
        raise ValidationError(_("Chỉ gửi được báo cáo đang nhập hoặc bị trả lại."))
    at = at or timezone.now()
    unit_ensure_active(unit=submission.unit, on=at, action=_("gửi báo cáo"))
    staff_ensure_active(user=user, on=at, action=_("gửi báo cáo"))
    on_behalf = _is_on_behalf(submission, user)
    if require_source:
        behalf_sources_ensure(submissions=[submission], user=user)
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = at
    submission.first_submitted_at = submission.first_submitted_at or at
    submission.version += 1
    submission.save(update_fields=["status", "submitted_at", "first_submitted_at", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.SUBMIT, user=user,
                                   on_behalf=on_behalf, at=at)
    notices.notify_submitted(submission, actor=user, at=at)
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission, user, at=None, expected_version: int | None = None) -> Submission:
    """Submitted → accepted (locked)."""
    submission = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    refuse_if_frozen(submission)
    _check_version(submission, expected_version)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Chỉ tiếp nhận được báo cáo đã gửi."))
    at = at or timezone.now()
    staff_ensure_active(user=user, on=at, action=_("tiếp nhận báo cáo"))
    submission.status = Submission.Status.ACCEPTED
    submission.accepted_at = at
    submission.version += 1
    submission.save(update_fields=["status", "accepted_at", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.ACCEPT, user=user, at=at)
    notices.notify_accepted(submission, actor=user, at=at)
    return submission


def submissions_accept_many(*, submissions: list[Submission], user) -> tuple[list[Submission], list[tuple[str, str]]]:
    """Accept several submissions, each as one by one would (same permission and state checks, own
    transaction): returns those accepted and (unit name, reason) for each one refused."""
    accepted, refused = [], []
    for submission in submissions:
        if not policy.may_review(user, submission):
            refused.append((submission.unit_name, _("Bạn không có quyền tiếp nhận báo cáo của đơn vị này.")))
            continue
        try:
            accepted.append(submission_accept(submission=submission, user=user))
        except ValidationError as exc:
            refused.append((submission.unit_name, " ".join(exc.messages)))
    return accepted, refused


@transaction.atomic
def submission_return(*, submission: Submission, user, reason: str,
                      expected_version: int | None = None) -> Submission:
    """Submitted → returned with a reason (required)."""
    if not reason.strip():
        raise ValidationError(_("Phải nêu lý do trả lại."))
    submission = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    refuse_if_frozen(submission)
    _check_version(submission, expected_version)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi."))
    staff_ensure_active(user=user, action=_("trả lại báo cáo"))
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason.strip()
    submission.version += 1
    submission.save(update_fields=["status", "return_reason", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.RETURN, user=user,
                                   reason=reason.strip())
    notices.notify_returned(submission, actor=user, reason=reason.strip())
    return submission


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason: str,
                      expected_version: int | None = None) -> Submission:
    """Accepted → returned, by the reviewer, with a reason (required)."""
    if not reason.strip():
        raise ValidationError(_("Phải nêu lý do mở lại."))
    submission = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    refuse_if_frozen(submission)
    _check_version(submission, expected_version)
    if submission.status != Submission.Status.ACCEPTED:
        raise ValidationError(_("Chỉ mở lại được báo cáo đã tiếp nhận."))
    unit_ensure_active(unit=submission.unit, action=_("mở lại báo cáo của đơn vị"))
    staff_ensure_active(user=user, action=_("mở lại báo cáo"))
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason.strip()
    submission.accepted_at = None
    submission.version += 1
    submission.save(update_fields=["status", "return_reason", "accepted_at", "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=SubmissionEvent.Action.REOPEN, user=user,
                                   reason=reason.strip())
    notices.notify_returned(submission, actor=user, reason=reason.strip())
    return submission


# --------------------------------------------------------------------------------------------------
# Bulk writes (a district workbook: thousands of submissions in one transaction)
# --------------------------------------------------------------------------------------------------


class BulkSaveRefused(ValidationError):
    """A bulk save refused because of one submission (`submission`); nothing was saved."""

    def __init__(self, message, *, submission: Submission):
        super().__init__(message)
        self.submission = submission


class BulkSaveConflict(SubmissionConflict):
    """A bulk save met a submission saved meanwhile (`submission`); nothing was saved."""

    def __init__(self, *, submission: Submission):
        super().__init__()
        self.submission = submission


@transaction.atomic
def submissions_get_or_create_bulk(*, plan: Plan, units: list, user=None) -> dict[int, Submission]:
    """The units' submissions for the plan (by unit pk), the missing ones created as empty drafts.

    Same result as `submission_get_or_create` per unit (names kept at creation, a CREATE event for each
    new draft), in a constant number of queries.
    """
    units = list(units)
    found = {s.unit_id: s for s in Submission.objects.filter(plan=plan, unit__in=units)}
    missing = [u for u in units if u.pk not in found]
    if not missing:
        return found
    parent_paths = {u.parent_path for u in missing if u.depth > 1}
    parents = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "name"))
    Submission.objects.bulk_create(
        [Submission(plan=plan, unit=u, unit_name=u.name, parent_name=parents.get(u.parent_path, "")
                    if u.depth > 1 else "") for u in missing],
        ignore_conflicts=True)  # a unit created meanwhile by someone else keeps its draft
    created = {s.unit_id: s for s in Submission.objects.filter(plan=plan, unit__in=missing)}
    now = timezone.now()
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(submission=s, action=SubmissionEvent.Action.CREATE, user=user, at=now,
                        on_behalf=user is not None and _is_on_behalf(s, user))
        for s in created.values())
    found.update(created)
    return found


@transaction.atomic
def submissions_save_values_bulk(
    *,
    changes: list[tuple[Submission, dict[str, int | str | None]]],
    user,
    source: str,
    expected_versions: dict[int, int] | None = None,
    require_source: bool = False,
    behalf_source: dict | None = None,
) -> int:
    """Store numbers/texts of many submissions at once; the same rules as `submission_save_values`.

    `changes` pairs a submission with its values by indicator code. `expected_versions` maps a
    submission pk to the version its data was read with (absent: not checked). All or nothing: a
    frozen, submitted/accepted or stale submission, an unknown indicator or a negative number refuses
    the whole call (`BulkSaveRefused` / `BulkSaveConflict`, naming the submission) and writes nothing.
    Unchanged values are neither written nor audited; each changed submission gets its version bumped,
    one `ValueChange` per changed value and one SAVE event. Returns the number of changed values.

    Queries do not grow with the number of submissions: lock, signed reports, indicators, stored values,
    version bump (and its check where the database has no row locks), then one statement per kind of row
    (values updated/inserted, audit, events): an executemany on SQLite, multi-row statements on PostgreSQL
    (one per 30.000 parameters, so a 190.000-value file takes a few dozen).
    """
    expected_versions = expected_versions or {}
    wanted: dict[int, dict[str, int | str | None]] = {}
    for submission, values in changes:
        wanted.setdefault(submission.pk, {}).update(values)
    if not wanted:
        return 0
    locked = {s.pk: s for s in Submission.objects.select_for_update(of=("self",)).select_related("unit")
              .filter(pk__in=list(wanted)).order_by("pk")}
    subs = [locked[pk] for pk in wanted if pk in locked]
    if len(subs) != len(wanted):
        raise ValidationError(_("Không tìm thấy báo cáo của đơn vị để lưu số liệu."))
    frozen = frozen_reasons(subs)
    for s in subs:
        if s.pk in frozen:
            raise BulkSaveRefused(frozen[s.pk].message, submission=s)
        if s.pk in expected_versions and s.version != expected_versions[s.pk]:
            raise BulkSaveConflict(submission=s)
        if not s.is_editable:
            raise BulkSaveRefused(_("Báo cáo đã gửi hoặc đã được tiếp nhận, không thể sửa."), submission=s)
        try:
            unit_ensure_active(unit=s.unit, action=_("nhập, sửa số liệu"))
        except ValidationError as exc:
            raise BulkSaveRefused(exc.messages[0], submission=s) from exc
    staff_ensure_active(user=user, action=_("nhập, sửa số liệu"))
    if require_source:  # the units entered on their behalf: how their figures came (`behalf_sources_ensure`)
        behalf_sources_ensure(submissions=subs, user=user, source=behalf_source)
    codes = {code for values in wanted.values() for code in values}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unknown = codes - set(indicators)
    if unknown:
        raise ValidationError(_("Chỉ tiêu không tồn tại: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    by_id = {i.pk: i for i in indicators.values()}
    kinds = {code: (i.pk, i.is_number) for code, i in indicators.items()}  # looked up 190.000 times
    # Stored values as plain tuples: (pk, number, text) by (submission pk, indicator code).
    existing: dict[tuple[int, str], tuple[int, int | None, str]] = {
        (sub_id, by_id[ind_id].code): (pk, number, text)
        for pk, sub_id, ind_id, number, text in SubmissionValue.objects.filter(
            submission_id__in=list(wanted), indicator_id__in=list(by_id)).values_list(
            "pk", "submission_id", "indicator_id", "number", "text")
    }
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    # Rows as tuples in the column order of the INSERT/UPDATE statements below.
    number_updates: list[tuple] = []
    text_updates: list[tuple] = []
    inserts: list[tuple] = []
    audit: list[tuple] = []
    changed: list[tuple[Submission, bool]] = []
    for s in subs:
        on_behalf = _is_on_behalf(s, user)
        before = len(audit)
        pk = s.pk
        for code, new in wanted[pk].items():
            indicator_id, is_number = kinds[code]
            current = existing.get((pk, code))
            if is_number:
                if new is not None and new != "" and int(new) < 0:
                    raise BulkSaveRefused(_("%(label)s: không được là số âm.") % {"label": indicators[code].label},
                                          submission=s)
                new_value = None if new in (None, "") else int(new)
                old = current[1] if current else None
                if old == new_value:
                    continue
                old_repr, new_repr = _render(old), _render(new_value)
                if current:
                    number_updates.append((current[0], new_value))
                else:
                    inserts.append((pk, indicator_id, new_value, ""))
            else:
                new_value = (new or "").replace("\r\n", "\n")
                old = current[2] if current else ""
                if old == new_value:
                    continue
                old_repr, new_repr = old, new_value
                if current:
                    text_updates.append((current[0], new_value))
                else:
                    inserts.append((pk, indicator_id, None, new_value))
            audit.append((pk, indicator_id, None, "", old_repr, new_repr, user_id, on_behalf, source))
        if len(audit) > before:
            changed.append((s, on_behalf))
    if not changed:
        return 0
    # Optimistic lock: the versions were checked under the row lock; one UPDATE bumps them all.
    behalf = [s.pk for s, on_behalf in changed if on_behalf]
    Submission.objects.filter(pk__in=[s.pk for s, _f in changed]).update(
        version=F("version") + 1, last_entered_by=user, updated_at=now,
        entered_on_behalf=Case(When(pk__in=behalf, then=Value(True)), default=Value(False)) if behalf else False)
    if not connection.features.has_select_for_update:
        # No row locks (SQLite): a save that slipped in between shows as a version bumped twice.
        bumped = dict(Submission.objects.filter(pk__in=[s.pk for s, _f in changed]).values_list("pk", "version"))
        for s, _flag in changed:
            if bumped.get(s.pk) != s.version + 1:
                raise BulkSaveConflict(submission=s)
    for s, on_behalf in changed:
        s.version += 1
        s.last_entered_by, s.entered_on_behalf, s.updated_at = user, on_behalf, now
    # A district file may change 190.000 values: multi-row statements instead of 380.000 model instances
    # (~90 % of the time in bulk_create/bulk_update) or a round trip per row (psycopg2's executemany).
    at = ValueChange._meta.get_field("at").get_db_prep_save(now, connection)
    _execute_many(SubmissionValue, "UPDATE", ["number"], number_updates)
    _execute_many(SubmissionValue, "UPDATE", ["text"], text_updates)
    _execute_many(SubmissionValue, "INSERT", ["submission", "indicator", "number", "text"], inserts)
    _execute_many(ValueChange, "INSERT", ["submission", "indicator", "row_position", "field", "old_value",
                                          "new_value", "user", "on_behalf", "source", "at"],
                  [(*row, at) for row in audit])
    _execute_many(SubmissionEvent, "INSERT", ["submission", "action", "user", "on_behalf", "reason", "at"],
                  [(s.pk, SubmissionEvent.Action.SAVE.value, user_id, on_behalf, source, at)
                   for s, on_behalf in changed])
    return len(audit)


def _max_params() -> int:
    """Parameters one multi-row statement carries (psycopg2 binds on the client: no protocol limit)."""
    return 30_000


def _execute_many(model, verb: str, fields: list[str], rows: list[tuple]) -> None:
    """INSERT (`fields` in row order) or UPDATE (the pk then `fields`) all `rows`, never one model instance
    per row (bulk_create) nor one round trip per row (psycopg2's executemany).

    PostgreSQL: multi-row statements of up to `_max_params()` parameters (an UPDATE joins a VALUES list,
    `UPDATE … FROM (VALUES …)`); SQLite (in-process): one executemany.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    table = quote(meta.db_table)
    width = len(fields) + (verb == "UPDATE")
    row_sql = "(" + ", ".join(["%s"] * width) + ")"
    if connection.vendor == "sqlite":
        # In-process: executemany reuses one prepared statement (no round trips, no huge SQL text to parse).
        names = [quote(c.column) for c in columns]
        if verb == "INSERT":
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES {row_sql}"
        else:
            sql = f"UPDATE {table} SET {', '.join(f'{n} = %s' for n in names)} WHERE {quote(meta.pk.column)} = %s"
            rows = [(*row[1:], row[0]) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return
    size = max(1, _max_params() // width)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            values = ", ".join([row_sql] * len(chunk))
            params = [value for row in chunk for value in row]
            if verb == "INSERT":
                names = ", ".join(quote(c.column) for c in columns)
                cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}", params)
            else:
                # VALUES columns are named column1, column2 … on both databases; casts type NULL-only columns.
                sets = ", ".join(f"{quote(c.column)} = CAST(v.column{n} AS {c.cast_db_type(connection)})"
                                 for n, c in enumerate(columns, start=2))
                cursor.execute(f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v "
                               f"WHERE {table}.{quote(meta.pk.column)} = v.column1", params)
