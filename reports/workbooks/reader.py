"""Opening an uploaded file safely: size, kind (xlsx, not xls/xlsm/other), zip bomb, then openpyxl.

Everything here runs BEFORE openpyxl parses a byte of XML. The declared sizes are checked first
(cheap), then every member is inflated once in small chunks, counting what really comes out and
keeping none of it: a zip whose headers understate a member's size is refused as soon as the
member inflates past its declared size or the whole past the limit. Declared sizes alone are not a
ceiling: `zipfile.ZipFile.read` inflates the whole member in one call and only then cuts it to the
declared size, so a 1 MB file declaring 1.000 bytes can take gigabytes there.

After opening, `sheet_rows` is how the importer reads a sheet: at most `max_rows()` rows of at most
`width` cells each, then a clear message.
"""
from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.formatting import format_number

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and other OLE files
ZIP_SIGNATURE = b"PK\x03\x04"
MACRO_CONTENT_TYPES = ("macroEnabled", "vbaProject")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook at all; the message says why, in Vietnamese."""


def max_uncompressed_bytes() -> int:
    return getattr(settings, "WORKBOOK_MAX_UNCOMPRESSED_BYTES", 40 * settings.WORKBOOK_MAX_BYTES)


def max_ratio() -> int:
    return getattr(settings, "WORKBOOK_MAX_RATIO", 200)


def max_rows() -> int:
    """Rows read from one sheet (a district workbook of a whole province has about 5.000)."""
    return getattr(settings, "WORKBOOK_MAX_ROWS", 20_000)


def max_columns() -> int:
    """Cells read from one row (the widest sheet has a few dozen columns)."""
    return getattr(settings, "WORKBOOK_MAX_COLUMNS", 200)


INFLATE_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature ... file name length, extra field length


@dataclass
class OpenedWorkbook:
    """An openpyxl workbook (read only, formulas kept) and the merged ranges of each sheet."""

    workbook: object
    merged: dict[str, list[str]] = field(default_factory=dict)

    def close(self) -> None:
        self.workbook.close()


def check_size(size: int) -> None:
    limit = settings.WORKBOOK_MAX_BYTES
    if size > limit:
        raise UnreadableWorkbook(
            _("Tệp quá lớn (%(size)s byte); giới hạn là %(limit)s byte (%(mb)s MB).")
            % {"size": format_number(size), "limit": format_number(limit), "mb": format_number(limit // 2**20)})
    if size == 0:
        raise UnreadableWorkbook(_("Tệp rỗng."))


def _check_kind(data: bytes, filename: str) -> None:
    lower = (filename or "").lower()
    if data.startswith(OLE2_SIGNATURE) or lower.endswith(".xls"):
        raise UnreadableWorkbook(
            _("Đây là tệp Excel cũ (.xls, Excel 97–2003). Hãy mở bằng Excel và lưu lại dạng "
              "“Excel Workbook (.xlsx)”, hoặc tải mẫu .xlsx mới từ hệ thống."))
    if lower.endswith((".xlsm", ".xltm", ".xlsb")):
        raise UnreadableWorkbook(
            _("Tệp có macro (.xlsm, .xlsb) không được nhận vì lý do an toàn. Hãy lưu lại dạng .xlsx."))
    if not data.startswith(ZIP_SIGNATURE):
        raise UnreadableWorkbook(
            _("Tệp không phải là tệp Excel (.xlsx). Hãy tải lên đúng tệp mẫu đã tải từ hệ thống."))


def _check_zip(archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnreadableWorkbook(
            _("Tệp không phải là tệp Excel (.xlsx). Hãy tải lên đúng tệp mẫu đã tải từ hệ thống."))
    infos = archive.infolist()
    if len(infos) > 2000:
        raise UnreadableWorkbook(_("Tệp có cấu trúc bất thường (quá nhiều thành phần), không thể đọc."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > max_ratio():
            raise UnreadableWorkbook(
                _("Tệp bị nén bất thường (thành phần %(name)s giải nén gấp %(ratio)s lần): có thể là “bom nén”, "
                  "không được nhận.") % {"name": info.filename, "ratio": format_number(int(ratio))})
    if total > max_uncompressed_bytes():
        raise UnreadableWorkbook(
            _("Tệp khi giải nén quá lớn (%(size)s byte, giới hạn %(limit)s byte): có thể là “bom nén”, "
              "không được nhận.") % {"size": format_number(total), "limit": format_number(max_uncompressed_bytes())})
    _check_inflation(archive)
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if any(marker in content_types for marker in MACRO_CONTENT_TYPES) or any(
            name.lower().endswith("vbaproject.bin") for name in names):
        raise UnreadableWorkbook(
            _("Tệp có macro (.xlsm) không được nhận vì lý do an toàn. Hãy lưu lại dạng .xlsx."))


def _bomb(name: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(
        _("Tệp bị nén bất thường (thành phần %(name)s giải nén ra nhiều hơn kích thước ghi trong tệp): có thể "
          "là “bom nén”, không được nhận.") % {"name": name[:80]})


def _check_inflation(archive: zipfile.ZipFile) -> None:
    """Inflate every member in chunks, keeping nothing: each must give exactly its declared size.

    Work and memory are bounded by the declared sizes (already checked): a member is dropped the
    moment it inflates past its own declared size, whatever its headers say.
    """
    raw = archive.fp
    total = 0
    for info in archive.infolist():
        raw.seek(info.header_offset)
        header = raw.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(info.filename)
        fields = _LOCAL_HEADER.unpack(header)
        raw.seek(info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1])
        left = info.compress_size
        if info.compress_type == zipfile.ZIP_STORED:
            real = left
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            real = 0
            pending = b""
            while True:
                if not pending:
                    if left <= 0:
                        break
                    pending = raw.read(min(INFLATE_CHUNK, left))
                    if not pending:
                        raise zipfile.BadZipFile(info.filename)
                    left -= len(pending)
                try:
                    out = inflater.decompress(pending, INFLATE_CHUNK)
                except zlib.error as exc:
                    raise zipfile.BadZipFile(info.filename) from exc
                pending = inflater.unconsumed_tail
                real += len(out)
                if real > info.file_size or total + real > max_uncompressed_bytes():
                    raise _bomb(info.filename)
                if inflater.eof:
                    break
            real += len(inflater.flush())
        else:
            raise UnreadableWorkbook(
                _("Tệp không phải là tệp Excel (.xlsx) hợp lệ (kiểu nén lạ). Hãy tải lại tệp mẫu từ hệ thống."))
        if real != info.file_size:
            raise _bomb(info.filename) if real > info.file_size else zipfile.BadZipFile(info.filename)
        total += real


def sheet_rows(ws, *, min_row: int = 1, width: int | None = None, values_only: bool = False) -> Iterator[tuple]:
    """The rows of a read-only sheet, at most `max_rows()` of them and `width` (≤ max_columns()) cells each.

    Raises UnreadableWorkbook past the row limit: the sheet holds far more rows than any template.
    """
    limit = max_rows()
    name = ws.title
    max_col = min(width or max_columns(), max_columns())
    for n, row in enumerate(ws.iter_rows(min_row=min_row, max_col=max_col, values_only=values_only), start=min_row):
        if n > limit:
            raise UnreadableWorkbook(
                _("Trang “%(sheet)s” có quá nhiều dòng (hơn %(limit)s dòng): đây không phải tệp mẫu của hệ thống "
                  "hoặc đã bị thêm dòng thừa. Hãy tải lại tệp mẫu.") % {"sheet": name, "limit": format_number(limit)})
        yield row


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels_xml = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels_xml.iter(f"{NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    paths = {}
    for sheet in workbook.iter(f"{NS_MAIN}sheet"):
        rid = sheet.get(f"{NS_REL}id")
        if rid in targets:
            paths[sheet.get("name")] = targets[rid]
    return paths


_MERGE_RE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([^"]+)"')


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The merged ranges of one sheet (read-only openpyxl does not expose them).

    A regular expression over the part's bytes, read in 1 MB pieces (the tail of each piece is kept
    so a tag cut in two is still found): ten times faster than parsing the XML again.
    """
    if path not in archive.namelist():
        return []
    refs: list[str] = []
    tail = b""
    with archive.open(path) as part:
        while piece := part.read(1 << 20):
            buffer = tail + piece
            last = 0
            for match in _MERGE_RE.finditer(buffer):
                refs.append(match.group(1).decode("ascii", "replace"))
                last = match.end()
            tail = buffer[max(last, len(buffer) - 512):]
            if len(refs) > max_rows():
                raise UnreadableWorkbook(_("Tệp có quá nhiều ô gộp, không phải tệp mẫu của hệ thống."))
    return refs


def open_workbook(data: bytes, filename: str = "") -> OpenedWorkbook:
    """Check the bytes and open them with openpyxl (read only, formulas kept as formulas)."""
    check_size(len(data))
    _check_kind(data, filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_zip(archive)
        paths = _sheet_paths(archive)
        merged = {name: _merged_ranges(archive, path) for name, path in paths.items()}
    except UnreadableWorkbook:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ElementTree.ParseError, OSError, EOFError,
            NotImplementedError, ValueError):
        raise UnreadableWorkbook(
            _("Tệp không phải là tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng. Hãy tải lại tệp mẫu từ hệ thống.")
        ) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on broken files
        raise UnreadableWorkbook(
            _("Tệp Excel bị hỏng, không đọc được. Hãy mở lại bằng Excel, lưu dạng .xlsx rồi tải lên lại.")
        ) from None
    return OpenedWorkbook(workbook=workbook, merged=merged)
