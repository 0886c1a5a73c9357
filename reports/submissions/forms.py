"""Entry forms of a submission: one page per section of the plan (figures, row lists, texts).

`SectionEntry` binds the figures form and the row formsets of one section, checks them with
`validation.validate_values` (the same checks as the Excel import) and hands the parsed values and
rows to `services.submission_save_values`. It never writes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.dates import VnDateField, VnDateInput, format_input_date
from core.formatting import format_number, format_rate, parse_date
from reports.plans.catalogue import CHOICES, ROW_FIELDS
from reports.plans.models import Indicator, Section
from reports.submissions.models import BehalfSource, Submission
from reports.submissions.selectors import STATUS_CHOICES
from reports.submissions.validation import (
    MAX_LIST_ROWS,
    ValidationIssue,
    parse_whole_number,
    validate_values,
)

# Fields a non-empty row must have.
ROW_REQUIRED: dict[str, tuple[str, ...]] = {
    "conference.rows": ("date", "title"),
    "documents.rows": ("number", "title"),
    "model.rows": ("name",),
}
# Rows of one list a page takes: the limit of every path (validation.MAX_LIST_ROWS).
MAX_ROWS = MAX_LIST_ROWS
PROPAGANDA_MEASURES = [
    ("sessions", _lazy("Số buổi")),
    ("reach", _lazy("Lượt người")),
    ("items", _lazy("Tin, bài")),
    ("minutes", _lazy("Thời lượng (phút)")),
]


def field_name(code: str) -> str:
    """Form field name of an indicator code ("members.studied" -> "v-members-studied")."""
    return "v-" + code.replace(".", "-")


def row_prefix(code: str) -> str:
    return "r-" + code.replace(".", "-")


class FigureInput(forms.TextInput):
    """A whole number typed the Vietnamese way ("2.419"); numeric keyboard on phones."""

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "form-control text-end figure"}
        super().__init__({**base, **(attrs or {})})


class FigureField(forms.CharField):
    """Keeps the text as typed; `validation.parse_whole_number` parses it (one set of checks)."""

    widget = FigureInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value)
        return value


class FiguresForm(forms.Form):
    """The numbers and texts of one section, plus the optimistic-lock version and the warning confirmation."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_lazy("Tôi xác nhận số liệu đúng"), required=False)

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            name = field_name(indicator.code)
            if indicator.kind == Indicator.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    label=indicator.label, required=False,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                    help_text=indicator.help_text,
                )
            else:
                label = indicator.label
                if indicator.unit_label:
                    label = f"{label} ({indicator.unit_label})"
                self.fields[name] = FigureField(label=label, help_text=indicator.help_text)
                self.fields[name].widget.attrs["data-code"] = indicator.code


def row_form_class(code: str) -> type[forms.Form]:
    """A form for one row of a list indicator, built from `catalogue.ROW_FIELDS`."""
    attrs: dict[str, Any] = {}
    for name, label, kind in ROW_FIELDS[code]:
        if kind == "date":
            attrs[name] = VnDateField(label=label, required=False,
                                      widget=VnDateInput({"class": "form-control form-control-sm"}))
        elif kind == "int":
            attrs[name] = FigureField(label=label, widget=FigureInput({"class": "form-control form-control-sm "
                                                                                "text-end figure"}))
        elif kind.startswith("choice:"):
            choices = [("", "—")] + [(key, _(text)) for key, text in CHOICES[kind.split(":", 1)[1]]]
            attrs[name] = forms.ChoiceField(
                label=label, required=False, choices=choices,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        else:
            long_text = name in ("documents", "description", "title")
            widget = (forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}) if long_text
                      else forms.TextInput(attrs={"class": "form-control form-control-sm"}))
            attrs[name] = forms.CharField(label=label, required=False, max_length=2000, widget=widget)
    return type(f"RowForm_{code.replace('.', '_')}", (forms.Form,), attrs)


