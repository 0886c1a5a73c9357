"""The PDF a leader signs: the report (or a correction notice) laid out by the documents app, with
the two empty issuance fields over its "Số …" and date lines, and where the signatures go."""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, replace

from core.formatting import format_date_line, format_date_short
from reports.documents.pdf.document import Block, Closing, Header, PrintDocument
from reports.documents.pdf.render import render_document
from reports.documents.printing import report_print_document, tables_subtitle
from reports.documents.text.words import KIND_LABELS
from reports.signing import pdfsign

NBSP = "\u00a0"


@dataclass
class RenderedPdf:
    """A PDF ready for the leader's signature, with where the visible signatures go."""

    pdf: bytes
    page: int = -1
    box: tuple[float, float, float, float] | None = None


def _for_signing(document: PrintDocument) -> RenderedPdf:
    """Lay out with the "Số …" and date lines left to two form fields (same place, same look): the
    leader signs the blank form of the lines, the văn thư fills them at issuance. The page itself
    then carries each line once, so copied or extracted text reads "Số 164-BC/BTGHU" and not both."""
    blank = replace(document, draft=False, title=document.title.replace(" (dự thảo)", ""),
                    header=replace(document.header, number_line=NBSP, place_date_line=NBSP),
                    tables=tuple(replace(t, subtitle=NBSP) if t.subtitle else t for t in document.tables))
    result = render_document(blank)
    header = result.header_boxes
    pdf = result.pdf
    if "number-line" in header and "date-line" in header:
        annex_text = next((t.subtitle for t in document.tables if t.subtitle), "")
        pdf = pdfsign.add_issuance_fields(pdf, number_box=header["number-line"].box,
                                          date_box=header["date-line"].box, page=header["number-line"].page,
                                          number_text=document.header.number_line,
                                          date_text=document.header.place_date_line,
                                          annex=[(b.page, b.box) for b in header.get("annex-subtitle", [])],
                                          annex_text=annex_text)
    else:  # a layout without the header lines: sign it as laid out, the number stays in the text
        result = render_document(document)
        pdf = result.pdf
    box = result.signature_box
    if box is None:
        page, rect = pdfsign.default_signature_box()
        return RenderedPdf(pdf=pdf, page=page, box=rect)
    return RenderedPdf(pdf=pdf, page=box.page, box=box.box)


def render_report(report) -> RenderedPdf:
    """The report as its leader signs it: the final text, no "DỰ THẢO" mark; the number, the date and
    the "Kèm theo Báo cáo số …" lines of the tables are fields the văn thư fills (blank until then)."""
    document = report_print_document(report, for_signature=True)
    blank_annex = annex_line(report, number=None, on=None)
    return _for_signing(replace(document, tables=tuple(replace(t, subtitle=blank_annex) if t.subtitle else t
                                                       for t in document.tables)))


def annex_line(report, *, number: int | None, on: dt.date | None) -> str:
    """"Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023 của Ban Tuyên giáo Huyện ủy", or its blank
    form before issuance ("Kèm theo Báo cáo số      -BC/BTGHU, ngày      của …")."""
    if number is not None:
        issued = copy.copy(report)
        issued.number, issued.issued_on = number, on
        return tables_subtitle(issued)
    label = KIND_LABELS.get(report.kind, report.kind)
    return (f"Kèm theo {label} số      -{report.kind}/{report.issuing_body.code_suffix}, ngày           "
            f"của {report.issuing_body.citation_name}")


def correction_document(*, entry, on: dt.date, text: str, signer_name: str) -> PrintDocument:
    """A "Thông báo đính chính" of a register entry (number left blank for the văn thư)."""
    body = entry.issuing_body
    kind_label = entry.get_kind_display()
    header = Header(own_line=body.own_line, number_line=f"Số      -TB/{body.code_suffix}",
                    place_date_line=format_date_line(on, body.place_name), superior_line=body.superior_line,
                    board_line=body.board_line)
    opening = (f"Ngày {format_date_short(entry.issued_on)}, {body.citation_name} ban hành {kind_label} số "
               f"{entry.reference} về {entry.summary}. Nay {body.citation_name} đính chính như sau:")
    # typed blocks: what the leader types is text, never read as markup (no escaping round trip)
    blocks = [Block.text("paragraph", opening)]
    blocks += [Block.text("paragraph", line.strip()) for line in text.splitlines() if line.strip()]
    blocks.append(Block.text(
        "paragraph", f"Các nội dung khác của {kind_label} số {entry.reference} giữ nguyên. Đề nghị các cơ quan, "
        "đơn vị nhận văn bản cập nhật theo nội dung đính chính trên."))
    closing = Closing(recipients=tuple(r.lstrip("- ").strip() for r in body.recipient_list) or ("Lưu.",),
                      signer_title=body.signer_title, signer_name=signer_name, authority=body.signer_authority)
    return PrintDocument(header=header, doc_type="THÔNG BÁO",
                         summary=f"đính chính {kind_label} số {entry.reference}",
                         blocks=tuple(blocks), closing=closing, title="Thông báo đính chính", author=body.name)


def render_correction(*, entry, on: dt.date, text: str, signer_name: str) -> RenderedPdf:
    return _for_signing(correction_document(entry=entry, on=on, text=text, signer_name=signer_name))
