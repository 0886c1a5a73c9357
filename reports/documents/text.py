"""The report text: generated in the order and wording of the seeds (seed 004), with figures bound.

Placeholders
    Text blocks hold WORDS and PLACEHOLDERS; the figures are filled from the report's snapshot each time the
    text is shown or printed, so editing the wording never leaves a stale number and refreshing the figures
    keeps the edited wording. A placeholder is ``{{name}}`` or ``{{format:name}}``:

    * ``{{members.studied}}``            a figure, as a number: "2.419"
    * ``{{count:conference.count}}``     as a count, two digits below 10: "05", "79"
    * ``{{rate:members.studied}}``       the rate of a numerator over its denominator: "98,0%"
    * ``{{date:data_until}}``            a date inside the text: "25/10/2023"
    * ``{{own.conference.count}}``       the reporting unit's own figures (not its subordinates')
    * ``{{communes.conference.count}}``  subtotal of the commune/town committees (``agencies.…``: the others)
    * ``{{late_units}}``, ``{{below_average_units}}`` …  lists of names
    (`figures(snapshot)` is the full namespace; `PLACEHOLDER_HELP` explains the common ones to staff.)
    Footnote markers ``[^1]``, ``[^2]`` … in a block refer to that block's own ``footnotes`` list; the
    document numbers them through the whole report.

report_document(report) -> dict   (the PDF renderer in reports/documents/pdf/ builds on this; all text
final, placeholders filled, every figure formatted by core.formatting)::

    {
      "status": "draft" | "pending_approval" | "approved" | "signed" | "returned",
      "is_draft": bool,                       # not yet signed: the PDF may print a DỰ THẢO mark
      "header": {"superior_line": "ĐẢNG BỘ TỈNH LAI CHÂU", "own_line": "HUYỆN ỦY TAM ĐƯỜNG",
                 "board_line": "BAN TUYÊN GIÁO", "lines": [the non-empty ones, in order]},
      "star": "*",
      "number_line": "Số 164-BC/BTGHU"  (draft: "Số      -BC/BTGHU"),
      "motto": "ĐẢNG CỘNG SẢN VIỆT NAM",
      "place_date_line": "Tam Đường, ngày 30 tháng 10 năm 2023",  (issued_on, else planned_on)
      "type": "BÁO CÁO",
      "summary": "kết quả học tập, quán triệt, tuyên truyền … theo Hướng dẫn số 132-HD/BTGTU",
      "citation": "Thực hiện Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của … báo cáo kết quả như sau:",
      "blocks": [ {"key": str,
                   "kind": "heading1" | "heading2" | "heading3" | "paragraph" | "item",
                   "level": 1 | 2 | 3 | None,          # headings: "I. …" / "1. …" / "1.1. …"
                   "text": "plain text, footnote markers removed",
                   "segments": [{"text": "…"}, {"footnote": 1}, {"text": "…"}],   # text with markers
                   "footnotes": [1, …]},                                          # numbers used here
                 … ],
      "footnotes": [{"number": 1, "text": "Kế hoạch số 209-KH/HU, ngày 29/8/2023 …"}, …],
      "recipients": {"title": "Nơi nhận:", "lines": ["- Ban Tuyên giáo Tỉnh ủy,", …, "- Lưu."]},
      "signer": {"authority": "" | "T/M BAN THƯỜNG VỤ", "title": "TRƯỞNG BAN", "name": "Phạm Thị Hải Đường"},
      "as_of_line": "Số liệu tính đến 17 giờ 30 ngày 25/10/2023",
      "tables": [ {"number": "01", "label": "Biểu số 01", "title": "KẾT QUẢ HỌC TẬP, QUÁN TRIỆT …",
                   "subtitle": "(Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023 của Ban Tuyên giáo Huyện ủy)",
                   "landscape": True,
                   "header_rows": [[{"text": "STT", "rowspan": 2, "colspan": 1}, …], […]],
                   "columns": [{"key": "stt", "align": "center"}, {"key": "name", "align": "left"}, …],
                   "rows": [{"code": "tam-duong-binh-lu", "cells": ["1", "Đảng ủy xã Bình Lư", "04", …],
                             "values": [1, "…", 4, …], "note": ""}, …],
                   "total_row": {"cells": ["", "Tổng cộng", "79", …], "values": [...]},
                   "notes": ["(*) Báo cáo đã gửi, chưa tiếp nhận."]}, … ],
    }
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import (
    format_count,
    format_date_line,
    format_date_short,
    format_datetime,
    format_doc_number,
    format_number,
    format_percent,
    rate_value,
)
from units.models import UnitKind

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
    ("{{late_units}}", "Các đơn vị báo cáo chậm hoặc chưa báo cáo"),
    ("{{below_average_units}}", "Các đơn vị có tỷ lệ thấp hơn mức chung, kèm tỷ lệ"),
]

FORMAT_WORDS = {"in_person": "trực tiếp", "online": "trực tuyến", "hybrid": "trực tiếp kết hợp trực tuyến"}
KIND_LABELS = {"BC": "Báo cáo", "KH": "Kế hoạch", "CV": "Công văn", "HD": "Hướng dẫn"}

SUM_PAIRS = {
    "people.studied": ("members.studied", "nonmembers.studied"),
    "people.required": ("members.required", "nonmembers.required"),
    "propaganda.grassroots.sessions": ("propaganda.loudspeaker.sessions", "propaganda.mass_meeting.sessions"),
    "propaganda.grassroots.reach": ("propaganda.loudspeaker.reach", "propaganda.mass_meeting.reach"),
    "propaganda.media.items": ("propaganda.radio_tv.items", "propaganda.website.items", "propaganda.social.items"),
    "propaganda.media.minutes": ("propaganda.radio_tv.minutes", "propaganda.website.minutes",
                                 "propaganda.social.minutes"),
}
CHANNELS = [
    ("banner", "pa nô, băng rôn, khẩu hiệu"),
    ("mobile", "xe thông tin lưu động"),
]


# -- figures and placeholders ---------------------------------------------------------------------------

def _date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        from core.formatting import LOCAL_TZ

        moment = moment.astimezone(LOCAL_TZ)
    return moment.date()


def join_names(names: list[str]) -> str:
    """"Chi bộ Phòng Nội vụ, Phòng Lao động …": a leading word shared by all names is written once."""
    if not names:
        return ""
    for prefix in ("Chi bộ ", "Đảng ủy ", "Đảng bộ "):
        if len(names) > 1 and all(n.startswith(prefix) for n in names):
            return prefix + ", ".join(n[len(prefix):] for n in names)
    return ", ".join(names)


def kinds_of(snapshot: dict) -> dict[str, dict]:
    """The words of the unit kinds in the snapshot (`UnitKind.words()`), by kind code.

    A snapshot stores them since kinds carry their words; for an older one they are read from the
    kinds as they are now (one query).
    """
    kinds = snapshot.get("kinds")
    if kinds is None:
        codes = {snapshot.get("unit", {}).get("kind", "")} | {r.get("kind", "") for r in snapshot.get("units", [])}
        kinds = {k.code: k.words() for k in UnitKind.objects.filter(code__in=codes)}
    return kinds


def level_word(snapshot: dict) -> str:
    """The reporting unit's area in running text ("tỉnh": "Toàn tỉnh", "Cấp tỉnh"), from its kind."""
    kind = kinds_of(snapshot).get(snapshot.get("unit", {}).get("kind", ""), {})
    return kind.get("area_word") or "đơn vị"


