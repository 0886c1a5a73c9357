"""What each part of the report's wording works from: a block, and the `Context` of one report's snapshot.

A block is a dict stored on the report (``Report.blocks``)::

    {"key": "II.study.general", "kind": "heading1" | "heading2" | "heading3" | "paragraph" | "item",
     "text": "words and {{placeholders}}, footnote markers [^1]", "footnotes": ["note text", …],
     "generated": <text as generated>, "generated_footnotes": [...]}

Editing changes ``text``/``footnotes``; a refresh regenerates ``generated`` and keeps edited blocks
(``blocks.merge_blocks``).
"""
from __future__ import annotations

from dataclasses import dataclass

from reports.documents.text.placeholders import figures
from reports.documents.text.words import (
    KIND_LABELS,
    capitalised,
    level_word,
    lowered,
    subordinate_words,
)


def block(key: str, kind: str, text: str, footnotes: list[str] | None = None) -> dict:
    return {"key": key, "kind": kind, "text": text, "footnotes": list(footnotes or []),
            "generated": text, "generated_footnotes": list(footnotes or [])}


# The name the tests and older code use.
_block = block


@dataclass(frozen=True)
class Context:
    """What every part's wording needs: the snapshot, its figures and the words for the reporting unit."""

    snapshot: dict
    values: dict
    body_citation: str
    sections: tuple[str, ...]
    level: str  # "huyện"
    subs: str  # "các chi, đảng bộ"
    some: str  # "chi, đảng bộ" (after "một số")
    grassroots: str  # "Các chi, đảng bộ cơ sở"

    @classmethod
    def of(cls, snapshot: dict, *, body_citation: str, sections: list[str] | None = None) -> "Context":
        subs, some, grassroots = subordinate_words(snapshot)
        return cls(snapshot=snapshot, values=figures(snapshot), body_citation=body_citation,
                   sections=tuple(sections if sections is not None else snapshot.get("sections", [])),
                   level=level_word(snapshot), subs=subs, some=some, grassroots=grassroots)

    @property
    def Level(self) -> str:  # noqa: N802 - the capitalised word, as the text writes it at a sentence start
        return capitalised(self.level)

    @property
    def lower_grassroots(self) -> str:
        return lowered(self.grassroots)

    @property
    def texts(self) -> dict:
        return self.snapshot.get("own_texts", {})

    @property
    def own_rows(self) -> dict:
        return self.snapshot.get("own_rows", {})

    @property
    def plan(self) -> dict:
        """The plan the report answers."""
        return self.snapshot["requested_plan"]

    @property
    def rolled(self) -> dict:
        """The plan whose submissions the report rolls up (the relayed plan, or the same)."""
        return self.snapshot["plan"]

    @property
    def plan_label(self) -> str:
        return KIND_LABELS.get(self.plan.get("kind"), self.plan.get("kind_label", ""))

    def has(self, *names: str) -> bool:
        """Any of the figures is there and not zero."""
        return any(self.values.get(n) for n in names)

    def clause(self, text: str, *names: str) -> str:
        """`text` when every figure it needs is there and not zero, else "" (no "0 phút", no "0 buổi")."""
        return text if all(self.values.get(n) for n in names) else ""


def joined(parts, sep: str = ", ") -> str:
    """The clauses that are there, joined."""
    return sep.join(p for p in parts if p)


