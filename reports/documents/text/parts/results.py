"""II. KẾT QUẢ THỰC HIỆN: one function per section of the plan, numbered in the order they appear."""
from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from core.formatting import format_count, format_date_short
from reports.documents.text.context import Context, block, joined
from reports.documents.text.words import FORMAT_WORDS, group_labels, parse_date

CHANNELS = [
    ("banner", "pa nô, băng rôn, khẩu hiệu"),
    ("mobile", "xe thông tin lưu động"),
]


def _conference_block(key: str, i: int, n: int, row: dict, *, connected: bool) -> dict:
    title = (row.get("title") or _("Hội nghị")).strip().rstrip(".")
    date = parse_date(row.get("date"))
    when = f" (ngày {format_date_short(date)})" if date else ""
    notes = []
    if row.get("documents"):
        docs = [d.strip() for d in re.split(r";\s*", row["documents"]) if d.strip()]
        notes.append(f"Nội dung quán triệt {format_count(len(docs))} văn bản gồm: " + "; ".join(docs) + ".")
    mark = "[^1]" if notes else ""
    attendance = f"{{{{conference.rows.{n}.attendance}}}}" if row.get("attendance") not in (None, "") else ""
    if connected:
        text = f"({i}) {title}{when}{mark}" + (f" với {attendance} người tham gia." if attendance else ".")
    else:
        fmt = FORMAT_WORDS.get(row.get("format", ""), "")
        points = int(row.get("points") or 0)
        how = f" bằng hình thức {fmt}" if fmt else ""
        where = f" tới {{{{conference.rows.{n}.points}}}} điểm cầu" if points > 1 else ""
        # The mark never follows a numeral ("tháng 11³" reads as an exponent): after the date then.
        head = f"{title}{when}{mark}" if title[-1:].isdigit() else f"{title}{mark}{when}"
        text = f"({i}) {head}{how}{where}" + (f" với {attendance} đại biểu." if attendance else ".")
    return block(key, "paragraph", text, notes)


def _held(ctx: Context, group: str, where: str = "") -> str:
    """"52 hội nghị tập trung, 156 buổi sinh hoạt chi bộ" of a group of subordinates, without zero clauses."""
    return joined([ctx.clause(f"{{{{count:{group}.conference.count}}}} hội nghị{where}", f"{group}.conference.count"),
                   ctx.clause(f"{{{{count:{group}.cell_meeting.count}}}} buổi sinh hoạt chi bộ",
                              f"{group}.cell_meeting.count")])