DEFAULT_SUBORDINATES = ("các chi, đảng bộ", "chi, đảng bộ", "Các chi, đảng bộ cơ sở")


def _subordinate_kinds(snapshot: dict) -> list[dict]:
    """The kinds of the subordinates in the snapshot, in the kinds' order, each once."""
    kinds = kinds_of(snapshot)
    codes = {r.get("kind", "") for r in snapshot.get("units", []) if not r.get("is_own")}
    return sorted((kinds[c] for c in codes if c in kinds), key=lambda k: k.get("sort_order", 0))


def _distinct(words) -> list[str]:
    return list(dict.fromkeys(w for w in words if w))


def subordinate_words(snapshot: dict) -> tuple[str, str, str]:
    """How the text calls all the subordinates: (with "các", after "một số", at the start of a line).

    From the kinds of the subordinates: "các chi, đảng bộ" for a district's grassroots units, "các
    đảng ủy xã, phường, đặc khu và các đảng bộ trực thuộc" for a province since 2025.
    """
    kinds = _subordinate_kinds(snapshot)
    plain = _distinct(k.get("collective") for k in kinds)
    heading = _distinct(k.get("collective_heading") or k.get("collective") for k in kinds)
    if not plain:
        return DEFAULT_SUBORDINATES
    return "các " + " và các ".join(plain), " và ".join(plain), "Các " + " và các ".join(heading)


def group_labels(snapshot: dict) -> tuple[str, str]:
    """Labels of the two groups the subordinates break down into: commune-level units (xã, phường,
    thị trấn, đặc khu) and the others (agency cells and committees), from their kinds."""
    kinds = _subordinate_kinds(snapshot)
    territorial = _distinct(k.get("group_label") for k in kinds if k.get("is_territorial"))
    others = _distinct(k.get("group_label") for k in kinds if not k.get("is_territorial"))
    return "; ".join(territorial), " và ".join(others)


def _territorial_codes(snapshot: dict) -> set[str]:
    return {code for code, k in kinds_of(snapshot).items() if k.get("is_territorial")}


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
    territorial = _territorial_codes(snapshot)
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
    values["as_of"] = _date(snapshot.get("as_of"))
    included_dates = [_date(r.get("submitted_at")) for r in rows if r.get("included") and r.get("submitted_at")]
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


