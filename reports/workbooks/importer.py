"""Reading an uploaded workbook into a checked set of changes, without writing anything.

`analyse_workbook` reads the WHOLE file, collects every error (sheet, cell, unit, Vietnamese message)
and, when there is none, the changes against what is stored (old → new per cell), grouped by the
submission they go to. The service `workbook_import` applies them; nothing here writes.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel

from core.formatting import format_date_short, format_datetime, format_number, parse_date
from reports.plans.models import Indicator, Plan
from reports.plans.selectors import plan_assigned_units, plans_with_reference_for_unit
from reports.submissions.models import Submission, ValueChange
from reports.submissions.validation import MAX_NUMBER, too_large_message
from reports.workbooks import layout
from reports.workbooks.export import row_cell_value
from reports.workbooks.reader import OpenedWorkbook, UnreadableWorkbook, open_workbook, sheet_rows
from reports.workbooks.selectors import stored_rows, stored_values
from reports.workbooks.validation import validate, validate_many
from units.models import Unit

MAX_LISTED_CELLS = 8
logger = logging.getLogger(__name__)


@dataclass
class CellError:
    """One problem in the file: where (sheet, cell, unit) and what, in Vietnamese."""

    message: str
    sheet: str = ""
    cell: str = ""
    unit: str = ""

    def __str__(self) -> str:
        where = " – ".join(p for p in (self.sheet and _("trang “%s”") % self.sheet,
                                        self.cell and _("ô %s") % self.cell, self.unit) if p)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class CellChange:
    """One value that the import changes; `old` and `new` are the values as shown to the user."""

    unit_code: str
    unit_name: str
    sheet: str
    cell: str
    indicator: str
    label: str
    old_value: Any
    new_value: Any
    row_field: layout.RowField | None = None

    # Formatted on demand: a district file may change 190.000 values and only a few hundred are shown.
    @property
    def old(self) -> str:
        return _show_row_value(self.row_field, self.old_value) if self.row_field else _show(self.old_value)

    @property
    def new(self) -> str:
        return _show_row_value(self.row_field, self.new_value) if self.row_field else _show(self.new_value)


@dataclass
class Target:
    """What the file changes in one submission (only the changed indicators)."""

    plan: Plan
    unit: Unit
    submission: Submission | None
    file_version: int | None
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)
    changes: list[CellChange] = field(default_factory=list)

    @property
    def expected_version(self) -> int | None:
        return self.submission.version if self.submission else None


@dataclass
class Expectation:
    """What the page the file was uploaded from expects (a submission, or a plan's district file)."""

    plan: Plan | None = None
    unit: Unit | None = None
    kind: str | None = None


MAX_LISTED = 200  # errors (and warnings) listed one by one; the rest are counted


class IssueList(list):
    """The first MAX_LISTED issues, and how many more there were (a 300.000-row file has 300.000 errors;
    listing them all made a 162 MB page)."""

    def __init__(self, *args):
        super().__init__()
        self.omitted = 0
        self.extend(*args)

    def append(self, item) -> None:
        if len(self) < MAX_LISTED:
            super().append(item)
        else:
            self.omitted += 1

    def extend(self, items=()) -> None:
        for item in items:
            self.append(item)

    @property
    def total(self) -> int:
        return len(self) + self.omitted


CHOICE_WEB, CHOICE_FILE = "web", "file"  # a conflict: keep the value on the web, or take the file's


@dataclass
class Conflict:
    """A value the file would overwrite although the file may be older than it (or says nothing of its age).

    One per unit and indicator (a list is one conflict: its rows are replaced together); `messages`
    say why, one per changed cell, and `choice` is what the user picked ("" until chosen).
    """

    key: str
    unit_name: str
    changes: list[CellChange] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    choice: str = ""


def conflict_key(unit_code: str, indicator: str) -> str:
    return f"{unit_code}|{indicator}"


@dataclass
class ImportAnalysis:
    """The result of reading a file: errors, or the changes it would make."""

    filename: str
    kind: str = ""
    plan: Plan | None = None
    unit: Unit | None = None
    errors: IssueList = field(default_factory=IssueList)
    warnings: IssueList = field(default_factory=IssueList)
    targets: list[Target] = field(default_factory=list)
    units_read: int = 0
    # Conflicts with newer values on the system, and the user's choices for them (None: not asked yet).
    conflicts: list[Conflict] = field(default_factory=list)
    choices: dict[str, str] | None = None
    # Applying was refused: figures entered on a unit's behalf need how they came (`behalf_sources_ensure`).
    needs_source: bool = False

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.choice not in (CHOICE_WEB, CHOICE_FILE)]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[CellChange]:
        return [c for t in self.targets for c in t.changes]

    @property
    def changed_count(self) -> int:
        return sum(len(t.changes) for t in self.targets)

    def error(self, message: str, sheet: str = "", cell: str = "", unit: str = "") -> None:
        self.errors.append(CellError(message=message, sheet=sheet, cell=cell, unit=unit))


