"""Writing the workbooks: the unit workbook (one unit, every collected section) and the district workbook
(one row per unit for the number sections). Both carry their identity in the hidden "_meta" sheet.
"""
from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.formatting import (
    EXCEL_DATE_FORMAT,
    EXCEL_INT_FORMAT,
    EXCEL_RATE_FORMAT,
    format_date_short,
    format_datetime,
)
from core.spreadsheets import set_text, workbook_bytes
from reports.plans.catalogue import CHOICES
from reports.plans.models import Indicator, Plan
from reports.submissions.models import Submission
from reports.workbooks import layout
from reports.workbooks.selectors import stored_rows, stored_values
from units.models import Unit

UNLOCKED = Protection(locked=False)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
CODE_FONT = Font(size=8, color="808080")
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, as wide as one page (long lists run on to further pages)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _protect(ws: Worksheet, *, rows_editable: bool = False) -> None:
    """Lock the sheet (no password): labels and codes cannot be changed, unlocked cells can."""
    _print_setup(ws)
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    if rows_editable:
        p.insertRows = False
        p.deleteRows = False


def _text_height(text: str | None, chars_per_line: int) -> float | None:
    if not text:
        return None
    lines = sum(max(1, math.ceil(len(line) / chars_per_line)) for line in str(text).split("\n"))
    return min(409, 15 * lines + 3)


def _whole_validation() -> DataValidation:
    return DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
        errorTitle=_("Số không hợp lệ"), error=_("Chỉ nhập số nguyên không âm (0, 1, 2 …)."),
        promptTitle=_("Số nguyên"), prompt=_("Số nguyên không âm; để trống nếu chưa có số liệu."),
    )


def _date_value(raw):
    """A stored row date ("2023-07-28") as a date cell; anything else is written as it is."""
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return raw
    return raw


def row_cell_value(field: layout.RowField, raw):
    """What the workbook shows for a stored row value (the import compares against this)."""
    if raw in (None, ""):
        return None
    if field.kind == "date":
        return _date_value(raw)
    if field.kind.startswith("choice:"):
        return dict(field.choices).get(raw, raw)
    return raw


def _write_meta(wb: Workbook, meta: dict, lists: dict[str, list[str]] | None = None,
                versions: list[tuple[str, int | str]] | None = None) -> dict[str, str]:
    """The hidden identity sheet, its defined names, and the choice lists; returns list name → range."""
    ws = wb.create_sheet(layout.META_SHEET)
    for n, key in enumerate(layout.META_KEYS, start=1):
        ws.cell(row=n, column=1, value=key)
        set_text(ws.cell(row=n, column=2), str(meta.get(key, "")))
    for name, key in layout.DEFINED_NAMES.items():
        row = layout.META_KEYS.index(key) + 1
        wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(layout.META_SHEET)}!$B${row}")
    ranges = {}
    for col, (list_name, labels) in enumerate((lists or {}).items(), start=4):
        letter = get_column_letter(col)
        for n, label in enumerate(labels, start=1):
            ws.cell(row=n, column=col, value=label)
        ranges[list_name] = f"{quote_sheetname(layout.META_SHEET)}!${letter}$1:${letter}${len(labels)}"
    if versions is not None:
        ws.cell(row=layout.META_VERSIONS_ROW - 1, column=1, value="unit")
        ws.cell(row=layout.META_VERSIONS_ROW - 1, column=2, value="submission_version")
        for n, (code, version) in enumerate(versions, start=layout.META_VERSIONS_ROW):
            ws.cell(row=n, column=1, value=code)
            ws.cell(row=n, column=2, value=version)
    ws.sheet_state = "hidden"
    _protect(ws)
    return ranges


def _instructions(wb: Workbook, lines: list, facts: list[tuple[str, str]]) -> None:
    ws = wb.active
    ws.title = layout.INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    row = 1
    ws.cell(row=row, column=1, value=str(lines[0])).font = TITLE
    row += 2
    for label, value in facts:
        ws.cell(row=row, column=1, value=label).font = BOLD
        cell = ws.cell(row=row, column=2)
        set_text(cell, value)
        cell.alignment = WRAP
        height = _text_height(value, 95)
        if height and height > 18:
            ws.row_dimensions[row].height = height
        row += 1
    row += 1
    for line in lines[1:]:
        text = str(line)
        if not text:
            continue
        cell = ws.cell(row=row, column=2, value=text)
        cell.alignment = WRAP
        height = _text_height(text, 95)
        if height and height > 18:
            ws.row_dimensions[row].height = height
        row += 1
    ws.cell(row=3 + len(facts) + 1, column=1, value=_("Cách điền")).font = BOLD
    _protect(ws)


