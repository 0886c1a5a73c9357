"""What apps above the documents app add to a report, registered at start-up (``AppConfig.ready``).

The documents app does not import the apps that act on its reports (signing): they register here.

* ``register_report_panel(builder)``: ``builder(report=, user=) -> {"template": ..., **context} | None``,
  a card on the report page (the signing app's approval and signature panel);
* ``register_issued_pdf(source)``: ``source(report) -> bytes | None``, the issued (signed) file of a report,
  served instead of rendering it again.
"""
from __future__ import annotations

from collections.abc import Callable

ReportPanelBuilder = Callable[..., dict | None]
IssuedPdfSource = Callable[[object], bytes | None]

_report_panels: list[ReportPanelBuilder] = []
_issued_pdf_sources: list[IssuedPdfSource] = []


def register_report_panel(builder: ReportPanelBuilder) -> ReportPanelBuilder:
    if builder not in _report_panels:
        _report_panels.append(builder)
    return builder


def report_panels(*, report, user) -> list[dict]:
    """The registered panels that apply to this report and user, in registration order."""
    panels = (builder(report=report, user=user) for builder in _report_panels)
    return [p for p in panels if p]


def register_issued_pdf(source: IssuedPdfSource) -> IssuedPdfSource:
    if source not in _issued_pdf_sources:
        _issued_pdf_sources.append(source)
    return source


def issued_pdf(report) -> bytes | None:
    """The stored file of an issued report (from the first source that has one), or None."""
    for source in _issued_pdf_sources:
        pdf = source(report)
        if pdf is not None:
            return pdf
    return None
