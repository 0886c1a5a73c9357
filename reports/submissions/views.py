"""Pages of a unit's submission: list, overview, one entry page per section, history, life-cycle buttons.

Every lookup goes through `Submission.objects.restrict(user, action)`: outside the user's subtree is a
404. Within it, `policy` decides the buttons (403 when a post is not allowed). Writes are in `services`.
"""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.formatting import format_date_short, format_number, format_rate, parse_date, person_name
from reports.plans.catalogue import CHOICES, ROW_FIELDS
from reports.plans.models import Indicator, Plan
from reports.plans.selectors import plan_assigned_units
from reports.submissions import policy, services
from reports.submissions.forms import (
    PROPAGANDA_MEASURES,
    BehalfSourceForm,
    ReasonForm,
    SectionEntry,
    VersionForm,
)
from reports.submissions.freeze import frozen_reason
from reports.submissions.models import Submission, SubmissionEvent, SubmissionRow, SubmissionValue
from reports.submissions.selectors import MARK_ERROR, MARK_WARNING, SectionMark, open_requests_for_user, section_marks
from reports.submissions.validation import consistency_issues, row_codes, stored_issues
from units.models import Unit

SUBMISSION_RELATED = ("plan__issuing_body__unit", "unit", "last_entered_by")


def _submission(request, pk: int, action: str = "view") -> Submission:
    qs = Submission.objects.restrict(request.user, action).select_related(*SUBMISSION_RELATED)
    return get_object_or_404(qs, pk=pk)


def _stored(submission: Submission, indicators: list[Indicator]) -> tuple[dict, dict]:
    """Stored values (number or text by code) and rows (by code) of these indicators: two queries."""
    by_pk = {i.pk: i for i in indicators}
    values = {}
    for indicator_id, number, text in SubmissionValue.objects.filter(
        submission=submission, indicator_id__in=by_pk
    ).values_list("indicator_id", "number", "text"):
        indicator = by_pk[indicator_id]
        values[indicator.code] = number if indicator.is_number else text
    rows: dict[str, list[dict]] = {}
    row_ids = [i.pk for i in indicators if i.kind == Indicator.Kind.ROWS]
    if row_ids:
        for indicator_id, data in SubmissionRow.objects.filter(
            submission=submission, indicator_id__in=row_ids
        ).order_by("indicator_id", "position").values_list("indicator_id", "data"):
            rows.setdefault(by_pk[indicator_id].code, []).append(data)
    return values, rows


def _entered_by(submission: Submission) -> str:
    user = submission.last_entered_by
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    name = person_name(user)
    return f"{name} ({staff.unit.name})" if staff else name


def _header_context(request, submission: Submission, sections, current=None, current_errors: bool = False) -> dict:
    """What every page of a submission shows above its content: status, who entered it, the section tabs with
    their marks (every section's, computed from the stored figures; the open section's form errors win)."""
    user = request.user
    marks = section_marks(submission=submission, sections=sections)
    if current is not None and current_errors:
        marks[current.pk] = SectionMark(MARK_ERROR, marks[current.pk].messages if marks[current.pk].state == MARK_ERROR
                                        else [])
    for s in sections:
        s.mark = marks[s.pk]
    # Closed by a signed report above (freeze.py): no action is offered, the page says why.
    frozen = frozen_reason(submission)
    on_behalf = policy.is_on_behalf(user, submission.unit)
    return {
        # Sections other than the open one whose stored figures need attention (named under the tabs: on a
        # phone the tabs scroll sideways, so a mark may be out of sight).
        "attention": [s for s in sections if s.mark.state in (MARK_ERROR, MARK_WARNING) and s != current],
        "needs_source": on_behalf and not submission.behalf_sources.exists(),
        "submission": submission,
        "plan": submission.plan,
        "sections": sections,
        "frozen": frozen,
        "may_enter": policy.may_enter(user, submission),
        "can_edit": policy.can_edit_now(user, submission) and frozen is None,
        "may_review": policy.may_review(user, submission),
        "on_behalf": on_behalf,
        "entered_by": _entered_by(submission),
        "timeliness": submission.timeliness(),
        "timeliness_label": Submission.Timeliness(submission.timeliness()).label,
    }