# -- generated blocks -------------------------------------------------------------------------------------

def _block(key: str, kind: str, text: str, footnotes: list[str] | None = None) -> dict:
    return {"key": key, "kind": kind, "text": text, "footnotes": list(footnotes or []),
            "generated": text, "generated_footnotes": list(footnotes or [])}


def _doc_kind(number: str) -> str:
    match = re.match(r"\s*\d+\s*-\s*([^/\s]+)", number or "")
    return match.group(1).upper() if match else ""


def _doc_footnote(rows: list[dict]) -> str:
    parts = []
    for row in rows:
        title = (row.get("title") or "").strip().rstrip(".")
        number = (row.get("number") or "").strip()
        if number and number.replace(" ", "") not in title.replace(" ", ""):
            date = _date(row.get("date"))
            title = f"{number}" + (f", ngày {format_date_short(date)}" if date else "") + (f" {title}" if title else "")
        parts.append(title)
    return ". ".join(p for p in parts if p) + "." if parts else ""


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _strip_dash(text: str) -> str:
    return text[1:].strip() if text.startswith("-") else text


def plan_citation(plan: dict) -> str:
    """"Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của Ban Tuyên giáo Tỉnh ủy"."""
    issued = _date(plan.get("issued_on"))
    label = KIND_LABELS.get(plan.get("kind"), plan.get("kind_label", ""))
    return (f"{label} số {plan['reference']}"
            + (f", ngày {format_date_short(issued)}" if issued else "")
            + f" của {plan.get('issuing_body_citation', '')}")


def generate_summary(snapshot: dict) -> str:
    plan = snapshot["requested_plan"]
    label = KIND_LABELS.get(plan.get("kind"), plan.get("kind_label", ""))
    return f"kết quả học tập, quán triệt, tuyên truyền các văn bản của Đảng theo {label} số {plan['reference']}"


