"""The structured document the print layer renders: a party report (Báo cáo) or plan (Kế hoạch).

`PrintDocument` is what `render.render_pdf` and `xlsx.tables_xlsx` take. It holds *text*, already
worded and formatted (numbers in the body text come formatted by the report's text module through
``core.formatting``); tables hold *raw values* (int / Decimal / None / str) with a column kind, and
the renderers format them (PDF: ``core.formatting``; Excel: real numbers with the ``EXCEL_*`` formats).

Inline markup (``parse_inline``), used by adapters for text that comes as strings:

* ``**bold**`` and ``*italic*`` (may be nested: ``***both***`` is not supported, write ``**_x_**``
  as ``***`` is ambiguous);
* ``^[footnote text]`` (pandoc's inline footnote): the footnote mark goes where the ``^[`` is, the
  footnote text (which may itself hold ``**bold**`` / ``*italic*``) goes to the foot of the page.
  Footnotes are numbered through the whole document by the renderer, in the order they are cited.
* ``\\*`` / ``\\^`` / ``\\]`` are literal characters.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from core.formatting import format_number

# --------------------------------------------------------------------------------------------------
# Inline content
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Footnote:
    """A footnote cited at this point of the text; its runs are printed at the foot of the page."""

    runs: tuple[Run, ...]
    number: int = 0  # numbered through the document by the builder (0: the renderer's CSS counter numbers it)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


Inline = Run | Footnote


def _find_closing_bracket(text: str, start: int) -> int:
    """Index of the "]" closing the "[" just before ``start`` (brackets may nest), or -1."""
    depth = 1
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _parse_emphasis(text: str, bold: bool = False, italic: bool = False) -> list[Run]:
    """``**bold**`` / ``*italic*`` into runs (no footnotes inside)."""
    runs: list[Run] = []
    buf: list[str] = []
    i = 0

    def flush():
        if buf:
            runs.append(Run("".join(buf), bold, italic))
            buf.clear()

    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            end = text.find("**", i + 2)
            if end > i + 2:
                flush()
                runs.extend(_parse_emphasis(text[i + 2 : end], True, italic))
                i = end + 2
                continue
        elif ch == "*":
            end = text.find("*", i + 1)
            # "*" followed by a space is a literal star (e.g. the header's single star)
            if end > i + 1 and not text[i + 1].isspace():
                flush()
                runs.extend(_parse_emphasis(text[i + 1 : end], bold, True))
                i = end + 1
                continue
        buf.append(ch)
        i += 1
    flush()
    return runs


def parse_inline(text: str) -> tuple[Inline, ...]:
    """Parse the inline markup described in the module docstring into runs and footnotes."""
    out: list[Inline] = []
    i = 0
    plain_start = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith("^[", i):
            end = _find_closing_bracket(text, i + 2)
            if end > 0:
                out.extend(_parse_emphasis(text[plain_start:i]))
                out.append(Footnote(tuple(_parse_emphasis(text[i + 2 : end].strip()))))
                i = plain_start = end + 1
                continue
        i += 1
    out.extend(_parse_emphasis(text[plain_start:]))
    return tuple(r for r in out if not (isinstance(r, Run) and r.text == ""))


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The running text without footnotes."""
    return "".join(r.text for r in inlines if isinstance(r, Run))


# --------------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------------

BlockKind = Literal["heading1", "heading2", "heading3", "heading4", "paragraph", "item", "plain"]


@dataclass(frozen=True)
class Block:
    """One block of the body.

    * ``heading1``: "I. KẾT QUẢ …" (caps bold); ``heading2``: "1. …" (bold); ``heading3``: "1.1. …"
      (bold); ``heading4``: "a) …" (bold italic). ``number`` is the label ("I.", "1.", "1.1.", "a)").
    * ``paragraph``: justified, first-line indent; ``item``: a "- " list item, same indent;
      ``plain``: justified without indent.
    """

    kind: BlockKind
    content: tuple[Inline, ...]
    number: str = ""
    key: str = ""  # the report block it comes from ("II.study.general"), for the web view and anchors

    @classmethod
    def of(cls, kind: BlockKind, text: str, number: str = "") -> "Block":
        return cls(kind=kind, content=parse_inline(text), number=number)

    @classmethod
    def text(cls, kind: BlockKind, text: str, number: str = "") -> "Block":
        """A block of plain text: nothing in it is read as markup."""
        return cls(kind=kind, content=(Run(text),) if text else (), number=number)


# --------------------------------------------------------------------------------------------------
# Header, title, closing
# --------------------------------------------------------------------------------------------------

NATION_LINE = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Header:
    """The two-column first-page header (LAYOUT.md "First page header")."""

    own_line: str  # "HUYỆN ỦY TAM ĐƯỜNG" (bold); a province body starts here ("TỈNH ỦY LAI CHÂU")
    number_line: str  # "Số 164-BC/BTGHU"
    place_date_line: str  # "Tam Đường, ngày 30 tháng 10 năm 2023"
    superior_line: str = ""  # "ĐẢNG BỘ TỈNH LAI CHÂU" (regular)
    board_line: str = ""  # "BAN TUYÊN GIÁO" (bold) when a board issues
    nation_line: str = NATION_LINE