def _plan_facts(plan: Plan) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), f"{plan} – {plan.issuing_body.name}"),
        (_("Trích yếu"), plan.title),
        (_("Kỳ báo cáo"), _("từ %(start)s đến %(end)s") % {
            "start": format_date_short(plan.period_start), "end": format_date_short(plan.period_end)}),
        (_("Hạn báo cáo"), format_date_short(plan.deadline)),
    ]


def _status_label(submission: Submission | None) -> str:
    if submission is None:
        return _("Chưa nhập")
    label = submission.get_status_display()
    if submission.is_locked:
        label += " " + _("(đã khóa, không sửa được)")
    return label


def _unit_section_sheet(wb: Workbook, spec: layout.SheetSpec, *, plan: Plan, unit: Unit,
                        values: dict, rows: dict, list_ranges: dict[str, str], formulas: list) -> None:
    """One section's sheet; the rate formulas it writes are added to `formulas`."""
    ws = wb.create_sheet(spec.name)
    ws.cell(row=1, column=1, value=spec.section.title).font = TITLE
    ws.cell(row=2, column=1, value=f"{unit.name} – {plan}").font = Font(italic=True)
    has_text = any(not i.is_number for i in spec.scalars)
    only_text = spec.scalars and all(not i.is_number for i in spec.scalars) and not spec.lists
    widths = {"A": 26, "B": 60, "C": 100 if only_text else (60 if has_text else 16), "D": 14, "E": 12}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    headers = [_("Mã chỉ tiêu"), _("Chỉ tiêu"), _("Giá trị"), _("Đơn vị tính"), _("Tỷ lệ (%)")]
    for col, label in enumerate(headers, start=1):
        cell = ws.cell(row=layout.HEADER_ROW, column=col, value=label)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER_WRAP
    whole = _whole_validation()
    ws.add_data_validation(whole)
    row_of: dict[str, int] = {}
    row = layout.HEADER_ROW + 1
    for indicator in spec.scalars:
        row_of[indicator.code] = row
        code_cell = ws.cell(row=row, column=layout.COL_CODE, value=indicator.code)
        code_cell.font, code_cell.alignment = CODE_FONT, TOP
        label = ws.cell(row=row, column=layout.COL_LABEL, value=indicator.label)
        label.alignment = WRAP
        ws.cell(row=row, column=layout.COL_UNIT, value=indicator.unit_label or None)
        for col in (layout.COL_CODE, layout.COL_LABEL, layout.COL_UNIT, layout.COL_RATE):
            ws.cell(row=row, column=col).fill = LOCKED_FILL
        cell = ws.cell(row=row, column=layout.COL_VALUE)
        cell.protection = UNLOCKED
        value = values.get(indicator.code)
        if indicator.is_number:
            cell.value = value
            cell.number_format = EXCEL_INT_FORMAT
            whole.add(cell.coordinate)
        else:
            set_text(cell, value)
            cell.alignment = WRAP
            height = _text_height(value, int(widths["C"] * 1.1))
            if height:
                ws.row_dimensions[row].height = height
        row += 1
    for indicator in spec.numbers:
        if indicator.denominator_id and indicator.denominator.code in row_of:
            num = f"C{row_of[indicator.code]}"
            den = f"C{row_of[indicator.denominator.code]}"
            cell = ws.cell(row=row_of[indicator.code], column=layout.COL_RATE)
            cell.value = f'=IF(AND(ISNUMBER({num}),ISNUMBER({den}),{den}>0),ROUND({num}/{den}*100,1),"")'
            cell.number_format = EXCEL_RATE_FORMAT
            formulas.append(cell)
    for indicator in spec.lists:
        row = _list_block(ws, indicator, rows.get(indicator.code, []), row + 1, list_ranges)
    _protect(ws, rows_editable=bool(spec.lists))
    ws.freeze_panes = ws.cell(row=layout.HEADER_ROW + 1, column=1)


