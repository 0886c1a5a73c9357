"""The report text: generated in the order and wording of the seeds (seed 004), with figures bound.

* ``placeholders``: the figures a text names (``{{members.studied}}`` …), filled from the snapshot;
* ``words``: the words for units, documents and plans;
* ``context``: a block, and what every part's wording works from;
* ``parts/``: the wording of each part of the report, one module per part;
* ``blocks``: the parts in order, and the merge of a refresh with staff's edits.

The print document built from these blocks is ``reports.documents.printing``.
"""
from reports.documents.text.blocks import generate_blocks, generate_summary, is_edited, merge_blocks
from reports.documents.text.context import Context, _block, block
from reports.documents.text.placeholders import (
    FOOTNOTE,
    PLACEHOLDER,
    PLACEHOLDER_HELP,
    figures,
    fill,
    unknown_placeholders,
)
from reports.documents.text.words import join_names, level_word, plan_citation, subordinate_words

__all__ = [
    "FOOTNOTE", "PLACEHOLDER", "PLACEHOLDER_HELP", "Context", "_block", "block", "figures", "fill",
    "generate_blocks", "generate_summary", "is_edited", "join_names", "level_word", "merge_blocks", "plan_citation",
    "subordinate_words", "unknown_placeholders",
]
