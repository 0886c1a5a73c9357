"""The words the report text uses for units, documents and plans (no figures here).

The words for a unit kind ("huyện", "xã", "các chi, đảng bộ" …) are data of the kind (`UnitKind.words()`,
stored in the snapshot); the seeds decide them (seed 004 for a district, seed 000 for a province).
"""
from __future__ import annotations

import datetime as dt
import re

from core.formatting import LOCAL_TZ, format_date_short
from units.models import UnitKind
from units.selectors import collective_words

FORMAT_WORDS = {"in_person": "trực tiếp", "online": "trực tuyến", "hybrid": "trực tiếp kết hợp trực tuyến"}
KIND_LABELS = {"BC": "Báo cáo", "KH": "Kế hoạch", "CV": "Công văn", "HD": "Hướng dẫn"}

# How the text names a rate, by its numerator's code (the catalogue's rated indicators).
RATE_WORDS = {
    "members.studied": "tỷ lệ đảng viên được học tập, quán triệt",
    "nonmembers.studied": "tỷ lệ cán bộ, công chức, viên chức, người lao động chưa là đảng viên được học tập, "
                          "quán triệt",
    "personal_plan.members.written": "tỷ lệ đảng viên xây dựng kế hoạch cá nhân",
    "personal_plan.nonmembers.written": "tỷ lệ người chưa là đảng viên xây dựng kế hoạch cá nhân",
    "ethics_standard.issued": "tỷ lệ tổ chức ban hành chuẩn mực đạo đức",
}
BELOW_AVERAGE_LISTED = 5  # a below-average list names at most this many units, the lowest first

DEFAULT_SUBORDINATES = ("các chi, đảng bộ", "chi, đảng bộ", "Các chi, đảng bộ cơ sở")


def parse_date(value) -> dt.date | None:
    """A snapshot's date or ISO date-time (local day), or None."""
    if not value:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if moment.tzinfo is not None:
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
    return collective_words(_subordinate_kinds(snapshot)) or DEFAULT_SUBORDINATES


def group_labels(snapshot: dict) -> tuple[str, str]:
    """Labels of the two groups the subordinates break down into: commune-level units (xã, phường,
    thị trấn, đặc khu) and the others (agency cells and committees), from their kinds."""
    kinds = _subordinate_kinds(snapshot)
    territorial = _distinct(k.get("group_label") for k in kinds if k.get("is_territorial"))
    others = _distinct(k.get("group_label") for k in kinds if not k.get("is_territorial"))
    return "; ".join(territorial), " và ".join(others)


def territorial_codes(snapshot: dict) -> set[str]:
    return {code for code, k in kinds_of(snapshot).items() if k.get("is_territorial")}


def doc_kind(number: str) -> str:
    """"KH" of "209-KH/HU"."""
    match = re.match(r"\s*\d+\s*-\s*([^/\s]+)", number or "")
    return match.group(1).upper() if match else ""


def plan_citation(plan: dict) -> str:
    """"Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của Ban Tuyên giáo Tỉnh ủy"."""
    issued = parse_date(plan.get("issued_on"))
    label = KIND_LABELS.get(plan.get("kind"), plan.get("kind_label", ""))
    return (f"{label} số {plan['reference']}"
            + (f", ngày {format_date_short(issued)}" if issued else "")
            + f" của {plan.get('issuing_body_citation', '')}")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def strip_dash(text: str) -> str:
    return text[1:].strip() if text.startswith("-") else text


def capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def lowered(phrase: str) -> str:
    return phrase[:1].lower() + phrase[1:]