def _list_block(ws: Worksheet, indicator: Indicator, items: list[dict], row: int,
                list_ranges: dict[str, str]) -> int:
    """A list indicator as a table: marker row, header row, one row per item, spare rows. Returns next row."""
    fields = layout.row_fields(indicator.code)
    ws.cell(row=row, column=1, value=indicator.code).font = CODE_FONT
    ws.cell(row=row, column=2, value=indicator.label).font = BOLD
    row += 1
    ws.cell(row=row, column=1, value=_("STT"))
    for col, field in enumerate(fields, start=2):
        ws.cell(row=row, column=col, value=field.label)
    for col in range(1, len(fields) + 2):
        cell = ws.cell(row=row, column=col)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER_WRAP
    first = row + 1
    last = first + len(items) + layout.SPARE_ROWS - 1
    for n in range(last - first + 1):
        r = first + n
        item = items[n] if n < len(items) else {}
        number = ws.cell(row=r, column=1, value=n + 1 if n < len(items) else None)
        number.protection, number.alignment = UNLOCKED, TOP
        max_height = None
        for col, field in enumerate(fields, start=2):
            cell = ws.cell(row=r, column=col)
            cell.protection = UNLOCKED
            value = row_cell_value(field, item.get(field.name))
            cell.alignment = TOP
            if field.kind == "date":
                cell.number_format = EXCEL_DATE_FORMAT
                if isinstance(value, str):
                    set_text(cell, value)
                else:
                    cell.value = value
            elif field.kind == "int":
                cell.value = value
                cell.number_format = EXCEL_INT_FORMAT
            else:
                set_text(cell, value if value is None else str(value))
                cell.alignment = WRAP
                height = _text_height(value, 40)
                if height and (max_height is None or height > max_height):
                    max_height = height
        if max_height:
            ws.row_dimensions[r].height = max_height
    # Validations over the table and well below it (rows inserted later keep them).
    bottom = last + 200
    for col, field in enumerate(fields, start=2):
        letter = get_column_letter(col)
        area = f"{letter}{first}:{letter}{bottom}"
        if field.kind == "int":
            dv = _whole_validation()
        elif field.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                showErrorMessage=True, errorTitle=_("Ngày không hợp lệ"),
                                error=_("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 21/9/2023."))
        elif field.kind.startswith("choice:"):
            dv = DataValidation(type="list", formula1=list_ranges[field.kind], allow_blank=True,
                                showErrorMessage=True, errorTitle=_("Giá trị không hợp lệ"),
                                error=_("Chọn một giá trị trong danh sách."))
        else:
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 40)
            continue
        dv.add(area)
        ws.add_data_validation(dv)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 16)
    return last + 1


def _choice_lists() -> dict[str, list[str]]:
    return {f"choice:{name}": [label for _key, label in options] for name, options in CHOICES.items()}


def _save(wb: Workbook, formulas: list | None = None) -> bytes:
    """Every text cell is saved as text, except the rate formulas this module wrote."""
    return workbook_bytes(wb, formulas=formulas or ())


def unit_workbook_filename(plan: Plan, unit: Unit) -> str:
    return f"{plan.reference.replace('/', '_')}_{unit.code}.xlsx"


def district_workbook_filename(plan: Plan, root: Unit | None) -> str:
    return f"{plan.reference.replace('/', '_')}_{root.code if root else 'tong-hop'}_nhieu-don-vi.xlsx"


def build_unit_workbook(*, plan: Plan, unit: Unit, user=None) -> bytes:
    """The unit's workbook for the plan, pre-filled with what is stored."""
    submission = Submission.objects.filter(plan=plan, unit=unit).first()
    values = stored_values([submission.pk])[submission.pk] if submission else {}
    rows = stored_rows([submission.pk])[submission.pk] if submission else {}
    wb = Workbook()
    facts = [(_("Đơn vị"), unit.name), *_plan_facts(plan), (_("Trạng thái báo cáo"), _status_label(submission)),
             (_("Tải về lúc"), format_datetime(timezone.now()))]
    _instructions(wb, layout.INSTRUCTIONS, facts)
    specs = layout.plan_sheets(plan)
    meta = {
        "format": layout.FORMAT_ID, "format_version": layout.FORMAT_VERSION, "kind": layout.KIND_UNIT,
        "plan": plan.reference, "unit": unit.code,
        "submission_version": submission.version if submission else "",
        "exported_at": timezone.now().isoformat(), "exported_by": getattr(user, "username", "") or "",
    }
    # _meta is created first so the choice ranges exist; it is moved to the end afterwards.
    list_ranges = _write_meta(wb, meta, lists=_choice_lists())
    formulas: list = []
    for spec in specs:
        _unit_section_sheet(wb, spec, plan=plan, unit=unit, values=values, rows=rows, list_ranges=list_ranges,
                            formulas=formulas)
    wb.move_sheet(layout.META_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(layout.META_SHEET))
    wb.active = 0
    return _save(wb, formulas)


