"""The attached tables (Biểu) of a document as an Excel workbook, one sheet per Biểu.

Same label, title, "Kèm theo …" line, merged header cells, a row per unit, the bold total row;
cells hold real numbers with ``core.formatting.EXCEL_INT_FORMAT`` / ``EXCEL_RATE_FORMAT``; column
widths, A4 landscape print setup, header rows repeated on every printed page, fit to one page wide.
Uses openpyxl's write-only-free normal mode (merges need it); 5,000 rows take well under a second.
"""
from __future__ import annotations

import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.formatting import EXCEL_INT_FORMAT, EXCEL_RATE_FORMAT
from core.spreadsheets import workbook_bytes
from reports.documents.pdf.document import NO_FIGURE, PrintDocument, Table

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(table: Table, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", table.sheet_name or table.label).strip() or "Biểu"
    title = base[:31]
    n = 2
    while title in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def _value(value, kind: str):
    if value is None and kind in ("int", "rate"):
        return NO_FIGURE  # blank is not zero: the same mark as the web page and the PDF
    if value is None or value == "":
        return None
    if kind == "rate":
        return float(value) if isinstance(value, Decimal) else value
    if kind in ("int", "stt") and isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _write_table(ws, table: Table) -> None:
    ncols = len(table.columns)
    last = get_column_letter(ncols)
    regular = Font(name=FONT_NAME, size=12)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    italic = Font(name=FONT_NAME, size=12, italic=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.cell(row=1, column=ncols, value=table.label).font = bold
    ws.cell(row=1, column=ncols).alignment = Alignment(horizontal="right")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = table.title.upper()
    ws["A2"].font = Font(name=FONT_NAME, size=14, bold=True)
    ws["A2"].alignment = centre
    ws.row_dimensions[2].height = 36
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = table.subtitle
    ws["A3"].font = italic
    ws["A3"].alignment = centre

    header_top = 5
    header_rows = table.header_rows()
    for r, cells in enumerate(header_rows):
        row = header_top + r
        for cell in cells:
            col = cell["col"] + 1
            ws.cell(row=row, column=col, value=cell["label"])
            end_row = row + cell["rowspan"] - 1
            end_col = col + cell["colspan"] - 1
            if end_row > row or end_col > col:
                ws.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)
    header_bottom = header_top + len(header_rows) - 1
    for row in ws.iter_rows(min_row=header_top, max_row=header_bottom, max_col=ncols):
        for c in row:
            c.font = bold
            c.alignment = centre
            c.border = BORDER

    kinds = [c.kind for c in table.columns]
    formats = [EXCEL_RATE_FORMAT if k == "rate" else EXCEL_INT_FORMAT if k in ("int",) else None for k in kinds]
    r = header_bottom + 1
    body_rows = list(table.rows) + ([table.total] if table.total is not None else [])
    for index, trow in enumerate(body_rows):
        is_total = table.total is not None and index == len(body_rows) - 1
        font = bold if (is_total or trow.bold) else regular
        for c, (value, kind, fmt) in enumerate(zip(trow.values, kinds, formats, strict=False), start=1):
            cell = ws.cell(row=r, column=c, value=_value(value, kind))
            cell.font = font
            cell.border = BORDER
            if fmt:
                cell.number_format = fmt
            if kind == "text":
                cell.alignment = Alignment(horizontal="center" if is_total else "left", vertical="center",
                                           wrap_text=True, indent=min(trow.level, 3))
            elif kind == "stt" or value is None:
                cell.alignment = Alignment(horizontal="center", vertical="center")
        r += 1
    if not table.rows:
        ws.cell(row=r, column=1, value="Chưa có số liệu.").font = italic
        r += 1
    if table.note:
        ws.cell(row=r + 1, column=1, value=table.note).font = italic

    total_weight = sum(c.width for c in table.columns) or 1
    usable = 150 if table.is_landscape else 100  # characters across the printable width
    for i, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(5, round(usable * col.width / total_weight, 1))

    ws.freeze_panes = ws.cell(row=header_bottom + 1, column=3)
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if table.is_landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"


def tables_xlsx(doc: PrintDocument) -> bytes:
    """The workbook bytes: one sheet per Biểu (a sheet saying there is none when the document has no table)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in doc.tables:
        _write_table(wb.create_sheet(_sheet_title(table, used)), table)
    if not doc.tables:
        ws = wb.create_sheet("Biểu")
        ws["A1"] = "Văn bản không có biểu kèm theo."
    wb.properties.title = doc.title
    wb.properties.creator = doc.author or "tuyen-giao-reports"
    return workbook_bytes(wb)
