"""The opening citation: "Thực hiện Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của … báo cáo kết quả như sau:"."""
from __future__ import annotations

from reports.documents.text.context import Context, block
from reports.documents.text.words import plan_citation


def blocks(ctx: Context) -> list[dict]:
    title = ctx.plan.get("title", "").strip()
    if title and not title.startswith("về"):
        title = "về " + title
    return [block("citation", "paragraph",
                  f"Thực hiện {plan_citation(ctx.plan)}{(' ' + title) if title else ''}; {ctx.body_citation} báo cáo "
                  "kết quả như sau:")]
