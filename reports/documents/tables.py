"""The attached tables (Biểu) of a report, as typed print tables: one row per unit, the total row.

Each Biểu is a `TableSpec` (data: title, the plan sections it needs, its column groups). The values are raw
(int, Decimal rate, None where there is no figure); the web page, the PDF and the Excel workbook all format
the same `Table` (``reports.documents.pdf.document``), so they agree by construction:

* blank is not zero: a unit that entered no figure for a column (or did not report, or is not taken into
  the roll-up) has None there, printed "–"; a rate over a zero or missing denominator is None too;
* units that did not report are named in a "Ghi chú" column ("Chưa báo cáo", "Chưa tiếp nhận" …);
* the note under each Biểu says how many units its total row covers.
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


def column_codes(key: str) -> list[str]:
    """The indicator codes a column is made of."""
    if key.startswith("rate:"):
        return key.split(":")[1:]
    if key.startswith("sum:"):
        return key[4:].split("+")
    return [key]


def cell_value(row_or_totals: dict, key: str, reported: set[str] | None = None) -> int | Decimal | None:
    """The raw value of column `key` for a unit row (or the snapshot's totals); None where there is no figure.

    `reported`: the codes with an entered figure (None: all of them, as in a snapshot made before it said).
    """
    codes = column_codes(key)
    if reported is not None:
        if key.startswith("rate:") and not all(c in reported for c in codes):
            return None
        if not any(c in reported for c in codes):
            return None
    if key.startswith("rate:"):
        return rate_value(_int(row_or_totals, codes[0]), _int(row_or_totals, codes[1]))
    return sum(_int(row_or_totals, c) for c in codes)


def _columns(spec: TableSpec) -> list[Column]:
    columns = [Column("stt", "STT", kind="stt", width=0.6), Column("name", "Đơn vị", kind="text", width=4.0)]
    for group, cols in spec.groups:
        for key, label in cols:
            rate = key.startswith("rate:")
            columns.append(Column(key, f"{label} (%)" if rate else label, kind="rate" if rate else "int",
                                  group=group or ""))
    return columns


NOTE_COLUMN = Column("note", "Ghi chú", kind="text", width=1.6)
STATUS_NOTES = {
    "missing": _("Chưa báo cáo"),
    "draft": _("Chưa báo cáo"),  # a saved draft was never sent
    "returned": _("Bị trả lại, chưa gửi lại"),
    "submitted": _("Chưa tiếp nhận"),
}


def row_note(row: dict) -> str:
    """How the Biểu marks a unit whose figures are not in the totals."""
    if row.get("included"):
        return ""
    return str(STATUS_NOTES.get(row.get("status", ""), _("Chưa báo cáo")))


def row_reported(row: dict) -> set[str] | None:
    reported = row.get("reported")
    return None if reported is None else set(reported)


def totals_reported(rows: list[dict]) -> set[str] | None:
    """The codes any included unit entered a figure for (None when a row does not say)."""
    included = [r for r in rows if r.get("included")]
    if any(r.get("reported") is None for r in included):
        return None
    return {c for r in included for c in r["reported"]}


def report_tables(report, *, subtitle: str, note: str) -> tuple[Table, ...]:
    """The Biểu of a report, one per table spec whose sections the plan has."""
    snapshot = report.snapshot or {}
    sections = snapshot.get("sections", [])
    rows = snapshot.get("units", [])
    with_note = any(row_note(r) for r in rows)
    tables = []
    for spec in TABLE_SPECS.values():
        if not any(s in sections for s in spec.sections):
            continue
        columns = _columns(spec)
        figure_keys = [c.key for c in columns[2:]]
        if with_note:
            columns.append(NOTE_COLUMN)
        out_rows, stt, covered = [], 0, 0
        for row in rows:
            name = row["name"]
            if row.get("is_own"):
                label, number = f"Cấp {level_word(snapshot)} ({name})", None
            else:
                stt += 1
                label, number = name, stt
            if row.get("included") and row.get("unaccepted"):
                label += " (*)"
            reported = row_reported(row)
            values = [cell_value(row, k, reported) if row.get("included") else None for k in figure_keys]
            if any(v is not None for v in values):
                covered += 1
            extra = (row_note(row),) if with_note else ()
            out_rows.append(TableRow(values=(number, label, *values, *extra), bold=number is None, key=row["code"],
                                     note=row_note(row)))
        reported = totals_reported(rows)
        total = TableRow(values=(None, "Tổng cộng", *[cell_value(snapshot, k, reported) for k in figure_keys],
                                 *(("",) if with_note else ())), bold=True)
        remarks = [_("Tổng cộng gồm số liệu của %(n)s/%(m)s đơn vị.") % {"n": covered, "m": len(rows)}]
        if any(r.get("unaccepted") for r in rows):
            remarks.append(_("(*) Báo cáo đã gửi, chưa được tiếp nhận, được tính vào tổng hợp."))
        label = f"Biểu số {len(tables) + 1:02d}"
        tables.append(Table(label=label, title=spec.title, subtitle=subtitle, columns=tuple(columns),
                            rows=tuple(out_rows), total=total, note=" ".join(n for n in [note, *remarks] if n),
                            remarks=tuple(remarks), landscape=len(columns) > 7))
    return tuple(tables)
