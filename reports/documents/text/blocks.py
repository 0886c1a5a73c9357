"""A report's text as blocks: generated part by part (``parts/``, in the order of seed 004), merged with
staff's edits on refresh. The block format is described in ``context.py``.
"""
from __future__ import annotations

from reports.documents.text.context import Context
from reports.documents.text.parts import assessment, citation, comparison, directions, leadership, results, sources
from reports.documents.text.words import KIND_LABELS


def generate_summary(snapshot: dict) -> str:
    plan = snapshot["requested_plan"]
    label = KIND_LABELS.get(plan.get("kind"), plan.get("kind_label", ""))
    return f"kết quả học tập, quán triệt, tuyên truyền các văn bản của Đảng theo {label} số {plan['reference']}"


def generate_blocks(snapshot: dict, *, body_citation: str, sections: list[str] | None = None) -> list[dict]:
    """The report's blocks, in the order and wording of seed 004, with figures as placeholders."""
    ctx = Context.of(snapshot, body_citation=body_citation, sections=sections)
    found = results.blocks(ctx)
    # "So với cùng kỳ" closes "1. Công tác học tập, quán triệt" (its figures), else II.
    at = max((n for n, b in enumerate(found) if b["key"].startswith("II.study")), default=len(found) - 1) + 1
    found[at:at] = comparison.blocks(ctx)
    return [*citation.blocks(ctx), *leadership.blocks(ctx), *sources.blocks(ctx), *found,
            *assessment.blocks(ctx), *directions.blocks(ctx)]


def merge_blocks(old: list[dict], new: list[dict]) -> list[dict]:
    """Refresh: take the newly generated blocks, but keep every block staff edited (by key), in place.

    An edited block whose key is no longer generated stays after the block that preceded it.
    """
    edited = {b["key"]: b for b in old if is_edited(b)}
    merged = []
    new_keys = {b["key"] for b in new}
    for generated in new:
        if generated["key"] in edited:
            kept = dict(edited[generated["key"]])
            kept["generated"] = generated["generated"]
            kept["generated_footnotes"] = generated["generated_footnotes"]
            merged.append(kept)
        else:
            merged.append(generated)
    # Edited blocks that are no longer generated: put them after their old predecessor.
    for n, old_block in enumerate(old):
        if old_block["key"] in new_keys or old_block["key"] not in edited:
            continue
        before = old[n - 1]["key"] if n else None
        keys = [b["key"] for b in merged]
        at = keys.index(before) + 1 if before in keys else len(merged)
        merged.insert(at, old_block)
    return merged


def is_edited(block: dict) -> bool:
    return block.get("text") != block.get("generated") or block.get("footnotes") != block.get("generated_footnotes")


