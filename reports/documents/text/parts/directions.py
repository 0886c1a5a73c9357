"""IV. PHƯƠNG HƯỚNG, NHIỆM VỤ and, when the unit wrote some, V. KIẾN NGHỊ, ĐỀ XUẤT."""
from __future__ import annotations

from reports.documents.text.context import Context, block
from reports.documents.text.words import paragraphs, strip_dash


def blocks(ctx: Context) -> list[dict]:
    out = [block("IV", "heading1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ")]
    for n, para in enumerate(paragraphs(ctx.texts.get("narrative.directions", ""))):
        out.append(block(f"IV.{n}", "item", "- " + strip_dash(para)))
    if ctx.values["people.remaining"]:
        out.append(block("IV.remaining", "item",
                         f"- Chỉ đạo {ctx.subs} tổ chức học tập bổ sung cho {{{{people.remaining}}}} cán bộ, đảng "
                         "viên, công chức, viên chức, người lao động chưa được học tập, quán triệt."))
    out.append(block("IV.reporting", "item",
                     "- Tiếp tục theo dõi, đôn đốc, kiểm tra việc tổ chức học tập, quán triệt, tuyên truyền và chế độ "
                     f"báo cáo của {ctx.lower_grassroots}."))
    recommendations = paragraphs(ctx.texts.get("narrative.recommendations", ""))
    if recommendations:
        out.append(block("V", "heading1", "V. KIẾN NGHỊ, ĐỀ XUẤT"))
        for n, para in enumerate(recommendations):
            out.append(block(f"V.{n}", "item", "- " + strip_dash(para)))
    return out
