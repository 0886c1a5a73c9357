"""What the signing app adds to the documents app's report page and downloads (registered in ``ready``)."""
from __future__ import annotations

from reports.documents.extensions import register_issued_pdf, register_report_panel
from reports.signing.models import SignedDocument
from reports.signing.selectors import report_panel


@register_report_panel
def approval_panel(*, report, user) -> dict:
    """The approval steps, the actions the user may take and the signed file (`signing/_report_panel.html`)."""
    return {"template": "signing/_report_panel.html", "panel": report_panel(report=report, user=user)}


@register_issued_pdf
def signed_pdf(report) -> bytes | None:
    """The signed PDF of a signed report, byte for byte as stored."""
    if not report.is_signed:
        return None
    signed = SignedDocument.objects.filter(entry__report=report).order_by("-signed_at").only("pdf").first()
    return bytes(signed.pdf) if signed else None
