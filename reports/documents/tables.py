"""The attached tables (Biểu) of a report, as typed print tables: one row per unit, the total row.

Each Biểu is a `TableSpec` (data: title, the plan sections it needs, its column groups). The values are raw
(int, Decimal rate, None where there is no figure); the web page, the PDF and the Excel workbook all format
the same `Table` (``reports.documents.pdf.document``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import rate_value
from reports.documents.pdf.document import Column, Table, TableRow
from reports.documents.text.words import level_word


@dataclass(frozen=True)
class TableSpec:
    title: str
    sections: tuple[str, ...]
    # (group label or None, [(column key, label)]); a key is an indicator code, "rate:NUM:DEN" or "sum:A+B".
    groups: tuple[tuple[str | None, tuple[tuple[str, str], ...]], ...]


TABLE_SPECS = {
    "study": TableSpec(
        title="KẾT QUẢ HỌC TẬP, QUÁN TRIỆT CÁC VĂN BẢN CỦA ĐẢNG",
        sections=("conference", "people"),
        groups=(
            (None, (("conference.count", "Số hội nghị"), ("conference.attendance", "Lượt người dự"),
                    ("cell_meeting.count", "Buổi sinh hoạt chi bộ"))),
            ("Đảng viên", (("members.studied", "Đã học tập"), ("members.required", "Phải học tập"),
                           ("rate:members.studied:members.required", "Tỷ lệ"))),
            ("Chưa là đảng viên", (("nonmembers.studied", "Đã học tập"), ("nonmembers.required", "Phải học tập"),
                                   ("rate:nonmembers.studied:nonmembers.required", "Tỷ lệ"))),
        ),
    ),
    "propaganda": TableSpec(
        title="KẾT QUẢ CÔNG TÁC TUYÊN TRUYỀN",
        sections=("propaganda",),
        groups=(
            ("Loa phát thanh", (("propaganda.loudspeaker.sessions", "Buổi"),
                                ("propaganda.loudspeaker.items", "Tin, bài"))),
            ("Họp bản, sinh hoạt đoàn thể", (("propaganda.mass_meeting.sessions", "Buổi"),
                                            ("propaganda.mass_meeting.reach", "Lượt người"))),
            ("Truyền thanh, truyền hình", (("propaganda.radio_tv.items", "Tin, bài"),
                                          ("propaganda.radio_tv.minutes", "Phút"))),
            ("Trang thông tin điện tử, mạng xã hội", (("sum:propaganda.website.items+propaganda.social.items",
                                                       "Tin, bài"),)),
        ),
    ),
    "personal_plan": TableSpec(
        title="KẾT QUẢ XÂY DỰNG KẾ HOẠCH LÀM THEO, NÊU GƯƠNG",
        sections=("personal_plan",),
        groups=(
            ("Đảng viên xây dựng kế hoạch", (("personal_plan.members.written", "Đã xây dựng"),
                                            ("personal_plan.members.required", "Phải xây dựng"),
                                            ("rate:personal_plan.members.written:personal_plan.members.required",
                                             "Tỷ lệ"))),
            (None, (("exemplary.cadres", "Cán bộ chủ chốt nêu gương"), ("exemplary.commitments", "Việc cam kết"),
                    ("model.count", "Mô hình tiêu biểu"))),
        ),
    ),
}


def _int(row: dict, code: str) -> int:
    return int(row.get("totals", {}).get(code, 0) or 0)


def cell_value(row_or_totals: dict, key: str) -> int | Decimal | None:
    """The raw value of column `key` for a unit row (or the snapshot's totals)."""
    if key.startswith("rate:"):
        _kind, num, den = key.split(":")
        return rate_value(_int(row_or_totals, num), _int(row_or_totals, den))
    if key.startswith("sum:"):
        return sum(_int(row_or_totals, c) for c in key[4:].split("+"))
    return _int(row_or_totals, key)


def _columns(spec: TableSpec) -> tuple[Column, ...]:
    columns = [Column("stt", "STT", kind="stt", width=0.6), Column("name", "Đơn vị", kind="text", width=4.0)]
    for group, cols in spec.groups:
        for key, label in cols:
            columns.append(Column(key, label, kind="rate" if key.startswith("rate:") else "int", group=group or ""))
    return tuple(columns)


def row_note(row: dict) -> str:
    if not row.get("included"):
        return _("Chưa báo cáo") if row.get("status") == "missing" else _("Chưa tiếp nhận")
    return ""


def report_tables(report, *, subtitle: str, note: str) -> tuple[Table, ...]:
    """The Biểu of a report, one per table spec whose sections the plan has."""
    snapshot = report.snapshot or {}
    sections = snapshot.get("sections", [])
    rows = snapshot.get("units", [])
    tables = []
    for spec in TABLE_SPECS.values():
        if not any(s in sections for s in spec.sections):
            continue
        columns = _columns(spec)
        figure_keys = [c.key for c in columns[2:]]
        out_rows, stt = [], 0
        for row in rows:
            name = row["name"]
            if row.get("is_own"):
                label, number = f"Cấp {level_word(snapshot)} ({name})", None
            else:
                stt += 1
                label, number = name, stt
            if row.get("included") and row.get("unaccepted"):
                label += " (*)"
            values = [cell_value(row, k) if row.get("included") else None for k in figure_keys]
            out_rows.append(TableRow(values=(number, label, *values), bold=number is None, key=row["code"],
                                     note=row_note(row)))
        total = TableRow(values=(None, "Tổng cộng", *[cell_value(snapshot, k) for k in figure_keys]), bold=True)
        remarks = []
        if any(r.get("unaccepted") for r in rows):
            remarks.append(_("(*) Báo cáo đã gửi, chưa được tiếp nhận, được tính vào tổng hợp."))
        label = f"Biểu số {len(tables) + 1:02d}"
        tables.append(Table(label=label, title=spec.title, subtitle=subtitle, columns=columns, rows=tuple(out_rows),
                            total=total, note=" ".join(n for n in [note, *remarks] if n), remarks=tuple(remarks),
                            landscape=len(columns) > 7))
    return tuple(tables)
