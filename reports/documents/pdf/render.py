"""Render a `PrintDocument` to PDF bytes with WeasyPrint, in the official layout of party documents.

* One template (``templates/print/document.html``) and one stylesheet (``static/print/print.css``,
  all sizes/margins/fonts as variables in one place).
* Fonts are the shipped Liberation Serif files, embedded as subsets. Nothing is fetched from the
  network: ``local_url_fetcher`` serves only ``file://`` URLs inside ``static/`` and refuses the rest.
* ``render_document`` also reads the laid-out pages back and returns where the signature box
  (``#signature-box``) is, in PDF points, so that the signing step can stamp a visible signature there.
* Bad input gets a ``PrintError`` with a Vietnamese message; a broken file is never returned.
"""
from __future__ import annotations

import atexit
import gc
import hashlib
import html
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formatting import format_number
from reports.documents.pdf.document import Block, Footnote, Inline, PrintDocument, Run, Table

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "print/document.html"
#: Bump when render.py changes what it produces (the cache key includes it, the template and the CSS).
RENDERER_VERSION = "1"

#: Limits beyond which a render is refused with a clear message instead of exhausting the server.
MAX_TABLE_ROWS = 20_000
MAX_FOOTNOTES = 2_000
MAX_BLOCKS = 20_000
MAX_TEXT_CHARS = 2_000_000

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF points are 1/72 in.