def generate_blocks(snapshot: dict, *, body_citation: str, sections: list[str] | None = None) -> list[dict]:
    """The report's blocks, in the order and wording of seed 004, with figures as placeholders."""
    sections = sections if sections is not None else snapshot.get("sections", [])
    values = figures(snapshot)
    level = level_word(snapshot)
    Level = level[:1].upper() + level[1:]
    subs, some, grassroots = subordinate_words(snapshot)
    lower_grassroots = grassroots[:1].lower() + grassroots[1:]
    texts = snapshot.get("own_texts", {})
    own_rows = snapshot.get("own_rows", {})
    plan = snapshot["requested_plan"]
    rolled = snapshot["plan"]
    blocks: list[dict] = []
    add = blocks.append

    title = plan.get("title", "").strip()
    if title and not title.startswith("về"):
        title = "về " + title
    add(_block("citation", "paragraph",
               f"Thực hiện {plan_citation(plan)}{(' ' + title) if title else ''}; {body_citation} báo cáo kết quả "
               "như sau:"))

    # I. Leadership and direction, with the documents issued as footnotes.
    add(_block("I", "heading1", "I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN"))
    documents = own_rows.get("documents.rows", [])
    plans_docs = [d for d in documents if _doc_kind(d.get("number", "")) in ("KH", "CTR", "NQ", "CT", "KL")]
    guide_docs = [d for d in documents if d not in plans_docs and (
        (d.get("number") or "").replace(" ", "") == rolled["reference"] or _doc_kind(d.get("number", "")) == "HD")]
    other_docs = [d for d in documents if d not in plans_docs and d not in guide_docs]
    if texts.get("narrative.leadership"):
        for n, para in enumerate(_paragraphs(texts["narrative.leadership"])):
            add(_block(f"I.lead.{n}", "paragraph", para))
    else:
        first_notes = [_doc_footnote(plans_docs)] if plans_docs else []
        add(_block("I.lead.0", "paragraph",
                   "Căn cứ các văn bản chỉ đạo của cấp trên về quán triệt, triển khai các chỉ thị, kết luận, quy định "
                   f"của Đảng; {body_citation} đã chủ động tham mưu xây dựng kế hoạch chỉ đạo, hướng dẫn "
                   f"{lower_grassroots} tổ chức học tập, quán triệt{'[^1]' if first_notes else ''}.", first_notes))
        notes, marks = [], []
        if guide_docs:
            notes.append(_doc_footnote(guide_docs))
            marks.append(f"[^{len(notes)}]")
        else:
            marks.append("")
        if other_docs:
            notes.append(_doc_footnote(other_docs))
            marks.append(f"[^{len(notes)}]")
        else:
            marks.append("")
        add(_block("I.lead.1", "paragraph",
                   f"Thực hiện {KIND_LABELS.get(plan.get('kind'), '')} số {plan['reference']}, {body_citation} "
                   f"tiếp tục ban hành văn bản hướng dẫn học tập{marks[0]}. Chủ trì, phối hợp tổ chức các hội nghị "
                   f"học tập, quán triệt theo hình thức trực tuyến, trực tiếp{marks[1]} tới cán bộ, đảng viên; "
                   "thường xuyên theo dõi, đôn đốc, giám sát việc tổ chức quán triệt, tuyên truyền và tổng hợp báo "
                   "cáo kết quả đảm bảo thời gian, chất lượng.", notes))

    # II. Results.
    add(_block("II", "heading1", "II. KẾT QUẢ THỰC HIỆN"))
    number = 0
    if "conference" in sections or "people" in sections:
        number += 1
        add(_block("II.study", "heading2", f"{number}. Công tác học tập, quán triệt"))
        conferences = own_rows.get("conference.rows", [])
        if values.get("own.conference.count") or conferences:
            add(_block("II.study.a", "paragraph",
                       f"a) Cấp {level}: {{{{count:own.conference.count}}}} hội nghị/"
                       f"{{{{own.conference.attendance}}}} lượt người tham dự"))
            own_conf = [(n, r) for n, r in enumerate(conferences) if r.get("level") == "own"]
            connected = [(n, r) for n, r in enumerate(conferences) if r.get("level") == "connected"]
            if own_conf:
                add(_block("II.study.a.own", "item",
                           f"- {Level} trực tiếp tổ chức: {{{{count:conferences.own}}}} hội nghị, cụ thể như sau:"))
                for i, (n, row) in enumerate(own_conf, start=1):
                    add(_conference_block(f"II.study.a.own.{i}", i, n, row, connected=False))
                    if row.get("presenters"):
                        add(_block(f"II.study.a.own.{i}.presenters", "paragraph",
                                   f"Báo cáo viên: đồng chí {row['presenters'].strip().rstrip('.')}."))
            if connected:
                add(_block("II.study.a.connected", "item",
                           f"- {Level} kết nối {{{{count:conferences.connected}}}} hội nghị học tập trực tuyến do "
                           "cấp trên tổ chức:"))
                for i, (n, row) in enumerate(connected, start=1):
                    add(_conference_block(f"II.study.a.connected.{i}", i, n, row, connected=True))
            add(_block("II.study.b", "paragraph", "b) Cấp cơ sở"))
        communes_label, agencies_label = group_labels(snapshot)
        if values["communes.units"] and values["agencies.units"]:
            add(_block("II.study.b.communes", "item",
                       f"- {communes_label}: ngoài kết nối các hội nghị học tập trực tuyến, tổ chức "
                       "{{count:communes.conference.count}} hội nghị tập trung, {{count:communes.cell_meeting.count}} "
                       "buổi sinh hoạt chi bộ để phổ biến, quán triệt tới cán bộ, đảng viên, công chức, viên chức, "
                       "người lao động."))
            owner = snapshot.get("unit", {}).get("kind_name", "") or level
            add(_block("II.study.b.agencies", "item",
                       f"- {agencies_label} {owner}: tổ chức "
                       "{{count:agencies.conference.count}} hội nghị, {{count:agencies.cell_meeting.count}} buổi sinh "
                       "hoạt chi bộ để phổ biến tới cán bộ, đảng viên, công chức, viên chức, người lao động."))
        else:
            add(_block("II.study.b.1", "item",
                       f"- {grassroots} tổ chức {{{{count:grassroots.conference.count}}}} hội nghị, "
                       "{{count:cell_meeting.count}} buổi sinh hoạt chi bộ để phổ biến, quán triệt tới cán bộ, đảng "
                       "viên, công chức, viên chức, người lao động."))
        add(_block("II.study.b.self", "paragraph",
                   "Một số cán bộ, đảng viên, công chức, viên chức, người lao động không tham gia học tại các hội nghị "
                   "tập trung, buổi sinh hoạt chi bộ đã được chi bộ gửi tài liệu tự nghiên cứu."))
        done = values["units.submitted"] >= values["units.assigned"] and not values["units.missing"]
        progress = (f"{subs} trên địa bàn {level} đã hoàn thành theo kế hoạch việc quán triệt, phổ biến các "
                    "chỉ thị, nghị quyết tới cán bộ, đảng viên" if done else
                    f"{{{{units.submitted}}}}/{{{{units.assigned}}}} {some} đã báo cáo kết quả quán triệt, phổ "
                    "biến các chỉ thị, nghị quyết tới cán bộ, đảng viên")
        add(_block("II.study.general", "paragraph",
                   f"Kết quả chung: Đến ngày {{{{date:data_until}}}}, {progress}. Toàn {level} tổ chức "
                   "{{count:conference.count}} hội nghị, {{count:cell_meeting.count}} buổi sinh hoạt chi bộ cho "
                   "{{people.studied}} người, trong đó: Đảng viên {{members.studied}}/{{members.required}} người, "
                   "đạt {{rate:members.studied}}; Cán bộ, công chức, viên chức, người lao động chưa là đảng viên "
                   "{{nonmembers.studied}}/{{nonmembers.required}} người, đạt {{rate:nonmembers.studied}}."))
        if values.get("summer_class.count"):
            add(_block("II.study.summer", "paragraph",
                       "Tổ chức {{count:summer_class.count}} lớp bồi dưỡng chính trị hè cho "
                       "{{summer_class.learners}} học viên."))

    if "propaganda" in sections:
        number += 1
        add(_block("II.propaganda", "heading2", f"{number}. Công tác tuyên truyền"))
        if values.get("propaganda.grassroots.sessions") or values.get("propaganda.grassroots.reach"):
            add(_block("II.propaganda.grassroots", "item",
                       f"- {grassroots} chỉ đạo Ủy ban Mặt trận Tổ quốc và các đoàn thể, đội ngũ báo cáo viên "
                       "tuyên truyền trong các buổi họp bản, sinh hoạt chi hội, chi đoàn; bộ phận Văn hóa - Thông tin "
                       "tuyên truyền trên loa phát thanh. Kết quả được {{propaganda.grassroots.sessions}} buổi/"
                       "{{propaganda.grassroots.reach}} lượt người."))
        if values.get("propaganda.media.items") or values.get("propaganda.media.minutes"):
            add(_block("II.propaganda.media", "item",
                       "- Các cơ quan thông tin, tuyên truyền đưa tin phản ánh các hội nghị học tập, quán triệt; đăng "
                       "tải lên trang thông tin điện tử, mạng xã hội các nghị quyết, kế hoạch thực hiện; tuyên truyền "
                       "trên hệ thống truyền thanh, truyền hình. Kết quả: {{count:propaganda.media.items}} tin bài, "
                       "thời lượng {{propaganda.media.minutes}} phút."))
        for channel, label in CHANNELS:
            if values.get(f"propaganda.{channel}.sessions") or values.get(f"propaganda.{channel}.items"):
                add(_block(f"II.propaganda.{channel}", "item",
                           f"- Tuyên truyền bằng {label}: {{{{count:propaganda.{channel}.items}}}} sản phẩm, "
                           f"{{{{count:propaganda.{channel}.sessions}}}} buổi/"
                           f"{{{{propaganda.{channel}.reach}}}} lượt người."))
        if blocks[-1]["key"] == "II.propaganda":
            add(_block("II.propaganda.none", "item",
                       "- Chưa có số liệu về công tác tuyên truyền trong các báo cáo đã tổng hợp."))

    if "personal_plan" in sections:
        number += 1
        add(_block("II.personal", "heading2", f"{number}. Xây dựng kế hoạch làm theo và thực hiện nêu gương"))
        add(_block("II.personal.plans", "item",
                   "- Đảng viên xây dựng kế hoạch cá nhân {{personal_plan.members.written}}/"
                   "{{personal_plan.members.required}} người, đạt {{rate:personal_plan.members.written}}; người chưa "
                   "là đảng viên {{personal_plan.nonmembers.written}}/{{personal_plan.nonmembers.required}} người, "
                   "đạt {{rate:personal_plan.nonmembers.written}}."))
        add(_block("II.personal.exemplary", "item",
                   "- {{exemplary.cadres}} cán bộ chủ chốt đăng ký {{count:exemplary.commitments}} việc làm nêu gương; "
                   "{{ethics_standard.issued}}/{{ethics_standard.required}} tổ chức ban hành chuẩn mực đạo đức; "
                   "{{count:model.count}} mô hình, điển hình tiêu biểu."))
    if "inspection" in sections:
        number += 1
        add(_block("II.inspection", "heading2", f"{number}. Công tác kiểm tra, giám sát, khen thưởng"))
        add(_block("II.inspection.1", "item",
                   "- Tổ chức {{count:inspection.count}} cuộc kiểm tra, giám sát đối với "
                   "{{count:inspection.organisations}} tổ chức đảng và {{count:inspection.individuals}} cá nhân."))
        add(_block("II.inspection.2", "item",
                   "- Khen thưởng {{count:award.collectives}} tập thể, {{count:award.individuals}} cá nhân có thành "
                   "tích tiêu biểu."))

    # III. Overall assessment.
    add(_block("III", "heading1", "III. ĐÁNH GIÁ CHUNG"))
    add(_block("III.1", "heading2", "1. Ưu điểm"))
    if texts.get("narrative.strengths"):
        for n, para in enumerate(_paragraphs(texts["narrative.strengths"])):
            add(_block(f"III.1.{n}", "paragraph", para))
    else:
        add(_block("III.1.0", "paragraph",
                   f"Bám sát vào sự chỉ đạo, hướng dẫn của cấp trên, {lower_grassroots} đã lãnh đạo, chỉ đạo triển "
                   "khai tổ chức học tập, quán triệt, tuyên truyền với nội dung, hình thức phù hợp, cơ bản đảm bảo mục "
                   "đích, yêu cầu. Tỷ lệ cán bộ, đảng viên, công chức, viên chức, người lao động được học tập, quán "
                   "triệt đạt {{rate:people.studied}}."))
    add(_block("III.2", "heading2", "2. Hạn chế và nguyên nhân"))
    add(_block("III.2.1", "heading3", "2.1. Hạn chế"))
    for n, para in enumerate(_paragraphs(texts.get("narrative.limitations", ""))):
        add(_block(f"III.2.1.{n}", "item", "- " + _strip_dash(para)))
    if values["below_average_units"]:
        add(_block("III.2.1.below", "item",
                   "- Tỷ lệ cán bộ, đảng viên, công chức, viên chức, người lao động được phổ biến, quán triệt, học "
                   f"tập ở một số đơn vị thấp hơn mức trung bình của {level}, đặc biệt {{{{below_average_units}}}}."))
    if values["late_units"]:
        add(_block("III.2.1.late", "item",
                   f"- Chế độ chấp hành báo cáo của một số {some} chưa nghiêm làm ảnh hưởng đến tiến độ, kết quả "
                   f"chung của {level} ({{{{late_units}}}})."))
    add(_block("III.2.2", "heading3", "2.2. Nguyên nhân"))
    causes = _paragraphs(texts.get("narrative.causes", "")) or [
        f"Cấp ủy, người đứng đầu một số {some} chưa thực hiện đầy đủ vai trò, trách nhiệm, chưa quan tâm kiểm "
        "tra, giám sát, đôn đốc việc thực hiện."]
    for n, para in enumerate(causes):
        add(_block(f"III.2.2.{n}", "paragraph", para))

    # IV. Directions; V. Recommendations (when the unit wrote some).
    add(_block("IV", "heading1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ"))
    directions = _paragraphs(texts.get("narrative.directions", ""))
    for n, para in enumerate(directions):
        add(_block(f"IV.{n}", "item", "- " + _strip_dash(para)))
    if values["people.remaining"]:
        add(_block("IV.remaining", "item",
                   f"- Chỉ đạo {subs} tổ chức học tập bổ sung cho {{{{people.remaining}}}} cán bộ, đảng viên, "
                   "công chức, viên chức, người lao động chưa được học tập, quán triệt."))
    add(_block("IV.reporting", "item",
               "- Tiếp tục theo dõi, đôn đốc, kiểm tra việc tổ chức học tập, quán triệt, tuyên truyền và chế độ báo "
               f"cáo của {lower_grassroots}."))
    recommendations = _paragraphs(texts.get("narrative.recommendations", ""))
    if recommendations:
        add(_block("V", "heading1", "V. KIẾN NGHỊ, ĐỀ XUẤT"))
        for n, para in enumerate(recommendations):
            add(_block(f"V.{n}", "item", "- " + _strip_dash(para)))
    return blocks


