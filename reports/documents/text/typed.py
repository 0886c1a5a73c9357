"""Numbers typed into the report text instead of bound figures (issue 18.1): found, matched, confirmed.

A bound figure is a placeholder (``{{count:conference.count}}``) filled from the snapshot each time the
text is shown, so it is never stale. A number staff typed over it ("Tổ chức 01 lớp … cho 42 học viên") is
plain text: it goes stale when more units are accepted and contradicts the tables. Before a report is sent
for approval and before it is signed, every such number must be bound (replaced by the placeholder of the
figure it stands for) or confirmed with a reason (a number that is not a figure: "03 đồng chí báo cáo
viên"). A confirmation records the figure the number was matched with and that figure's value; when a
refresh changes that value, the number is flagged again.

Only numbers staff typed count: those in a block's text that its generated wording does not have (dates,
document numbers, years and enumerations are not figures and are left alone). Pure functions: the
block dicts, the figure values (`placeholders.figures`) and the indicator labels come in.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.formatting import format_number, format_percent
from reports.documents.text.placeholders import FOOTNOTE, PLACEHOLDER, SUM_PAIRS, fill

# A number as the seeds write them: 2.419 · 79 · 05 · 98,0% · 1.130. Not part of a word, a date
# (29/8/2023) or a document number (209-KH/HU).
NUMBER = re.compile(r"(?<![\w/.,\-])(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?(?P<pct>\s?%)?(?![\w/\-]|[.,]\d)")
# Words after which a number is not a figure: dates, document numbers, articles, terms.
NOT_FIGURE_BEFORE = ("năm", "tháng", "ngày", "số", "khóa", "khoá", "kỳ", "lần", "thứ", "điều", "khoản", "điểm",
                     "chương", "mục", "đợt", "quý", "giai đoạn", "nhiệm kỳ", "đại hội", "biểu", "phụ lục")
# What the text calls the figures that have no catalogue label of their own.
EXTRA_LABELS = {
    "people.studied": "người đã học tập cán bộ đảng viên",
    "people.required": "người phải học tập cán bộ đảng viên",
    "people.remaining": "người chưa được học tập",
    "propaganda.grassroots.sessions": "buổi tuyên truyền loa họp bản",
    "propaganda.grassroots.reach": "lượt người tuyên truyền loa họp bản",
    "propaganda.media.items": "tin bài",
    "propaganda.media.minutes": "phút thời lượng",
    "conferences.own": "hội nghị do cấp mình trực tiếp tổ chức",
    "conferences.connected": "hội nghị trực tuyến của cấp trên được kết nối",
    "units.assigned": "đơn vị phải báo cáo",
    "units.submitted": "đơn vị đã báo cáo",
    "units.on_time": "đơn vị đúng hạn",
    "units.included": "đơn vị tổng hợp",
    "units.late": "đơn vị chậm",
    "units.missing": "đơn vị chưa báo cáo",
}
PREFIX_WORDS = {"own": "cấp mình", "grassroots": "cơ sở", "communes": "xã", "agencies": "cơ quan",
                "earlier": "cùng kỳ", "change": "tăng, giảm so với cùng kỳ"}


@dataclass
class TypedNumber:
    """A number typed in a block, the figure it most likely stands for, and whether it is resolved."""

    block: str  # block key
    index: int  # n-th typed number of the block (what "bind" replaces)
    text: str  # as typed: "42", "93,4%"
    value: int | Decimal
    context: str  # the words around it
    placeholder: str = ""  # "{{summer_class.learners}}", or "" when nothing matches
    figure_label: str = ""
    figure_value: str = ""  # the figure's current value, formatted
    confirmation: dict | None = None  # the recorded confirmation that still holds
    stale: dict | None = None  # a confirmation whose figure changed since: {"old", "new"}
    start: int = field(default=0, repr=False)
    end: int = field(default=0, repr=False)

    @property
    def resolved(self) -> bool:
        return self.confirmation is not None


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) > 1]


def _value(match: re.Match) -> int | Decimal | None:
    whole = match["int"].replace(".", "")
    try:
        if match["dec"] is not None or match["pct"]:
            return Decimal(f"{whole}.{match['dec'] or 0}")
        return int(whole)
    except (InvalidOperation, ValueError):
        return None


def _is_not_figure(text: str, match: re.Match) -> bool:
    before = text[:match.start()].rstrip().lower()
    if any(before.endswith(word) for word in NOT_FIGURE_BEFORE):
        return True
    # Enumerations: "(1) Hội nghị …", "1. Kết quả", "1.1. Hạn chế".
    head = text[:match.start()].strip()
    if not head or head in ("(", "-"):
        after = text[match.end():match.end() + 2]
        if after.startswith((")", ".")):
            return True
    return False


def _candidates(text: str) -> list[re.Match]:
    """The numbers of a text, placeholders and footnote marks taken out (kept in place as spaces)."""
    blanked = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    blanked = FOOTNOTE.sub(lambda m: " " * len(m.group(0)), blanked)
    return [m for m in NUMBER.finditer(blanked) if not _is_not_figure(blanked, m) and _value(m) is not None]


def figure_labels(values: dict, labels: dict[str, str]) -> dict[str, str]:
    """{figure name: words that describe it} for every numeric figure a placeholder may name."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or ".rows." in name:
            continue
        base, prefix = name, ""
        if name.startswith("rate."):
            base = name[5:]
        head = base.split(".", 1)[0]
        if head in PREFIX_WORDS and base.split(".", 1)[1:] and base.split(".", 1)[1] in labels:
            prefix, base = PREFIX_WORDS[head], base.split(".", 1)[1]
        label = labels.get(base) or EXTRA_LABELS.get(base, "")
        if not label and base in SUM_PAIRS:
            label = " ".join(labels.get(p, "") for p in SUM_PAIRS[base])
        if not label:
            continue
        if name.startswith("rate."):
            label = "tỷ lệ " + label
        out[name] = f"{label} ({prefix})" if prefix else label
    return out