class PrintError(Exception):
    """The document cannot be rendered; ``message`` is Vietnamese and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def stylesheet_path() -> Path:
    return static_root() / "print" / "print.css"


def template_path() -> Path:
    return Path(settings.BASE_DIR) / "templates" / TEMPLATE_NAME


def layout_version() -> str:
    """Hash of everything besides the content that changes the PDF: stylesheet, template, renderer, fonts."""
    h = hashlib.sha256(RENDERER_VERSION.encode())
    for path in (stylesheet_path(), template_path()):
        h.update(path.read_bytes())
    fonts = static_root() / "fonts" / "liberation-serif" / "VERSION"
    if fonts.exists():
        h.update(fonts.read_bytes())
    try:
        import weasyprint

        h.update(weasyprint.__version__.encode())
    except Exception:  # pragma: no cover
        pass
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------------------------------
# No network while rendering
# --------------------------------------------------------------------------------------------------


def local_url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """WeasyPrint URL fetcher that serves only files inside ``static/`` and refuses everything else."""
    from weasyprint import default_url_fetcher

    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise ValueError(f"refused non-local URL while rendering a PDF: {url[:80]}")
    path = Path(unquote(parsed.path)).resolve()
    root = static_root().resolve()
    if root != path and root not in path.parents:
        raise ValueError(f"refused file outside static/ while rendering a PDF: {path}")
    return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------


def _runs_html(runs) -> str:
    out = []
    for run in runs:
        text = html.escape(run.text, quote=False)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def inline_html(content: tuple[Inline, ...]) -> str:
    """Escaped HTML of runs and footnotes (a footnote becomes a ``float: footnote`` span)."""
    out = []
    for item in content:
        if isinstance(item, Footnote):
            out.append(f'<span class="fn">{_runs_html(item.runs)}</span>')
        elif isinstance(item, Run):
            out.append(_runs_html((item,)))
    return "".join(out)


def _block_html(block: Block) -> str:
    body = inline_html(block.content)
    number = html.escape(block.number, quote=False)
    if block.kind.startswith("heading"):
        label = f"{number} " if number else ""
        return f'<p class="heading {block.kind}">{label}{body}</p>'
    if block.kind == "item":
        return f'<p class="item">- {body}</p>'
    if block.kind == "plain":
        return f'<p class="plain">{body}</p>'
    label = f"{number} " if number else ""
    return f'<p class="paragraph">{label}{body}</p>'


def format_cell(value, kind: str) -> str:
    """A table cell as printed: counts ``6.287``, rates ``98,0`` (one decimal), text as is."""
    if value is None or value == "":
        return ""
    if kind in ("int", "stt"):
        if isinstance(value, str):
            return value
        return format_number(value)
    if kind == "rate":
        if isinstance(value, str):
            return value
        return format_number(Decimal(value) if not isinstance(value, Decimal) else value, 1)
    return str(value)


_CELL_CLASS = {"stt": "stt", "text": "name", "int": "num", "rate": "rate"}


def _table_body_html(table: Table) -> str:
    cols = table.columns
    rows = []
    classes = [_CELL_CLASS.get(c.kind, "name") for c in cols]
    for row in table.rows:
        cells = []
        for col, cls, value in zip(cols, classes, row.values, strict=False):
            text = html.escape(format_cell(value, col.kind), quote=False)
            if col.kind == "text" and row.level:
                cls = f"{cls} lvl{min(row.level, 3)}"
            cells.append(f'<td class="{cls}">{text}</td>')
        row_class = ' class="bold"' if row.bold else ""
        rows.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    if not table.rows:
        rows.append(
            f'<tr><td class="name" colspan="{len(cols)}">{html.escape(_("Chưa có số liệu."))}</td></tr>'
        )
    if table.total is not None:
        cells = []
        for col, cls, value in zip(cols, classes, table.total.values, strict=False):
            cells.append(f'<td class="{cls}">{html.escape(format_cell(value, col.kind), quote=False)}</td>')
        rows.append(f'<tr class="total">{"".join(cells)}</tr>')
    return "\n".join(rows)


def _table_context(table: Table) -> dict:
    total_weight = sum(c.width for c in table.columns) or 1
    return {
        "label": table.label,
        "title": table.title,
        "subtitle": table.subtitle,
        "note": table.note,
        "wide": table.is_landscape,
        "widths": [f"{100 * c.width / total_weight:.2f}" for c in table.columns],
        "header_rows": table.header_rows(),
        "body_html": mark_safe(_table_body_html(table)),  # noqa: S308 - every value escaped above
    }


def _summary_html(summary: str) -> str:
    return "<br>".join(html.escape(line.strip(), quote=False) for line in summary.splitlines() if line.strip())


def build_html(doc: PrintDocument) -> str:
    """The HTML that WeasyPrint lays out (also handy to look at in a browser)."""
    body = "\n".join(_block_html(b) for b in doc.blocks)
    context = {
        "doc": doc,
        "summary_html": mark_safe(_summary_html(doc.summary)),  # noqa: S308 - escaped
        "body_html": mark_safe(body),  # noqa: S308 - escaped in _block_html
        "tables": [_table_context(t) for t in doc.tables],
        "generator": "tuyen-giao-reports",
    }
    return get_template(TEMPLATE_NAME).render(context)


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def validate(doc: PrintDocument) -> None:
    """Refuse, with a Vietnamese message, what cannot make a sensible document."""
    if not isinstance(doc, PrintDocument):
        raise PrintError(_("Không có nội dung văn bản để tạo tệp PDF."))
    if not doc.header.own_line.strip():
        raise PrintError(_("Văn bản chưa có tên cơ quan ban hành."))
    if not doc.doc_type.strip():
        raise PrintError(_("Văn bản chưa có tên loại (Báo cáo, Kế hoạch …)."))
    if len(doc.blocks) > MAX_BLOCKS:
        raise PrintError(_("Văn bản quá dài: %(n)s đoạn (tối đa %(max)s).")
                         % {"n": format_number(len(doc.blocks)), "max": format_number(MAX_BLOCKS)})
    n_footnotes = len(doc.footnotes())
    if n_footnotes > MAX_FOOTNOTES:
        raise PrintError(_("Văn bản có quá nhiều chú thích: %(n)s (tối đa %(max)s).")
                         % {"n": format_number(n_footnotes), "max": format_number(MAX_FOOTNOTES)})
    chars = sum(len(i.text) for b in doc.blocks for i in b.content if isinstance(i, (Run, Footnote)))
    if chars > MAX_TEXT_CHARS:
        raise PrintError(_("Văn bản quá dài để tạo tệp PDF (%(n)s ký tự).") % {"n": format_number(chars)})
    for table in doc.tables:
        if len(table.rows) > MAX_TABLE_ROWS:
            raise PrintError(
                _("%(label)s có %(n)s dòng, vượt quá giới hạn %(max)s dòng của tệp PDF; hãy tải bảng dạng Excel.")
                % {"label": table.label, "n": format_number(len(table.rows)), "max": format_number(MAX_TABLE_ROWS)}
            )
        if not table.columns:
            raise PrintError(_("%(label)s không có cột nào.") % {"label": table.label})
        width = len(table.columns)
        bad = [r for r in table.rows if len(r.values) != width]
        if bad or (table.total is not None and len(table.total.values) != width):
            raise PrintError(_("%(label)s có dòng không khớp số cột.") % {"label": table.label})


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: ``page`` (0-based) and a rectangle in PDF points.

    ``(x1, y1)`` is the lower-left corner and ``(x2, y2)`` the upper-right corner, origin at the
    lower-left corner of the page (PDF user space) — the form pyHanko's ``SigFieldSpec(box=…)`` takes.
    """

    page: int
    x1: float
    y1: float
    x2: float
    y2: float
    page_width: float
    page_height: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)

    def as_dict(self) -> dict:
        return {"page": self.page, "box": list(self.box), "page_size": [self.page_width, self.page_height]}

    @classmethod
    def from_dict(cls, data: dict) -> "SignatureBox":
        x1, y1, x2, y2 = data["box"]
        w, h = data["page_size"]
        return cls(page=data["page"], x1=x1, y1=y1, x2=x2, y2=y2, page_width=w, page_height=h)


