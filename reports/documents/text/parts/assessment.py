"""III. ĐÁNH GIÁ CHUNG: strengths (1.), limitations and causes (2.)."""
from __future__ import annotations

from reports.documents.text.context import Context, block
from reports.documents.text.words import BELOW_AVERAGE_LISTED, RATE_WORDS, capitalised, paragraphs, strip_dash


def strengths(ctx: Context) -> list[dict]:
    out = [block("III.1", "heading2", "1. Ưu điểm")]
    if ctx.texts.get("narrative.strengths"):
        for n, para in enumerate(paragraphs(ctx.texts["narrative.strengths"])):
            out.append(block(f"III.1.{n}", "paragraph", para))
    else:
        out.append(block("III.1.0", "paragraph",
                         f"Bám sát vào sự chỉ đạo, hướng dẫn của cấp trên, {ctx.lower_grassroots} đã lãnh đạo, chỉ đạo "
                         "triển khai tổ chức học tập, quán triệt, tuyên truyền với nội dung, hình thức phù hợp, cơ bản "
                         "đảm bảo mục đích, yêu cầu. Tỷ lệ cán bộ, đảng viên, công chức, viên chức, người lao động "
                         "được học tập, quán triệt đạt {{rate:people.studied}}."
                         if ctx.values.get("people.required") else
                         f"Bám sát vào sự chỉ đạo, hướng dẫn của cấp trên, {ctx.lower_grassroots} đã lãnh đạo, chỉ đạo "
                         "triển khai tổ chức học tập, quán triệt, tuyên truyền với nội dung, hình thức phù hợp, cơ bản "
                         "đảm bảo mục đích, yêu cầu."))
    return out


def limitations(ctx: Context) -> list[dict]:
    out = []
    for n, para in enumerate(paragraphs(ctx.texts.get("narrative.limitations", ""))):
        out.append(block(f"III.2.1.{n}", "item", "- " + strip_dash(para)))
    for num in ctx.snapshot.get("denominators", {}):
        count = ctx.values.get(f"below_average.{num}.count", 0)
        if not count:
            continue
        words = capitalised(RATE_WORDS.get(num, f"tỷ lệ {num}"))
        if count == 1:
            text = (f"- {words} của {{{{below_average.{num}}}}} thấp hơn mức chung của {ctx.level} "
                    f"({{{{rate:{num}}}}}).")
        else:
            lowest = ", thấp nhất là" if count > BELOW_AVERAGE_LISTED else ":"
            text = (f"- {words} ở một số đơn vị thấp hơn mức chung của {ctx.level} ({{{{rate:{num}}}}}){lowest} "
                    f"{{{{below_average.{num}}}}}.")
        out.append(block(f"III.2.1.below.{num}", "item", text))
    if ctx.values["late_units"]:
        out.append(block("III.2.1.late", "item",
                         f"- Chế độ chấp hành báo cáo của một số {ctx.some} chưa nghiêm làm ảnh hưởng đến tiến độ, "
                         f"kết quả chung của {ctx.level} ({{{{late_units}}}})."))
    return out


def causes(ctx: Context) -> list[dict]:
    texts = paragraphs(ctx.texts.get("narrative.causes", "")) or [
        f"Cấp ủy, người đứng đầu một số {ctx.some} chưa thực hiện đầy đủ vai trò, trách nhiệm, chưa quan tâm kiểm "
        "tra, giám sát, đôn đốc việc thực hiện."]
    return [block(f"III.2.2.{n}", "paragraph", para) for n, para in enumerate(texts)]


def blocks(ctx: Context) -> list[dict]:
    """III.; "2.1. Hạn chế" only with something under it, and "2." only with limitations or written causes."""
    found = limitations(ctx)
    out = [block("III", "heading1", "III. ĐÁNH GIÁ CHUNG"), *strengths(ctx)]
    if found:
        out += [block("III.2", "heading2", "2. Hạn chế và nguyên nhân"), block("III.2.1", "heading3", "2.1. Hạn chế"),
                *found, block("III.2.2", "heading3", "2.2. Nguyên nhân"), *causes(ctx)]
    elif ctx.texts.get("narrative.causes"):
        out += [block("III.2", "heading2", "2. Hạn chế và nguyên nhân"), *causes(ctx)]
    return out
