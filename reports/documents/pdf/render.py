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
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formatting import format_number
from reports.documents.pdf.document import Block, Footnote, Inline, PrintDocument, Run, Table, cell_text

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


format_cell = cell_text  # the name the renderer used before the web page shared it


_CELL_CLASS = {"stt": "stt", "text": "name", "int": "num", "rate": "rate"}


def _table_body_html(table: Table, start: int = 0, end: int | None = None, with_total: bool = True) -> str:
    """Escaped rows ``start:end`` of the table (body rows carry class "r" so pages can count them)."""
    cols = table.columns
    rows = []
    classes = [_CELL_CLASS.get(c.kind, "name") for c in cols]
    for row in table.rows[start:end]:
        cells = []
        for col, cls, value in zip(cols, classes, row.values, strict=False):
            text = html.escape(format_cell(value, col.kind), quote=False)
            if col.kind == "text" and row.level:
                cls = f"{cls} lvl{min(row.level, 3)}"
            cells.append(f'<td class="{cls}">{text}</td>')
        row_class = "r bold" if row.bold else "r"
        rows.append(f'<tr class="{row_class}">{"".join(cells)}</tr>')
    if not table.rows:
        rows.append(
            f'<tr><td class="name" colspan="{len(cols)}">{html.escape(_("Chưa có số liệu."))}</td></tr>'
        )
    if with_total and table.total is not None:
        cells = []
        for col, cls, value in zip(cols, classes, table.total.values, strict=False):
            cells.append(f'<td class="{cls}">{html.escape(format_cell(value, col.kind), quote=False)}</td>')
        rows.append(f'<tr class="total">{"".join(cells)}</tr>')
    return "\n".join(rows)


def _table_context(table: Table, start: int = 0, end: int | None = None) -> dict:
    """Template context of a table, or of its rows ``start:end`` (a chunk of a long table).

    The label, title and subtitle go with the first chunk, the total row and note with the last.
    """
    total_weight = sum(c.width for c in table.columns) or 1
    first = start == 0
    last = end is None or end >= len(table.rows)
    return {
        "label": table.label if first else "",
        "title": table.title if first else "",
        "subtitle": table.subtitle if first else "",
        "note": table.note if last else "",
        "wide": table.is_landscape,
        "widths": [f"{100 * c.width / total_weight:.2f}" for c in table.columns],
        "header_rows": table.header_rows(),
        "body_html": mark_safe(_table_body_html(table, start, end, with_total=last)),  # noqa: S308 - escaped
    }


def _summary_html(summary: str) -> str:
    return "<br>".join(html.escape(line.strip(), quote=False) for line in summary.splitlines() if line.strip())


def build_html(doc: PrintDocument, *, with_body: bool = True, tables: list[dict] | None = None) -> str:
    """The HTML that WeasyPrint lays out (also handy to look at in a browser).

    ``with_body=False`` and ``tables`` (contexts from ``_table_context``) make a part holding only
    attached tables, for long tables rendered in chunks.
    """
    body = "\n".join(_block_html(b) for b in doc.blocks) if with_body else ""
    context = {
        "doc": doc,
        "with_body": with_body,
        "summary_html": mark_safe(_summary_html(doc.summary)),  # noqa: S308 - escaped
        "body_html": mark_safe(body),  # noqa: S308 - escaped in _block_html
        "tables": tables if tables is not None else [_table_context(t) for t in doc.tables],
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
    #: "number-line" and "date-line" of page 1, and the list of "annex-subtitle" lines (for the fields
    #: filled in at issuance)
    header_boxes: dict = field(default_factory=dict)


_ROOT_BLOCK = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
_VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)")