def _conference_block(key: str, i: int, n: int, row: dict, *, connected: bool) -> dict:
    title = (row.get("title") or _("Hội nghị")).strip().rstrip(".")
    date = _date(row.get("date"))
    when = f" (ngày {format_date_short(date)})" if date else ""
    notes = []
    if row.get("documents"):
        docs = [d.strip() for d in re.split(r";\s*", row["documents"]) if d.strip()]
        notes.append(f"Nội dung quán triệt {format_count(len(docs))} văn bản gồm: " + "; ".join(docs) + ".")
    mark = "[^1]" if notes else ""
    attendance = f"{{{{conference.rows.{n}.attendance}}}}" if row.get("attendance") not in (None, "") else ""
    if connected:
        text = f"({i}) {title}{when}{mark}" + (f" với {attendance} người tham gia." if attendance else ".")
    else:
        fmt = FORMAT_WORDS.get(row.get("format", ""), "")
        points = int(row.get("points") or 0)
        how = f" bằng hình thức {fmt}" if fmt else ""
        where = f" tới {{{{conference.rows.{n}.points}}}} điểm cầu" if points > 1 else ""
        text = f"({i}) {title}{mark}{when}{how}{where}" + (f" với {attendance} đại biểu." if attendance else ".")
    return _block(key, "paragraph", text, notes)


