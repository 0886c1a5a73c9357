"""Pure functions of the report text: placeholders, merging on refresh, joining names."""
from __future__ import annotations

from decimal import Decimal

from reports.documents import text


def _block(key, generated, edited=None):
    block = text._block(key, "paragraph", generated)
    if edited is not None:
        block["text"] = edited
    return block


def test_fill_formats_every_kind_of_placeholder():
    values = {"conference.count": 5, "members.studied": 2419, "rate.members.studied": Decimal("98.0"),
              "late_units": "Chi bộ A, B"}
    assert text.fill("{{count:conference.count}} hội nghị, {{members.studied}} người, đạt "
                     "{{rate:members.studied}} ({{late_units}})", values) == "05 hội nghị, 2.419 người, đạt 98,0% " \
                                                                           "(Chi bộ A, B)"
    assert text.fill("{{khong.co}}", values) == "{{khong.co}}"  # an unknown name stays visible
    assert text.unknown_placeholders("{{khong.co}} {{rate:conference.count}} {{count:conference.count}}", values) \
        == ["{{khong.co}}", "{{rate:conference.count}}"]


def test_merge_keeps_edited_blocks_and_takes_new_wording_elsewhere():
    old = [_block("a", "A {{x}}"), _block("b", "B old", edited="B edited {{x}}"), _block("gone", "G", edited="Mine"),
           _block("c", "C")]
    new = [_block("a", "A2 {{x}}"), _block("b", "B new"), _block("c", "C2"), _block("d", "D")]
    merged = text.merge_blocks(old, new)
    assert [b["key"] for b in merged] == ["a", "b", "gone", "c", "d"]
    assert [b["text"] for b in merged] == ["A2 {{x}}", "B edited {{x}}", "Mine", "C2", "D"]
    assert merged[1]["generated"] == "B new" and text.is_edited(merged[1])


def test_join_names_writes_a_shared_leading_word_once():
    assert text.join_names(["Chi bộ Phòng Nội vụ", "Chi bộ Hạt Kiểm lâm"]) == "Chi bộ Phòng Nội vụ, Hạt Kiểm lâm"
    assert text.join_names(["Chi bộ A", "Đảng ủy xã B"]) == "Chi bộ A, Đảng ủy xã B"
    assert text.join_names([]) == ""
