"""The 01/7/2025 reorganisation of Lai Châu, recorded through the real services, and the open 2026 plan.

What the demo records (the grouping of the communes is illustrative, not the official list):
- the districts Tam Đường and Than Uyên are dissolved; their communes are merged (13 → 5 in Tam Đường,
  3 → 2 in Than Uyên) and placed directly under the province with the post-2025 kind "Đảng ủy xã";
  the party cells of the former district agencies go to the commune at the former district seat
  ("Đảng ủy xã Tam Đường"); the district police committee of Than Uyên is dissolved;
- the provincial agency committees "Đảng bộ các cơ quan Đảng tỉnh" and "Đảng bộ Ủy ban nhân dân tỉnh"
  are set up under the province;
- the province's Ban Tuyên giáo merges with its Ban Dân vận: its issuing body continues as
  "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu" (suffix BTGDVTU); the standing committee's body gets
  recipients without districts; the district bodies end.
The 2023 plans, submissions and reports are untouched: they keep the tree, names and bodies of 2023.

Then the open 2026 plan 168-HD/BTGDVTU, from the new board straight to the communes and the agency
committees, with a draft, two submissions waiting and two accepted; the other units have not reported.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from demo.plans import PLAN_132_DOCUMENTS, STUDY_SECTIONS, plan_seed
from reports.plans.models import Plan
from reports.submissions import services as submissions
from units.models import IssuingBody, Unit, UnitKind
from units.services import (
    NewUnit,
    issuing_body_end,
    issuing_body_succeed,
    unit_create,
    unit_dissolve,
    unit_move,
    unit_rename,
    units_merge,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REORGANISED_ON = dt.date(2025, 7, 1)
NOTE = "Sắp xếp tổ chức bộ máy, không tổ chức cấp huyện từ 01/7/2025."

# (target code, merged codes, new code and name when the target is a new unit)
TAM_DUONG_MERGES = [
    ("tam-duong-binh-lu", ["tam-duong-nung-nang"], None),
    ("tam-duong-khun-ha", ["tam-duong-ban-bo"], None),
    ("tam-duong-ta-leng", ["tam-duong-giang-ma", "tam-duong-ho-thau"], None),
    ("tam-duong-son-binh", ["tam-duong-ban-giang", "tam-duong-ban-hon"], None),
    ("lai-chau-xa-tam-duong", ["tam-duong-thi-tran", "tam-duong-then-sin", "tam-duong-na-tam"],
     ("Đảng ủy xã Tam Đường", "xã Tam Đường")),
]
THAN_UYEN_MERGES = [
    ("than-uyen-muong-than", ["than-uyen-phuc-than"], None),
    ("lai-chau-xa-than-uyen", ["than-uyen-thi-tran"], ("Đảng ủy xã Than Uyên", "xã Than Uyên")),
]
AGENCY_COMMITTEES = [
    ("lai-chau-co-quan-dang", "Đảng bộ các cơ quan Đảng tỉnh Lai Châu", "dang-bo-co-quan-dang"),
    ("lai-chau-ubnd", "Đảng bộ Ủy ban nhân dân tỉnh Lai Châu", "dang-bo-ubnd"),
]
BTGDV_RECIPIENTS = ("- Ban Tuyên giáo và Dân vận Trung ương,\n- Thường trực Tỉnh ủy (b/c),\n"
                    "- Các đảng ủy xã, phường, đặc khu,\n- Các đảng bộ trực thuộc Tỉnh ủy,\n- Lưu.")
TU_RECIPIENTS = ("- Ban Tuyên giáo và Dân vận Trung ương,\n- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy,\n"
                 "- Các đảng ủy xã, phường, đặc khu, đảng bộ trực thuộc,\n- Lưu VPTU.")


def _get(code: str) -> Unit:
    return Unit.objects.select_related("kind").get(code=code)


def _to_province(code: str, lai_chau: Unit, commune_kind: UnitKind, user) -> None:
    unit = _get(code)
    if unit.get_parent().pk != lai_chau.pk:
        unit_move(unit=unit, new_parent=lai_chau, on=REORGANISED_ON, user=user, note=NOTE)
        unit = _get(code)
    if unit.kind_id != commune_kind.pk:
        unit_rename(unit=unit, name=unit.name, kind=commune_kind, on=REORGANISED_ON, user=user, note=NOTE)


def _merge(target: str, sources: list[str], new: tuple[str, str] | None, *, lai_chau: Unit, kind: UnitKind,
           user) -> Unit:
    if new is None:
        units_merge(sources=[_get(c) for c in sources], target=_get(target), on=REORGANISED_ON, user=user,
                    note=NOTE)
        _to_province(target, lai_chau, kind, user)
    else:
        name, short = new
        units_merge(sources=[_get(c) for c in sources], new_unit=NewUnit(code=target, name=name, kind=kind,
                                                                          short_name=short),
                    new_parent=lai_chau, on=REORGANISED_ON, user=user, note=NOTE)
    return _get(target)


def seed_reorganisation() -> bool:
    """Record the 01/7/2025 reorganisation once (False when it is already there)."""
    if _get("tam-duong").dissolved_on is not None:
        return False
    user = get_user_model().objects.get(username="admin")
    commune = UnitKind.objects.get(code="dang-uy-xa-moi")
    for target, sources, new in TAM_DUONG_MERGES:
        _merge(target, sources, new, lai_chau=_get("lai-chau"), kind=commune, user=user)
    unit_dissolve(unit=_get("tam-duong"), on=REORGANISED_ON, user=user, move_children_to=_get("lai-chau-xa-tam-duong"),
                  note=NOTE + " Các chi bộ cơ quan cấp huyện chuyển về Đảng ủy xã Tam Đường.")
    for target, sources, new in THAN_UYEN_MERGES:
        _merge(target, sources, new, lai_chau=_get("lai-chau"), kind=commune, user=user)
    unit_dissolve(unit=_get("than-uyen-cong-an"), on=REORGANISED_ON, user=user, note=NOTE)
    unit_dissolve(unit=_get("than-uyen"), on=REORGANISED_ON, user=user, note=NOTE)
    for code, name, kind in AGENCY_COMMITTEES:
        unit_create(code=code, name=name, kind=UnitKind.objects.get(code=kind), parent=_get("lai-chau"),
                    valid_from=REORGANISED_ON, user=user, note=NOTE)

    board = IssuingBody.objects.get(code="lai-chau-btg")
    issuing_body_succeed(
        body=board, on=REORGANISED_ON, code="lai-chau-btgdv", user=user,
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu", citation_name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        board_line="BAN TUYÊN GIÁO VÀ DÂN VẬN", code_suffix="BTGDVTU", recipients=BTGDV_RECIPIENTS)
    issuing_body_succeed(body=IssuingBody.objects.get(code="lai-chau-tu"), on=REORGANISED_ON, code="lai-chau-tu-2025",
                         user=user, recipients=TU_RECIPIENTS)
    for code in ("tam-duong-hu", "tam-duong-btg", "than-uyen-btg"):
        issuing_body_end(body=IssuingBody.objects.get(code=code), on=REORGANISED_ON, user=user)
    return True


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=TZ)


# (unit code, values, submitted on day/hour or None for a draft, accepted)
OPEN_2026 = [
    ("tam-duong-khun-ha", {"conference.count": 2, "conference.attendance": 130}, None, False),
    ("tam-duong-binh-lu", {"conference.count": 3, "conference.attendance": 210, "cell_meeting.count": 14,
                           "cell_meeting.attendance": 260, "members.studied": 318, "members.required": 331,
                           "nonmembers.studied": 41, "nonmembers.required": 45}, (20, 15), False),
    ("lai-chau-xa-tam-duong", {"conference.count": 4, "conference.attendance": 520, "cell_meeting.count": 46,
                               "cell_meeting.attendance": 940, "members.studied": 1012,
                               "members.required": 1040, "nonmembers.studied": 236, "nonmembers.required": 250},
     (18, 9), True),
    ("tam-duong-ta-leng", {"conference.count": 2, "conference.attendance": 190, "cell_meeting.count": 12,
                           "cell_meeting.attendance": 205, "members.studied": 236, "members.required": 250,
                           "nonmembers.studied": 44, "nonmembers.required": 50}, (19, 10), True),
    ("lai-chau-co-quan-dang", {"conference.count": 1, "conference.attendance": 160, "cell_meeting.count": 9,
                               "cell_meeting.attendance": 150, "members.studied": 152,
                               "members.required": 158}, (24, 14), False),
]


def seed_open_plan_2026() -> Plan:
    """The open plan 168-HD/BTGDVTU with a draft, submissions waiting and accepted ones (once)."""
    plan = plan_seed(
        "168-HD/BTGDVTU", "lai-chau-btgdv", STUDY_SECTIONS, issued_on=dt.date(2026, 11, 3),
        title="về học tập, quán triệt, tuyên truyền các văn bản mới của Trung ương và của Tỉnh ủy cuối năm 2026",
        topic="Các văn bản mới của Trung ương, của Tỉnh ủy", documents_to_study=PLAN_132_DOCUMENTS,
        period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 12, 31), deadline=dt.date(2026, 12, 20),
        scope=Plan.Scope.DIRECT, include_own=False,
    )
    if plan.submissions.exists():
        return plan
    User = get_user_model()
    reviewer = User.objects.get(username="lai-chau.reviewer")
    entry = {u.staff.unit.code: u
             for u in User.objects.filter(username__endswith=".entry").select_related("staff__unit")}
    for code, values, submitted, accept in OPEN_2026:
        unit = _get(code)
        user = entry.get(code, reviewer)
        sub = submissions.submission_get_or_create(plan=plan, unit=unit, user=user)
        submissions.submission_save_values(submission=sub, user=user, values=values, source="form:demo")
        if submitted:
            submissions.submission_submit(submission=sub, user=user, at=_at(*submitted))
            if accept:
                submissions.submission_accept(submission=sub, user=reviewer, at=_at(submitted[0] + 1, 16))
    return plan