def merge_blocks(old: list[dict], new: list[dict]) -> list[dict]:
    """Refresh: take the newly generated blocks, but keep every block staff edited (by key), in place.

    An edited block whose key is no longer generated stays after the block that preceded it.
    """
    edited = {b["key"]: b for b in old if is_edited(b)}
    merged = []
    new_keys = {b["key"] for b in new}
    for block in new:
        if block["key"] in edited:
            kept = dict(edited[block["key"]])
            kept["generated"] = block["generated"]
            kept["generated_footnotes"] = block["generated_footnotes"]
            merged.append(kept)
        else:
            merged.append(block)
    # Edited blocks that are no longer generated: put them after their old predecessor.
    for n, block in enumerate(old):
        if block["key"] in new_keys or block["key"] not in edited:
            continue
        before = old[n - 1]["key"] if n else None
        keys = [b["key"] for b in merged]
        at = keys.index(before) + 1 if before in keys else len(merged)
        merged.insert(at, block)
    return merged


def is_edited(block: dict) -> bool:
    return block.get("text") != block.get("generated") or block.get("footnotes") != block.get("generated_footnotes")


# -- the document -----------------------------------------------------------------------------------------

LEVELS = {"heading1": 1, "heading2": 2, "heading3": 3}


def _segments(text: str, numbers: dict[int, int]) -> list[dict]:
    segments = []
    pos = 0
    for match in FOOTNOTE.finditer(text):
        if match.start() > pos:
            segments.append({"text": text[pos:match.start()]})
        local = int(match.group(1))
        if local in numbers:
            segments.append({"footnote": numbers[local]})
        pos = match.end()
    if pos < len(text):
        segments.append({"text": text[pos:]})
    return segments


