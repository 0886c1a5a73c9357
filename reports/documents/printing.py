"""A report as ONE typed print document: report → `PrintDocument` → HTML (PDF), Excel and the web page.

`report_print_document(report)` builds the header, the number line, the body (typed runs and numbered
footnotes, straight from the report's blocks, placeholders filled), the closing and the attached tables
(Biểu, raw values). The PDF renderer (``pdf/render.py``), the Excel writer (``pdf/xlsx.py``) and the web
page (`report_document`, a plain view of the same object for the template) all take this one object, so
what the web shows is what prints.

The number line is decided here, once: a report carries the number its issuing body's register gave it
at issuance (``Report.number``, set by the signing step); until then every print is a draft ("DỰ THẢO"),
with the number and the day and month of the date line left blank (LAYOUT.md "Drafts and issuance").
"""
from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from core.formatting import (
    LOCAL_TZ,
    format_date_line,
    format_date_short,
    format_datetime,
    format_doc_number_line,
)
from reports.documents.pdf.document import Block, Closing, Footnote, Header, PrintDocument, Run, Table, cell_text
from reports.documents.tables import report_tables
from reports.documents.text.placeholders import FOOTNOTE, figures, fill
from reports.documents.text.words import KIND_LABELS

BLOCK_KINDS = {"heading1", "heading2", "heading3", "heading4", "paragraph", "item", "plain"}
BLANK_NUMBER = "      "  # the blank a draft leaves for the number ("Số      -BC/BTGHU")
BLANK_DAY = "    "
MARK_GAP = "\u2009"  # a thin space between a numeral and the footnote mark that follows it


# -- header lines -------------------------------------------------------------------------------------------

def number_line(report) -> str:
    """"Số 164-BC/BTGHU" once issued; the draft's blank form "Số      -BC/BTGHU" before."""
    suffix = report.issuing_body.code_suffix
    if report.number:
        return format_doc_number_line(report.number, report.kind, suffix)
    return f"Số {BLANK_NUMBER}-{report.kind}/{suffix}"


def data_moment(report) -> dt.datetime | None:
    """When the report's figures stand: the latest submission (or report) taken into them, else the roll-up.

    The same moment as "Đến ngày …" in the text (``data_until``), printed as "Số liệu tính đến …" under
    every Biểu: a 2023 report rolled up again in 2026 still says its data are of 2023.
    """
    snapshot = report.snapshot or {}
    moments = []
    for row in snapshot.get("units", []):
        if row.get("included") and row.get("submitted_at"):
            try:
                moments.append(dt.datetime.fromisoformat(row["submitted_at"]))
            except (TypeError, ValueError):
                continue
    return max(moments, default=None) or report.as_of


def place_date_line(report) -> str:
    """"Tam Đường, ngày 30 tháng 10 năm 2023" once issued; a draft leaves the day and month blank, and is
    never dated before its data."""
    place = report.issuing_body.place_name
    if report.number and report.issued_on:
        return format_date_line(report.issued_on, place)
    dates = [d for d in (report.date_for_print, _local_day(data_moment(report))) if d]
    year = str(max(dates).year) if dates else BLANK_DAY
    return f"{place}, ngày {BLANK_DAY} tháng {BLANK_DAY} năm {year}"


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return (moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment).date()


def as_of_line(report) -> str:
    moment = data_moment(report)
    return f"Số liệu tính đến {format_datetime(moment)}" if moment else ""


def tables_subtitle(report, *, final: bool = False) -> str:
    """"Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023 của Ban Tuyên giáo Huyện ủy" (a draft: "Kèm theo
    Dự thảo báo cáo của …"; the copy a leader signs before its number: "Kèm theo Báo cáo của …")."""
    label = KIND_LABELS.get(report.kind, report.kind)
    issued = bool(report.number)
    return ("Kèm theo " + (label if issued or final else f"Dự thảo {label.lower()}")
            + (f" số {report.reference}" if issued else "")
            + (f", ngày {format_date_short(report.issued_on)}" if issued and report.issued_on else "")
            + f" của {report.issuing_body.citation_name}")


# -- body ---------------------------------------------------------------------------------------------------

def _content(text: str, notes: dict[int, Footnote]) -> tuple:
    """Filled text with ``[^n]`` markers → runs and footnotes (the markers of unknown notes are dropped)."""
    out: list = []
    pos = 0
    for match in FOOTNOTE.finditer(text):
        if match.start() > pos:
            out.append(Run(text[pos:match.start()]))
        note = notes.get(int(match.group(1)))
        if note is not None:
            if out and isinstance(out[-1], Run) and out[-1].text[-1:].isdigit():
                out.append(Run(MARK_GAP))  # "tháng 11 ³", not "tháng 11³" (an exponent)
            out.append(note)
        pos = match.end()
    if pos < len(text):
        out.append(Run(text[pos:]))
    return tuple(out)