def row_formset(code: str, *, data=None, initial: list[dict] | None = None):
    # A list already longer than the limit (stored by an earlier import) keeps its rows on the page and
    # stays saveable; it cannot grow (validation warns to shorten it, and refuses more rows).
    limit = max(MAX_ROWS, len(initial or []))
    formset_class = forms.formset_factory(row_form_class(code), extra=0 if initial else 1, can_delete=True,
                                          max_num=limit, validate_max=True, absolute_max=limit + 20)
    return formset_class(data=data, initial=initial, prefix=row_prefix(code))


def row_initial(code: str, row: dict) -> dict:
    initial = {}
    for name, _label, kind in ROW_FIELDS[code]:
        value = row.get(name)
        if kind == "date":
            try:
                value = parse_date(value)
            except ValueError:
                pass
        initial[name] = value
    return initial


def row_data(code: str, cleaned: dict) -> dict:
    """The stored shape of a row: every field, ISO dates, whole numbers, texts."""
    data: dict[str, Any] = {}
    for name, _label, kind in ROW_FIELDS[code]:
        value = cleaned.get(name)
        if kind == "date":
            data[name] = value.isoformat() if isinstance(value, dt.date) else ""
        elif kind == "int":
            try:
                data[name] = parse_whole_number(value)
            except ValueError:
                data[name] = value  # reported by validation
        else:
            data[name] = (value or "").strip() if isinstance(value, str) else (value or "")
    return data


def _cell_value(bound) -> str:
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_input_date(value)
    return str(value)


def row_cells(code: str, form: forms.Form) -> dict:
    """One row as plain data for the template (rendering ~1.000 widgets through Django's widget
    templates costs over a second; these cells render in a few milliseconds)."""
    cells = []
    for name, label, kind in ROW_FIELDS[code]:
        bound = form[name]
        widget = bound.field.widget
        cells.append({
            "name": bound.html_name, "id": bound.auto_id, "label": label, "value": _cell_value(bound),
            "kind": "select" if kind.startswith("choice:") else "textarea" if isinstance(widget, forms.Textarea)
            else kind,
            "choices": bound.field.choices if kind.startswith("choice:") else None,
            "errors": bound.errors if form.is_bound else [],
        })
    delete = form["DELETE"]
    return {"cells": cells, "delete_name": delete.html_name, "delete_id": delete.auto_id,
            "deleted": bool(delete.value()), "errors": form.non_field_errors() if form.is_bound else [],
            "has_errors": bool(form.is_bound and form.errors)}


@dataclass
class LayoutItem:
    """How one piece of a section is shown: a number, a pair with its rate, a grid row, a text, a row list."""

    kind: str  # number, pair, text, rows, grid
    fields: list = field(default_factory=list)  # bound fields
    indicator: Indicator | None = None
    formset: Any = None
    empty_form: Any = None
    row_list: list[dict] = field(default_factory=list)
    grid: list[dict] = field(default_factory=list)
    rate: str = ""


def _rate_text(numerator, denominator) -> str:
    try:
        return format_rate(parse_whole_number(numerator), parse_whole_number(denominator))
    except (ValueError, TypeError):
        return "-"