def resolve_variables(css_text: str) -> str:
    """Substitute the ``:root`` custom properties into the rest of the stylesheet.

    The variables stay defined in one place (print.css's ``:root``); WeasyPrint gets literal values,
    because it re-resolves ``var()`` for every box (a 5,000-row table spent most of its time there).
    """
    match = _ROOT_BLOCK.search(css_text)
    if not match:
        return css_text
    body = re.sub(r"/\*.*?\*/", "", match.group("body"), flags=re.S)
    variables = {name: value.strip() for name, value in _VARIABLE.findall(body)}

    def substitute(m: re.Match) -> str:
        name, fallback = m.group(1), m.group(2)
        if name in variables:
            return variables[name]
        return fallback.strip() if fallback else m.group(0)

    rest = css_text[match.end():]
    for _round in range(5):  # variables may refer to variables
        new = _VAR_USE.sub(substitute, rest)
        if new == rest:
            break
        rest = new
    return css_text[: match.end()] + rest


@lru_cache(maxsize=1)
def _stylesheet_cached(mtime_ns: int):
    """The parsed print stylesheet and its font configuration (parsed once per process and file version)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    path = stylesheet_path()
    css = CSS(string=resolve_variables(path.read_text(encoding="utf-8")), base_url=path.as_uri(),
              font_config=font_config, url_fetcher=local_url_fetcher)
    return css, font_config


def _stylesheet():
    return _stylesheet_cached(stylesheet_path().stat().st_mtime_ns)


@atexit.register
def _drop_stylesheet() -> None:
    """Free the cached font configuration before interpreter shutdown (its __del__ fails late)."""
    _stylesheet_cached.cache_clear()
    gc.collect()


#: Elements whose rectangles are read back: the signature block, and the number and date lines that
#: the văn thư fills in at issuance (after the leader's signature, see reports/signing).
LOCATED_IDS = ("signature-box", "number-line", "date-line")


#: Elements located every time they occur: the "Kèm theo Báo cáo số …" line of each attached table.
LOCATED_CLASSES = ("annex-subtitle",)


def _find_boxes(document, page_offset: int = 0) -> dict:
    """The rectangles of the `LOCATED_IDS` elements (first occurrence of each), and under each of
    `LOCATED_CLASSES` the list of its occurrences (pages counted from `page_offset`)."""
    found: dict = {name: [] for name in LOCATED_CLASSES}
    for index, page in enumerate(document.pages, start=page_offset):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            element_id = element.get("id") if element is not None else None
            classes = (element.get("class") or "").split() if element is not None else []
            located_class = next((c for c in classes if c in LOCATED_CLASSES), None)
            if located_class and type(box).__name__ == "BlockBox":
                page_w, page_h = page.width * PX_TO_PT, page.height * PX_TO_PT
                x, y_top = box.border_box_x() * PX_TO_PT, box.border_box_y() * PX_TO_PT
                w, h = box.border_width() * PX_TO_PT, box.border_height() * PX_TO_PT
                found[located_class].append(SignatureBox(
                    page=index, x1=round(x, 2), y1=round(page_h - y_top - h, 2), x2=round(x + w, 2),
                    y2=round(page_h - y_top, 2), page_width=round(page_w, 2), page_height=round(page_h, 2)))
            if element_id in LOCATED_IDS and element_id not in found:
                page_w = page.width * PX_TO_PT
                page_h = page.height * PX_TO_PT
                x = box.border_box_x() * PX_TO_PT
                y_top = box.border_box_y() * PX_TO_PT
                w = box.border_width() * PX_TO_PT
                h = box.border_height() * PX_TO_PT
                found[element_id] = SignatureBox(
                    page=index, x1=round(x, 2), y1=round(page_h - y_top - h, 2), x2=round(x + w, 2),
                    y2=round(page_h - y_top, 2), page_width=round(page_w, 2), page_height=round(page_h, 2),
                )
    return found


def _find_signature_box(document) -> SignatureBox | None:
    return _find_boxes(document).get("signature-box")


#: Tables longer than this are laid out in chunks of about this many rows (see ``_render_chunked``).
CHUNK_ROWS = 300


def _layout(source: str, extra_css: str = ""):
    from weasyprint import CSS, HTML

    css, font_config = _stylesheet()
    sheets = [css]
    if extra_css:
        sheets.append(CSS(string=extra_css, font_config=font_config))
    return HTML(string=source, base_url=str(static_root()) + "/", url_fetcher=local_url_fetcher).render(
        stylesheets=sheets, font_config=font_config)


def _write(document, doc: PrintDocument, pages=None) -> bytes:
    if pages is not None:
        document = document.copy(pages)
    document.metadata.title = doc.title or f"{doc.doc_type} {doc.header.number_line}".strip()
    document.metadata.authors = [doc.author] if doc.author else []
    document.metadata.lang = doc.language
    return document.write_pdf(pdf_variant=None, uncompressed_pdf=False)


def _part_css(first_page_number: int) -> str:
    """A tables-only part continues the page numbers and does not start with a blank page."""
    return (f"@page :first {{ counter-reset: page {first_page_number}; "
            "@top-center { content: counter(page); } } "
            "section.annex:first-child { break-before: auto; }")


def _body_rows_on(page) -> int:
    count = 0
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if (element is not None and getattr(box, "element_tag", "") == "tr"
                and type(box).__name__ == "TableRowBox" and (element.get("class") or "").startswith("r")):
            count += 1
    return count


def _render_chunked(doc: PrintDocument) -> tuple[list[bytes], int, dict[str, SignatureBox]]:
    """Render the body, then each table, a long one in chunks, as separate PDFs (bounded memory).

    WeasyPrint keeps every laid-out page of a document in memory (about 0.4 MB per table row), so a
    5,000-row Biểu is laid out ``CHUNK_ROWS`` rows at a time: each chunk repeats the header rows, the
    first carries the title, the last the total row; a chunk's last, partly filled page is dropped and
    its rows start the next chunk, so pages are full as in one pass. Page numbers continue.
    """
    main = _layout(build_html(doc, tables=[]))
    boxes = _find_boxes(main)
    parts = [_write(main, doc)]
    pages = len(main.pages)
    del main
    for table in doc.tables:
        n = len(table.rows)
        start = 0
        while True:
            end = n if n - start <= CHUNK_ROWS * 1.5 else start + CHUNK_ROWS
            part = _layout(build_html(doc, with_body=False, tables=[_table_context(table, start, end)]),
                           _part_css(pages + 1))
            keep = part.pages
            consumed = end - start
            if end < n and len(part.pages) > 1:
                on_last = _body_rows_on(part.pages[-1])
                if 0 < on_last < consumed:
                    keep = part.pages[:-1]
                    consumed -= on_last
            if start == 0:  # the subtitle goes with a table's first chunk
                boxes["annex-subtitle"] += _find_boxes(part, page_offset=pages)["annex-subtitle"]
            parts.append(_write(part, doc, keep))
            pages += len(keep)
            del part, keep
            gc.collect()
            start += consumed
            if start >= n:
                break
    return parts, pages, boxes


def _merge(parts: list[bytes]) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    first = PdfReader(io.BytesIO(parts[0]))
    if first.metadata:
        writer.add_metadata({k: v for k, v in first.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_document(doc: PrintDocument) -> RenderResult:
    """Lay out and write the PDF; return its bytes, page count and signature box.

    Raises ``PrintError`` (Vietnamese message) for refused input or a failed render.
    """
    validate(doc)
    try:
        if any(len(t.rows) > CHUNK_ROWS * 1.5 for t in doc.tables):
            parts, pages, boxes = _render_chunked(doc)
            pdf = _merge(parts)
        else:
            document = _layout(build_html(doc))
            boxes = _find_boxes(document)
            pages = len(document.pages)
            pdf = _write(document, doc)
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
    return RenderResult(pdf=pdf, pages=pages, signature_box=boxes.get("signature-box"),
                        header_boxes={k: v for k, v in boxes.items() if k != "signature-box"})


def render_pdf(doc: PrintDocument) -> bytes:
    """PDF bytes of the document (see ``render_document``)."""
    return render_document(doc).pdf


def signature_box(doc: PrintDocument) -> SignatureBox | None:
    """The rectangle (PDF points, page index) of the signature box of this document as rendered."""
    return render_document(doc).signature_box