def study(ctx: Context, number: int) -> list[dict]:
    """1. Công tác học tập, quán triệt: the unit's own conferences (a), the grassroots (b), the overall result."""
    if "conference" not in ctx.sections and "people" not in ctx.sections:
        return []
    values, level, Level = ctx.values, ctx.level, ctx.Level
    out = [block("II.study", "heading2", f"{number}. Công tác học tập, quán triệt")]
    conferences = ctx.own_rows.get("conference.rows", [])
    if values.get("own.conference.count") or conferences:
        own = joined([ctx.clause("{{count:own.conference.count}} hội nghị", "own.conference.count"),
                      ctx.clause("{{own.conference.attendance}} lượt người tham dự", "own.conference.attendance")],
                     "/")
        out.append(block("II.study.a", "paragraph", f"a) Cấp {level}" + (f": {own}" if own else "")))
        own_conf = [(n, r) for n, r in enumerate(conferences) if r.get("level") == "own"]
        connected = [(n, r) for n, r in enumerate(conferences) if r.get("level") == "connected"]
        if own_conf:
            out.append(block("II.study.a.own", "item",
                             f"- {Level} trực tiếp tổ chức: {{{{count:conferences.own}}}} hội nghị, cụ thể như sau:"))
            for i, (n, row) in enumerate(own_conf, start=1):
                out.append(_conference_block(f"II.study.a.own.{i}", i, n, row, connected=False))
                if row.get("presenters"):
                    out.append(block(f"II.study.a.own.{i}.presenters", "paragraph",
                                     f"Báo cáo viên: đồng chí {row['presenters'].strip().rstrip('.')}."))
        if connected:
            out.append(block("II.study.a.connected", "item",
                             f"- {Level} kết nối {{{{count:conferences.connected}}}} hội nghị học tập trực tuyến do "
                             "cấp trên tổ chức:"))
            for i, (n, row) in enumerate(connected, start=1):
                out.append(_conference_block(f"II.study.a.connected.{i}", i, n, row, connected=True))
        out.append(block("II.study.b", "paragraph", "b) Cấp cơ sở"))
    communes_label, agencies_label = group_labels(ctx.snapshot)
    if values["communes.units"] and values["agencies.units"]:
        held = _held(ctx, "communes", " tập trung")
        if held:
            out.append(block("II.study.b.communes", "item",
                             f"- {communes_label}: ngoài kết nối các hội nghị học tập trực tuyến, tổ chức {held} để "
                             "phổ biến, quán triệt tới cán bộ, đảng viên, công chức, viên chức, người lao động."))
        owner = ctx.snapshot.get("unit", {}).get("kind_name", "") or level
        held = _held(ctx, "agencies")
        if held:
            out.append(block("II.study.b.agencies", "item",
                             f"- {agencies_label} {owner}: tổ chức {held} để phổ biến tới cán bộ, đảng viên, công "
                             "chức, viên chức, người lao động."))
    else:
        held = joined([ctx.clause("{{count:grassroots.conference.count}} hội nghị", "grassroots.conference.count"),
                       ctx.clause("{{count:cell_meeting.count}} buổi sinh hoạt chi bộ", "cell_meeting.count")])
        if held:
            out.append(block("II.study.b.1", "item",
                             f"- {ctx.grassroots} tổ chức {held} để phổ biến, quán triệt tới cán bộ, đảng viên, công "
                             "chức, viên chức, người lao động."))
    out.append(block("II.study.b.self", "paragraph",
                     "Một số cán bộ, đảng viên, công chức, viên chức, người lao động không tham gia học tại các hội "
                     "nghị tập trung, buổi sinh hoạt chi bộ đã được chi bộ gửi tài liệu tự nghiên cứu."))
    done = values["units.submitted"] >= values["units.assigned"] and not values["units.missing"]
    progress = (f"{ctx.subs} trên địa bàn {level} đã hoàn thành theo kế hoạch việc quán triệt, phổ biến các "
                "chỉ thị, nghị quyết tới cán bộ, đảng viên" if done else
                f"{{{{units.submitted}}}}/{{{{units.assigned}}}} {ctx.some} đã báo cáo kết quả quán triệt, phổ "
                "biến các chỉ thị, nghị quyết tới cán bộ, đảng viên")
    activities = joined([ctx.clause("{{count:conference.count}} hội nghị", "conference.count"),
                         ctx.clause("{{count:cell_meeting.count}} buổi sinh hoạt chi bộ", "cell_meeting.count")])
    whole = (f"Toàn {level} tổ chức {activities} cho {{{{people.studied}}}} người" if activities else
             f"Toàn {level} có {{{{people.studied}}}} người được học tập, quán triệt")
    among = joined([
        ctx.clause("Đảng viên {{members.studied}}/{{members.required}} người, đạt {{rate:members.studied}}",
                   "members.required"),
        ctx.clause("Cán bộ, công chức, viên chức, người lao động chưa là đảng viên "
                   "{{nonmembers.studied}}/{{nonmembers.required}} người, đạt {{rate:nonmembers.studied}}",
                   "nonmembers.required"),
    ], "; ")
    result = (f" {whole}, trong đó: {among}." if among else f" {whole}.") if values.get("people.studied") else ""
    out.append(block("II.study.general", "paragraph",
                     f"Kết quả chung: Đến ngày {{{{date:data_until}}}}, {progress}.{result}"))
    if values.get("summer_class.count"):
        learners = ctx.clause(" cho {{summer_class.learners}} học viên", "summer_class.learners")
        out.append(block("II.study.summer", "paragraph",
                         f"Tổ chức {{{{count:summer_class.count}}}} lớp bồi dưỡng chính trị hè{learners}."))
    return out


