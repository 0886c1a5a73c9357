"""A plan → `PrintDocument` (a consolidated report's is ``reports.documents.printing``)."""
from __future__ import annotations

import logging
import re

from core.formatting import format_count, format_date_in_text, format_date_line, format_doc_reference
from reports.documents.pdf.document import Block, Closing, Header, PrintDocument

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-").strip() for line in (text or "").splitlines() if line.strip()]



def plan_print(plan) -> PrintDocument:
    """A plan (Kế hoạch / Hướng dẫn / Công văn) in the same layout as a report (seed 003).

    The plan's stored fields give the text: the citation of the plan it relays, the purpose, the
    documents to study, what units report and by when, and the closing of its issuing body.
    A plan carrying its own body text (attribute ``body``: paragraphs, "I." / "1." headings, "- " items)
    prints that instead.
    """
    body = plan.issuing_body
    kind_label = plan.get_kind_display()
    blocks: list[Block] = []
    if plan.relays_id:
        parent = plan.relays
        blocks.append(Block.text("paragraph", (
            f"Thực hiện {format_doc_reference(parent.get_kind_display(), parent.number, parent.kind, parent.issuing_body.code_suffix, parent.issued_on)} "  # noqa: E501
            f"của {parent.issuing_body.citation_name} {parent.title}; {body.citation_name} ban hành "
            f"{kind_label.lower()} như sau:")))
    own_text = getattr(plan, "body", "") or ""
    if own_text.strip():
        blocks.extend(_text_blocks(own_text))
    else:
        blocks.extend(_generated_plan_blocks(plan))
    recipients = tuple(_lines(body.recipients)) or ("Lưu.",)
    return PrintDocument(
        header=Header(superior_line=body.superior_line, own_line=body.own_line, board_line=body.board_line,
                      number_line=f"Số {plan.reference}",
                      place_date_line=format_date_line(plan.issued_on, body.place_name)),
        doc_type=kind_label.upper(),
        summary=plan.title,
        blocks=tuple(blocks),
        closing=Closing(recipients=recipients, authority=body.signer_authority, signer_title=body.signer_title,
                        signer_name=body.signer_name),
        kind="plan",
        title=f"{kind_label} số {plan.reference}",
        author=body.name,
    )


def _text_blocks(text: str) -> list[Block]:
    blocks = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^([IVXLC]+[.-])\s+(.*)$", line)
        if m:
            blocks.append(Block.of("heading1", m.group(2), m.group(1)))
            continue
        m = re.match(r"^(\d+\.\d+\.)\s+(.*)$", line)
        if m:
            blocks.append(Block.of("heading3", m.group(2), m.group(1)))
            continue
        m = re.match(r"^(\d+\.)\s+(.*)$", line)
        if m and len(line) < 200:
            blocks.append(Block.of("heading2", m.group(2), m.group(1)))
            continue
        if line.startswith("- "):
            blocks.append(Block.of("item", line[2:]))
            continue
        blocks.append(Block.of("paragraph", line))
    return blocks


def _generated_plan_blocks(plan) -> list[Block]:
    body = plan.issuing_body
    topic = f" chuyên đề “{plan.topic}”" if plan.topic else ""
    blocks = [
        Block.text("heading1", "MỤC ĐÍCH, YÊU CẦU", "I."),
        Block.text("item", (f"Tổ chức học tập, quán triệt, tuyên truyền{topic} sâu rộng tới cán bộ, đảng viên, "
                              "công chức, viên chức, người lao động và Nhân dân, tạo sự thống nhất trong nhận thức "
                              "và hành động.")),
        Block.text("item", "Việc tổ chức thực hiện phải nghiêm túc, thiết thực, hiệu quả, phù hợp với điều kiện "
                         "thực tiễn của từng cơ quan, đơn vị; tránh hình thức."),
        Block.text("heading1", "NỘI DUNG", "II."),
    ]
    documents = _lines(plan.documents_to_study)
    if documents:
        blocks.append(Block.text("heading2", "Các văn bản học tập, quán triệt", "1."))
        blocks.extend(Block.text("item", d + ("." if i == len(documents) - 1 else ";"))
                      for i, d in enumerate(documents))
    sections = list(plan.sections.all()) if plan.pk else []
    if sections:
        blocks.append(Block.text("heading2", "Nội dung báo cáo kết quả", "2." if documents else "1."))
        blocks.extend(Block.text("item", s.title + ";") for s in sections)
    blocks.append(Block.text("heading1", "TỔ CHỨC THỰC HIỆN", "III."))
    period = (f"từ {format_date_in_text(plan.period_start)} đến {format_date_in_text(plan.period_end)}"
              if plan.period_start and plan.period_end else "")
    blocks.append(Block.text("paragraph", (
        f"Các đơn vị xây dựng kế hoạch, tổ chức thực hiện {period} và báo cáo kết quả về {body.citation_name} "
        f"hoàn thành trước {format_date_in_text(plan.deadline)}.")))
    if documents:
        blocks.append(Block.text("paragraph", (
            f"Kế hoạch gồm {format_count(len(documents), 'văn bản')} cần học tập, quán triệt; {body.citation_name} "
            "theo dõi, đôn đốc, tổng hợp kết quả báo cáo cấp trên theo quy định.")))
    return blocks
