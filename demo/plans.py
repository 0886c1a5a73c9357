"""Demo plans: seed 004's guidance (132-HD/BTGTU) relayed by Tam Đường, seed 003's plan, and an open one."""
from __future__ import annotations

import datetime as dt

from reports.plans.models import Plan, Section
from units.models import IssuingBody

STUDY_SECTIONS = ["conference", "people", "propaganda", "documents", "narrative"]
ALL_SECTIONS = ["conference", "people", "propaganda", "personal_plan", "inspection", "documents", "narrative"]

PLAN_132_TITLE = (
    "về tổ chức học tập, quán triệt, tuyên truyền, triển khai thực hiện các quy định, chỉ thị, kết luận "
    "của Bộ Chính trị, Ban Bí thư và các văn bản mới của Trung ương, của Tỉnh ủy"
)
PLAN_132_DOCUMENTS = """Chỉ thị số 21-CT/TW của Ban Bí thư
Chỉ thị số 23-CT/TW, ngày 25/5/2023 của Ban Bí thư
Chỉ thị số 24-CT/TW, ngày 13/7/2023 của Bộ Chính trị
Quy định số 113-QĐ/TW, ngày 10/7/2023 của Ban Bí thư
Quy định số 114-QĐ/TW, ngày 11/7/2023 của Bộ Chính trị
Quy định số 116-QĐ/TW, ngày 28/7/2023 của Ban Chấp hành Trung ương Đảng
Quy định số 117-QĐ/TW, ngày 18/8/2023 của Bộ Chính trị
Kết luận số 57-KL/TW của Bộ Chính trị
Kết luận số 61-KL/TW, ngày 17/8/2023 của Ban Bí thư"""


def plan_seed(reference: str, body_code: str, sections: list[str], **fields) -> Plan:
    number, rest = reference.split("-", 1)
    fields.update(kind=rest.split("/")[0], number=int(number))
    # A reference is unique only within its body's register (another district has its own 120-CV/BTGHU).
    plan, _ = Plan.objects.update_or_create(reference=reference, issuing_body=IssuingBody.objects.get(code=body_code),
                                            defaults=fields)
    plan.sections.set(Section.objects.filter(code__in=sections))
    return plan


def seed_plans(*, reorganised: bool = False) -> dict[str, Plan]:
    """The plans of 2023-2024 and the open 2026 plan.

    With `reorganised` (the demo) the open 2026 plan is 168-HD/BTGDVTU of the post-2025 province board,
    made by `demo.reorganisation` after the reorganisation; without (the older test fixtures) it is
    168-HD/BTGTU relayed by Tam Đường as 251-CV/BTGHU, in a tree where no reorganisation happened.
    """
    p132 = plan_seed(
        "132-HD/BTGTU", "lai-chau-btg", STUDY_SECTIONS, issued_on=dt.date(2023, 9, 14), title=PLAN_132_TITLE,
        topic="Các quy định, chỉ thị, kết luận mới của Trung ương và của Tỉnh ủy",
        documents_to_study=PLAN_132_DOCUMENTS, period_start=dt.date(2023, 7, 1), period_end=dt.date(2023, 10, 31),
        deadline=dt.date(2023, 10, 31), scope=Plan.Scope.DIRECT, include_own=False,
    )
    p120 = plan_seed(
        "120-CV/BTGHU", "tam-duong-btg", STUDY_SECTIONS, issued_on=dt.date(2023, 9, 20),
        title="về tổ chức học tập, quán triệt một số quy định, kết luận của Trung ương, CHTĐ, kế hoạch thực hiện "
              "nghị quyết của Tỉnh ủy, Huyện ủy",
        topic=p132.topic, documents_to_study=PLAN_132_DOCUMENTS, period_start=p132.period_start,
        period_end=p132.period_end, deadline=dt.date(2023, 10, 20), scope=Plan.Scope.DIRECT, include_own=True,
        relays=p132,
    )
    p222 = plan_seed(
        "222-KH/TU", "lai-chau-tu", ALL_SECTIONS, issued_on=dt.date(2023, 12, 18),
        title="thực hiện Kết luận số 01-KL/TW của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW về "
              "“Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” năm 2024",
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về phát huy quyền làm chủ của nhân "
              "dân, đẩy mạnh đổi mới sáng tạo, khơi dậy khát vọng xây dựng cuộc sống ấm no, hạnh phúc, đưa Lai "
              "Châu phát triển nhanh và bền vững",
        documents_to_study="Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị\n"
                           "Chuyên đề toàn khóa nhiệm kỳ Đại hội XIII của Đảng\nChuyên đề năm 2024 của Tỉnh ủy",
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31), deadline=dt.date(2024, 12, 15),
        scope=Plan.Scope.DIRECT, include_own=False,
    )
    if reorganised:
        return {p.reference: p for p in (p132, p120, p222)}
    p168 = plan_seed(
        "168-HD/BTGTU", "lai-chau-btg", STUDY_SECTIONS, issued_on=dt.date(2026, 11, 3),
        title="về học tập, quán triệt, tuyên truyền các văn bản mới của Trung ương và của Tỉnh ủy cuối năm 2026",
        topic="Các văn bản mới của Trung ương, của Tỉnh ủy", documents_to_study=PLAN_132_DOCUMENTS,
        period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 12, 31), deadline=dt.date(2026, 12, 20),
        scope=Plan.Scope.DIRECT, include_own=False,
    )
    p251 = plan_seed(
        "251-CV/BTGHU", "tam-duong-btg", STUDY_SECTIONS, issued_on=dt.date(2026, 11, 10),
        title="về tổ chức học tập, quán triệt các văn bản mới của Trung ương và của Tỉnh ủy cuối năm 2026",
        topic=p168.topic, documents_to_study=PLAN_132_DOCUMENTS, period_start=p168.period_start,
        period_end=p168.period_end, deadline=dt.date(2026, 12, 10), scope=Plan.Scope.DIRECT, include_own=True,
        relays=p168,
    )
    return {p.reference: p for p in (p132, p120, p222, p168, p251)}
