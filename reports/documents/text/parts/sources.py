"""The subordinate reports an upper report is made from (issue 18.5): cited by number and date, and those not
received yet named, so a leader who signs and an inspector who checks know what the figures stand on.

Only for a report that rolls up consolidated reports (a province over its districts): a block at the end of
part I, its footnote listing each signed report ("Báo cáo số 164-BC/BTGHU, ngày 30/10/2023 của Ban Tuyên giáo
Huyện ủy Tam Đường"). A subordinate whose figures are not in the roll-up (no report, a draft, a report
returned by this level, or one not received yet) is named as "not received".
"""
from __future__ import annotations

from core.formatting import format_date_short
from reports.documents.text.context import Context, block
from reports.documents.text.words import join_names, parse_date


def cited_reports(snapshot: dict) -> tuple[list[dict], list[str]]:
    """(the signed subordinate reports rolled up, in table order; the names of subordinates not received)."""
    rows = [r for r in snapshot.get("units", []) if not r.get("is_own")]
    if not any(r.get("source") == "report" for r in rows):
        return [], []
    cited, missing = [], []
    for row in rows:
        document = row.get("document") or {}
        if row.get("included") and row.get("source") == "report" and document.get("signed"):
            cited.append({**document, "name": row["name"]})
        elif not row.get("included"):
            missing.append(row["name"])
    return cited, missing


def citation_line(document: dict) -> str:
    date = parse_date(document.get("issued_on"))
    return (f"Báo cáo số {document['reference']}" + (f", ngày {format_date_short(date)}" if date else "")
            + f" của {document.get('body') or document.get('name')}")


def blocks(ctx: Context) -> list[dict]:
    cited, missing = cited_reports(ctx.snapshot)
    if not cited and not missing:
        return []
    parts = []
    notes = []
    if cited:
        notes.append("; ".join(citation_line(d) for d in cited) + ".")
        parts.append(f"Báo cáo được tổng hợp từ báo cáo của {len(cited):02d} {ctx.some}[^1]")
    if missing:
        parts.append(f"chưa nhận được báo cáo của {join_names(missing)}" if cited
                     else f"Chưa nhận được báo cáo của {join_names(missing)}")
    return [block("I.sources", "paragraph", "; ".join(parts) + ".", notes)]
