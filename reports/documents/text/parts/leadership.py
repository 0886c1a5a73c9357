"""I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN: the documents issued, cited as footnotes (``citations``)."""
from __future__ import annotations

from reports.documents.text.citations import footnote, own_groups, units_below_footnote
from reports.documents.text.context import Context, block
from reports.documents.text.words import paragraphs


def blocks(ctx: Context) -> list[dict]:
    out = [block("I", "heading1", "I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN")]
    if ctx.texts.get("narrative.leadership"):
        for n, para in enumerate(paragraphs(ctx.texts["narrative.leadership"])):
            out.append(block(f"I.lead.{n}", "paragraph", para))
    else:
        plans_docs, guide_docs, other_docs = own_groups(ctx.snapshot)
        first_notes = [footnote(plans_docs)] if plans_docs else []
        out.append(block("I.lead.0", "paragraph",
                         "Căn cứ các văn bản chỉ đạo của cấp trên về quán triệt, triển khai các chỉ thị, kết luận, "
                         f"quy định của Đảng; {ctx.body_citation} đã chủ động tham mưu xây dựng kế hoạch chỉ đạo, "
                         f"hướng dẫn {ctx.lower_grassroots} tổ chức học tập, quán triệt"
                         f"{'[^1]' if first_notes else ''}.",
                         first_notes))
        notes, marks = [], []
        for docs in (guide_docs, other_docs):
            if docs:
                notes.append(footnote(docs))
                marks.append(f"[^{len(notes)}]")
            else:
                marks.append("")
        out.append(block("I.lead.1", "paragraph",
                         f"Thực hiện {ctx.plan_label} số {ctx.plan['reference']}, {ctx.body_citation} "
                         f"tiếp tục ban hành văn bản hướng dẫn học tập{marks[0]}. Chủ trì, phối hợp tổ chức các hội "
                         f"nghị học tập, quán triệt theo hình thức trực tuyến, trực tiếp{marks[1]} tới cán bộ, đảng "
                         "viên; thường xuyên theo dõi, đôn đốc, giám sát việc tổ chức quán triệt, tuyên truyền và tổng "
                         "hợp báo cáo kết quả đảm bảo thời gian, chất lượng.", notes))
    below = units_below_footnote(ctx.snapshot)
    if below:
        units = ctx.values["unit_documents.units"]
        who = ctx.grassroots if units >= max(ctx.values.get("units.included", 0), 2) else (
            "{{count:unit_documents.units}} " + ctx.some if units > 1 else ctx.snapshot["unit_documents"][0]["name"])
        out.append(block("I.units", "paragraph",
                         f"{who} đã ban hành {{{{unit_documents.kinds}}}} triển khai thực hiện[^1].", [below]))
    return out