def render_blocks(blocks: list[dict], values: dict) -> tuple[list[dict], list[dict]]:
    """Blocks with placeholders filled and footnotes numbered through the document."""
    out, notes = [], []
    for block in blocks:
        if block.get("key") == "citation":
            continue
        numbers = {}
        for local, note in enumerate(block.get("footnotes", []), start=1):
            if f"[^{local}]" in block.get("text", ""):
                notes.append({"number": len(notes) + 1, "text": fill(note, values)})
                numbers[local] = len(notes)
        text = fill(block.get("text", ""), values)
        segments = _segments(text, numbers)
        out.append({
            "key": block["key"], "kind": block["kind"], "level": LEVELS.get(block["kind"]),
            "text": "".join(s.get("text", "") for s in segments), "segments": segments,
            "footnotes": sorted(numbers.values()),
        })
    return out, notes


def report_document(report) -> dict:
    """The structured content of a report, every figure filled and formatted (see the module docstring)."""
    snapshot = report.snapshot or {}
    values = figures(snapshot) if snapshot else {}
    body = report.issuing_body
    citation_block = next((b for b in report.blocks if b.get("key") == "citation"), None)
    blocks, notes = render_blocks(report.blocks, values)
    suffix = body.code_suffix
    number_line = (f"Số {format_doc_number(report.number, report.kind, suffix)}" if report.number
                   else f"Số      -{report.kind}/{suffix}")
    date = report.date_for_print
    return {
        "status": report.status,
        "is_draft": not report.is_signed,
        "header": {"superior_line": body.superior_line, "own_line": body.own_line, "board_line": body.board_line,
                   "lines": body.header_lines},
        "star": "*",
        "number_line": number_line,
        "motto": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "place_date_line": format_date_line(date, body.place_name) if date else f"{body.place_name}, ngày … tháng … "
                                                                               "năm …",
        "type": KIND_LABELS.get(report.kind, report.kind).upper(),
        "summary": report.summary,
        "citation": fill(citation_block["text"], values) if citation_block else "",
        "blocks": blocks,
        "footnotes": notes,
        "recipients": {"title": "Nơi nhận:", "lines": report.recipient_list},
        "signer": {"authority": report.signer_authority, "title": report.signer_title, "name": report.signer_name},
        "as_of_line": f"Số liệu tính đến {format_datetime(report.as_of)}",
        "tables": report_tables(report),
    }


# -- attached tables (Biểu) --------------------------------------------------------------------------------

def _int(row: dict, code: str) -> int:
    return int(row.get("totals", {}).get(code, 0) or 0)


def _rate_cell(num: int, den: int) -> tuple[str, Decimal | None]:
    value = rate_value(num, den)
    return (format_percent(value) if value is not None else "-"), value


