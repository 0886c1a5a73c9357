"""So với cùng kỳ: the main figures beside the same period of an earlier plan (when the report compares).

Written after the overall result of "1. Công tác học tập, quán triệt" (or at the end of II. when the plan
has no such section), as seed 004 words its figures: counts with two digits below 10, people with the
thousands dot, every figure bound (``{{count:earlier.conference.count}}``, ``{{change.people.studied}}``).
The same-period figures are the accepted figures of the earlier plan and its relays, the units merged or
dissolved since added into the units that took them over (``reports.rollup.rules.compare_with_earlier``,
stored in ``snapshot["comparison"]``).
"""
from __future__ import annotations

from core.formatting import format_date_short
from reports.documents.text.context import Context, block, joined
from reports.documents.text.words import KIND_LABELS, parse_date

# The figures a district or province leader compares (seed 004's overall result), with the words for them:
# (figure, words, format of the numbers, section that collects it).
MAIN_FIGURES = [
    ("conference.count", "số hội nghị", "count", "conference"),
    ("cell_meeting.count", "số buổi sinh hoạt chi bộ", "count", "conference"),
    ("people.studied", "số người được học tập, quán triệt", "num", "people"),
]
KEY = "II.comparison"  # the block; dropped with the choice, even when edited (its figures are gone then)
# Said inside the people clause ("…, trong đó đảng viên tăng …").
AMONG_PEOPLE = ("members.studied", "đảng viên", "num")


def _figure(fmt: str, name: str) -> str:
    return f"{{{{{fmt}:{name}}}}}" if fmt == "count" else f"{{{{{name}}}}}"


def _change(ctx: Context, name: str, words: str, fmt: str) -> str:
    """"số hội nghị tăng 05 (từ 74 lên 79)", "… giảm 68 (từ 74 xuống 06)", "… bằng cùng kỳ (79)"."""
    now, before = ctx.values.get(name, 0), ctx.values.get(f"earlier.{name}", 0)
    if now == before:
        return f"{words} bằng cùng kỳ ({_figure(fmt, name)})"
    trend, towards = ("tăng", "lên") if now > before else ("giảm", "xuống")
    return (f"{words} {trend} {_figure(fmt, f'change.{name}')} "
            f"(từ {_figure(fmt, f'earlier.{name}')} {towards} {_figure(fmt, name)})")


def _shown(ctx: Context, name: str) -> bool:
    return bool(ctx.values.get(name) or ctx.values.get(f"earlier.{name}"))


def blocks(ctx: Context) -> list[dict]:
    comparison = ctx.snapshot.get("comparison")
    if not comparison:
        return []
    plan = comparison["plan"]
    label = KIND_LABELS.get(plan.get("kind"), plan.get("kind_label", ""))
    cited = f"{label} số {plan['reference']}"
    issued = parse_date(plan.get("issued_on"))
    dated = f"{cited}, ngày {format_date_short(issued)}" if issued else cited
    note = (f"Số liệu cùng kỳ là số liệu đã tiếp nhận theo {cited} (kể cả các văn bản triển khai của cấp dưới) của "
            f"các đơn vị nay thuộc {ctx.level}; số liệu của đơn vị đã giải thể, hợp nhất, sáp nhập được cộng vào "
            "đơn vị kế thừa")
    gone = comparison.get("unattributed_units") or []
    if gone:  # a unit dissolved without a successor: its own figures stay in the same-period totals, said so
        note += f"; số liệu riêng của {joined(gone, ', ')} (không có đơn vị kế thừa) được tính vào tổng cùng kỳ"
    note += "."
    clauses = []
    for name, words, fmt, section in MAIN_FIGURES:
        if section not in ctx.sections or not _shown(ctx, name):
            continue
        clause = _change(ctx, name, words, fmt)
        among_name, among_words, among_fmt = AMONG_PEOPLE
        if name == "people.studied" and _shown(ctx, among_name):
            clause += ", trong đó " + _change(ctx, among_name, among_words, among_fmt)
        clauses.append(clause)
    # A period still open is compared on what has come in so far, and says so.
    partial = (f"tính trên số liệu của {{{{units.included}}}}/{{{{units.assigned}}}} {ctx.some} đã tổng hợp, "
               if ctx.values.get("units.included", 0) < ctx.values.get("units.assigned", 0) else "")
    if clauses:
        text = f"So với cùng kỳ ({dated})[^1], {partial}{joined(clauses, '; ')}."
    else:
        text = f"So với cùng kỳ ({dated})[^1]: chưa có số liệu để so sánh."
    return [block(KEY, "paragraph", text, [note])]
