"""The attached tables (Biểu) as an Excel workbook."""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from core.formatting import EXCEL_INT_FORMAT, EXCEL_RATE_FORMAT
from demo.samples import seed_004_document, seed_004_units
from reports.documents.pdf.document import Column, Table, TableRow
from reports.documents.pdf.xlsx import tables_xlsx


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(io.BytesIO(tables_xlsx(seed_004_document())))


def test_one_sheet_per_bieu_with_label_title_and_report_line(workbook):
    assert workbook.sheetnames == ["Biểu số 01", "Biểu số 02"]
    ws = workbook["Biểu số 01"]
    assert ws.cell(row=1, column=ws.max_column).value == "Biểu số 01"
    assert ws["A2"].value.startswith("KẾT QUẢ HỌC TẬP, QUÁN TRIỆT") and ws["A2"].font.b
    assert ws["A3"].value.startswith("Kèm theo Báo cáo số 164-BC/BTGHU") and ws["A3"].font.i


def test_merged_header_cells_and_print_setup(workbook):
    ws = workbook["Biểu số 01"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A5:A6" in merged and "B5:B6" in merged  # STT and unit name span both header rows
    assert "C5:D5" in merged and ws["C5"].value == "Hội nghị học tập, quán triệt"
    assert "G5:I5" in merged and ws["G5"].value == "Đảng viên"
    assert ws.print_title_rows == "$5:$6"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["B"].width > 3 * ws.column_dimensions["C"].width


def test_rows_in_order_real_numbers_formats_and_bold_total(workbook):
    ws = workbook["Biểu số 01"]
    rows = list(ws.iter_rows(min_row=7, values_only=True))
    assert rows[0][1].startswith("Cấp huyện") and rows[1][1] == "Đảng ủy xã Bình Lư"
    total_index = next(i for i, r in enumerate(rows) if r[1] == "Tổng cộng")
    total = rows[total_index]
    units = seed_004_units()
    attendance = sum(v.get("conference.attendance", 0) for _, v in units)
    cell_attendance = sum(v.get("cell_meeting.attendance", 0) for _, v in units)
    assert total[2:] == (79, attendance, 294, cell_attendance, 2419, 2468, 98.0, 700, 735, 95.2)
    unit_rows = rows[:total_index]
    assert len(unit_rows) == 52
    assert sum(r[2] or 0 for r in unit_rows) == 79
    # Issue 18.2: a unit without a figure shows the seeds' mark "–" (blank is not zero), never 0 or an empty cell.
    assert sum(r[6] for r in unit_rows if r[6] != "–") == 2419 and unit_rows[0][6] == "–"
    total_row = 7 + total_index
    assert all(ws.cell(row=total_row, column=c).font.b for c in range(2, 13))
    assert ws.cell(row=8, column=3).number_format == EXCEL_INT_FORMAT
    assert ws.cell(row=8, column=9).number_format == EXCEL_RATE_FORMAT


def test_long_table_and_awkward_names():
    columns = (Column("stt", "STT", "stt"), Column("name", "Tên", "text", width=4),
               Column("a", "Số", "int"), Column("r", "Tỷ lệ (%)", "rate"))
    rows = tuple(TableRow((i + 1, f"Chi bộ {i}" + "x" * (200 if i == 0 else 0), i, Decimal("50.0")))
                 for i in range(5000))
    table = Table("Biểu số 01", "Bảng dài", "Kèm theo", columns, rows,
                  TableRow(("", "Tổng cộng", sum(range(5000)), Decimal("50.0")), bold=True),
                  sheet_name="Biểu: số/01*?")
    doc = seed_004_document(with_tables=False)
    import dataclasses

    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx(dataclasses.replace(doc, tables=(table, table)))))
    assert wb.sheetnames == ["Biểu- số-01--", "Biểu- số-01-- (2)"]
    ws = wb.worksheets[0]
    assert ws.max_row == 5 + 5000 + 1  # one header row (no groups), the rows, the total
    assert ws.cell(row=ws.max_row, column=3).value == sum(range(5000))


def test_a_document_without_tables_gives_a_workbook_that_says_so():
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx(seed_004_document(with_tables=False))))
    assert wb.active["A1"].value == "Văn bản không có biểu kèm theo."
