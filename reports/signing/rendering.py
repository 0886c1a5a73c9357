"""The PDF of a report as it is signed: rendered once, with its final number, date and signer.

The documents app owns the report → `PrintDocument` adaptation and the renderer
(`reports.documents.pdf.render.render_document`, which also tells where `#signature-box` is).
`render_report` uses the documents app's adapter when it exists and otherwise builds the
`PrintDocument` from `reports.documents.text.report_document(report)` (header, body, footnotes,
closing), so signing works on every report.
"""
from __future__ import annotations

from django.utils.module_loading import import_string

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


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("^", "\\^").replace("]", "\\]")


def fallback_print_document(report):
    """A `PrintDocument` from the documents app's `report_document(report)` contract (body, header,
    closing; the attached tables are left to the documents app's own adapter)."""
    from reports.documents.pdf.document import Block, Closing, Header, PrintDocument
    from reports.documents.text import report_document

    data = report_document(report)
    header = Header(
        own_line=data["header"]["own_line"], number_line=data["number_line"],
        place_date_line=data["place_date_line"], superior_line=data["header"].get("superior_line", ""),
        board_line=data["header"].get("board_line", ""),
    )
    notes = {n["number"]: n["text"] for n in data.get("footnotes", [])}
    kinds = {"heading1", "heading2", "heading3", "heading4", "paragraph", "item", "plain"}
    blocks = []
    if data.get("citation"):
        blocks.append(Block.of("paragraph", _escape(data["citation"])))
    for block in data["blocks"]:
        text = "".join(
            _escape(seg["text"]) if "text" in seg else f"^[{_escape(notes.get(seg['footnote'], ''))}]"
            for seg in block.get("segments") or [{"text": block.get("text", "")}]
        )
        kind = block.get("kind", "paragraph")
        if kind == "item" and text.startswith("- "):
            text = text[2:]
        blocks.append(Block.of(kind if kind in kinds else "paragraph", text))
    recipients = tuple(line.lstrip("- ").strip() for line in data["recipients"]["lines"]) or ("Lưu.",)
    signer = data["signer"]
    closing = Closing(recipients=recipients, signer_title=signer["title"], signer_name=signer["name"],
                      authority=signer.get("authority", ""))
    return PrintDocument(header=header, doc_type=data["type"], summary=data["summary"], blocks=tuple(blocks),
                         closing=closing, title=f"{data['type'].capitalize()} {report.reference}".strip(),
                         author=report.issuing_body.name)


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