def _placeholder(name: str, typed: str, generated: str = "") -> str:
    """The placeholder for `name`, in the format the generated wording uses for it, else as typed."""
    base = name[5:] if name.startswith("rate.") else name
    for match in PLACEHOLDER.finditer(generated):
        if match["name"] == base and (match["fmt"] == "rate") == name.startswith("rate."):
            return match.group(0)
    if name.startswith("rate."):
        return "{{rate:%s}}" % name[5:]
    if typed.startswith("0") or (typed.isdigit() and int(typed) < 10):
        return "{{count:%s}}" % name
    return "{{%s}}" % name


def _formatted(name: str, value) -> str:
    if isinstance(value, Decimal) or name.startswith("rate."):
        return format_percent(value) if value is not None else "-"
    return format_number(value)


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def _clause_before(text: str, start: int) -> str:
    head = text[max(0, start - 80):start]
    return re.split(r"[;:.]\s", head)[-1]


def _clause_after(text: str, end: int) -> str:
    tail = text[end:end + 60]
    return re.split(r"[;:,.()]|\d", tail)[0]


def best_figure(*, value, before: str, after: str, generated: str, values: dict,
                described: dict[str, str]) -> str | None:
    """The figure name a typed number most likely stands for.

    The words of its clause (the noun after a count: "42 học viên"; the subject before a rate: "Đảng viên
    … đạt 97,5%"), a figure named just before it, the figures the block's generated wording names, and an
    equal current value all count.
    """
    after_words = _words(PLACEHOLDER.sub(" ", after))[:4]
    before_words = _words(PLACEHOLDER.sub(" ", before))[-8:]
    named_before = {m["name"] for m in PLACEHOLDER.finditer(before)}
    is_rate = isinstance(value, Decimal)
    best, best_score = None, 0.0
    for name, label in described.items():
        if name.startswith("rate.") != is_rate:
            continue
        label_words = _words(label)
        words, pairs = set(label_words), _bigrams(label_words)
        # A count names its noun after it ("42 học viên"), a rate its subject before it ("Đảng viên … đạt 97,5%").
        after_weight, before_weight = (1.0, 1.0) if is_rate else (2.0, 0.25)
        score = (after_weight * (len(set(after_words) & words) + 3 * len(_bigrams(after_words) & pairs))
                 + before_weight * (len(set(before_words) & words) + 3 * len(_bigrams(before_words) & pairs)))
        score /= 1 + 0.5 * len(words) ** 0.5
        if values.get(name) is not None and values.get(name) == value:
            score += 1.5
        if name in generated:
            score += 0.5
        if (name[5:] if is_rate else name) in named_before:
            score += 2
        if name.split(".", 1)[0] in PREFIX_WORDS or name.startswith(("rate.own.", "rate.grassroots.")):
            score -= 0.5
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 0.75 else None


