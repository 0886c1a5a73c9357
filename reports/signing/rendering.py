"""The PDF of a report as it is signed: rendered once, with its final number, date and signer.

The documents app owns the report → `PrintDocument` adaptation and the renderer
(`reports.documents.pdf.render.render_document`, which also tells where `#signature-box` is).
`render_report` uses the documents app's adapter when it exists and otherwise builds the
`PrintDocument` from the report's own fields (header from the issuing body, summary, body blocks,
closing), so signing works on every report.
"""
from __future__ import annotations

from django.utils.module_loading import import_string

from core.formatting import format_date_line, format_doc_number_line
from reports.signing.services import RenderedPdf

# Dotted paths tried in order: a function report -> PrintDocument provided by the documents app.
PRINT_DOCUMENT_ADAPTERS = [
    "reports.documents.printing.report_print_document",
    "reports.documents.printing.print_document",
    "reports.documents.selectors.report_print_document",
]


def _adapter():
    for path in PRINT_DOCUMENT_ADAPTERS:
        try:
            return import_string(path)
        except ImportError:
            continue
    return None


def _block_text(block) -> tuple[str, str, str]:
    """(kind, text, number) of a stored block, whatever the documents app's exact keys are."""
    if isinstance(block, str):
        return "paragraph", block, ""
    kind = block.get("kind") or block.get("type") or "paragraph"
    text = block.get("text") or block.get("content") or ""
    return kind, text, block.get("number", "")


def fallback_print_document(report):
    """A `PrintDocument` from the report's fields (used only when the documents app has no adapter)."""
    from reports.documents.pdf.document import Block, Closing, Header, PrintDocument

    body = report.issuing_body
    number_line = format_doc_number_line(report.number, report.kind, body.code_suffix) if report.number else "Số"
    date = report.issued_on or report.planned_on
    header = Header(
        own_line=body.own_line, number_line=number_line,
        place_date_line=format_date_line(date, body.place_name) if date else body.place_name,
        superior_line=body.superior_line, board_line=body.board_line,
    )
    try:
        from reports.documents import text as text_module

        filled = text_module.render_blocks(report)  # type: ignore[attr-defined]
    except Exception:
        filled = report.blocks or []
    kinds = {"heading1", "heading2", "heading3", "heading4", "paragraph", "item", "plain"}
    blocks = []
    for raw in filled:
        kind, text, number = _block_text(raw)
        blocks.append(Block.of(kind if kind in kinds else "paragraph", text, number))
    if not blocks:
        blocks.append(Block.of("paragraph", report.summary))
    recipients = tuple(report.recipient_list or body.recipient_list or ["Lưu."])
    closing = Closing(recipients=recipients, signer_title=report.signer_title or body.signer_title,
                      signer_name=report.signer_name or body.signer_name,
                      authority=report.signer_authority or body.signer_authority)
    return PrintDocument(header=header, doc_type="BÁO CÁO", summary=report.summary, blocks=tuple(blocks),
                         closing=closing, title=f"Báo cáo {report.reference}".strip(), author=body.name)


def render_report(report) -> RenderedPdf:
    """Render the report (number, issue date and signer already set on the object) for signing."""
    from reports.documents.pdf.render import render_document

    adapter = _adapter()
    document = adapter(report) if adapter is not None else fallback_print_document(report)
    result = render_document(document)
    box = result.signature_box
    if box is None:
        return RenderedPdf(pdf=result.pdf)
    return RenderedPdf(pdf=result.pdf, page=box.page, box=box.box)
