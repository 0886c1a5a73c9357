"""The status board as a file (CSV or Excel), with figures formatted by core.formatting."""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.formatting import format_count, format_date_short, format_datetime, format_number
from core.spreadsheets import csv_row, workbook_bytes
from reports.submissions.selectors import BoardRow, StatusBoard


def board_header() -> list[str]:
    return [_("STT"), _("Mã đơn vị"), _("Đơn vị"), _("Trạng thái"), _("Gửi lần đầu lúc"), _("Gửi lúc"),
            _("Tình hình"), _("Người nhập"), _("Nhập thay")]


def board_line(n: int, row: BoardRow) -> list[str]:
    return [
        format_number(n),
        row.unit.code,
        row.unit_name + (" " + _("(cấp mình)") if row.is_own else ""),
        row.status_label,
        format_datetime(row.first_submitted_at),
        format_datetime(row.submitted_at),
        row.timeliness_label,
        row.entered_by,
        _("nhập thay") if row.on_behalf else "",
    ]


def board_title_lines(board: StatusBoard) -> list[str]:
    plan = board.plan
    s = board.summary
    return [
        _("Tình hình báo cáo theo %(plan)s, ngày %(date)s của %(body)s")
        % {"plan": str(plan), "date": format_date_short(plan.issued_on), "body": plan.issuing_body.name},
        _("Hạn báo cáo: %(deadline)s. Số liệu tính đến %(now)s.")
        % {"deadline": format_date_short(plan.deadline), "now": format_datetime(board.now)},
        _("%(reported)s/%(total)s %(units)s đã báo cáo; %(on_time)s đúng hạn, %(late)s chậm, "
          "%(missing)s chưa báo cáo.")
        % {"reported": format_count(s.reported), "total": format_count(s.total), "units": board.units_word,
           "on_time": format_count(s.on_time), "late": format_count(s.late), "missing": format_count(s.missing)},
    ]


def board_csv(board: StatusBoard, rows: list[BoardRow]) -> bytes:
    """CSV in UTF-8 with a BOM so that Excel opens the Vietnamese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(board_header()))
    for n, row in enumerate(rows, start=1):
        writer.writerow(csv_row(board_line(n, row)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def board_xlsx(board: StatusBoard, rows: list[BoardRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tình hình báo cáo")[:31]
    header = board_header()
    for line in board_title_lines(board):
        ws.append([line])
    ws["A1"].font = Font(bold=True, name="Times New Roman", size=13)
    ws.append([])
    ws.append(header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True, name="Times New Roman")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, row in enumerate(rows, start=1):
        ws.append(board_line(n, row))
    widths = [6, 30, 48, 14, 24, 24, 14, 24, 10]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return workbook_bytes(wb)
