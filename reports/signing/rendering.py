"""The PDF of a report as it is signed: rendered once, with its final number, date and signer.

The documents app builds the report's print document (`reports.documents.printing`) and renders it
(`reports.documents.pdf.render.render_document`, which also tells where `#signature-box` is).
"""
from __future__ import annotations

from reports.documents.pdf.render import render_document
from reports.documents.printing import report_print_document
from reports.signing.services import RenderedPdf


def render_report(report) -> RenderedPdf:
    """Render the report (number, issue date and signer already set on the object) for signing."""
    result = render_document(report_print_document(report))
    box = result.signature_box
    if box is None:
        return RenderedPdf(pdf=result.pdf)
    return RenderedPdf(pdf=result.pdf, page=box.page, box=box.box)
