"""Placeholders: the figures a report's text names, filled from the report's snapshot when shown or printed.

A placeholder is ``{{name}}`` or ``{{format:name}}``:

* ``{{members.studied}}``            a figure, as a number: "2.419"
* ``{{count:conference.count}}``     as a count, two digits below 10: "05", "79"
* ``{{rate:members.studied}}``       the rate of a numerator over its denominator: "98,0%"
* ``{{date:data_until}}``            a date inside the text: "25/10/2023"
* ``{{own.conference.count}}``       the reporting unit's own figures (not its subordinates')
* ``{{communes.conference.count}}``  subtotal of the commune/town committees (``agencies.…``: the others)
* ``{{late_units}}``, ``{{below_average_units}}`` …  lists of names

`figures(snapshot)` is the full namespace; `PLACEHOLDER_HELP` explains the common ones to staff.
Footnote markers ``[^1]``, ``[^2]`` … in a block refer to that block's own ``footnotes`` list; the
print document numbers them through the whole report.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from core.formatting import format_count, format_date_short, format_number, format_percent, rate_value
from reports.documents.text.citations import kinds_text, units_below
from reports.documents.text.words import BELOW_AVERAGE_LISTED, join_names, parse_date, territorial_codes

PLACEHOLDER = re.compile(r"\{\{\s*(?:(?P<fmt>count|num|rate|date):)?(?P<name>[A-Za-z0-9_.\-]+)\s*\}\}")
FOOTNOTE = re.compile(r"\[\^(\d+)\]")
FORMATS = ("count", "num", "rate", "date")

# Explained on the edit page.
PLACEHOLDER_HELP = [
    ("{{count:conference.count}}", "Số hội nghị (toàn đơn vị), viết 2 chữ số nếu dưới 10"),
    ("{{count:cell_meeting.count}}", "Số buổi sinh hoạt chi bộ"),
    ("{{people.studied}}", "Số người đã học tập (đảng viên + chưa là đảng viên)"),
    ("{{members.studied}}/{{members.required}}", "Đảng viên đã học tập / phải học tập"),
    ("{{rate:members.studied}}", "Tỷ lệ đảng viên đã học tập (tính lại từ tổng tử số và mẫu số)"),
    ("{{rate:nonmembers.studied}}", "Tỷ lệ người chưa là đảng viên đã học tập"),
    ("{{own.conference.count}}", "Số liệu của riêng cấp mình (không cộng cấp dưới)"),
    ("{{count:communes.conference.count}}", "Số hội nghị của các đảng ủy xã, thị trấn (agencies.… : các chi bộ, "
                                            "đảng bộ cơ quan)"),
    ("{{date:data_until}}", "Ngày của số liệu mới nhất được tổng hợp"),
    ("{{count:earlier.conference.count}}", "Số liệu cùng kỳ (khi báo cáo có so sánh với kế hoạch trước)"),
    ("{{count:change.conference.count}}", "Mức tăng, giảm so với cùng kỳ (số dương)"),
    ("{{late_units}}", "Các đơn vị báo cáo chậm hoặc chưa báo cáo"),
    ("{{below_average_units}}", "Các đơn vị có tỷ lệ thấp hơn mức chung, kèm tỷ lệ"),
]

SUM_PAIRS = {
    "people.studied": ("members.studied", "nonmembers.studied"),
    "people.required": ("members.required", "nonmembers.required"),
    "propaganda.grassroots.sessions": ("propaganda.loudspeaker.sessions", "propaganda.mass_meeting.sessions"),
    "propaganda.grassroots.reach": ("propaganda.loudspeaker.reach", "propaganda.mass_meeting.reach"),
    "propaganda.media.items": ("propaganda.radio_tv.items", "propaganda.website.items", "propaganda.social.items"),
    "propaganda.media.minutes": ("propaganda.radio_tv.minutes", "propaganda.website.minutes",
                                 "propaganda.social.minutes"),
}


def figures(snapshot: dict) -> dict:
    """Every name a placeholder may use, with its value (int, Decimal rate, date or text)."""
    totals = {k: int(v or 0) for k, v in snapshot.get("totals", {}).items()}
    rows = snapshot.get("units", [])
    own = next((r for r in rows if r.get("is_own")), None)
    own_totals = {k: int(v or 0) for k, v in (own or {}).get("totals", {}).items()}
    values: dict = dict(totals)
    for code in totals:
        values[f"own.{code}"] = own_totals.get(code, 0)
        values[f"grassroots.{code}"] = totals[code] - own_totals.get(code, 0)
    # Subtotals of the subordinates by kind: commune-level units and the others (seed 004's b).
    territorial = territorial_codes(snapshot)
    for group, test in (("communes", lambda k: k in territorial), ("agencies", lambda k: k not in territorial)):
        members = [r for r in rows if not r.get("is_own") and r.get("included") and test(r.get("kind", ""))]
        values[f"{group}.units"] = len(members)
        for code in totals:
            values[f"{group}.{code}"] = sum(int(r.get("totals", {}).get(code, 0) or 0) for r in members)
    for name, parts in SUM_PAIRS.items():
        values[name] = sum(totals.get(p, 0) for p in parts)
    denominators = dict(snapshot.get("denominators", {}))
    denominators["people.studied"] = "people.required"
    for num, den in denominators.items():
        values[f"rate.{num}"] = rate_value(values.get(num, 0), values.get(den, 0))
    values["people.remaining"] = max(values["people.required"] - values["people.studied"], 0)
    conferences = snapshot.get("own_rows", {}).get("conference.rows", [])
    values["conferences.own"] = sum(1 for r in conferences if r.get("level") == "own")
    values["conferences.connected"] = sum(1 for r in conferences if r.get("level") == "connected")
    for n, row in enumerate(conferences):
        for key in ("attendance", "points"):
            if row.get(key) not in (None, ""):
                values[f"conference.rows.{n}.{key}"] = int(row[key])
    counts = snapshot.get("counts", {})
    for key in ("assigned", "submitted", "on_time", "included"):
        values[f"units.{key}"] = int(counts.get(key, 0))
    by_code = {r["code"]: r for r in rows}
    late = [by_code[c]["name"] for c in snapshot.get("late", []) if c in by_code]
    missing = [by_code[c]["name"] for c in snapshot.get("missing", []) if c in by_code]
    values["units.late"] = len(late)
    values["units.missing"] = len(missing)
    values["late_units"] = join_names(late + missing)
    values["late_only_units"] = join_names(late)
    values["missing_units"] = join_names(missing)
    values["below_average_units"] = ", ".join(
        f"{b['text_name']} ({format_percent(Decimal(b['worst_rate']))})" for b in snapshot.get("below_average", [])
    )
    # Per rated indicator: the units below the unit's own rate for it, the lowest first.
    for num in snapshot.get("denominators", {}):
        below = sorted((Decimal(b["rates"][num]), b["text_name"]) for b in snapshot.get("below_average", [])
                       if b.get("rates", {}).get(num) is not None)
        listed = ", ".join(f"{name} ({format_percent(rate)})" for rate, name in below[:BELOW_AVERAGE_LISTED])
        values[f"below_average.{num}"] = listed + (", …" if len(below) > BELOW_AVERAGE_LISTED else "")
        values[f"below_average.{num}.count"] = len(below)
    # "So với cùng kỳ": the earlier plan's figures (predecessors added in) and the change, as a size (the
    # wording says "tăng" or "giảm"); only when the report compares (snapshot["comparison"]).
    comparison = snapshot.get("comparison")
    if comparison:
        earlier = {k: int(v or 0) for k, v in comparison.get("totals", {}).items()}
        for name, parts in SUM_PAIRS.items():
            earlier[name] = sum(earlier.get(p, 0) for p in parts)
        for code, before in earlier.items():
            values[f"earlier.{code}"] = before
            values[f"change.{code}"] = abs(values.get(code, 0) - before)
    values["unit_documents.units"] = len(units_below(snapshot))
    values["unit_documents.kinds"] = kinds_text(snapshot)
    values["as_of"] = parse_date(snapshot.get("as_of"))
    included_dates = [parse_date(r.get("submitted_at")) for r in rows if r.get("included") and r.get("submitted_at")]
    values["data_until"] = max([d for d in included_dates if d], default=values["as_of"])
    return values


def _format(fmt: str | None, value) -> str:
    if value is None:
        return "-" if fmt == "rate" else ""
    if fmt == "rate" or isinstance(value, Decimal):
        return format_percent(value)
    if fmt == "date" or isinstance(value, dt.date):
        return format_date_short(value)
    if isinstance(value, int):
        return format_count(value) if fmt == "count" else format_number(value)
    return str(value)


def unknown_placeholders(text: str, values: dict) -> list[str]:
    """Placeholders in `text` that name nothing (shown to staff as an error before saving)."""
    bad = []
    for match in PLACEHOLDER.finditer(text):
        name = match["name"]
        key = f"rate.{name}" if match["fmt"] == "rate" else name
        if key not in values:
            bad.append(match.group(0))
    return bad


def fill(text: str, values: dict) -> str:
    """Replace every placeholder by its formatted figure; an unknown one stays visible as it is."""
    def repl(match: re.Match) -> str:
        fmt, name = match["fmt"], match["name"]
        key = f"rate.{name}" if fmt == "rate" else name
        if key not in values:
            return match.group(0)
        return _format(fmt, values[key])

    return PLACEHOLDER.sub(repl, text)


