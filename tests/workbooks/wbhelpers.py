"""Helpers for the workbook tests: open, edit and save workbooks, find cells by code."""
from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import load_workbook


def open_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


def save_xlsx(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def edit(data: bytes, change: Callable) -> bytes:
    """Open a workbook, let `change(wb)` edit it, save it back to bytes."""
    wb = open_xlsx(data)
    change(wb)
    return save_xlsx(wb)


def value_cell(ws, code: str, column: int = 3):
    """The value cell of the row whose column A holds `code`."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == code:
            return ws.cell(row=row[0].row, column=column)
    raise KeyError(code)


def district_cell(ws, unit_code: str, indicator_code: str):
    codes = [c.value for c in ws[3]]
    col = codes.index(indicator_code) + 1
    for row in ws.iter_rows(min_row=4, min_col=1, max_col=1):
        if row[0].value == unit_code:
            return ws.cell(row=row[0].row, column=col)
    raise KeyError(unit_code)


RICH_VALUES = {
    "conference.count": 3, "conference.attendance": 250, "summer_class.count": None, "cell_meeting.count": 12,
    "cell_meeting.attendance": 0,
    "members.required": 120, "members.studied": 118, "nonmembers.required": 0, "nonmembers.studied": 0,
    "propaganda.loudspeaker.sessions": 7, "propaganda.social.items": 0,
    "personal_plan.members.required": 120, "personal_plan.members.written": 110, "exemplary.commitments": 45,
    "ethics_standard.required": 5, "ethics_standard.issued": 5, "inspection.count": 2, "award.individuals": 0,
    "key_tasks.text": "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh;\n"
                      "xây dựng “bản văn hóa” ở Khun Há.",
    "narrative.leadership": "Ban Thường vụ Huyện ủy ban hành Kế hoạch số 209-KH/HU.\n\n"
                            "Dòng thứ ba: ưu tiên đồng bào dân tộc Mông, Dao, Thái.",
    "narrative.strengths": "=Không phải công thức, chỉ là chữ bắt đầu bằng dấu bằng",
    "narrative.limitations": "  Khoảng trắng đầu và cuối  ",
    "narrative.causes": "",
}
RICH_ROWS = {
    "conference.rows": [
        {"date": "2024-03-05", "title": "Hội nghị học tập chuyên đề năm 2024", "level": "own", "format": "hybrid",
         "points": 13, "presenters": "Bí thư Huyện ủy;\nTrưởng Ban Tuyên giáo", "documents": "Kết luận số 01-KL/TW",
         "attendance": 0},
        {"date": "2024-04-10", "title": "Hội nghị trực tuyến toàn quốc", "level": "connected", "format": "online",
         "points": None, "presenters": "", "documents": "Chỉ thị số 05-CT/TW", "attendance": 65},
    ],
    "documents.rows": [
        {"number": "74-KH/HU", "date": "2024-01-15", "title": "Kế hoạch số 74-KH/HU về học tập chuyên đề năm 2024"},
    ],
    "model.rows": [
        {"name": "Mô hình “Dân vận khéo” ở bản Nà Khum", "description": "Nhiều dòng:\n- làm đường\n- trồng chè"},
    ],
}