class SectionEntry:
    """The figures form and row formsets of one section of one submission."""

    def __init__(self, *, submission: Submission, section: Section, indicators: list[Indicator],
                 stored_values: dict[str, Any], stored_rows: dict[str, list[dict]], data=None,
                 version: int | None = None):
        self.submission = submission
        self.section = section
        self.indicators = indicators
        self.stored_values = stored_values
        self.stored_rows = stored_rows
        self.value_indicators = [i for i in indicators if i.kind != Indicator.Kind.ROWS]
        self.row_indicators = [i for i in indicators if i.kind == Indicator.Kind.ROWS]
        initial = {field_name(i.code): stored_values.get(i.code, "" if i.kind == Indicator.Kind.TEXT else None)
                   for i in self.value_indicators}
        initial["version"] = submission.version if version is None else version
        self.form = FiguresForm(data=data, initial=initial, indicators=self.value_indicators)
        self.formsets = {
            i.code: row_formset(i.code, data=data,
                                initial=[row_initial(i.code, r) for r in stored_rows.get(i.code, [])])
            for i in self.row_indicators
        }
        self.errors: list[ValidationIssue] = []
        self.warnings: list[ValidationIssue] = []
        self.values: dict[str, Any] = {}
        self.rows: dict[str, list[dict]] = {}

    # -- reading the post ------------------------------------------------------------------------
    @property
    def version(self) -> int | None:
        return self.form.cleaned_data.get("version") if hasattr(self.form, "cleaned_data") else None

    def _collect_rows(self) -> tuple[dict[str, list[dict]], dict[str, list[forms.Form]]]:
        rows: dict[str, list[dict]] = {}
        kept_forms: dict[str, list[forms.Form]] = {}
        for code, formset in self.formsets.items():
            rows[code], kept_forms[code] = [], []
            for form in formset.forms:
                if not hasattr(form, "cleaned_data") or formset.can_delete and form.cleaned_data.get("DELETE"):
                    continue
                data = row_data(code, form.cleaned_data)
                if not any(v not in (None, "") for v in data.values()):
                    continue
                missing = [name for name in ROW_REQUIRED.get(code, ()) if data.get(name) in (None, "")]
                for name in missing:
                    form.add_error(name, _("Trường này là bắt buộc."))
                rows[code].append(data)
                kept_forms[code].append(form)
        return rows, kept_forms

    def is_valid(self) -> bool:
        """Field checks, then the shared checks; warnings pass only when confirmed."""
        valid = self.form.is_valid()
        valid = all([fs.is_valid() for fs in self.formsets.values()]) and valid
        if not valid:
            return False
        cleaned = self.form.cleaned_data
        self.values = {i.code: cleaned.get(field_name(i.code)) for i in self.value_indicators}
        self.rows, kept_forms = self._collect_rows()
        if any(form.errors for forms_ in kept_forms.values() for form in forms_):
            return False
        self.errors, self.warnings = validate_values(submission=self.submission, values=self.values, rows=self.rows)
        for issue in self.errors:
            if issue.row is not None and issue.indicator in kept_forms:
                target = kept_forms[issue.indicator][issue.row]
                target.add_error(issue.field if issue.field in target.fields else None, issue.message)
            elif issue.indicator and field_name(issue.indicator) in self.form.fields:
                self.form.add_error(field_name(issue.indicator), issue.message)
            else:
                self.form.add_error(None, issue.message)
        if self.errors:
            return False
        if self.warnings and not cleaned.get("confirm"):
            self.form.add_error("confirm", _("Có số liệu cần xác nhận (xem các cảnh báo): kiểm tra lại, rồi đánh "
                                             "dấu “Tôi xác nhận số liệu đúng” để lưu."))
            return False
        # Parsed numbers for the service.
        for indicator in self.value_indicators:
            if indicator.is_number:
                self.values[indicator.code] = parse_whole_number(self.values[indicator.code])
            else:
                self.values[indicator.code] = self.values[indicator.code] or ""
        return True

    # -- what the page shows ---------------------------------------------------------------------
    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(fs.total_error_count() for fs in self.formsets.values())

    @property
    def has_field_errors(self) -> bool:
        """Errors other than the missing warning confirmation."""
        return any(name != "confirm" for name in self.form.errors) or any(
            fs.total_error_count() for fs in self.formsets.values())

    def layout(self) -> list[LayoutItem]:
        items: list[LayoutItem] = []
        in_section = {i.code for i in self.indicators}
        done: set[str] = set()
        grid_item: LayoutItem | None = None
        by_code = {i.code: i for i in self.indicators}
        for indicator in self.indicators:
            code = indicator.code
            if code in done:
                continue
            if code.startswith("propaganda.") and code.count(".") == 2:
                _prefix, channel, measure = code.split(".")
                if grid_item is None:
                    grid_item = LayoutItem(kind="grid")
                    items.append(grid_item)
                row = next((r for r in grid_item.grid if r["channel"] == channel), None)
                if row is None:
                    row = {"channel": channel, "label": indicator.label.split(":")[0], "cells": {}}
                    grid_item.grid.append(row)
                row["cells"][measure] = self.form[field_name(code)]
                done.add(code)
                continue
            if indicator.kind == Indicator.Kind.ROWS:
                formset = self.formsets[code]
                items.append(LayoutItem(kind="rows", indicator=indicator, formset=formset,
                                        empty_form=row_cells(code, formset.empty_form),
                                        row_list=[row_cells(code, form) for form in formset.forms]))
            elif indicator.kind == Indicator.Kind.TEXT:
                items.append(LayoutItem(kind="text", indicator=indicator, fields=[self.form[field_name(code)]]))
            else:
                partner = None
                if indicator.denominator_id and indicator.denominator.code in in_section:
                    partner = by_code[indicator.denominator.code]
                    pair = [indicator, partner]
                else:
                    partner = next((n for n in self.indicators if n.denominator_id == indicator.pk), None)
                    pair = [partner, indicator] if partner else []
                if partner is not None:
                    bound = [self.form[field_name(i.code)] for i in pair]
                    items.append(LayoutItem(kind="pair", indicator=pair[0], fields=bound,
                                            rate=_rate_text(*(b.value() for b in bound))))
                    done.update(i.code for i in pair)
                    continue
                items.append(LayoutItem(kind="number", indicator=indicator, fields=[self.form[field_name(code)]]))
            done.add(code)
        for item in items:
            if item.kind == "grid":
                for row in item.grid:
                    row["cells"] = [row["cells"].get(m) for m, _label in PROPAGANDA_MEASURES]
        return items

    def conflict_rows(self, current_values: dict[str, Any], current_rows: dict[str, list[dict]]) -> list[dict]:
        """After a conflict: each figure where what the user typed differs from what is stored now."""
        out = []
        data = self.form.data
        for indicator in self.value_indicators:
            typed = (data.get(field_name(indicator.code)) or "").strip()
            current = current_values.get(indicator.code)
            try:
                typed_cmp = parse_whole_number(typed) if indicator.is_number else typed.replace("\r\n", "\n")
            except ValueError:
                typed_cmp = typed
            if indicator.is_number:
                if typed_cmp != current:
                    out.append({"label": indicator.label, "typed": typed,
                                "current": "" if current is None else format_number(current)})
            elif typed_cmp != (current or ""):
                out.append({"label": indicator.label, "typed": typed, "current": current or ""})
        for indicator in self.row_indicators:
            formset = self.formsets[indicator.code]
            try:
                typed_count = int(data.get(f"{formset.prefix}-TOTAL_FORMS", 0))
            except ValueError:
                typed_count = 0
            current = len(current_rows.get(indicator.code, []))
            out.append({"label": indicator.label, "typed": _("%(n)s dòng") % {"n": typed_count},
                        "current": _("%(n)s dòng") % {"n": current}})
        return out