class SubmissionListView(LoginRequiredMixin, View):
    """The user's submissions (their subtree), and the plans their unit must still start."""

    def get(self, request):
        qs = (
            Submission.objects.restrict(request.user, "view")
            .select_related("plan", "unit", "last_entered_by")
            .order_by("-plan__issued_on", "-plan__number", "unit__path")
        )
        plan_pk = request.GET.get("plan", "")
        status = request.GET.get("status", "")
        if plan_pk.isdigit():
            qs = qs.filter(plan_id=int(plan_pk))
        if status in Submission.Status.values:
            qs = qs.filter(status=status)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        to_start = [r for r in open_requests_for_user(user=request.user) if r.submission is None]
        plans = Plan.objects.restrict(request.user, "view").order_by("-issued_on")
        return render(request, "submissions/list.html", {
            "page": page, "to_start": to_start, "plans": plans, "statuses": Submission.Status.choices,
            "current_plan": plan_pk, "current_status": status,
        })


class StartView(LoginRequiredMixin, View):
    """Open (and, on confirmation, create) a unit's submission for a plan it is assigned to.

    Reviewers use this for a missing unit (entering on its behalf). Only units the plan assigns.
    """

    def _lookup(self, request, plan_pk: int, unit_code: str):
        plan = get_object_or_404(Plan.objects.restrict(request.user, "view").select_related("issuing_body__unit"),
                                 pk=plan_pk)
        unit = get_object_or_404(Unit.objects.restrict(request.user, "enter"), code=unit_code)
        if not plan_assigned_units(plan).filter(pk=unit.pk).exists():
            raise PermissionDenied(_("Đơn vị này không thuộc diện báo cáo của kế hoạch."))
        if not policy.may_enter(request.user, Submission(plan=plan, unit=unit)):
            raise PermissionDenied(_("Bạn không có quyền nhập báo cáo cho đơn vị này."))
        return plan, unit

    def get(self, request, plan: int, unit: str):
        plan_obj, unit_obj = self._lookup(request, plan, unit)
        existing = Submission.objects.filter(plan=plan_obj, unit=unit_obj).first()
        if existing is not None:
            return redirect(existing.get_absolute_url())
        return self._page(request, plan_obj, unit_obj, BehalfSourceForm(initial={"received_on": timezone.localdate()}))

    def _page(self, request, plan_obj, unit_obj, form, status=200):
        return render(request, "submissions/start.html", {
            "plan": plan_obj, "unit": unit_obj, "on_behalf": policy.is_on_behalf(request.user, unit_obj),
            "behalf_form": form,
        }, status=status)

    def post(self, request, plan: int, unit: str):
        plan_obj, unit_obj = self._lookup(request, plan, unit)
        on_behalf = policy.is_on_behalf(request.user, unit_obj)
        form = BehalfSourceForm(request.POST) if on_behalf else None
        if form is not None and not form.is_valid():
            return self._page(request, plan_obj, unit_obj, form, status=400)
        submission = services.submission_get_or_create(plan=plan_obj, unit=unit_obj, user=request.user)
        if form is not None:
            try:
                services.behalf_source_record(submission=submission, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
                return self._page(request, plan_obj, unit_obj, form, status=400)
        first = plan_obj.sections.order_by("order").first()
        if first is None:
            return redirect(submission.get_absolute_url())
        return redirect("submissions:section", pk=submission.pk, section=first.code)


class SubmissionDetailView(LoginRequiredMixin, View):
    """Overview: status, who entered it, the figures by section, the life-cycle buttons."""

    def get(self, request, pk: int):
        submission = _submission(request, pk)
        sections = list(submission.plan.sections.order_by("order"))
        indicators = list(Indicator.objects.filter(section__in=sections).select_related("section", "denominator")
                          .order_by("section__order", "order"))
        values, rows = _stored(submission, indicators)
        summary = []
        for section in sections:
            items = []
            for indicator in indicators:
                if indicator.section_id != section.pk:
                    continue
                if indicator.kind == Indicator.Kind.ROWS:
                    count = len(rows.get(indicator.code, []))
                    if count:
                        items.append({"label": indicator.label, "value": _("%(n)s dòng") % {"n": count}})
                elif indicator.code in values and values[indicator.code] not in (None, ""):
                    value = values[indicator.code]
                    shown = format_number(value) if indicator.is_number else value
                    items.append({"label": indicator.label, "value": shown, "text": not indicator.is_number})
                    if indicator.denominator_id and indicator.denominator.code in values:
                        items.append({"label": _("Tỷ lệ"), "rate": True,
                                      "value": format_rate(value, values[indicator.denominator.code])})
            summary.append({"section": section, "items": items})
        titles = {s.code: s.title for s in sections}
        events = [_event_line(e, titles)
                  for e in submission.events.select_related("user__staff__unit").order_by("-at", "-pk")[:10]]
        # Consistency warnings the figures carry now: saving them needed the officer's confirmation (recorded).
        labels = {i.code: i.label for i in indicators}
        _errors, consistency = consistency_issues(values=values, rows={c: rows.get(c, []) for c in row_codes()},
                                                  labels=labels)
        confirmed = submission.events.filter(action=SubmissionEvent.Action.CONFIRM).select_related(
            "user").order_by("-at", "-pk").first()
        context = _header_context(request, submission, sections)
        current = [w.message for w in consistency]
        context.update({"consistency_warnings": current,
                        "confirmed_event": confirmed,
                        # Other warnings the officer confirmed (far from earlier periods, …), as recorded.
                        "confirmed_other": [line for line in (confirmed.reason.splitlines() if confirmed else [])
                                            if line.strip() and line not in current],
                        "confirmed_by": person_name(confirmed.user) if confirmed and confirmed.user else "",
                        "summary": summary, "events": events, "reason_form": ReasonForm(),
                        "behalf_sources": list(submission.behalf_sources.select_related("entered_by")),
                        "behalf_form": BehalfSourceForm(initial={"received_on": timezone.localdate()}),
                        "empty_sections": [block["section"].title for block in summary if not block["items"]]})
        return render(request, "submissions/detail.html", context)


class SectionView(LoginRequiredMixin, View):
    """One section's entry page: draft save at any time, read-only once sent or accepted."""

    def _setup(self, request, pk: int, section: str, action: str):
        submission = _submission(request, pk, action)
        sections = list(submission.plan.sections.order_by("order"))
        current = next((s for s in sections if s.code == section), None)
        if current is None:
            from django.http import Http404

            raise Http404(_("Kế hoạch không thu thập mục này."))
        indicators = list(current.indicators.select_related("denominator").order_by("order"))
        return submission, sections, current, indicators

    def _render(self, request, submission, sections, section, indicators, entry, conflict=None, status=200,
                behalf_form=None):
        context = _header_context(request, submission, sections, section, entry.has_errors)
        index = sections.index(section)
        if context["needs_source"] and context["can_edit"]:
            # The first save on a unit's behalf asks, in the same form, how the figures came.
            context["behalf_form"] = behalf_form or BehalfSourceForm(
                prefix="behalf", initial={"received_on": timezone.localdate()})
        context.update({
            "section": section, "entry": entry, "layout": entry.layout(), "conflict": conflict,
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            "measures": PROPAGANDA_MEASURES,
        })
        return render(request, "submissions/section.html", context, status=status)

    def _conflict(self, request, submission, sections, current, indicators, entry, values, rows, message):
        """Show the user's figures again, next to the stored ones, with the current version: nothing is lost."""
        current_values, current_rows = _stored(submission, indicators)
        conflict = {"message": message, "rows": entry.conflict_rows(current_values, current_rows),
                    "entered_by": _entered_by(submission)}
        data = request.POST.copy()
        data["version"] = str(submission.version)
        entry = SectionEntry(submission=submission, section=current, indicators=indicators,
                             stored_values=current_values, stored_rows=current_rows, data=data)
        entry.form.is_valid()
        for formset in entry.formsets.values():
            formset.is_valid()
        return self._render(request, submission, sections, current, indicators, entry, conflict, status=409)

    def _autosave(self, request, submission, sections, current, indicators, entry) -> JsonResponse:
        """A draft saved while the user types (static/js/entry.js): the same checks and optimistic lock as
        "Lưu nháp", answered in JSON. A conflict or an error saves nothing; the page keeps what was typed."""
        if not submission.is_editable:
            return JsonResponse({"saved": False, "message": _("Báo cáo đã gửi hoặc đã được tiếp nhận, không thể sửa.")},
                                status=409)
        posted_version = request.POST.get("version", "")
        conflict = posted_version.isdigit() and int(posted_version) != submission.version
        if not conflict:
            if not entry.is_valid():
                only_warnings = bool(entry.warnings) and not entry.errors and not entry.has_field_errors
                return JsonResponse({
                    "saved": False, "errors": {} if only_warnings else _autosave_errors(entry),
                    "warnings": [w.message for w in entry.warnings] if only_warnings else [],
                    "message": _("Chưa tự lưu: có số liệu cần xác nhận; xem lại rồi bấm “Lưu nháp”.") if only_warnings
                    else _("Chưa tự lưu: có ô nhập chưa đúng (đánh dấu đỏ)."),
                }, status=200)
            try:
                result = services.submission_save_values(
                    submission=submission, user=request.user, values=entry.values, rows=entry.rows,
                    source=f"autosave:{current.code}", expected_version=entry.version, require_source=True,
                )
            except services.SubmissionConflict:
                submission.refresh_from_db()
                conflict = True
            except ValidationError as exc:
                if getattr(exc, "code", None) == "behalf_source_missing":
                    # Autosave never records a source (a half-typed name): the first "Lưu nháp" does.
                    return JsonResponse({"saved": False, "needs_source": True, "errors": {},
                                         "message": _("Chưa tự lưu: nhập thay đơn vị cần ghi nguồn số liệu (đầu biểu "
                                                      "mẫu) rồi bấm “Lưu nháp”.")}, status=200)
                return JsonResponse({"saved": False, "errors": {"": exc.messages},
                                     "message": " ".join(exc.messages)}, status=200)
        if conflict:
            current_values, current_rows = _stored(submission, indicators)
            return JsonResponse({
                "saved": False, "conflict": True, "message": str(services.SubmissionConflict()),
                "entered_by": _entered_by(submission),
                "rows": [{"label": str(r["label"]), "typed": str(r["typed"]), "current": str(r["current"])}
                         for r in entry.conflict_rows(current_values, current_rows)],
            }, status=409)
        submission.refresh_from_db(fields=["version"])
        # Every tab's mark from the figures stored now, as a page load would show them: the open section may
        # keep a warning on a figure not typed this time, and a rule across sections may mark another tab.
        marks = section_marks(submission=submission, sections=sections)
        return JsonResponse({"saved": True, "changed": result.changed, "version": submission.version,
                             "at": timezone.localtime().strftime("%H:%M"),
                             "marks": {s.code: {"state": marks[s.pk].state, "text": marks[s.pk].text,
                                                "title": marks[s.pk].title} for s in sections}})

    def get(self, request, pk: int, section: str):
        submission, sections, current, indicators = self._setup(request, pk, section, "view")
        values, rows = _stored(submission, indicators)
        entry = SectionEntry(submission=submission, section=current, indicators=indicators,
                             stored_values=values, stored_rows=rows)
        return self._render(request, submission, sections, current, indicators, entry)

    def post(self, request, pk: int, section: str):
        submission, sections, current, indicators = self._setup(request, pk, section, "enter")
        if not policy.may_enter(request.user, submission):
            raise PermissionDenied(_("Bạn không có quyền nhập báo cáo cho đơn vị này."))
        values, rows = _stored(submission, indicators)
        entry = SectionEntry(submission=submission, section=current, indicators=indicators,
                             stored_values=values, stored_rows=rows, data=request.POST)
        if request.POST.get("autosave"):
            return self._autosave(request, submission, sections, current, indicators, entry)
        if not submission.is_editable:
            messages.error(request, _("Báo cáo đã gửi hoặc đã được tiếp nhận, không thể sửa."))
            return redirect(submission.get_absolute_url())
        posted_version = request.POST.get("version", "")
        if posted_version.isdigit() and int(posted_version) != submission.version:
            # Stale page: someone saved after this form was loaded. Nothing is checked or written.
            return self._conflict(request, submission, sections, current, indicators, entry, values, rows,
                                  str(services.SubmissionConflict()))
        # On a unit's behalf with no source recorded yet: the form carries the source fields (prefix "behalf").
        behalf_form = (BehalfSourceForm(request.POST, prefix="behalf")
                       if policy.is_on_behalf(request.user, submission.unit) and not submission.behalf_sources.exists()
                       else None)
        if not entry.is_valid():
            if entry.warnings and not entry.errors and not entry.has_field_errors:
                messages.warning(request, _("Chưa lưu: có số liệu cần xác nhận (xem cuối trang)."))
            else:
                messages.error(request, _("Chưa lưu: hãy sửa các lỗi được đánh dấu bên dưới."))
            if behalf_form is not None:
                behalf_form.is_valid()
            return self._render(request, submission, sections, current, indicators, entry, status=200,
                                behalf_form=behalf_form)
        if behalf_form is not None and not behalf_form.is_valid():
            messages.error(request, services.BEHALF_SOURCE_MISSING % {"units": submission.unit_name})
            return self._render(request, submission, sections, current, indicators, entry, status=200,
                                behalf_form=behalf_form)
        try:
            result = services.submission_save_values(
                submission=submission, user=request.user, values=entry.values, rows=entry.rows,
                source=f"form:{current.code}", expected_version=entry.version, require_source=True,
                behalf_source=behalf_form.cleaned_data if behalf_form is not None else None,
            )
        except services.SubmissionConflict as exc:
            submission.refresh_from_db()
            return self._conflict(request, submission, sections, current, indicators, entry, values, rows, str(exc))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self._render(request, submission, sections, current, indicators, entry, behalf_form=behalf_form)
        if result.changed and entry.warnings:
            services.submission_warnings_confirm(submission=submission, user=request.user,
                                                 warnings=[w.message for w in entry.warnings])
        if result.changed:
            messages.success(request, _("Đã lưu nháp mục “%(section)s”.") % {"section": current.title})
        else:
            messages.info(request, _("Không có thay đổi nào để lưu."))
        next_code = request.POST.get("next")
        if next_code and any(s.code == next_code for s in sections):
            return redirect("submissions:section", pk=submission.pk, section=next_code)
        if request.POST.get("done"):
            return redirect(submission.get_absolute_url())
        return redirect("submissions:section", pk=submission.pk, section=current.code)


def _autosave_errors(entry: SectionEntry) -> dict[str, list[str]]:
    """Field errors by the input's name (what the page marks), "" for errors of the whole form."""
    out: dict[str, list[str]] = {}
    for name, errors in entry.form.errors.items():
        key = "" if name == "__all__" else entry.form.add_prefix(name)
        out.setdefault(key, []).extend(str(e) for e in errors)
    for formset in entry.formsets.values():
        for error in formset.non_form_errors():
            out.setdefault("", []).append(str(error))
        for form in formset.forms:
            for name, errors in form.errors.items():
                key = form.prefix if name == "__all__" else form.add_prefix(name)
                out.setdefault(key, []).extend(str(e) for e in errors)
    return out


def _row_text(code: str, raw: str) -> str:
    """A row as the history shows it: "Ngày: 21/9/2023; Tên hội nghị: …"."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return raw
    if not isinstance(data, dict):
        return raw
    choice_labels = {key: label for options in CHOICES.values() for key, label in options}
    parts = []
    for name, label, kind in ROW_FIELDS.get(code, []):
        value = data.get(name)
        if value in (None, ""):
            continue
        if kind == "date":
            try:
                value = format_date_short(parse_date(value))
            except ValueError:
                pass
        elif kind.startswith("choice:"):
            value = choice_labels.get(value, value)
        elif kind == "int" and isinstance(value, int):
            value = format_number(value)
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


class HistoryView(LoginRequiredMixin, View):
    """Every change of a value (who, when, old → new, on whose behalf, from which form or file) and every step."""

    def get(self, request, pk: int):
        submission = _submission(request, pk)
        sections = {s.code: s.title for s in submission.plan.sections.all()}
        changes = submission.changes.select_related("indicator", "user__staff__unit").order_by("-at", "-pk")
        page = Paginator(changes, 200).get_page(request.GET.get("page"))
        lines = []
        for change in page:
            indicator = change.indicator
            if indicator.kind == Indicator.Kind.ROWS:
                old, new = _row_text(indicator.code, change.old_value), _row_text(indicator.code, change.new_value)
            elif indicator.is_number:
                old = format_number(int(change.old_value)) if change.old_value.lstrip("-").isdigit() else ""
                new = format_number(int(change.new_value)) if change.new_value.lstrip("-").isdigit() else ""
            else:
                old, new = change.old_value, change.new_value
            source = _source_label(change.source, sections)
            lines.append({"change": change, "indicator": indicator, "old": old, "new": new, "source": source,
                          "who": _user_line(change.user),
                          "row": change.row_position + 1 if change.row_position is not None else None})
        events = submission.events.select_related("user__staff__unit").order_by("-at", "-pk")
        return render(request, "submissions/history.html", {
            "submission": submission, "plan": submission.plan, "page": page, "lines": lines,
            "events": [_event_line(e, sections) for e in events],
        })


def _source_label(source: str, sections: dict[str, str]) -> str:
    """ "form:people" -> Biểu mẫu “Kết quả học tập …”; "file:x.xlsx" -> Tệp “x.xlsx”."""
    kind, _sep, name = source.partition(":")
    if source == "form:demo":
        return _("Dữ liệu mẫu")
    if kind == "form":
        return _("Biểu mẫu “%(name)s”") % {"name": sections.get(name, name)}
    if kind == "autosave":
        return _("Tự lưu, biểu mẫu “%(name)s”") % {"name": sections.get(name, name)}
    if kind == "file":
        return _("Tệp “%(name)s”") % {"name": name}
    return source


def _event_line(event: SubmissionEvent, sections: dict[str, str]) -> dict:
    note = event.reason
    if event.action in (SubmissionEvent.Action.SAVE, SubmissionEvent.Action.IMPORT) and note:
        note = _source_label(note, sections)
    return {"event": event, "who": _user_line(event.user), "note": note}


def _user_line(user) -> str:
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    return f"{person_name(user)} – {staff.unit.name}" if staff else person_name(user)


class _ActionView(LoginRequiredMixin, View):
    """POST-only life-cycle step; answers with a redirect to the overview and a message."""

    action = "enter"
    form_class = VersionForm

    def allowed(self, user, submission) -> bool:
        raise NotImplementedError

    def perform(self, request, submission, form) -> str:
        raise NotImplementedError

    def post(self, request, pk: int):
        submission = _submission(request, pk, self.action)
        if not self.allowed(request.user, submission):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        form = self.form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(submission.get_absolute_url())
        try:
            message = self.perform(request, submission, form)
        except services.SubmissionConflict:
            messages.error(request, _("Báo cáo vừa được người khác thay đổi sau khi bạn mở trang; thao tác chưa được "
                                      "thực hiện. Hãy xem lại rồi làm lại."))
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, message)
        return HttpResponseRedirect(submission.get_absolute_url())


class SubmitView(_ActionView):
    action = "enter"

    def allowed(self, user, submission):
        return policy.may_enter(user, submission)

    def perform(self, request, submission, form):
        errors, _warnings = stored_issues(submission=submission)
        if errors:
            raise ValidationError([_("Chưa gửi được: %(error)s") % {"error": e.message} for e in errors])
        services.submission_submit(submission=submission, user=request.user,
                                   expected_version=form.cleaned_data.get("version"), require_source=True)
        return _("Đã gửi báo cáo của %(unit)s.") % {"unit": submission.unit_name}


class _ReviewActionView(_ActionView):
    """A step only the reviewers of a unit above take."""

    action = "review"

    def allowed(self, user, submission):
        return policy.may_review(user, submission)


class AcceptView(_ReviewActionView):
    def perform(self, request, submission, form):
        services.submission_accept(submission=submission, user=request.user,
                                   expected_version=form.cleaned_data.get("version"))
        return _("Đã tiếp nhận báo cáo của %(unit)s.") % {"unit": submission.unit_name}


class ReturnView(_ReviewActionView):
    form_class = ReasonForm

    def perform(self, request, submission, form):
        services.submission_return(submission=submission, user=request.user, reason=form.cleaned_data["reason"],
                                   expected_version=form.cleaned_data.get("version"))
        return _("Đã trả lại báo cáo của %(unit)s.") % {"unit": submission.unit_name}


class ReopenView(_ReviewActionView):
    form_class = ReasonForm

    def perform(self, request, submission, form):
        services.submission_reopen(submission=submission, user=request.user, reason=form.cleaned_data["reason"],
                                   expected_version=form.cleaned_data.get("version"))
        return _("Đã mở lại báo cáo của %(unit)s để sửa.") % {"unit": submission.unit_name}



class BehalfSourceView(_ActionView):
    """Record how figures entered on the unit's behalf came (phone, paper, e-mail), from whom and when."""

    form_class = BehalfSourceForm

    def allowed(self, user, submission):
        return policy.can_edit_now(user, submission) and policy.is_on_behalf(user, submission.unit)

    def perform(self, request, submission, form):
        source = services.behalf_source_record(submission=submission, user=request.user, **form.cleaned_data)
        return _("Đã ghi nguồn số liệu: %(source)s.") % {"source": str(source)}