# --------------------------------------------------------------------------------------------------
# Cell parsing
# --------------------------------------------------------------------------------------------------


class CellProblem(Exception):
    """A cell's content is not acceptable; the message is Vietnamese."""


def _reject_special(cell) -> None:
    data_type = getattr(cell, "data_type", None)
    value = getattr(cell, "value", None)
    if data_type == "f" or (value is not None and not isinstance(value, (str, int, float, bool, dt.date,
                                                                           dt.datetime, dt.time))):
        raise CellProblem(_("Ô chứa công thức (%(formula)s): chỉ nhập giá trị, không dùng công thức.")
                          % {"formula": str(value)[:60]})
    if data_type == "e":
        raise CellProblem(_("Ô có lỗi công thức (%(value)s): hãy nhập lại giá trị.") % {"value": value})


def parse_number(cell) -> int | None:
    """A whole number ≥ 0 from a number cell (None when empty); CellProblem otherwise."""
    _reject_special(cell)
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellProblem(_("Ô chứa giá trị đúng/sai, cần nhập số nguyên không âm."))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if re.fullmatch(r"[+-]?[\d.,\s]+", text):
            raise CellProblem(_("Ô chứa số ở dạng chữ (“%(text)s”): hãy định dạng ô là Số (Number), bỏ dấu nháy "
                                "hoặc khoảng trắng rồi nhập lại số nguyên không âm.") % {"text": text[:40]})
        raise CellProblem(_("Ô chứa chữ (“%(text)s”), cần nhập số nguyên không âm (không nhập chữ).")
                          % {"text": text[:40]})
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise CellProblem(_("Ô chứa ngày giờ, cần nhập số nguyên không âm."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(_("%(value)s không phải là số nguyên.") % {"value": format_number(value)})
        value = int(value)
    if value < 0:
        raise CellProblem(_("Số âm (%(value)s): chỉ nhập số nguyên không âm.") % {"value": format_number(value)})
    if value > MAX_NUMBER:
        raise CellProblem(too_large_message(value))
    return value


def parse_text(cell) -> str:
    """A text from a text cell ("" when empty); numbers typed in it become their digits."""
    _reject_special(cell)
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return format_date_short(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _same_cell(read, exported) -> bool:
    """Whether a read cell value equals what the export wrote (dates come back as datetimes)."""
    if isinstance(read, dt.datetime) and read.time() == dt.time(0) and not isinstance(exported, dt.datetime):
        read = read.date()
    if isinstance(read, float) and read.is_integer():
        read = int(read)
    if isinstance(read, str) and not read:
        read = None
    return read == exported and type(read) is type(exported)


def parse_row_field(row_field: layout.RowField, cell, old_raw) -> Any:
    """A list field from its cell; an unedited cell gives back the stored value exactly."""
    _reject_special(cell)
    value = cell.value
    if old_raw is not None and _same_cell(value, row_cell_value(row_field, old_raw)):
        return old_raw
    if row_field.kind == "int":
        return parse_number(cell)
    if row_field.kind == "date":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
            # A date cell whose format was changed to "General" shows Excel's day number.
            return from_excel(int(value)).date().isoformat()
        text = str(value).strip()
        try:
            return parse_date(text).isoformat()
        except ValueError:
            pass
        raise CellProblem(_("“%(value)s” không phải là ngày; nhập theo dạng ngày/tháng/năm, ví dụ 21/9/2023.")
                          % {"value": text[:40]})
    if row_field.kind.startswith("choice:"):
        text = parse_text(cell).strip()
        if not text:
            return None
        for key, label in row_field.choices:
            if text.casefold() in (label.casefold(), key.casefold()):
                return key
        raise CellProblem(_("“%(value)s” không có trong danh sách (%(options)s).")
                          % {"value": text[:40], "options": "; ".join(label for _k, label in row_field.choices)})
    text = parse_text(cell)
    return text or None


def _show(value) -> str:
    """A value as the change list shows it."""
    if value is None or value == "":
        return _("(trống)")
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _show_row_value(row_field: layout.RowField, raw) -> str:
    if raw in (None, ""):
        return _("(trống)")
    if row_field.kind == "date":
        try:
            return format_date_short(dt.date.fromisoformat(str(raw)))
        except ValueError:
            return str(raw)
    if row_field.kind.startswith("choice:"):
        return dict(row_field.choices).get(raw, str(raw))
    return _show(raw)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------------------------------
# Identity
# --------------------------------------------------------------------------------------------------


def not_for_you_message(code: str) -> str:
    """Why a unit of the file is refused when it is unknown or outside the user's scope (one wording)."""
    return _("Tệp không dành cho đơn vị này: mã đơn vị “%(code)s” không thuộc các đơn vị bạn được nhập số liệu "
             "theo kế hoạch này.") % {"code": str(code)[:60]}


def _read_meta(opened: OpenedWorkbook) -> tuple[dict[str, str], dict[str, Any]]:
    ws = opened.workbook[layout.META_SHEET]
    meta: dict[str, str] = {}
    versions: dict[str, Any] = {}
    for n, (key, value, *_rest) in enumerate(sheet_rows(ws, width=2, values_only=True), start=1):
        if n < layout.META_VERSIONS_ROW - 1:
            if isinstance(key, str) and key in layout.META_KEYS:
                meta[key] = "" if value is None else str(value)
        elif n >= layout.META_VERSIONS_ROW and key:
            versions[str(key)] = value
    return meta, versions


def _as_version(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _check_identity(opened: OpenedWorkbook, analysis: ImportAnalysis, user, expect: Expectation | None):
    """The file's format, plan and unit, checked against the user's scope; None when unusable."""
    names = opened.workbook.sheetnames
    if layout.META_SHEET not in names:
        analysis.error(_("Tệp không có trang ẩn “_meta” ghi kế hoạch và đơn vị: đây không phải tệp mẫu của hệ "
                         "thống, hoặc trang này đã bị xóa. Hãy tải tệp mẫu mới."), sheet=layout.META_SHEET)
        return None
    meta, versions = _read_meta(opened)
    if meta.get("format") != layout.FORMAT_ID:
        analysis.error(_("Trang “_meta” không đúng mẫu của hệ thống. Hãy tải tệp mẫu mới."), sheet=layout.META_SHEET)
        return None
    if meta.get("format_version") != str(layout.FORMAT_VERSION):
        analysis.error(_("Tệp mẫu phiên bản %(found)s không còn được hỗ trợ (phiên bản hiện hành: %(current)s). "
                         "Hãy tải tệp mẫu mới.") % {"found": meta.get("format_version") or "?",
                                                    "current": layout.FORMAT_VERSION}, sheet=layout.META_SHEET)
        return None
    kind = meta.get("kind")
    if kind not in (layout.KIND_UNIT, layout.KIND_DISTRICT):
        analysis.error(_("Trang “_meta” không cho biết loại tệp. Hãy tải tệp mẫu mới."), sheet=layout.META_SHEET)
        return None
    analysis.kind = kind
    # A reference is unique only within its body's register: look it up among the plans the file's unit sends
    # or answers (the district file's unit is the district), else among the plans the user may see.
    meta_unit = Unit.objects.filter(code=meta.get("unit", "")).first() if meta.get("unit") else None
    reference = meta.get("plan", "") or ""
    candidates = (plans_with_reference_for_unit(reference=reference, unit=meta_unit) if meta_unit is not None
                  else Plan.objects.filter(reference=reference.strip()).order_by("-issued_on", "-pk"))
    if expect is not None and expect.plan is not None and candidates.filter(pk=expect.plan.pk).exists():
        candidates = candidates.filter(pk=expect.plan.pk)
    plan = (candidates.filter(pk__in=Plan.objects.restrict(user, "view").values("pk"))
            .select_related("issuing_body__unit").first())
    if plan is None:
        analysis.error(_("Kế hoạch “%(ref)s” ghi trong tệp không có trên hệ thống hoặc bạn không được xem.")
                       % {"ref": meta.get("plan", "")}, sheet=layout.META_SHEET)
        return None
    analysis.plan = plan
    unit = Unit.objects.filter(code=meta.get("unit", "")).first() if meta.get("unit") else None
    if kind == layout.KIND_UNIT and (unit is None or not Unit.objects.restrict(user, "enter").filter(pk=unit.pk)
                                     .exists()):
        # The same words whether the code exists or lies outside the user's scope: never a unit's name.
        analysis.error(not_for_you_message(meta.get("unit", "")), sheet=layout.META_SHEET)
        return None
    analysis.unit = unit
    if expect is not None:
        if expect.kind and expect.kind != kind:
            analysis.error(
                _("Tệp này là tệp nhập nhiều đơn vị; hãy tải lên ở trang kế hoạch.") if kind == layout.KIND_DISTRICT
                else _("Tệp này là tệp của một đơn vị; hãy tải lên ở trang báo cáo của đơn vị đó."))
            return None
        if expect.plan is not None and expect.plan.pk != plan.pk:
            analysis.error(_("Tệp là của kế hoạch %(found)s, không phải kế hoạch %(expected)s đang mở.")
                           % {"found": plan.reference, "expected": expect.plan.reference}, sheet=layout.META_SHEET)
            return None
        if expect.unit is not None and kind == layout.KIND_UNIT and expect.unit.pk != unit.pk:
            analysis.error(_("Tệp là của đơn vị “%(found)s”, không phải đơn vị “%(expected)s” đang mở.")
                           % {"found": unit.name, "expected": expect.unit.name}, sheet=layout.META_SHEET)
            return None
    if kind == layout.KIND_UNIT:
        if not (plan_assigned_units(plan).filter(pk=unit.pk).exists()
                or Submission.objects.filter(plan=plan, unit=unit).exists()):
            analysis.error(_("“%(unit)s” không phải báo cáo theo %(plan)s.") % {"unit": unit.name, "plan": plan},
                           sheet=layout.META_SHEET, unit=unit.name)
            return None
    exported_at = None
    try:
        exported_at = dt.datetime.fromisoformat(meta.get("exported_at", ""))
        if timezone.is_naive(exported_at):
            exported_at = timezone.make_aware(exported_at, dt.timezone.utc)
    except ValueError:
        exported_at = None
    return meta, versions, exported_at


def _check_sheets(opened: OpenedWorkbook, analysis: ImportAnalysis, specs: list[layout.SheetSpec]) -> bool:
    names = opened.workbook.sheetnames
    expected = [s.name for s in specs]
    missing = [name for name in expected if name not in names]
    extra = [n for n in names if n not in expected and n not in (layout.META_SHEET, layout.INSTRUCTIONS_SHEET)]
    for name in missing:
        hint = (_(" Có trang lạ: %(extra)s – không đổi tên trang tính.") % {"extra": ", ".join(f"“{e}”" for e in extra)}
                if extra else "")
        analysis.error(_("Thiếu trang tính “%(name)s” (đã bị đổi tên hoặc bị xóa).") % {"name": name} + hint,
                       sheet=name)
    return not missing


def _check_merged(opened: OpenedWorkbook, analysis: ImportAnalysis, sheet: str, first_row: int,
                  unit: str = "") -> None:
    for ref in opened.merged.get(sheet, []):
        try:
            _min_col, _min_row, _max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if max_row is not None and max_row >= first_row:
            analysis.error(_("Có ô gộp (%(ref)s) trong vùng số liệu: hãy bỏ gộp ô (Unmerge) rồi tải lên lại.")
                           % {"ref": ref}, sheet=sheet, cell=ref.split(":")[0], unit=unit)


def _cell_ref(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


# --------------------------------------------------------------------------------------------------
# Unit workbook
# --------------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)
    cells: dict[tuple, tuple[str, str]] = field(default_factory=dict)  # (code[, pos, field]) -> (sheet, cell)


class _EmptyCell:
    value = None
    data_type = "n"


def _padded(row: tuple, width: int) -> list:
    cells = list(row[:width])
    return cells + [_EmptyCell()] * (width - len(cells))


def _parse_unit_sheet(ws, spec: layout.SheetSpec, analysis: ImportAnalysis, unit: Unit, parsed: _Parsed,
                      old_rows: dict[str, list[dict]]) -> None:
    scalars = {i.code: i for i in spec.scalars}
    lists = {i.code: i for i in spec.lists}
    seen: set[str] = set()
    current_list: Indicator | None = None
    header_pending = False
    width = max([layout.COL_RATE] + [len(layout.row_fields(c)) + 1 for c in lists])
    for r, row in enumerate(sheet_rows(ws, width=width), start=1):
        cells = _padded(row, width)
        first = cells[0].value
        code = first.strip() if isinstance(first, str) else None
        if r < layout.HEADER_ROW:
            continue
        if code in scalars:
            current_list = None
            indicator = scalars[code]
            if code in seen:
                analysis.error(_("Mã chỉ tiêu “%(code)s” xuất hiện hai lần.") % {"code": code},
                               sheet=spec.name, cell=_cell_ref(1, r), unit=unit.name)
                continue
            seen.add(code)
            cell = cells[layout.COL_VALUE - 1]
            ref = _cell_ref(layout.COL_VALUE, r)
            parsed.cells[(code,)] = (spec.name, ref)
            try:
                parsed.values[code] = parse_number(cell) if indicator.is_number else parse_text(cell)
            except CellProblem as problem:
                analysis.error(f"{indicator.label}: {problem}", sheet=spec.name, cell=ref, unit=unit.name)
            continue
        if code in lists:
            current_list = lists[code]
            header_pending = True
            if code in seen:
                analysis.error(_("Bảng “%(code)s” xuất hiện hai lần.") % {"code": code},
                               sheet=spec.name, cell=_cell_ref(1, r), unit=unit.name)
                current_list = None
                continue
            seen.add(code)
            parsed.rows[code] = []
            continue
        if current_list is None:
            continue
        fields = layout.row_fields(current_list.code)
        if header_pending:
            header_pending = False
            labels = [c.value.strip() if isinstance(c.value, str) else c.value for c in cells[1:len(fields) + 1]]
            if labels != [f.label for f in fields]:
                analysis.error(_("Dòng tiêu đề của bảng “%(label)s” đã bị sửa (cần: %(expected)s). "
                                 "Không thêm, xóa hay đổi chỗ các cột.")
                               % {"label": current_list.label, "expected": ", ".join(f.label for f in fields)},
                               sheet=spec.name, cell=_cell_ref(2, r), unit=unit.name)
                current_list = None
            continue
        values = cells[1:len(fields) + 1]
        if all(_empty(c.value) for c in values):
            continue
        position = len(parsed.rows[current_list.code])
        previous = old_rows.get(current_list.code, [])
        old = previous[position] if position < len(previous) else {}
        item: dict[str, Any] = {}
        for col, (row_field, cell) in enumerate(zip(fields, values, strict=True), start=2):
            ref = _cell_ref(col, r)
            parsed.cells[(current_list.code, position, row_field.name)] = (spec.name, ref)
            try:
                item[row_field.name] = parse_row_field(row_field, cell, old.get(row_field.name))
            except CellProblem as problem:
                analysis.error(f"{current_list.label}, {row_field.label}: {problem}",
                               sheet=spec.name, cell=ref, unit=unit.name)
        parsed.cells[(current_list.code, position)] = (spec.name, _cell_ref(2, r))
        # Keys the sheet does not show (if any) are kept from the stored row.
        parsed.rows[current_list.code].append({**old, **item} if old else item)
    for code, indicator in {**scalars, **lists}.items():
        if code not in seen:
            analysis.error(_("Thiếu dòng của chỉ tiêu “%(label)s” (mã %(code)s): không xóa các dòng có sẵn.")
                           % {"label": indicator.label, "code": code}, sheet=spec.name, unit=unit.name)


def _rows_equal(field_list: list[layout.RowField], old: dict, new: dict) -> bool:
    return all(_norm(old.get(f.name)) == _norm(new.get(f.name)) for f in field_list)


def _norm(value):
    return None if value in (None, "") else value


def _diff_unit(target: Target, parsed: _Parsed, specs: list[layout.SheetSpec], current: dict, old_rows: dict) -> None:
    unit = target.unit
    for spec in specs:
        for indicator in spec.scalars:
            if indicator.code not in parsed.values:
                continue
            new = parsed.values[indicator.code]
            old = current.get(indicator.code)
            if indicator.is_number:
                if old == new:
                    continue
            elif (old or "") == (new or ""):
                continue
            target.values[indicator.code] = new
            sheet, cell = parsed.cells[(indicator.code,)]
            target.changes.append(CellChange(unit.code, unit.name, sheet, cell, indicator.code, indicator.label,
                                             old, new))
        for indicator in spec.lists:
            if indicator.code not in parsed.rows:
                continue
            fields = layout.row_fields(indicator.code)
            new_rows = parsed.rows[indicator.code]
            old_list = old_rows.get(indicator.code, [])
            if len(new_rows) == len(old_list) and all(
                    _rows_equal(fields, o, n) for o, n in zip(old_list, new_rows, strict=True)):
                continue
            target.rows[indicator.code] = new_rows
            sheet = spec.name
            for position in range(max(len(new_rows), len(old_list))):
                old = old_list[position] if position < len(old_list) else {}
                new = new_rows[position] if position < len(new_rows) else {}
                for row_field in fields:
                    if _norm(old.get(row_field.name)) == _norm(new.get(row_field.name)):
                        continue
                    _sheet, cell = parsed.cells.get((indicator.code, position, row_field.name), (sheet, ""))
                    target.changes.append(CellChange(
                        unit.code, unit.name, sheet, cell or _("(dòng đã xóa)"), indicator.code,
                        _("%(label)s, dòng %(n)s, %(field)s") % {"label": indicator.label, "n": position + 1,
                                                                 "field": row_field.label},
                        old.get(row_field.name), new.get(row_field.name), row_field))


def _analyse_unit(opened, analysis, user, meta, exported_at) -> None:
    plan, unit = analysis.plan, analysis.unit
    specs = layout.plan_sheets(plan)
    _check_sheets(opened, analysis, specs)
    specs = [spec for spec in specs if spec.name in opened.workbook.sheetnames]
    submission = Submission.objects.filter(plan=plan, unit=unit).first()
    current = stored_values([submission.pk])[submission.pk] if submission else {}
    old_rows = stored_rows([submission.pk])[submission.pk] if submission else {}
    parsed = _Parsed()
    for spec in specs:
        _check_merged(opened, analysis, spec.name, layout.HEADER_ROW, unit.name)
        _parse_unit_sheet(opened.workbook[spec.name], spec, analysis, unit, parsed, old_rows)
    analysis.units_read = 1
    # Even with cell errors, the values that could be read go through the rules: every error at once.
    target = Target(plan=plan, unit=unit, submission=submission,
                    file_version=_as_version(meta.get("submission_version")))
    _diff_unit(target, parsed, specs, current, old_rows)
    if target.changes:
        analysis.targets.append(target)
        _check_targets(analysis, [(target, parsed.cells)], exported_at)


# --------------------------------------------------------------------------------------------------
# District workbook
# --------------------------------------------------------------------------------------------------


def _analyse_district(opened, analysis, user, versions, exported_at) -> None:
    plan = analysis.plan
    specs = layout.district_sheets(plan)
    _check_sheets(opened, analysis, specs)
    specs = [spec for spec in specs if spec.name in opened.workbook.sheetnames]
    # unit code -> {indicator code: value}, and (unit code, indicator code) -> (sheet, cell)
    file_values: dict[str, dict[str, Any]] = defaultdict(dict)
    cells: dict[str, dict[tuple, tuple[str, str]]] = defaultdict(dict)
    unit_rows: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for spec in specs:
        _check_merged(opened, analysis, spec.name, layout.D_CODE_ROW)
        ws = opened.workbook[spec.name]
        expected = {i.code: i for i in spec.scalars}
        columns: dict[int, Indicator] = {}
        seen_units: dict[str, int] = {}
        width = layout.D_FIRST_VALUE_COL + len(spec.scalars) - 1
        for r, row in enumerate(sheet_rows(ws, min_row=layout.D_CODE_ROW), start=layout.D_CODE_ROW):
            if r == layout.D_CODE_ROW:
                found = {}
                for col, cell in enumerate(row, start=1):
                    value = cell.value.strip() if isinstance(cell.value, str) else cell.value
                    if col >= layout.D_FIRST_VALUE_COL and value:
                        if value in expected:
                            found[col] = expected[value]
                        else:
                            analysis.error(_("Mã chỉ tiêu “%(code)s” ở dòng 3 không thuộc mục này: không sửa dòng "
                                             "mã chỉ tiêu.") % {"code": value}, sheet=spec.name,
                                           cell=_cell_ref(col, r))
                lost = [i for i in spec.scalars if i not in found.values()]
                for indicator in lost:
                    analysis.error(_("Thiếu cột của chỉ tiêu “%(label)s” (mã %(code)s): không xóa cột.")
                                   % {"label": indicator.label, "code": indicator.code}, sheet=spec.name)
                columns = found
                width = max([width, *found])
                continue
            cells_row = _padded(row, width)
            first = cells_row[0].value
            code = first.strip() if isinstance(first, str) else (str(first) if first is not None else "")
            if not code:
                if any(not _empty(c.value) for c in cells_row[layout.D_FIRST_VALUE_COL - 1:]):
                    analysis.error(_("Dòng có số liệu nhưng không có mã đơn vị ở cột A."), sheet=spec.name,
                                   cell=_cell_ref(1, r))
                continue
            if code in seen_units:
                analysis.error(_("Đơn vị “%(code)s” có hai dòng (dòng %(a)s và %(b)s).")
                               % {"code": code, "a": seen_units[code], "b": r}, sheet=spec.name,
                               cell=_cell_ref(1, r), unit=code)
                continue
            seen_units[code] = r
            unit_rows[code].append((spec.name, r))
            for col, indicator in columns.items():
                cell = cells_row[col - 1]
                ref = _cell_ref(col, r)
                cells[code][(indicator.code,)] = (spec.name, ref)
                try:
                    file_values[code][indicator.code] = parse_number(cell)
                except CellProblem as problem:
                    analysis.error(f"{indicator.label}: {problem}", sheet=spec.name, cell=ref, unit=code)
    # Units: exist, in the user's scope, assigned to the plan.
    codes = list(unit_rows)
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    allowed = set(Unit.objects.restrict(user, "enter").filter(code__in=codes).values_list("code", flat=True))
    assigned = set(plan_assigned_units(plan).filter(code__in=codes).values_list("code", flat=True))
    subs = {s.unit.code: s for s in Submission.objects.filter(plan=plan, unit__code__in=codes).select_related("unit")}
    assigned |= set(subs)
    refused: set[str] = set()
    for code in codes:
        sheet, r = unit_rows[code][0]
        unit = units.get(code)
        if unit is None or code not in allowed or code not in assigned:
            refused.add(code)
        if unit is None or code not in allowed:
            # Unknown and outside the scope read the same: the file says nothing of units the user may not see.
            analysis.error(not_for_you_message(code), sheet=sheet, cell=_cell_ref(1, r), unit=code)
        elif code not in assigned:
            analysis.error(_("“%(unit)s” không phải báo cáo theo %(plan)s.") % {"unit": unit.name, "plan": plan},
                           sheet=sheet, cell=_cell_ref(1, r), unit=unit.name)
    analysis.units_read = len(codes)
    # Name the units in the errors by their names where the code is known.
    for error in analysis.errors:
        if error.unit in units and error.unit in allowed:
            error.unit = units[error.unit].name
    current = stored_values([s.pk for s in subs.values()])
    pairs = []
    for code in codes:
        if code in refused:
            continue
        unit = units[code]
        sub = subs.get(code)
        stored = current.get(sub.pk, {}) if sub else {}
        target = Target(plan=plan, unit=unit, submission=sub, file_version=_as_version(versions.get(code)))
        for spec in specs:
            for indicator in spec.scalars:
                if indicator.code not in file_values[code]:
                    continue
                new, old = file_values[code][indicator.code], stored.get(indicator.code)
                if new == old:
                    continue
                target.values[indicator.code] = new
                sheet, cell = cells[code][(indicator.code,)]
                target.changes.append(CellChange(unit.code, unit.name, sheet, cell, indicator.code, indicator.label,
                                                 old, new))
        if target.changes:
            analysis.targets.append(target)
            pairs.append((target, cells[code]))
    _check_targets(analysis, pairs, exported_at, stored=current)


# --------------------------------------------------------------------------------------------------
# Rules shared by both kinds: locked submissions, edits made since the export, the web form's checks
# --------------------------------------------------------------------------------------------------


def _check_targets(analysis: ImportAnalysis, pairs: list[tuple[Target, dict]], exported_at,
                   stored: dict[int, dict] | None = None) -> None:
    """Locked submissions, values edited since the export, and the web form's rules.

    With `stored` (a district file: numbers only, many units) the rules run for all units at once.
    """
    changed_since: dict[int, set[str]] = defaultdict(set)
    sub_ids = [t.submission.pk for t, _c in pairs if t.submission is not None]
    if sub_ids and exported_at is not None:
        for sub_id, code in ValueChange.objects.filter(submission_id__in=sub_ids, at__gt=exported_at).values_list(
                "submission_id", "indicator__code"):
            changed_since[sub_id].add(code)
    checkable: list[tuple[Target, dict]] = []
    for target, cells in pairs:
        unit_name = target.unit.name
        sub = target.submission
        if sub is not None and not sub.is_editable:
            listed = ", ".join(c.cell for c in target.changes[:MAX_LISTED_CELLS])
            more = "…" if len(target.changes) > MAX_LISTED_CELLS else ""
            analysis.error(
                _("Báo cáo của đơn vị đang ở trạng thái “%(status)s” nên không sửa được; tệp lại thay đổi "
                  "%(count)s giá trị (ô %(cells)s%(more)s). Muốn sửa, đề nghị cấp trên trả lại hoặc mở lại báo cáo.")
                % {"status": sub.get_status_display(), "count": len(target.changes), "cells": listed, "more": more},
                sheet=target.changes[0].sheet, cell=target.changes[0].cell, unit=unit_name)
            continue
        if sub is not None and target.file_version != sub.version:
            if exported_at is None or target.file_version is None:
                # Provenance unreadable (export time or version missing from the hidden sheet): the file is
                # treated as stale, and every value it would overwrite on the system is a conflict.
                for change in target.changes:
                    if not _empty(change.old_value):
                        _conflict(analysis, target, change, _(
                            "%(label)s: tệp không cho biết được tải về lúc nào (trang ẩn “_meta” thiếu thời điểm "
                            "tải hoặc phiên bản), nên có thể đã cũ; giá trị trên hệ thống (%(old)s) sẽ bị ghi đè "
                            "bằng %(new)s. Hãy tải tệp mẫu mới rồi nhập lại, hoặc sửa trực tiếp trên trang nhập "
                            "liệu.") % {"label": change.label, "old": change.old[:80], "new": change.new[:80]})
            else:
                for change in target.changes:
                    if change.indicator in changed_since.get(sub.pk, set()):
                        _conflict(analysis, target, change, _(
                            "%(label)s: giá trị này đã được sửa trên hệ thống sau khi tệp được tải về (lúc %(at)s); "
                            "tệp sẽ ghi đè lên bản mới. Hãy tải tệp mẫu mới rồi nhập lại.")
                            % {"label": change.label, "at": format_datetime(exported_at)})
            _apply_choices(analysis, target)
            if not target.changes:
                continue
        checkable.append((target, cells))
    subs = [t.submission or Submission(plan=t.plan, unit=t.unit) for t, _c in checkable]
    if stored is not None:
        results = validate_many(plan=analysis.plan, items=[(s, t.values) for s, (t, _c) in
                                                           zip(subs, checkable, strict=True)], stored=stored)
    else:
        results = [validate(submission=s, values=t.values, rows=t.rows) for s, (t, _c) in
                   zip(subs, checkable, strict=True)]
    analysis.targets = [t for t in analysis.targets if t.changes]
    for (target, cells), (errors, warnings) in zip(checkable, results, strict=True):
        for issues, bucket in ((errors, analysis.errors), (warnings, analysis.warnings)):
            for issue in issues:
                key = (issue.indicator,) if issue.row is None else (
                    (issue.indicator, issue.row, issue.field) if issue.field else (issue.indicator, issue.row))
                sheet, cell = cells.get(key) or cells.get((issue.indicator,)) or ("", "")
                bucket.append(CellError(message=issue.message, sheet=sheet, cell=cell, unit=target.unit.name))


def _conflict(analysis: ImportAnalysis, target: Target, change: CellChange, message: str) -> None:
    key = conflict_key(target.unit.code, change.indicator)
    conflict = next((c for c in analysis.conflicts if c.key == key), None)
    if conflict is None:
        conflict = Conflict(key=key, unit_name=target.unit.name,
                            choice=(analysis.choices or {}).get(key, ""))
        analysis.conflicts.append(conflict)
    conflict.changes.append(change)
    conflict.messages.append(message)


def _apply_choices(analysis: ImportAnalysis, target: Target) -> None:
    """Drop from the target what the user chose to keep as it is on the web."""
    kept = {c.key for c in analysis.conflicts if c.choice == CHOICE_WEB}
    if not kept:
        return
    dropped = {code for code in [*target.values, *target.rows] if conflict_key(target.unit.code, code) in kept}
    for code in dropped:
        target.values.pop(code, None)
        target.rows.pop(code, None)
    target.changes = [c for c in target.changes if c.indicator not in dropped]


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def analyse_workbook(*, data: bytes, filename: str, user, expect: Expectation | None = None,
                     choices: dict[str, str] | None = None) -> ImportAnalysis:
    """Read and check the whole file; the result lists every error, or the changes it would make.

    Values the file would overwrite although it may be older are listed in `conflicts`; `choices`
    (conflict key -> CHOICE_WEB / CHOICE_FILE) settles them: kept on the web, or taken from the file.
    """
    analysis = ImportAnalysis(filename=filename, choices=choices)
    try:
        opened = open_workbook(data, filename)
    except UnreadableWorkbook as problem:
        analysis.error(str(problem))
        return analysis
    try:
        identity = _check_identity(opened, analysis, user, expect)
        if identity is None:
            return analysis
        meta, versions, exported_at = identity
        if analysis.kind == layout.KIND_UNIT:
            _analyse_unit(opened, analysis, user, meta, exported_at)
        else:
            _analyse_district(opened, analysis, user, versions, exported_at)
    except UnreadableWorkbook as problem:
        analysis.error(str(problem))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, OSError, EOFError, SyntaxError,
            zipfile.BadZipFile) as problem:
        # SyntaxError covers xml.etree's and lxml's parse errors.
        # openpyxl reads lazily: a part broken deep inside the file only fails here.
        logger.warning("workbook %s could not be read", filename, exc_info=True)
        analysis.error(_("Tệp Excel bị hỏng, không đọc được (%(what)s). Hãy mở lại bằng Excel, lưu dạng .xlsx "
                         "rồi tải lên lại.") % {"what": type(problem).__name__})
    finally:
        opened.close()
    if analysis.errors:
        analysis.targets = []
    return analysis