def propaganda(ctx: Context, number: int) -> list[dict]:
    """2. Công tác tuyên truyền: grassroots sessions, media, other channels."""
    if "propaganda" not in ctx.sections:
        return []
    out = [block("II.propaganda", "heading2", f"{number}. Công tác tuyên truyền")]
    grassroots = joined([ctx.clause("{{propaganda.grassroots.sessions}} buổi", "propaganda.grassroots.sessions"),
                         ctx.clause("{{propaganda.grassroots.reach}} lượt người", "propaganda.grassroots.reach")], "/")
    if grassroots:
        out.append(block("II.propaganda.grassroots", "item",
                         f"- {ctx.grassroots} chỉ đạo Ủy ban Mặt trận Tổ quốc và các đoàn thể, đội ngũ báo cáo viên "
                         "tuyên truyền trong các buổi họp bản, sinh hoạt chi hội, chi đoàn; bộ phận Văn hóa - Thông "
                         f"tin tuyên truyền trên loa phát thanh. Kết quả được {grassroots}."))
    media = joined([ctx.clause("{{count:propaganda.media.items}} tin bài", "propaganda.media.items"),
                    ctx.clause("thời lượng {{propaganda.media.minutes}} phút", "propaganda.media.minutes")])
    if media:
        out.append(block("II.propaganda.media", "item",
                         "- Các cơ quan thông tin, tuyên truyền đưa tin phản ánh các hội nghị học tập, quán triệt; "
                         "đăng tải lên trang thông tin điện tử, mạng xã hội các nghị quyết, kế hoạch thực hiện; tuyên "
                         f"truyền trên hệ thống truyền thanh, truyền hình. Kết quả: {media}."))
    for channel, label in CHANNELS:
        code = f"propaganda.{channel}"
        sessions = joined([ctx.clause(f"{{{{count:{code}.sessions}}}} buổi", f"{code}.sessions"),
                           ctx.clause(f"{{{{{code}.reach}}}} lượt người", f"{code}.reach")], "/")
        done = joined([ctx.clause(f"{{{{count:{code}.items}}}} sản phẩm", f"{code}.items"), sessions])
        if done:
            out.append(block(f"II.propaganda.{channel}", "item", f"- Tuyên truyền bằng {label}: {done}."))
    if len(out) == 1:
        out.append(block("II.propaganda.none", "item",
                         "- Chưa có số liệu về công tác tuyên truyền trong các báo cáo đã tổng hợp."))
    return out


def personal_plan(ctx: Context, number: int) -> list[dict]:
    """3. Xây dựng kế hoạch làm theo và thực hiện nêu gương."""
    if "personal_plan" not in ctx.sections:
        return []
    out = []
    plans = joined([
        ctx.clause("Đảng viên xây dựng kế hoạch cá nhân {{personal_plan.members.written}}/"
                   "{{personal_plan.members.required}} người, đạt {{rate:personal_plan.members.written}}",
                   "personal_plan.members.required"),
        ctx.clause("người chưa là đảng viên {{personal_plan.nonmembers.written}}/"
                   "{{personal_plan.nonmembers.required}} người, đạt {{rate:personal_plan.nonmembers.written}}",
                   "personal_plan.nonmembers.required"),
    ], "; ")
    if plans:
        out.append(block("II.personal.plans", "item", f"- {plans[:1].upper()}{plans[1:]}."))
    commitments = ctx.clause(" đăng ký {{count:exemplary.commitments}} việc làm nêu gương", "exemplary.commitments")
    exemplary = joined([
        ctx.clause(f"{{{{exemplary.cadres}}}} cán bộ chủ chốt{commitments or ' nêu gương'}", "exemplary.cadres"),
        ctx.clause("{{ethics_standard.issued}}/{{ethics_standard.required}} tổ chức ban hành chuẩn mực đạo đức",
                   "ethics_standard.required"),
        ctx.clause("{{count:model.count}} mô hình, điển hình tiêu biểu", "model.count"),
    ], "; ")
    if exemplary:
        out.append(block("II.personal.exemplary", "item", f"- {exemplary}."))
    if not out:
        return []
    return [block("II.personal", "heading2", f"{number}. Xây dựng kế hoạch làm theo và thực hiện nêu gương"), *out]


def inspection(ctx: Context, number: int) -> list[dict]:
    """4. Công tác kiểm tra, giám sát, khen thưởng."""
    if "inspection" not in ctx.sections:
        return []
    out = []
    if ctx.values.get("inspection.count"):
        targets = joined([ctx.clause("{{count:inspection.organisations}} tổ chức đảng", "inspection.organisations"),
                          ctx.clause("{{count:inspection.individuals}} cá nhân", "inspection.individuals")], " và ")
        out.append(block("II.inspection.1", "item", "- Tổ chức {{count:inspection.count}} cuộc kiểm tra, giám sát"
                         + (f" đối với {targets}." if targets else ".")))
    awards = joined([ctx.clause("{{count:award.collectives}} tập thể", "award.collectives"),
                     ctx.clause("{{count:award.individuals}} cá nhân", "award.individuals")])
    if awards:
        out.append(block("II.inspection.2", "item", f"- Khen thưởng {awards} có thành tích tiêu biểu."))
    if not out:
        return []
    return [block("II.inspection", "heading2", f"{number}. Công tác kiểm tra, giám sát, khen thưởng"), *out]


SECTIONS: list[Callable[[Context, int], list[dict]]] = [study, propaganda, personal_plan, inspection]


def blocks(ctx: Context) -> list[dict]:
    out = [block("II", "heading1", "II. KẾT QUẢ THỰC HIỆN")]
    number = 0
    for section in SECTIONS:
        part = section(ctx, number + 1)
        if part:
            number += 1
            out.extend(part)
    return out
