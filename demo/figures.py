"""Demo figures for plan 120-CV/BTGHU (relaying 132-HD/BTGTU) so that the district totals are seed 004's.

Totals: 79 hội nghị (district's own 05 included), 294 buổi sinh hoạt chi bộ, đảng viên 2.419/2.468,
người chưa là đảng viên 700/735; xã Khun Há 55/83 = 66,3%; the six units seed 004 names were late.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from demo.hierarchy import TAM_DUONG_AGENCIES, TAM_DUONG_COMMUNES
from reports.plans.models import Plan
from reports.submissions import services
from reports.submissions.models import Submission
from units.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LATE_UNITS = ["phong-noi-vu", "phong-ldtbxh", "ban-ql-rung", "hat-kiem-lam", "quy-dat", "truong-noi-tru"]

COMMUNE_MEMBERS = [260, 150, 120, 140, 110, 105, 162, 115, 125, 118, 95, 90, 210]
COMMUNE_MEMBERS_MISSING = {"binh-lu": 5, "ban-bo": 2, "ban-giang": 1, "ban-hon": 2, "khun-ha": 30, "na-tam": 2,
                           "son-binh": 2, "thi-tran": 4}
AGENCY_MEMBERS_HEAD = {"cong-an": 95, "quan-su": 48, "trung-tam-y-te": 62}
AGENCY_MEMBERS_MISSING = {"cong-an": 1}


def _members(suffixes_communes, suffixes_agencies) -> dict[str, tuple[int, int]]:
    figures = {}
    for suffix, required in zip(suffixes_communes, COMMUNE_MEMBERS, strict=True):
        figures[suffix] = (required - COMMUNE_MEMBERS_MISSING.get(suffix, 0), required)
    others = [s for s in suffixes_agencies if s not in AGENCY_MEMBERS_HEAD]
    for suffix, required in AGENCY_MEMBERS_HEAD.items():
        figures[suffix] = (required - AGENCY_MEMBERS_MISSING.get(suffix, 0), required)
    remaining = 2468 - sum(r for _, r in figures.values())
    base, extra = divmod(remaining, len(others))
    for n, suffix in enumerate(others):
        required = base + (1 if n < extra else 0)
        figures[suffix] = (required, required)
    return figures


def _nonmembers(suffixes_communes, suffixes_agencies) -> dict[str, tuple[int, int]]:
    figures = {"khun-ha": (55, 83)}
    others = [s for s in suffixes_communes if s != "khun-ha"]
    missing_one = set(others[:7])
    for suffix in others:
        figures[suffix] = (25 - (1 if suffix in missing_one else 0), 25)
    remaining = 735 - sum(r for _, r in figures.values())
    base, extra = divmod(remaining, len(suffixes_agencies))
    for n, suffix in enumerate(suffixes_agencies):
        required = base + (1 if n < extra else 0)
        figures[suffix] = (required, required)
    return figures


def unit_figures() -> dict[str, dict[str, int]]:
    """Per-unit values (by code suffix) for the 51 units of Tam Đường."""
    communes = [s for s, *_ in TAM_DUONG_COMMUNES]
    agencies = [s for s, *_ in TAM_DUONG_AGENCIES]
    members = _members(communes, agencies)
    nonmembers = _nonmembers(communes, agencies)
    figures: dict[str, dict[str, int]] = {}
    for n, suffix in enumerate(communes):
        cell_meetings = 12
        figures[suffix] = {
            "conference.count": 4,
            "conference.attendance": 4 * 60,
            "cell_meeting.count": cell_meetings,
            "cell_meeting.attendance": cell_meetings * 18,
            "propaganda.mass_meeting.sessions": 8,
            "propaganda.mass_meeting.reach": 693 + (1 if n == 0 else 0),
            "propaganda.loudspeaker.sessions": 3,
        }
    for n, suffix in enumerate(agencies):
        figures[suffix] = {
            "conference.count": 1 if n < 22 else 0,
            "conference.attendance": 25 if n < 22 else 0,
            "cell_meeting.count": 4 if n < 24 else 3,
            # Every member attends each meeting of the cell: attendances never fall below people reached.
            "cell_meeting.attendance": (4 if n < 24 else 3) * members[suffix][0],
        }
    figures["trung-tam-vhtt"].update({"propaganda.radio_tv.items": 10, "propaganda.radio_tv.minutes": 30,
                                      "propaganda.website.items": 5})
    for suffix in communes + agencies:
        figures[suffix]["members.studied"], figures[suffix]["members.required"] = members[suffix]
        figures[suffix]["nonmembers.studied"], figures[suffix]["nonmembers.required"] = nonmembers[suffix]
    return figures


DISTRICT_CONFERENCES = [
    {"date": "2023-07-28", "title": "Hội nghị báo cáo viên cấp huyện tháng 7", "level": "own", "format": "hybrid",
     "points": 13, "presenters": "Trưởng Ban, Phó ban Tuyên giáo Huyện ủy, Trưởng Công an huyện",
     "documents": "Chỉ thị số 21-CT/TW; Chỉ thị số 23-CT/TW; Chỉ thị số 18-CT/TU; Chỉ thị số 19-CT/TU; "
                  "Chỉ thị số 20-CT/TU; Chương trình hành động số 34-CTr/TU", "attendance": 520},
    {"date": "2023-08-30", "title": "Hội nghị báo cáo viên cấp huyện tháng 8", "level": "own", "format": "hybrid",
     "points": 13, "presenters": "Trưởng Ban, Phó ban Tuyên giáo Huyện ủy",
     "documents": "Kết luận số 57-KL/TW; Chương trình hành động số 30-CTr/TU; Kế hoạch số 195-KH/HU",
     "attendance": 498},
    {"date": "2023-09-21", "title": "Hội nghị báo cáo viên cấp huyện tháng 9", "level": "own", "format": "hybrid",
     "points": 13, "presenters": "Bí thư Huyện ủy, Trưởng Ban Tổ chức Huyện ủy, Phó Chủ tịch UBND huyện",
     "documents": "Chỉ thị số 24-CT/TW; Quy định số 116-QĐ/TW; Kế hoạch số 182-KH/TU; Nghị quyết số 04-NQ/HU; "
                  "Kế hoạch số 200-KH/HU", "attendance": 459},
    {"date": "2023-09-21", "title": "Hội nghị trực tuyến từ tỉnh tới huyện, các xã, thị trấn", "level": "connected",
     "format": "online", "points": 14, "presenters": "Báo cáo viên cấp tỉnh",
     "documents": "Quy định số 113-QĐ/TW; Quy định số 114-QĐ/TW; Quy định số 117-QĐ/TW; Kết luận số 54-KL/TW",
     "attendance": 498},
    {"date": "2023-10-11", "title": "Hội nghị trực tuyến toàn quốc quán triệt Kết luận số 57-KL/TW",
     "level": "connected", "format": "online", "points": 1, "presenters": "Báo cáo viên Trung ương",
     "documents": "Kết luận số 57-KL/TW của Bộ Chính trị", "attendance": 65},
]
DISTRICT_DOCUMENTS = [
    {"number": "209-KH/HU", "date": "2023-08-29",
     "title": "Kế hoạch số 209-KH/HU, ngày 29/8/2023 của Ban Thường vụ Huyện ủy về tổ chức học tập, quán triệt, "
              "tuyên truyền, triển khai thực hiện các chỉ thị, quy định của Trung ương; Chương trình hành động, "
              "kế hoạch thực hiện của Tỉnh ủy, Huyện ủy"},
    {"number": "120-CV/BTGHU", "date": "2023-09-20",
     "title": "Công văn số 120-CV/BTGHU, ngày 20/9/2023 của Ban Tuyên giáo Huyện ủy về tổ chức học tập, quán triệt "
              "một số quy định, kết luận của Trung ương, CHTĐ, kế hoạch thực hiện nghị quyết của Tỉnh ủy, Huyện ủy"},
    {"number": "1037-CV/HU", "date": "2023-09-18",
     "title": "Công văn số 1037-CV/HU, ngày 18/9/2023 về mời dự Hội nghị nghiên cứu, học tập, quán triệt các quy "
              "định, chỉ thị, kết luận của Trung ương và các văn bản của Tỉnh ủy"},
    {"number": "1058-CV/HU", "date": "2023-10-09",
     "title": "Công văn số 1058-CV/HU, ngày 09/10/2023 về mời dự Hội nghị trực tuyến toàn quốc nghiên cứu, triển "
              "khai Kết luận số 57-KL/TW của Bộ Chính trị về công tác thông tin đối ngoại"},
    {"number": "119-CV/BTGHU", "date": "2023-09-18",
     "title": "Công văn số 119-CV/BTGHU ngày 18/9/2023 về mời dự Hội nghị báo cáo viên tháng 9/2023"},
]
DISTRICT_NARRATIVE = {
    "narrative.limitations": (
        "Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện chưa quan tâm đổi mới cách thức chỉ "
        "đạo, triển khai tuyên truyền các nghị quyết, chỉ thị, kết luận của Đảng tới đoàn viên, hội viên ở cơ sở."),
    "narrative.causes": (
        "Cấp ủy, người đứng đầu một số chi, đảng bộ chưa thực hiện đầy đủ vai trò, trách nhiệm, chưa quan tâm "
        "kiểm tra, giám sát, đôn đốc việc thực hiện.\nMột số cán bộ được giao nhiệm vụ chưa chủ động tham mưu cho "
        "cấp ủy trong công tác triển khai thực hiện; năng lực, trình độ chuyên môn có phần hạn chế; thiếu tinh thần "
        "trách nhiệm trong việc tổng hợp, báo cáo kết quả quán triệt, phổ biến, tuyên truyền về huyện."),
}


# Documents three communes entered as issued ("Văn bản đã ban hành"): cited in one footnote of the district's
# report, unit by unit; Sơn Bình also listed the district's own plan, which the report cites once, as the district's.
COMMUNE_DOCUMENTS = {
    "binh-lu": [
        {"number": "112-CV/ĐU", "date": "2023-09-25", "title": "về tổ chức hội nghị học tập, quán triệt cho cán "
                                                               "bộ, công chức, viên chức"},
        {"number": "86-KH/ĐU", "date": "2023-09-05", "title": "về học tập, quán triệt, tuyên truyền các chỉ thị, "
                                                              "quy định, kết luận của Trung ương"},
    ],
    "na-tam": [
        {"number": "54-KH/ĐU", "date": "2023-09-08", "title": "về tổ chức học tập, quán triệt các văn bản của "
                                                              "Đảng năm 2023"},
    ],
    "son-binh": [
        {"number": "209 - KH/HU", "date": "2023-08-29", "title": "của Ban Thường vụ Huyện ủy"},
        {"number": "61-KH/ĐU", "date": "2023-09-12", "title": "về phân loại đối tượng để tổ chức hội nghị quán "
                                                              "triệt"},
    ],
}


def _local(day: int, hour: int = 9, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2023, month, day, hour, minute, tzinfo=TZ)


def seed_figures(plans: dict[str, Plan]) -> int:
    """Fill and accept the 51 submissions and the district's own for plan 120-CV/BTGHU (once)."""
    plan = plans["120-CV/BTGHU"]
    if Submission.objects.filter(plan=plan).exists():
        return 0
    User = get_user_model()
    reviewer = User.objects.get(username="tam-duong.reviewer")
    district_entry = User.objects.get(username="tam-duong.entry")
    entry_users = {
        u.staff.unit.code: u for u in User.objects.filter(username__endswith=".entry").select_related("staff__unit")
    }
    units = {u.code: u for u in Unit.objects.filter(code__startswith="tam-duong")}
    figures = unit_figures()
    for n, (suffix, values) in enumerate(figures.items()):
        unit = units[f"tam-duong-{suffix}"]
        user = entry_users.get(unit.code, district_entry)
        submission = services.submission_get_or_create(plan=plan, unit=unit, user=user)
        services.submission_save_values(submission=submission, user=user, values=values, source="form:demo",
                                        rows={"documents.rows": COMMUNE_DOCUMENTS[suffix]}
                                        if suffix in COMMUNE_DOCUMENTS else None)
        if suffix in LATE_UNITS:
            submitted = _local(23 + LATE_UNITS.index(suffix) // 2, 8 + LATE_UNITS.index(suffix))
        else:
            submitted = _local(10 + n % 11, 8 + n % 8, (n * 7) % 60)
        services.submission_submit(submission=submission, user=user, at=submitted)
        services.submission_accept(submission=submission, user=reviewer, at=_local(25, 16, 30))
    own = services.submission_get_or_create(plan=plan, unit=units["tam-duong"], user=reviewer)
    services.submission_save_values(
        submission=own, user=reviewer, source="form:demo",
        values={"conference.count": 5, "conference.attendance": 2040, **DISTRICT_NARRATIVE},
        rows={"conference.rows": DISTRICT_CONFERENCES, "documents.rows": DISTRICT_DOCUMENTS},
    )
    services.submission_submit(submission=own, user=reviewer, at=_local(25, 10))
    services.submission_accept(submission=own, user=reviewer, at=_local(25, 16, 30))
    if "251-CV/BTGHU" in plans:  # the open plan of a demo without the 2025 reorganisation
        _seed_open_plan(plans, units, entry_users, district_entry)
    return len(figures) + 1


def _seed_open_plan(plans, units, entry_users, district_entry) -> None:
    """The current plan 251-CV/BTGHU: a few drafts and one submitted, the rest still to come."""
    plan = plans["251-CV/BTGHU"]
    khun_ha = units["tam-duong-khun-ha"]
    draft = services.submission_get_or_create(plan=plan, unit=khun_ha, user=entry_users["tam-duong-khun-ha"])
    services.submission_save_values(submission=draft, user=entry_users["tam-duong-khun-ha"], source="form:demo",
                                    values={"conference.count": 2, "conference.attendance": 130})
    binh_lu = units["tam-duong-binh-lu"]
    done = services.submission_get_or_create(plan=plan, unit=binh_lu, user=entry_users["tam-duong-binh-lu"])
    services.submission_save_values(
        submission=done, user=entry_users["tam-duong-binh-lu"], source="form:demo",
        values={"conference.count": 3, "conference.attendance": 210, "cell_meeting.count": 10,
                "cell_meeting.attendance": 180, "members.studied": 250, "members.required": 262,
                "nonmembers.studied": 24, "nonmembers.required": 25},
    )
    services.submission_submit(submission=done, user=entry_users["tam-duong-binh-lu"],
                               at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=TZ))