TABLE_SPECS = {
    "study": {
        "title": "KẾT QUẢ HỌC TẬP, QUÁN TRIỆT CÁC VĂN BẢN CỦA ĐẢNG",
        "sections": ("conference", "people"),
        "groups": [
            (None, [("conference.count", "Số hội nghị"), ("conference.attendance", "Lượt người dự"),
                    ("cell_meeting.count", "Buổi sinh hoạt chi bộ")]),
            ("Đảng viên", [("members.studied", "Đã học tập"), ("members.required", "Phải học tập"),
                           ("rate:members.studied:members.required", "Tỷ lệ")]),
            ("Chưa là đảng viên", [("nonmembers.studied", "Đã học tập"), ("nonmembers.required", "Phải học tập"),
                                   ("rate:nonmembers.studied:nonmembers.required", "Tỷ lệ")]),
        ],
    },
    "propaganda": {
        "title": "KẾT QUẢ CÔNG TÁC TUYÊN TRUYỀN",
        "sections": ("propaganda",),
        "groups": [
            ("Loa phát thanh", [("propaganda.loudspeaker.sessions", "Buổi"),
                                ("propaganda.loudspeaker.items", "Tin, bài")]),
            ("Họp bản, sinh hoạt đoàn thể", [("propaganda.mass_meeting.sessions", "Buổi"),
                                            ("propaganda.mass_meeting.reach", "Lượt người")]),
            ("Truyền thanh, truyền hình", [("propaganda.radio_tv.items", "Tin, bài"),
                                          ("propaganda.radio_tv.minutes", "Phút")]),
            ("Trang thông tin điện tử, mạng xã hội", [("sum:propaganda.website.items+propaganda.social.items",
                                                       "Tin, bài")]),
        ],
    },
    "personal_plan": {
        "title": "KẾT QUẢ XÂY DỰNG KẾ HOẠCH LÀM THEO, NÊU GƯƠNG",
        "sections": ("personal_plan",),
        "groups": [
            ("Đảng viên xây dựng kế hoạch", [("personal_plan.members.written", "Đã xây dựng"),
                                            ("personal_plan.members.required", "Phải xây dựng"),
                                            ("rate:personal_plan.members.written:personal_plan.members.required",
                                             "Tỷ lệ")]),
            (None, [("exemplary.cadres", "Cán bộ chủ chốt nêu gương"), ("exemplary.commitments", "Việc cam kết"),
                    ("model.count", "Mô hình tiêu biểu")]),
        ],
    },
}


def _cell(row_or_totals: dict, spec: str) -> tuple[str, int | Decimal | None]:
    if spec.startswith("rate:"):
        _, num, den = spec.split(":")
        return _rate_cell(_int(row_or_totals, num), _int(row_or_totals, den))
    if spec.startswith("sum:"):
        value = sum(_int(row_or_totals, c) for c in spec[4:].split("+"))
    else:
        value = _int(row_or_totals, spec)
    return format_number(value), value


def report_tables(report) -> list[dict]:
    snapshot = report.snapshot or {}
    sections = snapshot.get("sections", [])
    rows = [r for r in snapshot.get("units", [])]
    date = report.date_for_print
    ref = report.reference
    belongs = ("(Kèm theo Báo cáo" + (f" số {ref}" if ref else "")
               + (f", ngày {format_date_short(date)}" if date else "")
               + f" của {report.issuing_body.citation_name})")
    tables = []
    for key, spec in TABLE_SPECS.items():
        if not any(s in sections for s in spec["sections"]):
            continue
        number = f"{len(tables) + 1:02d}"
        top = [{"text": "STT", "rowspan": 2, "colspan": 1}, {"text": "Đơn vị", "rowspan": 2, "colspan": 1}]
        second = []
        columns = [{"key": "stt", "align": "center"}, {"key": "name", "align": "left"}]
        for group, cols in spec["groups"]:
            if group is None:
                for code, label in cols:
                    top.append({"text": label, "rowspan": 2, "colspan": 1})
                    columns.append({"key": code, "align": "right"})
            else:
                top.append({"text": group, "rowspan": 1, "colspan": len(cols)})
                for code, label in cols:
                    second.append({"text": label, "rowspan": 1, "colspan": 1})
                    columns.append({"key": code, "align": "right"})
        if not second:
            for cell in top:
                cell["rowspan"] = 1
        out_rows = []
        stt = 0
        for row in rows:
            name = row["name"]
            if row.get("is_own"):
                label = f"Cấp {level_word(snapshot)} ({name})"
                stt_text = ""
            else:
                stt += 1
                label = name
                stt_text = str(stt)
            note = ""
            if not row.get("included"):
                note = _("Chưa báo cáo") if row.get("status") == "missing" else _("Chưa tiếp nhận")
            elif row.get("unaccepted"):
                label += " (*)"
            cells, vals = [stt_text, label], [stt if stt_text else None, label]
            for code in columns[2:]:
                if row.get("included"):
                    text, value = _cell(row, code["key"])
                else:
                    text, value = "", None
                cells.append(text)
                vals.append(value)
            out_rows.append({"code": row["code"], "cells": cells, "values": vals, "note": note})
        total_cells, total_vals = ["", "Tổng cộng"], [None, "Tổng cộng"]
        for code in columns[2:]:
            text, value = _cell(snapshot, code["key"])
            total_cells.append(text)
            total_vals.append(value)
        notes = []
        if any(r.get("unaccepted") for r in rows):
            notes.append(_("(*) Báo cáo đã gửi, chưa được tiếp nhận, được tính vào tổng hợp."))
        tables.append({
            "number": number, "label": f"Biểu số {number}", "title": spec["title"], "subtitle": belongs,
            "landscape": len(columns) > 7, "header_rows": [top, second] if second else [top], "columns": columns,
            "rows": out_rows, "total_row": {"cells": total_cells, "values": total_vals}, "notes": notes,
        })
    return tables
