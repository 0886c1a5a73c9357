"""Reading rendered PDFs back for the print tests (pypdf for text and fonts, pdfplumber for positions)."""
from __future__ import annotations

import io
import re

import pdfplumber
import pypdf

A4 = (595.3, 841.9)


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader(pdf).pages]


def is_a4(size, landscape: bool = False) -> bool:
    w, h = size
    if landscape:
        w, h = h, w
    return abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2


def fonts_embedded(pdf: bytes) -> dict[str, bool]:
    """Font name -> embedded?, over every page."""
    fonts: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            name = str(font.get("/BaseFont"))
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[name] = embedded
    return fonts


def page_texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader(pdf).pages]


def full_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def assert_in_order(text: str, parts: list[str]) -> None:
    pos = 0
    for part in parts:
        found = text.find(part, pos)
        assert found >= 0, f"missing or out of order: {part!r} (after position {pos})"
        pos = found + len(part)


def _small_groups(chars, size: float) -> list[tuple[int, dict, dict]]:
    """Runs of adjacent digits of the given size: (number, first char, last char)."""
    groups, run = [], []
    for ch in chars:
        small = ch["text"].isdigit() and abs(ch["size"] - size) < 0.3
        if small and run and abs(ch["top"] - run[-1]["top"]) < 2 and -1 <= ch["x0"] - run[-1]["x1"] < 1.5:
            run.append(ch)
            continue
        if run:
            groups.append(run)
        run = [ch] if small else []
    if run:
        groups.append(run)
    return [(int("".join(c["text"] for c in g)), g[0], g[-1]) for g in groups]


def footnotes_by_page(pdf: bytes, small_size: float = 12 * 0.65, body_size: float = 14.0):
    """Per page: (footnote numbers called in the text, footnote numbers printed at the foot).

    Calls and markers are both small digits; a call sits in a line of body text (its nearest
    neighbour on the line is body size), a marker starts a footnote line (12pt text).
    """
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"]))
            others = [c for c in chars if not (c["text"].isdigit() and abs(c["size"] - small_size) < 0.3)]
            calls, markers = [], []
            for number, first, last in _small_groups(chars, small_size):
                line = [c for c in others if abs(c["top"] - first["top"]) < 10 and c["text"].strip()]
                if not line:
                    continue
                nearest = min(line, key=lambda c: min(abs(c["x0"] - last["x1"]), abs(first["x0"] - c["x1"])))
                (calls if nearest["size"] >= body_size - 0.5 else markers).append(number)
            out.append((calls, markers))
    return out


def words_on(pdf: bytes, page_index: int) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[page_index].extract_words()