class ReasonForm(forms.Form):
    """A reason, required to return or reopen a submission."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class VersionForm(forms.Form):
    """Submit / accept: only the version the page was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BoardFilterForm(forms.Form):
    """Filters of the status board (GET)."""

    q = forms.CharField(label=_lazy("Tìm đơn vị (tên hoặc mã)"), required=False, max_length=100)
    status = forms.ChoiceField(label=_lazy("Trạng thái"), required=False,
                               choices=[("", _lazy("Tất cả trạng thái")), *STATUS_CHOICES])
    timeliness = forms.ChoiceField(label=_lazy("Tình hình"), required=False,
                                   choices=[("", _lazy("Tất cả")), *Submission.Timeliness.choices])


class BehalfSourceForm(forms.Form):
    """How figures entered on a unit's behalf came: channel, from whom, when."""

    channel = forms.ChoiceField(label=_lazy("Số liệu nhận qua"), choices=BehalfSource.Channel.choices,
                                widget=forms.RadioSelect, initial=BehalfSource.Channel.PHONE)
    sender = forms.CharField(label=_lazy("Người cung cấp số liệu"), max_length=200,
                             help_text=_lazy("Họ tên, chức vụ; ví dụ: Đ/c Tẩn Văn Sơn, cán bộ tuyên giáo xã."))
    received_on = VnDateField(label=_lazy("Ngày nhận"))
    note = forms.CharField(label=_lazy("Ghi chú"), max_length=500, required=False)