def build_district_workbook(*, plan: Plan, units: list[Unit], root: Unit | None = None, user=None) -> bytes:
    """One row per unit for every section with number indicators, pre-filled with what is stored."""
    subs = {s.unit_id: s for s in Submission.objects.filter(plan=plan, unit__in=[u.pk for u in units])}
    values = stored_values([s.pk for s in subs.values()])
    wb = Workbook()
    facts = [(_("Đơn vị tổng hợp"), root.name if root else _("Tất cả")), *_plan_facts(plan),
             (_("Số đơn vị"), str(len(units))), (_("Tải về lúc"), format_datetime(timezone.now()))]
    _instructions(wb, layout.DISTRICT_INSTRUCTIONS, facts)
    meta = {
        "format": layout.FORMAT_ID, "format_version": layout.FORMAT_VERSION, "kind": layout.KIND_DISTRICT,
        "plan": plan.reference, "unit": root.code if root else "",
        "exported_at": timezone.now().isoformat(), "exported_by": getattr(user, "username", "") or "",
    }
    versions = [(u.code, subs[u.pk].version if u.pk in subs else "") for u in units]
    for spec in layout.district_sheets(plan):
        ws = wb.create_sheet(spec.name)
        ws.cell(row=1, column=1, value=f"{spec.section.title} – {plan}").font = TITLE
        heads = [_("Mã đơn vị"), _("Tên đơn vị"), _("Trạng thái")] + [i.label for i in spec.scalars]
        codes = ["unit", "name", "status"] + [i.code for i in spec.scalars]
        for col, (head, code) in enumerate(zip(heads, codes, strict=True), start=1):
            cell = ws.cell(row=layout.D_LABEL_ROW, column=col, value=head)
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER_WRAP
            ws.cell(row=layout.D_CODE_ROW, column=col, value=code).font = CODE_FONT
            ws.column_dimensions[get_column_letter(col)].width = 16
        ws.column_dimensions["A"].width = 26
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["C"].width = 32
        ws.row_dimensions[layout.D_LABEL_ROW].height = 75
        whole = _whole_validation()
        ws.add_data_validation(whole)
        last_col = layout.D_FIRST_VALUE_COL + len(spec.scalars) - 1
        for n, unit in enumerate(units):
            r = layout.D_FIRST_ROW + n
            sub = subs.get(unit.pk)
            unit_values = values.get(sub.pk, {}) if sub else {}
            ws.cell(row=r, column=layout.D_COL_UNIT, value=unit.code).font = CODE_FONT
            ws.cell(row=r, column=layout.D_COL_NAME, value=unit.name)
            ws.cell(row=r, column=layout.D_COL_STATUS, value=_status_label(sub))
            for col, indicator in enumerate(spec.scalars, start=layout.D_FIRST_VALUE_COL):
                cell = ws.cell(row=r, column=col, value=unit_values.get(indicator.code))
                cell.protection = UNLOCKED
                cell.number_format = EXCEL_INT_FORMAT
        if units:
            whole.add(f"{get_column_letter(layout.D_FIRST_VALUE_COL)}{layout.D_FIRST_ROW}:"
                      f"{get_column_letter(last_col)}{layout.D_FIRST_ROW + len(units) - 1}")
        ws.freeze_panes = ws.cell(row=layout.D_FIRST_ROW, column=layout.D_FIRST_VALUE_COL)
        _protect(ws)
    _write_meta(wb, meta, versions=versions)
    wb.active = 0
    return _save(wb)
