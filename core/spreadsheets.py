"""Exported spreadsheets and CSV files: every text cell is text, whatever its source.

openpyxl stores a string starting with "=" as a live formula, and Excel or LibreOffice evaluate a CSV
field starting with "=", "+", "-", "@" (or a tab or carriage return) as one (OWASP "CSV injection").
A unit name, an indicator label or a row typed by a user may start that way, so:

* `workbook_bytes(wb, formulas=...)` is how every Excel export is saved: each cell whose value the
  exporter did not declare a formula is stored as text;
* `csv_field(value)` is how every CSV export writes a field: a formula-like text gets a leading
  apostrophe (what spreadsheets themselves use to mark text), and `csv_unescape` removes it again
  when a file we wrote is read back (units import).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

# What makes a spreadsheet treat a field as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")


def set_text(cell: Cell, text: str | None) -> None:
    """Write `text` into `cell` as text (an empty text leaves the cell empty)."""
    if text in (None, ""):
        cell.value = None
        return
    cell.value = str(text)
    cell.data_type = "s"


def text_only(workbook: Workbook, *, formulas: Iterable[Cell] = ()) -> int:
    """Store every formula-looking cell of `workbook` as text, except the `formulas` the exporter wrote.

    Returns how many cells were turned into text.
    """
    keep = {id(cell) for cell in formulas}
    turned = 0
    for ws in workbook.worksheets:
        # _cells holds only the cells that exist; iter_rows() would create every empty one in the range.
        for cell in ws._cells.values():
            if cell.data_type == "f" and id(cell) not in keep:
                cell.data_type = "s"
                turned += 1
    return turned


def workbook_bytes(workbook: Workbook, *, formulas: Iterable[Cell] = ()) -> bytes:
    """The saved workbook, text cells as text (see `text_only`)."""
    text_only(workbook, formulas=formulas)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet evaluates: formula-like texts get a leading apostrophe.

    Plain numbers written as text ("-5", "+84 912") are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_field(v) for v in values]


def csv_unescape(value: str) -> str:
    """The text `csv_field` escaped (reading back a file this application wrote)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
