"""Writes to consolidated reports: create from a roll-up, refresh the figures, edit the text.

Every write is keyword-only, runs in one transaction and refuses a report that may no longer change
(signed: locked; pending approval or approved: the text and figures are frozen for the approvers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_date_short, format_datetime, format_number, format_percent, local_now, person_name
from core.scoping import get_staff
from notifications.models import Kind as NotificationKind
from notifications.services import notifications_create, users_with_role
from reports.documents import text as report_text
from reports.documents.models import Report, ReportChange, ReportReceipt
from reports.documents.text import typed
from reports.documents.text.parts import comparison as comparison_part
from reports.plans.models import Indicator, Plan
from reports.plans.selectors import plan_rolled_up
from reports.rollup.rules import STATUS_LABELS, STATUS_MISSING, Rollup, compare_with_earlier, rollup
from units.models import IssuingBody, Unit


@dataclass
class RefreshResult:
    """What a refresh changed: human-readable lines (Vietnamese) and the raw (what, old, new) triples."""

    report: Report
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [f"{what}: {old} → {new}" for what, old, new in self.changes]


def _plans_for(*, plan: Plan, unit: Unit) -> tuple[Plan, Plan]:
    """(plan the report answers, plan whose submissions it rolls up)."""
    if plan.issuing_body.unit_id == unit.pk and plan.relays_id:
        return plan.relays, plan
    return plan, plan_rolled_up(plan=plan, unit=unit)


class _Keep:
    """The comparison of a refresh: keep the report's choice (the default)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def check_earlier_plan(*, plan: Plan, earlier: Plan) -> None:
    """An earlier plan a report may compare with: asked at the top (not a relay, whose figures are in the plan it
    relays), issued before the plan the report answers. Who may see it is the view's check (the selector)."""
    root = plan.root_plan
    if earlier.pk == root.pk or earlier.relays_id is not None or earlier.issued_on >= root.issued_on:
        raise ValidationError(_("Kỳ so sánh phải là một kế hoạch, hướng dẫn ban hành trước %(ref)s.")
                              % {"ref": root.reference})


def take_figures(*, plan: Plan, unit: Unit, include_submitted: bool,
                 compare_with: Plan | None) -> tuple[Rollup, dict]:
    """The roll-up as of now and its snapshot; with `compare_with`, the same period's figures beside it
    (`compare_with_earlier`: predecessors added into their successors), stored so the text reproduces."""
    result = rollup(plan=plan, unit=unit, include_submitted=include_submitted)
    snapshot = result.to_snapshot()
    if compare_with is not None:
        snapshot["comparison"] = compare_with_earlier(current=result, earlier=compare_with).to_snapshot()
    return result, snapshot


def _check_reviewer(user, unit: Unit) -> None:
    if user is not None and user.is_superuser:
        return
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer or staff.unit_id != unit.pk:
        raise PermissionDenied(_("Chỉ cán bộ tổng hợp của đơn vị mới lập được báo cáo tổng hợp của đơn vị."))


def _issuing_body(source: Plan, unit: Unit) -> IssuingBody:
    if source.issuing_body.unit_id == unit.pk:
        return source.issuing_body
    body = IssuingBody.objects.filter(unit=unit).valid_on().order_by("-is_default", "code").first()
    if body is None:
        raise ValidationError(_("Đơn vị chưa có cơ quan ban hành văn bản; hãy khai báo trong phần quản trị."))
    return body


@transaction.atomic
def report_get_or_create(*, plan: Plan, unit: Unit, user, include_submitted: bool = False,
                         compare_with: Plan | None = None) -> Report:
    """The unit's report for the plan; a new one is made from the roll-up as of now.

    `plan` may be the plan asked for (132-HD/BTGTU) or the unit's relay of it (120-CV/BTGHU): the report
    answers the former and rolls up the latter. Only a reviewer of the unit itself may create it.
    """
    _check_reviewer(user, unit)
    answers, source = _plans_for(plan=plan, unit=unit)
    existing = Report.objects.filter(plan=answers, unit=unit, replaced_by__isnull=True).first()
    if existing is not None:
        return existing
    body = _issuing_body(source, unit)
    if compare_with is not None:
        check_earlier_plan(plan=answers, earlier=compare_with)
    result, snapshot = take_figures(plan=answers, unit=unit, include_submitted=include_submitted,
                                    compare_with=compare_with)
    blocks = report_text.generate_blocks(snapshot, body_citation=body.citation_name)
    try:
        with transaction.atomic():  # a savepoint: two reviewers clicking at once get the same report
            report = Report.objects.create(
                plan=answers, source_plan=result.plan, unit=unit, issuing_body=body, planned_on=local_now().date(),
                include_submitted=include_submitted, compare_with=compare_with, snapshot=snapshot,
                as_of=result.as_of, summary=report_text.generate_summary(snapshot), blocks=blocks,
                recipients=body.recipients, signer_authority=body.signer_authority, signer_title=body.signer_title,
                signer_name=body.signer_name, created_by=user, updated_by=user,
            )
    except IntegrityError:
        return Report.objects.get(plan=answers, unit=unit, replaced_by__isnull=True)
    ReportChange.objects.create(report=report, kind=ReportChange.Kind.CREATE, user=user, details=[])
    return report