def body_blocks(blocks: list[dict], values: dict) -> tuple[Block, ...]:
    """The report's stored blocks as typed print blocks, footnotes numbered through the document."""
    out: list[Block] = []
    count = 0
    for stored in blocks:
        text = stored.get("text", "")
        notes: dict[int, Footnote] = {}
        for local, note in enumerate(stored.get("footnotes", []), start=1):
            if f"[^{local}]" in text:
                count += 1
                notes[local] = Footnote(runs=(Run(fill(note, values)),), number=count)
        filled = fill(text, values)
        kind = stored.get("kind") if stored.get("kind") in BLOCK_KINDS else "paragraph"
        if kind == "item" and filled.startswith("- "):
            filled = filled[2:]
        out.append(Block(kind=kind, content=_content(filled, notes), key=stored.get("key", "")))
    return tuple(out)


def report_print_document(report, *, for_signature: bool = False) -> PrintDocument:
    """The typed print document of a report (its current text, figures from its snapshot, its tables).

    Every print before issuance is a draft ("DỰ THẢO", no number) except the copy the leader signs
    (``for_signature``): its text is final, its number and date are filled in at issuance.
    """
    snapshot = report.snapshot or {}
    values = figures(snapshot) if snapshot else {}
    body = report.issuing_body
    header = Header(own_line=body.own_line, number_line=number_line(report), place_date_line=place_date_line(report),
                    superior_line=body.superior_line, board_line=body.board_line)
    recipients = tuple(line.lstrip("-").strip() for line in report.recipient_list) or ("Lưu.",)
    closing = Closing(recipients=recipients, signer_title=report.signer_title, signer_name=report.signer_name,
                      authority=report.signer_authority)
    as_of = f"{as_of_line(report)}." if report.as_of else ""
    draft = not report.number and not for_signature
    return PrintDocument(
        header=header, doc_type=KIND_LABELS.get(report.kind, report.kind).upper(), summary=report.summary,
        blocks=body_blocks(report.blocks or [], values), closing=closing,
        tables=report_tables(report, subtitle=tables_subtitle(report, final=not draft), note=as_of), kind="report",
        title=f"Báo cáo {report.reference}".strip() + (" (dự thảo)" if draft else ""),
        author=body.name, draft=draft, meta={"report": report.pk, "status": report.status},
    )


# -- the web page's view of the same document ---------------------------------------------------------------

LEVELS = {"heading1": 1, "heading2": 2, "heading3": 3}


def _web_table(table: Table, number: int) -> dict:
    header_rows = [[{"text": c["label"], "rowspan": c["rowspan"], "colspan": c["colspan"]} for c in row]
                   for row in table.header_rows()]
    kinds = [c.kind for c in table.columns]

    def cells(values):
        return [cell_text(v, k) for v, k in zip(values, kinds, strict=True)]

    return {
        "number": f"{number:02d}", "label": table.label, "title": table.title, "subtitle": f"({table.subtitle})",
        "landscape": table.is_landscape, "header_rows": header_rows,
        "columns": [{"key": c.key, "align": "left" if c.kind == "text" else "center" if c.kind == "stt" else "right"}
                    for c in table.columns],
        "rows": [{"code": r.key, "cells": cells(r.values), "values": list(r.values), "note": r.note}
                 for r in table.rows],
        "total_row": {"cells": cells(table.total.values), "values": list(table.total.values)} if table.total else {},
        "notes": list(table.remarks),
    }


def _segments(block: Block) -> list[dict]:
    return [{"footnote": i.number} if isinstance(i, Footnote) else {"text": i.text} for i in block.content]


def report_document(report, document: PrintDocument | None = None) -> dict:
    """The report's print document as plain data for the web page (and tests): same text, same tables."""
    doc = document or report_print_document(report)
    citation = next((b for b in doc.blocks if b.key == "citation"), None)
    blocks = [b for b in doc.blocks if b.key != "citation"]
    footnotes = [{"number": f.number, "text": f.text} for f in doc.footnotes()]
    web_blocks = []
    for b in blocks:
        segments = _segments(b)
        if b.kind == "item":
            segments = [{"text": "- "}, *segments]
        web_blocks.append({"key": b.key, "kind": b.kind, "level": LEVELS.get(b.kind),
                           "text": "".join(s.get("text", "") for s in segments), "segments": segments,
                           "footnotes": [i.number for i in b.content if isinstance(i, Footnote)]})
    header = doc.header
    return {
        "status": report.status,
        "is_draft": doc.draft,
        "header": {"superior_line": header.superior_line, "own_line": header.own_line,
                   "board_line": header.board_line, "lines": report.issuing_body.header_lines},
        "star": "*",
        "number_line": header.number_line,
        "motto": header.nation_line,
        "place_date_line": header.place_date_line,
        "type": doc.doc_type,
        "summary": doc.summary,
        "citation": "".join(i.text for i in citation.content if isinstance(i, Run)) if citation else "",
        "blocks": web_blocks,
        "footnotes": footnotes,
        "recipients": {"title": doc.closing.recipients_label, "lines": report.recipient_list},
        "signer": {"authority": doc.closing.authority, "title": doc.closing.signer_title,
                   "name": doc.closing.signer_name},
        "as_of_line": as_of_line(report),
        "data_moment": data_moment(report),
        "tables": [_web_table(t, n) for n, t in enumerate(doc.tables, start=1)],
        "draft_mark": _("DỰ THẢO") if doc.draft else "",
    }
