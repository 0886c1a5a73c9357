"""Documents cited as footnotes, as the seeds cite them (seed 004 footnotes 1–3, seed 001 footnotes 1–2).

The reporting unit's own documents (its submission's "Văn bản đã ban hành") are cited in part I, in three
footnotes: its plans (kế hoạch, chương trình …), its guidance (hướng dẫn, or the relayed plan itself) and the
others (công văn …); within each, the committee's documents before the board's own, then by date.

The documents the units below entered as issued are cited once, in one footnote after "… đã ban hành 02 kế
hoạch, 01 công văn triển khai thực hiện": unit by unit in hierarchy order ("Đảng ủy xã Bình Lư: Kế hoạch số
86-KH/ĐU, ngày 05/9/2023 về …; Công văn số …"), plans first then by date. A document is cited once: one that
the reporting unit cites itself, the plan answered, or one already cited for another unit is left out.
"""
from __future__ import annotations

import datetime as dt
import re

from core.formatting import format_count, format_date_short
from reports.documents.text.words import capitalised, doc_kind, parse_date

# The words for a document by the kind in its number ("209-KH/HU": kế hoạch).
DOC_KIND_WORDS = {"KH": "kế hoạch", "CTR": "chương trình", "HD": "hướng dẫn", "CV": "công văn",
                  "NQ": "nghị quyết", "CT": "chỉ thị", "KL": "kết luận", "TB": "thông báo", "BC": "báo cáo",
                  "QĐ": "quyết định", "QD": "quyết định"}
PLAN_KINDS = ("KH", "CTR", "NQ", "CT", "KL")
FAR_FUTURE = dt.date(9999, 12, 31)


def number_key(number: str) -> str:
    """"120 - CV/BTGHU" and "120-CV/BTGHU" are the same document."""
    return re.sub(r"\s+", "", number or "").upper()


def _suffix(number: str) -> str:
    return number_key(number).rpartition("/")[2]


def cite(row: dict) -> str:
    """"Kế hoạch số 209-KH/HU, ngày 29/8/2023 của … về …" (a title that already cites its number is kept)."""
    title = (row.get("title") or "").strip().rstrip(".")
    number = (row.get("number") or "").strip()
    if not number or number_key(number) in number_key(title):
        return title
    date = parse_date(row.get("date"))
    label = DOC_KIND_WORDS.get(doc_kind(number))
    head = f"{capitalised(label)} số {number}" if label else number
    return head + (f", ngày {format_date_short(date)}" if date else "") + (f" {title}" if title else "")


def _order(rows: list[dict], own_suffix: str = "") -> list[dict]:
    """The committee's documents before the board's own (seed 004 footnote 3), then by date."""
    return sorted(rows, key=lambda r: (bool(own_suffix) and _suffix(r.get("number", "")) == own_suffix,
                                       parse_date(r.get("date")) or FAR_FUTURE))


def _distinct(rows: list[dict], seen: set[str]) -> list[dict]:
    out = []
    for row in rows:
        key = number_key(row.get("number", "")) or cite(row)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out


def own_groups(snapshot: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """The reporting unit's documents as (plans, guidance, others), each once and in order."""
    rolled = snapshot.get("plan", {})
    documents = _distinct(snapshot.get("own_rows", {}).get("documents.rows", []), set())
    plans = [d for d in documents if doc_kind(d.get("number", "")) in PLAN_KINDS]
    guide = [d for d in documents if d not in plans and (
        number_key(d.get("number", "")) == number_key(rolled.get("reference", ""))
        or doc_kind(d.get("number", "")) == "HD")]
    others = [d for d in documents if d not in plans and d not in guide]
    suffix = rolled.get("code_suffix", "").upper()
    return _order(plans, suffix), _order(guide, suffix), _order(others, suffix)


def footnote(rows: list[dict]) -> str:
    return ". ".join(c for c in (cite(r) for r in rows) if c) + "." if rows else ""


def units_below(snapshot: dict) -> list[tuple[str, list[dict]]]:
    """(unit name, its documents) for the units below, each document cited once, plans first then by date."""
    seen = {number_key(d.get("number", "")) for group in own_groups(snapshot) for d in group}
    seen |= {number_key(snapshot.get(p, {}).get("reference", "")) for p in ("plan", "requested_plan")}
    seen.discard("")
    branches = [(r["path"], n) for n, r in enumerate(snapshot.get("units", []))
                if not r.get("is_own") and r.get("path")]

    def place(unit: dict) -> tuple[int, str]:
        """The Biểu's order: the row of the unit (or of the branch it is in), then the path below it."""
        path = unit.get("path", "")
        return next((n for p, n in branches if path.startswith(p)), len(branches)), path

    out = []
    for unit in sorted(snapshot.get("unit_documents", []), key=place):
        rows = sorted(unit.get("rows", []), key=lambda r: (doc_kind(r.get("number", "")) not in PLAN_KINDS,
                                                           parse_date(r.get("date")) or FAR_FUTURE))
        rows = _distinct([r for r in rows if (r.get("number") or r.get("title"))], seen)
        if rows:
            out.append((unit["name"], rows))
    return out


def units_below_footnote(snapshot: dict) -> str:
    """"Đảng ủy xã Bình Lư: Kế hoạch số 86-KH/ĐU, ngày 05/9/2023 về …; Công văn số …. Đảng ủy xã Nà Tăm: …."."""
    parts = [f"{name}: " + "; ".join(cite(r) for r in rows) for name, rows in units_below(snapshot)]
    return ". ".join(parts) + "." if parts else ""


def kinds_text(snapshot: dict) -> str:
    """"02 kế hoạch, 01 công văn": the documents of the units below, by kind, plans first."""
    counts: dict[str, int] = {}
    for _name, rows in units_below(snapshot):
        for row in rows:
            word = DOC_KIND_WORDS.get(doc_kind(row.get("number", "")), "văn bản")
            counts[word] = counts.get(word, 0) + 1
    order = [DOC_KIND_WORDS[k] for k in PLAN_KINDS + ("HD", "CV")]
    words = sorted(counts, key=lambda w: order.index(w) if w in order else len(order))
    return ", ".join(format_count(counts[w]) + f" {w}" for w in words)
