"""I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN: the documents issued, cited as footnotes (seed 004)."""
from __future__ import annotations

from core.formatting import format_date_short
from reports.documents.text.context import Context, block
from reports.documents.text.words import doc_kind, paragraphs, parse_date

PLAN_KINDS = ("KH", "CTR", "NQ", "CT", "KL")


def doc_footnote(rows: list[dict]) -> str:
    """"Kế hoạch số 209-KH/HU, ngày 29/8/2023 … . Công văn số …": documents as one footnote."""
    parts = []
    for row in rows:
        title = (row.get("title") or "").strip().rstrip(".")
        number = (row.get("number") or "").strip()
        if number and number.replace(" ", "") not in title.replace(" ", ""):
            date = parse_date(row.get("date"))
            title = f"{number}" + (f", ngày {format_date_short(date)}" if date else "") + (f" {title}" if title else "")
        parts.append(title)
    return ". ".join(p for p in parts if p) + "." if parts else ""


def blocks(ctx: Context) -> list[dict]:
    out = [block("I", "heading1", "I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN")]
    documents = ctx.own_rows.get("documents.rows", [])
    plans_docs = [d for d in documents if doc_kind(d.get("number", "")) in PLAN_KINDS]
    guide_docs = [d for d in documents if d not in plans_docs and (
        (d.get("number") or "").replace(" ", "") == ctx.rolled["reference"] or doc_kind(d.get("number", "")) == "HD")]
    other_docs = [d for d in documents if d not in plans_docs and d not in guide_docs]
    if ctx.texts.get("narrative.leadership"):
        for n, para in enumerate(paragraphs(ctx.texts["narrative.leadership"])):
            out.append(block(f"I.lead.{n}", "paragraph", para))
        return out
    first_notes = [doc_footnote(plans_docs)] if plans_docs else []
    out.append(block("I.lead.0", "paragraph",
                     "Căn cứ các văn bản chỉ đạo của cấp trên về quán triệt, triển khai các chỉ thị, kết luận, quy "
                     f"định của Đảng; {ctx.body_citation} đã chủ động tham mưu xây dựng kế hoạch chỉ đạo, hướng dẫn "
                     f"{ctx.lower_grassroots} tổ chức học tập, quán triệt{'[^1]' if first_notes else ''}.",
                     first_notes))
    notes, marks = [], []
    for docs in (guide_docs, other_docs):
        if docs:
            notes.append(doc_footnote(docs))
            marks.append(f"[^{len(notes)}]")
        else:
            marks.append("")
    out.append(block("I.lead.1", "paragraph",
                     f"Thực hiện {ctx.plan_label} số {ctx.plan['reference']}, {ctx.body_citation} "
                     f"tiếp tục ban hành văn bản hướng dẫn học tập{marks[0]}. Chủ trì, phối hợp tổ chức các hội nghị "
                     f"học tập, quán triệt theo hình thức trực tuyến, trực tiếp{marks[1]} tới cán bộ, đảng viên; "
                     "thường xuyên theo dõi, đôn đốc, giám sát việc tổ chức quán triệt, tuyên truyền và tổng hợp báo "
                     "cáo kết quả đảm bảo thời gian, chất lượng.", notes))
    return out
