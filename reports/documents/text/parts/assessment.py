"""III. ĐÁNH GIÁ CHUNG: strengths (1.), limitations and causes (2.)."""
from __future__ import annotations

from reports.documents.text.context import Context, block
from reports.documents.text.words import paragraphs, strip_dash


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
                         "được học tập, quán triệt đạt {{rate:people.studied}}."))
    return out


def limitations(ctx: Context) -> list[dict]:
    out = []
    for n, para in enumerate(paragraphs(ctx.texts.get("narrative.limitations", ""))):
        out.append(block(f"III.2.1.{n}", "item", "- " + strip_dash(para)))
    if ctx.values["below_average_units"]:
        out.append(block("III.2.1.below", "item",
                         "- Tỷ lệ cán bộ, đảng viên, công chức, viên chức, người lao động được phổ biến, quán triệt, "
                         f"học tập ở một số đơn vị thấp hơn mức trung bình của {ctx.level}, đặc biệt "
                         "{{below_average_units}}."))
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
    return [
        block("III", "heading1", "III. ĐÁNH GIÁ CHUNG"),
        *strengths(ctx),
        block("III.2", "heading2", "2. Hạn chế và nguyên nhân"),
        block("III.2.1", "heading3", "2.1. Hạn chế"),
        *limitations(ctx),
        block("III.2.2", "heading3", "2.2. Nguyên nhân"),
        *causes(ctx),
    ]