def _typed_matches(block: dict) -> list[re.Match]:
    """The numbers of a block's text that its generated wording does not have (in order)."""
    generated = Counter(m.group(0).strip() for m in _candidates(block.get("generated", "")))
    typed = []
    for match in _candidates(block.get("text", "")):
        if generated[match.group(0).strip()] > 0:
            generated[match.group(0).strip()] -= 1  # the generated wording has it: not typed
            continue
        typed.append(match)
    return typed


def typed_numbers(blocks: list[dict], values: dict, labels: dict[str, str]) -> list[TypedNumber]:
    """Every number staff typed in the blocks, with its likely figure and its confirmation, if still valid."""
    described = figure_labels(values, labels)
    found: list[TypedNumber] = []
    for block in blocks:
        if block.get("text") == block.get("generated"):
            continue
        text = block.get("text", "")
        for index, match in enumerate(_typed_matches(block)):
            typed = match.group(0).strip()
            value = _value(match)
            context = re.sub(r"\s+", " ", PLACEHOLDER.sub("…", text[max(0, match.start() - 40):match.end() + 40]))
            generated_text = block.get("generated", "")
            name = best_figure(value=value, before=_clause_before(text, match.start()),
                               after=_clause_after(text, match.end()), generated=generated_text,
                               values=values, described=described)
            item = TypedNumber(block=block["key"], index=index, text=typed, value=value, context=context.strip(),
                               start=match.start(), end=match.end())
            if name is not None:
                item.placeholder = _placeholder(name, typed, generated_text)
                item.figure_label = described[name]
                item.figure_value = _formatted(name, values.get(name))
            for confirmation in block.get("confirmed_numbers", []):
                if confirmation.get("number") != typed:
                    continue
                if confirmation.get("placeholder") and confirmation.get("figure_value") != item.figure_value:
                    item.stale = {"old": confirmation.get("figure_value"), "new": item.figure_value,
                                  "label": item.figure_label}
                    continue
                item.confirmation = confirmation
                item.stale = None
                break
            found.append(item)
    return found


def bind(block: dict, index: int, placeholder: str) -> str:
    """The block's text with its `index`-th typed number replaced by `placeholder` (the figure, bound)."""
    typed = _typed_matches(block)
    if not 0 <= index < len(typed):
        raise IndexError(index)
    match, text = typed[index], block.get("text", "")
    return text[:match.start()] + placeholder + text[match.end():]


# Names a placeholder may use that are not numbers of the catalogue, as the editor labels them.
TEXT_LABELS = {
    "late_units": "các đơn vị báo cáo chậm, chưa báo cáo", "late_only_units": "các đơn vị báo cáo chậm",
    "missing_units": "các đơn vị chưa báo cáo", "below_average_units": "các đơn vị có tỷ lệ thấp hơn mức chung",
    "data_until": "ngày của số liệu mới nhất", "as_of": "thời điểm lấy số liệu",
}


def editor_segments(text: str, values: dict, described: dict[str, str]) -> list[dict]:
    """A block's text for the editor: plain text, and each bound figure (or footnote mark) as a protected element.

    [{"text": "Toàn huyện tổ chức "}, {"placeholder": "{{count:conference.count}}", "value": "79",
      "label": "Số hội nghị học tập, quán triệt"}, {"text": " hội nghị"}, {"footnote": "[^1]"}, …]
    """
    segments: list[dict] = []
    pos = 0
    marks = sorted([*PLACEHOLDER.finditer(text), *FOOTNOTE.finditer(text)], key=lambda m: m.start())
    for match in marks:
        if match.start() < pos:
            continue
        if match.start() > pos:
            segments.append({"text": text[pos:match.start()]})
        token = match.group(0)
        if token.startswith("[^"):
            segments.append({"footnote": token, "number": match.group(1)})
        else:
            name = match["name"]
            key = f"rate.{name}" if match["fmt"] == "rate" else name
            label = described.get(key) or TEXT_LABELS.get(name) or TEXT_LABELS.get(key) or name
            if ".rows." in name:
                label = "số liệu của hội nghị thứ %s trong danh sách" % (int(name.split(".")[2]) + 1)
            segments.append({"placeholder": token, "value": fill(token, values),
                             "label": label[:1].upper() + label[1:], "known": key in values})
        pos = match.end()
    if pos < len(text):
        segments.append({"text": text[pos:]})
    return segments