@dataclass(frozen=True)
class RenderResult:
    """A rendered PDF with what was read back from its layout."""

    pdf: bytes
    pages: int
    signature_box: SignatureBox | None


@lru_cache(maxsize=1)
def _stylesheet_cached(mtime_ns: int):
    """The parsed print stylesheet and its font configuration (parsed once per process and file version)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(filename=str(stylesheet_path()), font_config=font_config, url_fetcher=local_url_fetcher)
    return css, font_config


def _stylesheet():
    return _stylesheet_cached(stylesheet_path().stat().st_mtime_ns)


@atexit.register
def _drop_stylesheet() -> None:
    """Free the cached font configuration before interpreter shutdown (its __del__ fails late)."""
    _stylesheet_cached.cache_clear()
    gc.collect()


def _find_signature_box(document) -> SignatureBox | None:
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == "signature-box":
                page_w = page.width * PX_TO_PT
                page_h = page.height * PX_TO_PT
                x = box.border_box_x() * PX_TO_PT
                y_top = box.border_box_y() * PX_TO_PT
                w = box.border_width() * PX_TO_PT
                h = box.border_height() * PX_TO_PT
                return SignatureBox(
                    page=index, x1=round(x, 2), y1=round(page_h - y_top - h, 2), x2=round(x + w, 2),
                    y2=round(page_h - y_top, 2), page_width=round(page_w, 2), page_height=round(page_h, 2),
                )
    return None


def render_document(doc: PrintDocument) -> RenderResult:
    """Lay out and write the PDF; return its bytes, page count and signature box.

    Raises ``PrintError`` (Vietnamese message) for refused input or a failed render.
    """
    from weasyprint import HTML

    validate(doc)
    source = build_html(doc)
    css, font_config = _stylesheet()
    try:
        document = HTML(
            string=source, base_url=str(static_root()) + "/", url_fetcher=local_url_fetcher
        ).render(stylesheets=[css], font_config=font_config)
        document.metadata.title = doc.title or f"{doc.doc_type} {doc.header.number_line}".strip()
        document.metadata.authors = [doc.author] if doc.author else []
        document.metadata.lang = doc.language
        box = _find_signature_box(document)
        pdf = document.write_pdf(pdf_variant=None, uncompressed_pdf=False)
    except PrintError:
        raise
    except MemoryError as exc:
        raise PrintError(_("Văn bản quá lớn, máy chủ không đủ bộ nhớ để tạo tệp PDF.")) from exc
    except Exception as exc:  # WeasyPrint/pydyf failures: never return a broken file
        logger.exception("PDF render failed")
        message = _("Không tạo được tệp PDF: lỗi khi dàn trang (%(err)s).") % {"err": type(exc).__name__}
        raise PrintError(message) from exc
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        raise PrintError(_("Không tạo được tệp PDF: tệp tạo ra không hoàn chỉnh."))
    return RenderResult(pdf=pdf, pages=len(document.pages), signature_box=box)


def render_pdf(doc: PrintDocument) -> bytes:
    """PDF bytes of the document (see ``render_document``)."""
    return render_document(doc).pdf


def signature_box(doc: PrintDocument) -> SignatureBox | None:
    """The rectangle (PDF points, page index) of the signature box of this document as rendered."""
    return render_document(doc).signature_box