def _ensure_editable(report: Report) -> None:
    if report.is_locked:
        raise ValidationError(_("Báo cáo đã ký, không thể thay đổi."))
    if not report.is_editable:
        raise ValidationError(_("Báo cáo đang trình duyệt hoặc đã duyệt; hãy trả lại báo cáo trước khi sửa."))


def _labels() -> dict[str, str]:
    return dict(Indicator.objects.values_list("code", "label"))


def indicator_labels() -> dict[str, str]:
    """{indicator code: label}: what the editor and the typed-number check call each figure."""
    return _labels()


def _status_words(status: str, included: bool) -> str:
    """"Đã tiếp nhận", "Chưa báo cáo" …, and whether the figures are in the totals (never a raw status code)."""
    words = str(STATUS_LABELS.get(status, status))
    return words if included or status == STATUS_MISSING else _("%(status)s (chưa tính vào tổng hợp)") % {
        "status": words}


def diff_snapshots(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """Changed figures, rates and lists between two snapshots, as Vietnamese (what, old, new)."""
    labels = _labels()
    changes = []
    old_totals, new_totals = old.get("totals", {}), new.get("totals", {})
    for code in new_totals:
        if old_totals.get(code, 0) != new_totals[code]:
            changes.append((labels.get(code, code), format_number(old_totals.get(code, 0)),
                            format_number(new_totals[code])))
    for code, value in new.get("rates", {}).items():
        before = old.get("rates", {}).get(code)
        if before != value:
            changes.append((_("Tỷ lệ: %(label)s") % {"label": labels.get(code, code)},
                            format_percent(Decimal(before)) if before else "-",
                            format_percent(Decimal(value)) if value else "-"))
    names_old = {r["code"]: r["name"] for r in old.get("units", [])}
    names_new = {r["code"]: r["name"] for r in new.get("units", [])}
    for key, label in (("late", _("Đơn vị báo cáo chậm")), ("missing", _("Đơn vị chưa báo cáo"))):
        a = [names_old.get(c, c) for c in old.get(key, [])]
        b = [names_new.get(c, c) for c in new.get(key, [])]
        if a != b:
            changes.append((label, "; ".join(a) or "-", "; ".join(b) or "-"))
    a = [x.get("text", x.get("name")) for x in old.get("below_average", [])]
    b = [x.get("text", x.get("name")) for x in new.get("below_average", [])]
    if a != b:
        changes.append((_("Đơn vị có tỷ lệ thấp hơn mức chung"), "; ".join(a) or "-", "; ".join(b) or "-"))
    before, after = (s.get("comparison", {}).get("plan", {}).get("reference", "-") for s in (old, new))
    if before != after:
        changes.append((_("So với cùng kỳ"), before, after))
    old_status = {r["code"]: (r["status"], r["included"]) for r in old.get("units", [])}
    for row in new.get("units", []):
        before = old_status.get(row["code"])
        if before is not None and before != (row["status"], row["included"]):
            changes.append((row["name"], _status_words(*before), _status_words(row["status"], row["included"])))
    return changes


@transaction.atomic
def report_refresh(*, report: Report, user, include_submitted: bool | None = None,
                   compare_with: Plan | None | _Keep = KEEP) -> RefreshResult:
    """Take the figures again as of now; keep edited wording; record and return what changed.

    `compare_with`: the earlier plan to compare with from now on, None for no comparison; by default the
    report's choice is kept (and its same-period figures are taken again with the report's own).
    """
    report = (
        Report.objects.select_for_update()
        .select_related("issuing_body", "unit__kind", "plan__issuing_body__unit")
        .get(pk=report.pk)
    )
    _ensure_editable(report)
    _check_reviewer(user, report.unit)
    if include_submitted is not None:
        report.include_submitted = include_submitted
    if not isinstance(compare_with, _Keep):
        if compare_with is not None:
            check_earlier_plan(plan=report.plan, earlier=compare_with)
        report.compare_with = compare_with
    result, snapshot = take_figures(plan=report.plan, unit=report.unit, include_submitted=report.include_submitted,
                                    compare_with=report.compare_with)
    changes = diff_snapshots(report.snapshot or {}, snapshot)
    new_blocks = report_text.generate_blocks(snapshot, body_citation=report.issuing_body.citation_name)
    # No comparison any more: its paragraph goes too, edited or not (its same-period figures are gone).
    old_blocks = [b for b in report.blocks or [] if report.compare_with_id or b["key"] != comparison_part.KEY]
    report.blocks = report_text.merge_blocks(old_blocks, new_blocks)
    report.snapshot = snapshot
    report.as_of = result.as_of
    report.version += 1
    report.updated_by = user
    report.save()
    ReportChange.objects.create(report=report, kind=ReportChange.Kind.REFRESH, user=user,
                                details=[{"what": w, "old": o, "new": n} for w, o, n in changes])
    return RefreshResult(report=report, changes=changes)


@transaction.atomic
def report_update_text(
    *, report: Report, user, texts: dict[str, str], summary: str | None = None, recipients: str | None = None,
    reset: list[str] | None = None, expected_version: int | None = None,
) -> Report:
    """Save edited block texts (by block key). Unknown placeholders or an empty text change nothing.

    `reset` lists block keys to put back to their generated wording.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    _ensure_editable(report)
    _check_reviewer(user, report.unit)
    if expected_version is not None and report.version != expected_version:
        raise ValidationError(_("Báo cáo vừa được người khác sửa hoặc cập nhật số liệu. Nội dung bạn sửa chưa được "
                                "lưu; hãy tải lại trang rồi sửa lại."))
    values = report_text.figures(report.snapshot or {})
    errors = []
    blocks = [dict(b) for b in report.blocks]
    by_key = {b["key"]: b for b in blocks}
    changed = []
    for key, new in texts.items():
        # "KEY" is a block's text, "KEY#fn2" its second footnote.
        block_key, _sep, note = key.partition("#fn")
        block = by_key.get(block_key)
        index = int(note) - 1 if note.isdigit() else None
        if block is None or (note and (index is None or not 0 <= index < len(block.get("footnotes", [])))):
            errors.append(_("Không có đoạn văn %(key)s.") % {"key": key})
            continue
        new = " ".join((new or "").replace("\r", "").split("\n")).strip()
        if not new:
            errors.append(_("Đoạn “%(start)s…” không được để trống.") % {"start": block["generated"][:40]})
            continue
        bad = report_text.unknown_placeholders(new, values)
        if bad:
            errors.append(_("Số liệu không tồn tại: %(names)s. Hãy dùng đúng tên trong bảng hướng dẫn.")
                          % {"names": ", ".join(bad)})
            continue
        current = block["footnotes"][index] if index is not None else block["text"]
        if new == current:
            continue
        changed.append({"what": key, "old": current, "new": new})
        if index is not None:
            block["footnotes"] = list(block["footnotes"])
            block["footnotes"][index] = new
        else:
            block["text"] = new
    for key in reset or []:
        if key in by_key and report_text.is_edited(by_key[key]):
            changed.append({"what": key, "old": by_key[key]["text"], "new": by_key[key]["generated"]})
            by_key[key]["text"] = by_key[key]["generated"]
            by_key[key]["footnotes"] = list(by_key[key]["generated_footnotes"])
    if summary is not None:
        summary = summary.strip()
        if not summary:
            errors.append(_("Trích yếu không được để trống."))
        elif summary != report.summary:
            changed.append({"what": "summary", "old": report.summary, "new": summary})
            report.summary = summary
    if recipients is not None and recipients.replace("\r", "").strip() != report.recipients.strip():
        changed.append({"what": "recipients", "old": report.recipients, "new": recipients.strip()})
        report.recipients = recipients.replace("\r", "").strip()
    if errors:
        raise ValidationError(errors)
    if changed:
        report.blocks = blocks
        report.version += 1
        report.updated_by = user
        report.updated_at = timezone.now()
        report.save()
        ReportChange.objects.create(report=report, kind=ReportChange.Kind.EDIT, user=user, details=changed)
    return report


# -- numbers typed instead of bound figures (issue 18.1) ------------------------------------------------

def report_typed_numbers(*, report: Report) -> list[typed.TypedNumber]:
    """Every number typed in the report's text, with the figure it most likely stands for (read only)."""
    return typed.typed_numbers(report.blocks or [], report_text.figures(report.snapshot or {}), _labels())


def report_check_typed_numbers(*, report: Report) -> None:
    """Refuse (ValidationError) while a typed number is neither bound to a figure nor confirmed with a reason.

    Called before a report is sent for approval and before it is signed: no unbound figure reaches a signature.
    """
    open_numbers = [n for n in report_typed_numbers(report=report) if not n.resolved]
    if not open_numbers:
        return
    listed = "; ".join(
        f"“{n.text}” ({n.context})" + (f" – có thể là {n.figure_label}: {n.figure_value}" if n.placeholder else "")
        for n in open_numbers[:5])
    more = _(" và %(n)s số khác") % {"n": len(open_numbers) - 5} if len(open_numbers) > 5 else ""
    raise ValidationError(
        _("Còn %(count)s số gõ tay trong nội dung chưa gắn với số liệu hoặc chưa được xác nhận: %(list)s%(more)s. "
          "Hãy gắn từng số với số liệu, hoặc xác nhận kèm lý do, ở mục “Số gõ tay” của báo cáo.")
        % {"count": len(open_numbers), "list": listed, "more": more})


def _typed_number(report: Report, block_key: str, index: int) -> tuple[dict, typed.TypedNumber]:
    found = next((n for n in report_typed_numbers(report=report) if n.block == block_key and n.index == index), None)
    block = next((b for b in report.blocks if b["key"] == block_key), None)
    if found is None or block is None:
        raise ValidationError(_("Không còn số này trong nội dung (báo cáo vừa được sửa); hãy tải lại trang."))
    return block, found


@transaction.atomic
def report_number_bind(*, report: Report, user, block_key: str, index: int, placeholder: str = "") -> Report:
    """Replace a typed number by a bound figure (the suggested one, or `placeholder`): it can no longer go stale."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _ensure_editable(report)
    _check_reviewer(user, report.unit)
    block, found = _typed_number(report, block_key, index)
    placeholder = (placeholder or found.placeholder).strip()
    if not placeholder or report_text.unknown_placeholders(placeholder, report_text.figures(report.snapshot or {})):
        raise ValidationError(_("Chưa chọn được số liệu để gắn với số “%(n)s”.") % {"n": found.text})
    blocks = [dict(b) for b in report.blocks]
    target = next(b for b in blocks if b["key"] == block_key)
    old = target["text"]
    target["text"] = typed.bind(block, index, placeholder)
    report.blocks = blocks
    report.version += 1
    report.updated_by = user
    report.save()
    ReportChange.objects.create(report=report, kind=ReportChange.Kind.EDIT, user=user, details=[
        {"what": block_key, "old": old, "new": target["text"]}])
    return report


@transaction.atomic
def report_number_confirm(*, report: Report, user, block_key: str, index: int, reason: str) -> Report:
    """Keep a typed number as written, with the reason (recorded, with who and when, and the figure it was matched
    with and that figure's value: a refresh that changes it flags the number again)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _ensure_editable(report)
    _check_reviewer(user, report.unit)
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ValidationError(_("Hãy nêu lý do giữ nguyên số gõ tay (ví dụ: “số báo cáo viên, không phải số liệu "
                                "tổng hợp”)."))
    _block, found = _typed_number(report, block_key, index)
    blocks = [dict(b) for b in report.blocks]
    target = next(b for b in blocks if b["key"] == block_key)
    kept = [c for c in target.get("confirmed_numbers", []) if c.get("number") != found.text]
    confirmation = {"number": found.text, "context": found.context, "reason": reason,
                    "placeholder": found.placeholder, "figure_label": found.figure_label,
                    "figure_value": found.figure_value, "by": user.get_username() if user else "",
                    "by_name": person_name(user),
                    "at": timezone.now().isoformat()}
    target["confirmed_numbers"] = [*kept, confirmation]
    report.blocks = blocks
    report.version += 1
    report.updated_by = user
    report.save()
    ReportChange.objects.create(report=report, kind=ReportChange.Kind.EDIT, user=user, details=[
        {"what": f"{block_key}: số “{found.text}”", "old": found.context,
         "new": _("giữ nguyên, lý do: %(reason)s") % {"reason": reason}}])
    return report


# -- reports moving up the hierarchy (issue 18.5) -------------------------------------------------------

def _check_upper_reviewer(user, report: Report) -> None:
    """Only a reviewer of the level the report answers (the unit that issued the plan) receives it."""
    if user is not None and user.is_superuser:
        return
    staff = get_staff(user)
    if staff is None or not staff.is_reviewer or staff.unit_id != report.plan.issuing_body.unit_id:
        raise PermissionDenied(_("Chỉ cán bộ tổng hợp của cấp nhận báo cáo mới tiếp nhận hoặc trả lại được."))


@transaction.atomic
def report_receive(*, report: Report, user, accept: bool, reason: str = "") -> ReportReceipt:
    """The upper level accepts a subordinate's signed report, or returns it with a reason.

    The signed report is never changed: the step is recorded beside it. A returned report is corrected by a
    new numbered report (`report_correct`); an accepted one is final.
    """
    report = Report.objects.select_for_update().select_related("plan__issuing_body").get(pk=report.pk)
    _check_upper_reviewer(user, report)
    if not report.is_signed:
        raise ValidationError(_("Chỉ tiếp nhận được báo cáo đã ký số và ban hành."))
    if Report.objects.filter(replaces=report).exists():
        raise ValidationError(_("Báo cáo này đã được thay bằng báo cáo khác."))
    current = report.receipts.order_by("-at", "-pk").first()
    if current is not None:
        raise ValidationError(_("Báo cáo đã được %(action)s lúc %(at)s.")
                              % {"action": current.get_action_display().lower(), "at": format_datetime(current.at)})
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("Phải nêu lý do trả lại báo cáo."))
    staff = get_staff(user)
    receipt = ReportReceipt.objects.create(
        report=report, action=ReportReceipt.Action.ACCEPT if accept else ReportReceipt.Action.RETURN,
        reason=reason, user=user, user_name=user.get_full_name() or user.get_username(),
        unit_id=staff.unit_id if staff is not None else report.plan.issuing_body.unit_id, at=timezone.now(),
    )
    # The subordinate's reviewers and leaders hear of it (in the app, and by mail where they want it).
    users = {u.pk: u for flag in ("is_reviewer", "is_leader")
             for u in users_with_role(unit_ids=[report.unit_id], flag=flag)}
    title = (_("Cấp trên đã tiếp nhận báo cáo số %(ref)s") if accept
             else _("Cấp trên trả lại báo cáo số %(ref)s: cần lập báo cáo thay thế")) % {"ref": report.reference}
    notifications_create(users=users.values(), kind=NotificationKind.ACCEPTED if accept else NotificationKind.RETURNED,
                         title=title, body=(_("Lý do: %(reason)s") % {"reason": reason}) if reason else "",
                         url=report.get_absolute_url())
    return receipt


@transaction.atomic
def report_correct(*, report: Report, user) -> Report:
    """A returned signed report is answered by a new report (a new numbered document), never by editing it.

    The new report takes the figures as of now and keeps the wording staff had edited; it goes through
    approval and signing again and gets the next number of the register.
    """
    report = Report.objects.select_for_update().select_related("issuing_body", "plan").get(pk=report.pk)
    _check_reviewer(user, report.unit)
    current = report.receipts.order_by("-at", "-pk").first()
    if not report.is_signed or current is None or current.action != ReportReceipt.Action.RETURN:
        raise ValidationError(_("Chỉ lập báo cáo thay thế cho báo cáo đã ký bị cấp trên trả lại."))
    existing = Report.objects.filter(replaces=report).first()
    if existing is not None:
        return existing
    result, snapshot = take_figures(plan=report.plan, unit=report.unit, include_submitted=report.include_submitted,
                                    compare_with=report.compare_with)
    blocks = report_text.merge_blocks(
        report.blocks or [], report_text.generate_blocks(snapshot, body_citation=report.issuing_body.citation_name))
    # The new document says which one it replaces (kept through refreshes: it is not generated wording).
    replaced = (f"Báo cáo này thay thế Báo cáo số {report.reference}"
                + (f", ngày {format_date_short(report.issued_on)}" if report.issued_on else "")
                + f" của {report.issuing_body.name}.")
    at = next((n + 1 for n, b in enumerate(blocks) if b["key"] == "citation"), 0)
    blocks.insert(at, {**report_text.block("replaces", "paragraph", replaced), "generated": ""})
    new = Report.objects.create(
        plan=report.plan, source_plan=report.source_plan, unit=report.unit, issuing_body=report.issuing_body,
        kind=report.kind, planned_on=local_now().date(), include_submitted=report.include_submitted,
        compare_with=report.compare_with,
        snapshot=snapshot, as_of=result.as_of, summary=report.summary, blocks=blocks, recipients=report.recipients,
        signer_authority=report.signer_authority, signer_title=report.signer_title, signer_name=report.signer_name,
        created_by=user, updated_by=user, replaces=report,
    )
    ReportChange.objects.create(report=new, kind=ReportChange.Kind.CREATE, user=user, details=[
        {"what": "replaces", "old": report.reference, "new": _("thay thế báo cáo bị trả lại: %(reason)s")
         % {"reason": current.reason}}])
    return new