@dataclass(frozen=True)
class Closing:
    """The closing block: recipients on the left, the signature block on the right."""

    recipients: tuple[str, ...]  # without the leading "- "; the last one is "Lưu." / "Lưu VPTU."
    signer_title: str  # "TRƯỞNG BAN", "PHÓ BÍ THƯ"
    signer_name: str  # "Phạm Thị Hải Đường"
    authority: str = ""  # "T/M BAN THƯỜNG VỤ", "K/T …", "T/L …", "Q. …"
    recipients_label: str = "Nơi nhận:"


# --------------------------------------------------------------------------------------------------
# Attached tables (Biểu)
# --------------------------------------------------------------------------------------------------

ColumnKind = Literal["stt", "text", "int", "rate"]


@dataclass(frozen=True)
class Column:
    """A table column. ``group`` merges the header cells of consecutive columns with the same group.

    ``kind``: ``stt`` (row number), ``text``, ``int`` (a count or people: ``6.287``), ``rate`` (a
    percent number from ``core.formatting.rate_value``: ``98,0``). ``width`` is relative (weights).
    """

    key: str
    label: str
    kind: ColumnKind = "int"
    group: str = ""
    width: float = 1.0


NO_FIGURE = "–"  # the seeds' mark for "no figure" (blank is not zero)


def cell_text(value, kind: str) -> str:
    """A table cell as printed on the web and in the PDF: counts ``6.287``, rates ``98,0`` (one decimal,
    the column says "(%)"), no figure (None) ``–``; text as is."""
    if value is None or value == "":
        return NO_FIGURE if kind in ("int", "rate") and value is None else ""
    if isinstance(value, str):
        return value
    if kind in ("int", "stt"):
        return format_number(value)
    if kind == "rate":
        return format_number(Decimal(value) if not isinstance(value, Decimal) else value, 1)
    return str(value)


@dataclass(frozen=True)
class TableRow:
    """A row of raw values, one per column; ``level`` indents the unit name (hierarchy depth)."""

    values: tuple
    level: int = 0
    bold: bool = False
    key: str = ""  # the unit's code
    note: str = ""  # "Chưa báo cáo", "Chưa tiếp nhận" …


@dataclass(frozen=True)
class Table:
    """An attached table "Biểu số 01": one row per unit in hierarchy order, and the total row."""

    label: str  # "Biểu số 01"
    title: str  # "KẾT QUẢ HỌC TẬP, QUÁN TRIỆT …" (printed in caps)
    subtitle: str  # "Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023 của Ban Tuyên giáo Huyện ủy"
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    total: TableRow | None = None
    note: str = ""  # printed under the table in italic ("Số liệu tính đến …", then the remarks)
    remarks: tuple[str, ...] = ()  # the table's own remarks ("(*) Báo cáo đã gửi …"), also part of `note`
    landscape: bool | None = None  # None: landscape when the table has more than 6 columns
    sheet_name: str = ""  # Excel sheet name (defaults to the label)

    @property
    def is_landscape(self) -> bool:
        if self.landscape is not None:
            return self.landscape
        return len(self.columns) > 6

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def header_rows(self) -> list[list[dict]]:
        """Header cells as rows of ``{"label", "colspan", "rowspan", "col"}`` (merged group cells)."""
        if not self.has_groups:
            return [[{"label": c.label, "colspan": 1, "rowspan": 1, "col": i} for i, c in enumerate(self.columns)]]
        top: list[dict] = []
        bottom: list[dict] = []
        i = 0
        cols = self.columns
        while i < len(cols):
            col = cols[i]
            if not col.group:
                top.append({"label": col.label, "colspan": 1, "rowspan": 2, "col": i})
                i += 1
                continue
            j = i
            while j < len(cols) and cols[j].group == col.group:
                bottom.append({"label": cols[j].label, "colspan": 1, "rowspan": 1, "col": j})
                j += 1
            top.append({"label": col.group, "colspan": j - i, "rowspan": 1, "col": i})
            i = j
        return [top, bottom]


# --------------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------------

DocumentKind = Literal["report", "plan", "other"]


@dataclass(frozen=True)
class PrintDocument:
    """Everything printed on a party document, in reading order (LAYOUT.md).

    ``doc_type`` "BÁO CÁO" / "KẾ HOẠCH"; ``summary`` the trích yếu (a "\\n" forces a line break);
    ``blocks`` the body, opening with the citation paragraph; ``tables`` the attached Biểu.
    ``title`` is the PDF's metadata title.
    """

    header: Header
    doc_type: str
    summary: str
    blocks: tuple[Block, ...]
    closing: Closing
    tables: tuple[Table, ...] = ()
    kind: DocumentKind = "report"
    title: str = ""
    author: str = ""
    language: str = "vi"
    draft: bool = False  # not yet issued: the print carries a "DỰ THẢO" mark and no number
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    def footnotes(self) -> list[Footnote]:
        return [i for b in self.blocks for i in b.content if isinstance(i, Footnote)]

    def fingerprint(self) -> str:
        """SHA-256 of the whole content (what the cache keys on, with the stylesheet and template)."""
        data = dataclasses.asdict(self)
        data.pop("meta", None)
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True, default=_json_default)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    return str(value)
