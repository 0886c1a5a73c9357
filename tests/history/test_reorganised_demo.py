"""The demo after the 01/7/2025 reorganisation: every derived view of a 2023 plan keeps the 2023 tree, and the
2026 plan goes from the province board straight to the communes and agency committees."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from reports.documents import services as documents
from reports.plans.models import Plan
from reports.plans.selectors import (
    issuing_bodies_for_user,
    plan_assigned_units,
    plan_recipients,
    plans_assigning_unit,
)
from reports.rollup.rules import rollup
from reports.submissions.selectors import status_board
from tests.demo_fixtures import module_demo
from units.models import IssuingBody, Unit
from units.transfer import export_rows

pytestmark = pytest.mark.django_db
SEED_004 = {"conference.count": 79, "cell_meeting.count": 294, "members.studied": 2419, "members.required": 2468,
            "nonmembers.studied": 700, "nonmembers.required": 735}
SEED_004_LATE = ["Chi bộ Phòng Nội vụ", "Chi bộ Phòng Lao động – Thương binh và Xã hội",
                 "Chi bộ Ban Quản lý Rừng phòng hộ", "Chi bộ Hạt Kiểm lâm", "Chi bộ Trung tâm Phát triển quỹ đất",
                 "Chi bộ Trường PTDT Nội trú huyện"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_demo(django_db_blocker, reorganised=True) as plans:
        yield plans


def unit(code: str) -> Unit:
    return Unit.objects.select_related("kind").get(code=code)


def plan(reference: str) -> Plan:
    return Plan.objects.select_related("issuing_body__unit").get(reference=reference)


def user(username: str):
    return get_user_model().objects.get(username=username)


def test_the_reorganisation_is_in_the_demo(demo):
    assert unit("tam-duong").dissolved_on == dt.date(2025, 7, 1)
    assert unit("tam-duong-khun-ha").get_parent().code == "lai-chau"
    assert unit("tam-duong-ban-bo").successor.code == "tam-duong-khun-ha"
    assert not Unit.objects.active().filter(kind__code="huyen-uy", path__startswith=unit("lai-chau").path).exists()


def test_2023_district_rollup_keeps_seed_004_after_the_reorganisation(demo):
    result = rollup(plan=plan("132-HD/BTGTU"), unit=unit("tam-duong"))
    assert {k: result.totals[k] for k in SEED_004} == SEED_004
    assert len(result.subordinates) == 51
    assert [r.name for r in result.late] == SEED_004_LATE and result.missing == []
    # Khun Há as it was in 2023 (a commune of the district), below the district's rate
    assert "tam-duong-khun-ha" in {b.code for b in result.below_average}


def test_2023_province_rollup_lists_the_2023_districts(demo):
    result = rollup(plan=plan("132-HD/BTGTU"), unit=unit("lai-chau"))
    assert [r.code for r in result.subordinates] == ["tam-duong", "than-uyen"]


def test_refreshing_the_2023_report_gives_the_same_figures_and_late_list(demo):
    report = documents.report_get_or_create(plan=plan("132-HD/BTGTU"), unit=unit("tam-duong"),
                                            user=user("tam-duong.reviewer"))
    refreshed = documents.report_refresh(report=report, user=user("tam-duong.reviewer")).report
    assert {k: refreshed.snapshot["totals"][k] for k in SEED_004} == SEED_004
    assert len(refreshed.snapshot["late"]) == 6 and refreshed.snapshot["counts"]["assigned"] == 51


def test_recipients_and_status_board_of_2023_plans_use_the_2023_tree(demo):
    assert [u.code for u in plan_assigned_units(plan("132-HD/BTGTU"))] == ["tam-duong", "than-uyen"]
    board = status_board(plan=plan("120-CV/BTGHU"))
    assert len(board.rows) == 52 and board.summary.total == 51
    assert board.summary.by_status.get("not_started", 0) == 0  # no commune shown as "Chưa báo cáo"
    names = {row.unit.code: row.unit.name for row in board.rows}
    assert names["tam-duong-thi-tran"] == "Đảng ủy thị trấn Tam Đường"


def test_the_2026_plan_goes_straight_to_communes_and_agency_committees(demo):
    p168 = plan("168-HD/BTGDVTU")
    assert p168.issuing_body.code_suffix == "BTGDVTU" and p168.issuing_body.unit.code == "lai-chau"
    recipients = plan_recipients(p168)
    codes = [u.code for u in recipients]
    assert "tam-duong" not in codes and "than-uyen" not in codes
    assert {"tam-duong-khun-ha", "lai-chau-xa-tam-duong", "lai-chau-co-quan-dang", "lai-chau-ubnd"} <= set(codes)
    assert all(u.dissolved_on is None for u in recipients)
    result = rollup(plan=p168, unit=unit("lai-chau"), include_submitted=True)
    statuses = {r.code: r.status for r in result.subordinates}
    assert statuses["tam-duong-khun-ha"] == "draft" and statuses["lai-chau-ubnd"] == "missing"
    assert statuses["lai-chau-xa-tam-duong"] == "accepted"


def test_the_2026_province_text_speaks_of_a_province_without_districts(demo):
    # with the submitted figures, so that an agency committee is in (only communes are accepted yet)
    report = documents.report_get_or_create(plan=plan("168-HD/BTGDVTU"), unit=unit("lai-chau"),
                                            user=user("lai-chau.reviewer"), include_submitted=True)
    body = " ".join(b["text"] for b in report.blocks)
    assert "Toàn tỉnh tổ chức" in body
    assert "các đảng ủy xã, phường, đặc khu và các đảng bộ trực thuộc" in body
    # the breakdown by kind, written for a province too
    assert "- Các đảng ủy xã, phường, đặc khu: ngoài kết nối" in body
    assert "- Các đảng bộ trực thuộc Tỉnh ủy: tổ chức" in body
    assert "huyện" not in body.lower()
    assert "huyện" not in report.recipients.lower()


def test_the_board_keeps_its_old_name_on_old_plans(demo):
    old = plan("132-HD/BTGTU").issuing_body
    assert (old.code_suffix, old.name) == ("BTGTU", "Ban Tuyên giáo Tỉnh ủy Lai Châu")
    assert old.valid_to == dt.date(2025, 7, 1) and old.successor.code == "lai-chau-btgdv"
    # a reviewer issues new plans only under the body in force today
    bodies = {b.code for b in issuing_bodies_for_user(user=user("lai-chau.reviewer"))}
    assert bodies == {"lai-chau-btgdv", "lai-chau-tu-2025"}
    assert IssuingBody.objects.get(code="lai-chau-btgdv").board_line == "BAN TUYÊN GIÁO VÀ DÂN VẬN"


def test_export_of_the_tree_as_of_a_date(demo):
    rows = export_rows(root=unit("lai-chau"), on=dt.date(2023, 10, 30))
    under = [r for r in rows if r["parent"] == "tam-duong"]
    assert len(under) == 51
    khun_ha = next(r for r in rows if r["code"] == "tam-duong-khun-ha")
    assert (khun_ha["parent"], khun_ha["kind"]) == ("tam-duong", "dang-uy-xa")
    now = export_rows(root=unit("lai-chau"), on=dt.date(2026, 11, 28))
    assert not [r for r in now if r["kind"] == "huyen-uy"]
    khun_ha = next(r for r in now if r["code"] == "tam-duong-khun-ha")
    assert (khun_ha["parent"], khun_ha["kind"], khun_ha["valid_from"]) == ("lai-chau", "dang-uy-xa-moi", "2025-07-01")
    assert not [r for r in now if r["code"] == "tam-duong-ban-bo"]  # merged away before that day


def test_plans_a_unit_answers_follow_the_tree_of_each_plan(demo):
    """Khun Há, under the province since 01/7/2025, answered its district's 2023 plan, never the province's."""
    refs = lambda code: [p.reference for p in plans_assigning_unit(unit(code))]  # noqa: E731
    assert refs("tam-duong-khun-ha") == ["120-CV/BTGHU", "168-HD/BTGDVTU"]
    assert refs("tam-duong-phong-noi-vu") == ["120-CV/BTGHU"]  # now under the new commune, which got no plan
    assert refs("tam-duong-ban-bo") == ["120-CV/BTGHU"]  # merged away in 2025
    assert refs("lai-chau-xa-tam-duong") == ["168-HD/BTGDVTU"]


def test_a_dissolved_board_cannot_issue_and_an_ended_body_points_to_its_successor(demo):
    from django.core.exceptions import ValidationError

    from reports.plans.models import Section
    from reports.plans.services import plan_create

    fields = dict(kind="CV", number=300, issued_on=dt.date(2026, 11, 10), title="về một việc",
                  period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 12, 31),
                  deadline=dt.date(2026, 12, 10), sections=Section.objects.filter(code="conference"))
    with pytest.raises(ValidationError, match="Huyện ủy Tam Đường.*kết thúc hoạt động từ ngày 01/7/2025"):
        plan_create(user=user("admin"), body=IssuingBody.objects.get(code="tam-duong-btg"), **fields)
    with pytest.raises(ValidationError, match="hết hiệu lực từ ngày 01/7/2025.*Ban Tuyên giáo và Dân vận.*BTGDVTU"):
        plan_create(user=user("admin"), body=IssuingBody.objects.get(code="lai-chau-btg"), **fields)
    assert not Plan.objects.filter(number=300).exists()
    # the same board, back-dated to when it existed, still may (history is appended, not forbidden)
    fields["issued_on"] = dt.date(2024, 3, 1)
    assert plan_create(user=user("admin"), body=IssuingBody.objects.get(code="lai-chau-btg"), **fields).reference \
        == "300-CV/BTGTU"


def test_dissolved_units_and_their_staff_cannot_accept_or_reopen(demo):
    from django.core.exceptions import ValidationError

    from reports.submissions import services as subs
    from reports.submissions.models import Submission

    waiting = Submission.objects.get(plan__reference="168-HD/BTGDVTU", unit__code="tam-duong-binh-lu")
    with pytest.raises(ValidationError, match="Huyện ủy Tam Đường.*không thể tiếp nhận báo cáo"):
        subs.submission_accept(submission=waiting, user=user("tam-duong.reviewer"))
    merged = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-ban-bo")
    with pytest.raises(ValidationError, match="Đảng ủy xã Bản Bo.*Đơn vị kế thừa: Đảng ủy xã Khun Há"):
        subs.submission_reopen(submission=merged, user=user("lai-chau.reviewer"), reason="sửa số liệu")
    merged.refresh_from_db()
    assert merged.status == Submission.Status.ACCEPTED
    # the province board, alive, accepts
    assert subs.submission_accept(submission=waiting, user=user("lai-chau.reviewer")).status == "accepted"


def test_header_lines_break_only_at_sensible_places():
    from core.formatting import NBSP, header_line

    assert header_line("BAN TUYÊN GIÁO VÀ DÂN VẬN").split(" ") == [f"BAN{NBSP}TUYÊN{NBSP}GIÁO", f"VÀ{NBSP}DÂN{NBSP}VẬN"]
    assert header_line("ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH").split(" ")[1].startswith("VÀ")
    assert " " not in header_line("TỈNH ỦY LAI CHÂU")
    # a part too long for the column keeps its spaces rather than overflowing
    assert header_line("ĐẢNG BỘ CÁC CƠ QUAN ĐẢNG VÀ ỦY BAN NHÂN DÂN TỈNH LAI CHÂU").count(" ") > 1


def test_reading_follows_the_tree_of_each_plan_and_lineage(demo):
    from reports.submissions.models import Submission

    def readable(username, plan_reference):
        return set(Submission.objects.restrict(user(username), "view").filter(plan__reference=plan_reference)
                   .values_list("unit__code", flat=True))

    # the district board keeps reading all 52 of its 2023 submissions (41 units moved or merged since)
    assert len(readable("tam-duong.reviewer", "120-CV/BTGHU")) == 52
    # ... but nothing of 2026: those units are no longer below it
    assert readable("tam-duong.reviewer", "168-HD/BTGDVTU") == set()
    # the merged commune reads its own and its predecessor's 2023 submissions, not a neighbour's
    assert readable("tam-duong-khun-ha.entry", "120-CV/BTGHU") >= {"tam-duong-khun-ha", "tam-duong-ban-bo"}
    assert "tam-duong-binh-lu" not in readable("tam-duong-khun-ha.entry", "120-CV/BTGHU")
    # writing stays with today's tree
    assert not Submission.objects.restrict(user("tam-duong.reviewer"), "review").filter(
        plan__reference="120-CV/BTGHU", unit__code="tam-duong-khun-ha").exists()
    # the plan the commune answered in 2023 still opens for it
    assert Plan.objects.restrict(user("tam-duong-khun-ha.entry"), "view").filter(reference="120-CV/BTGHU").exists()
    assert not Plan.objects.restrict(user("tam-duong-khun-ha.entry"), "view").filter(
        reference="120-CV/BTGHU", issuing_body__unit__code="than-uyen").exists()


def test_the_district_board_opens_its_old_submission_pages(demo, client):
    from reports.submissions.models import Submission

    client.force_login(user("tam-duong.reviewer"))
    moved = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-ta-leng")
    merged = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-giang-ma")
    from django.urls import reverse

    for sub in (moved, merged):
        assert client.get(reverse("submissions:detail", args=[sub.pk])).status_code == 200, sub.unit.code
    client.force_login(user("tam-duong-khun-ha.entry"))
    assert client.get(reverse("submissions:detail", args=[merged.pk])).status_code == 404  # not its predecessor


def test_status_boards_call_the_recipients_by_their_kinds(demo):
    assert status_board(plan=plan("120-CV/BTGHU")).units_word == "chi, đảng bộ"
    assert status_board(plan=plan("168-HD/BTGDVTU")).units_word == "đảng ủy xã, phường, đặc khu và đảng bộ trực thuộc"


def test_a_reorganisation_dated_before_existing_activity_is_refused_with_the_list(demo):
    from django.core.exceptions import ValidationError

    from units.models import UnitVersion
    from units.services import unit_dissolve, unit_move

    # dissolving Bình Lư from 01/11/2026 would orphan its submission to the plan of 03/11/2026
    with pytest.raises(ValidationError, match=r"(?s)trước hoạt động đã có.*Báo cáo của Đảng ủy xã Bình Lư theo "
                                              r"168-HD/BTGDVTU \(ngày 03/11/2026, Đã gửi\)"):
        unit_dissolve(unit=unit("tam-duong-binh-lu"), on=dt.date(2026, 11, 1), user=None)
    assert unit("tam-duong-binh-lu").dissolved_on is None
    # moving Khun Há under the new xã Tam Đường from 01/11/2026 would take its 168 draft out of the
    # province's 2026 tree: refused, unless the administrator keeps the activity explicitly
    with pytest.raises(ValidationError, match="Đảng ủy xã Khun Há theo 168-HD/BTGDVTU"):
        unit_move(unit=unit("tam-duong-khun-ha"), new_parent=unit("lai-chau-xa-tam-duong"), on=dt.date(2026, 11, 1),
                  user=None)
    before = UnitVersion.objects.count()
    unit_move(unit=unit("tam-duong-khun-ha"), new_parent=unit("lai-chau-xa-tam-duong"), on=dt.date(2026, 11, 1),
              user=None, keep_activity=True)
    assert UnitVersion.objects.count() == before + 1


def _reorganisation_file(tmp_path, rows):
    import json

    path = tmp_path / "reorg.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_whole_reorganisation_from_one_file_dry_run_then_all_or_nothing(demo, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    from units.models import UnitVersion

    son_binh = {"code": "tam-duong-son-binh", "name": "Đảng ủy xã Sơn Bình", "kind": "dang-uy-xa-moi",
                "parent": "lai-chau", "valid_from": "2025-07-01", "dissolved_on": "2026-11-01",
                "successor": "tam-duong-ta-leng"}
    muong_than = {"code": "than-uyen-muong-than", "name": "Đảng ủy phường Mường Than", "kind": "dang-uy-phuong",
                  "parent": "lai-chau", "valid_from": "2026-11-01"}
    binh_lu = {"code": "tam-duong-binh-lu", "name": "Đảng ủy xã Bình Lư", "kind": "dang-uy-xa-moi",
               "parent": "lai-chau", "valid_from": "2025-07-01", "dissolved_on": "2026-11-01",
               "successor": "tam-duong-ta-leng"}
    before = UnitVersion.objects.count()
    # a conflict: Bình Lư has a submission to the plan of 03/11/2026; the dry run names it, nothing saved
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="không áp dụng được"):
        call_command("import_units", _reorganisation_file(tmp_path, [son_binh, muong_than, binh_lu]), "--dry-run",
                     stdout=out, stderr=err)
    assert "Giải thể tam-duong-son-binh từ 01/11/2026, kế thừa: tam-duong-ta-leng" in out.getvalue()
    assert "Đổi tên, loại than-uyen-muong-than" in out.getvalue()
    assert "Xung đột:" in err.getvalue() and "Đảng ủy xã Bình Lư theo 168-HD/BTGDVTU" in err.getvalue()
    # the real import of the same file: all or nothing
    with pytest.raises(CommandError):
        call_command("import_units", _reorganisation_file(tmp_path, [son_binh, muong_than, binh_lu]),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert UnitVersion.objects.count() == before and unit("tam-duong-son-binh").dissolved_on is None
    # without the conflicting row it applies, dated
    call_command("import_units", _reorganisation_file(tmp_path, [son_binh, muong_than]), stdout=io.StringIO())
    assert unit("tam-duong-son-binh").dissolved_on == dt.date(2026, 11, 1)
    assert unit("tam-duong-son-binh").successor.code == "tam-duong-ta-leng"
    assert unit("than-uyen-muong-than").kind.code == "dang-uy-phuong"


def test_comparison_with_the_same_period_follows_lineage(demo):
    """So với cùng kỳ: former Tam Đường communes in 2023 against the merged communes in 2026."""
    from reports.rollup.rules import compare_with_earlier

    current = rollup(plan=plan("168-HD/BTGDVTU"), unit=unit("lai-chau"), include_submitted=True)
    comparison = compare_with_earlier(current=current, earlier=plan("132-HD/BTGTU"))
    rows = {r.code: r for r in comparison.rows}
    # every 2023 figure of the district's units lands in a 2026 row, but the district's own 05 conferences:
    # it was dissolved without a successor, so they stand apart and still count in the same-period totals
    assert sum(r.earlier["conference.count"] for r in comparison.rows) == 79 - 5
    assert comparison.unattributed == {"conference.count": 5, "conference.attendance": 2040}
    assert comparison.unattributed_units == ["Huyện ủy Tam Đường (giải thể ngày 01/7/2025)"]
    assert comparison.totals_earlier["conference.count"] == 79  # seed 004's total, as the 2023 report says
    assert comparison.totals_earlier["members.studied"] == 2419
    # a commune's comparison takes nothing of the district: it was not inside the commune in 2023
    commune = rollup(plan=plan("168-HD/BTGDVTU"), unit=unit("lai-chau-xa-tam-duong"), include_submitted=True)
    assert compare_with_earlier(current=commune, earlier=plan("132-HD/BTGTU")).unattributed_units == []
    assert set(rows["tam-duong-khun-ha"].earlier_units) == {"Đảng ủy xã Khun Há", "Đảng ủy xã Bản Bo"}
    assert len(rows["lai-chau-xa-tam-duong"].earlier_units) == 3 + 38  # three communes, the district agencies
    assert rows["lai-chau-ubnd"].earlier == {k: 0 for k in rows["lai-chau-ubnd"].earlier}  # new in 2025
    assert rows["tam-duong-binh-lu"].change("conference.count") == 3 - rows["tam-duong-binh-lu"].earlier[
        "conference.count"]


def test_an_issuing_body_changes_from_a_date_in_the_admin_and_old_documents_keep_theirs(demo, client):
    from django.urls import reverse

    client.force_login(user("admin"))
    board = IssuingBody.objects.get(code="lai-chau-btg")
    page = client.get(reverse("admin:units_issuingbody_change", args=[board.pk])).content.decode()
    assert 'name="name"' not in page and "Ban Tuyên giáo Tỉnh ủy Lai Châu" in page  # printed on 132: read-only
    current = IssuingBody.objects.get(code="lai-chau-btgdv")
    data = {"action": "succeed_selected", "_selected_action": [current.pk], "apply": "1",
            "effective": dt.date.today().isoformat(), "code": "lai-chau-btgdv-2",
            "name": "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu", "citation_name": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            "superior_line": "", "own_line": "TỈNH ỦY LAI CHÂU", "board_line": "BAN TUYÊN GIÁO VÀ DÂN VẬN",
            "place_name": "Lai Châu", "code_suffix": "BTGDVTU", "signer_authority": "", "signer_title": "TRƯỞNG BAN",
            "signer_name": "Người ký mới", "recipients": "- Lưu."}
    response = client.post(reverse("admin:units_issuingbody_changelist"), data)
    assert response.status_code == 302
    new = IssuingBody.objects.get(code="lai-chau-btgdv-2")
    assert new.predecessor_id == current.pk and new.signer_name == "Người ký mới"
    assert plan("168-HD/BTGDVTU").issuing_body.signer_name == "Tráng A Tủa"  # the plan keeps its row


def test_the_as_of_tree_page_downloads_the_tree_of_that_date(demo, client):
    import json

    from django.urls import reverse

    client.force_login(user("lai-chau.reviewer"))
    page = client.get(reverse("units:tree") + "?ngay=2023-10-30").content.decode()
    assert "?ngay=2023-10-30" in page and "Tải về cây ngày 30/10/2023" in page
    response = client.get(reverse("units:export", args=["json"]) + "?ngay=2023-10-30")
    rows = json.loads(response.content)
    assert sum(1 for r in rows if r["parent"] == "tam-duong") == 51
    assert "don-vi-lai-chau-2023-10-30.json" in response["Content-Disposition"]


def test_reports_are_read_over_time_too(demo):
    from reports.documents.models import Report

    # a commune's own report on the district's 2023 plan (made by the administrator for the test)
    IssuingBody.objects.create(code="binh-lu-du", unit=unit("tam-duong-binh-lu"), name="Đảng ủy xã Bình Lư",
                               citation_name="Đảng ủy xã", own_line="ĐẢNG ỦY XÃ BÌNH LƯ", place_name="Bình Lư",
                               code_suffix="ĐU", signer_title="BÍ THƯ", signer_name="Lù Văn A", is_default=True)
    report = documents.report_get_or_create(plan=plan("120-CV/BTGHU"), unit=unit("tam-duong-binh-lu"),
                                            user=user("admin"))
    # the district board, which Bình Lư was under in 2023, keeps reading it; a neighbour commune does not
    assert Report.objects.restrict(user("tam-duong.reviewer"), "view").filter(pk=report.pk).exists()
    assert not Report.objects.restrict(user("tam-duong-khun-ha.entry"), "view").filter(pk=report.pk).exists()


def test_a_dissolved_districts_staff_cannot_save_through_the_district_workbook(demo):
    from django.core.exceptions import ValidationError

    from reports.submissions import services as subs
    from reports.submissions.models import Submission

    draft = Submission.objects.get(plan__reference="168-HD/BTGDVTU", unit__code="tam-duong-khun-ha")
    with pytest.raises(ValidationError, match="Huyện ủy Tam Đường.*không thể nhập, sửa số liệu"):
        subs.submissions_save_values_bulk(changes=[(draft, {"conference.count": 9})], user=user("tam-duong.reviewer"),
                                          source="file:test.xlsx")
    draft.refresh_from_db()
    assert draft.values.get(indicator__code="conference.count").number == 2


def test_a_unit_page_links_only_the_predecessors_the_reader_may_open(demo, client):
    """Khun Há's officer reads Bản Bo's 2023 figures (merged into Khun Há), not Bản Bo's unit page: the name is
    shown without a link that would answer 404; the province reviewer, who may open it, gets the link."""
    from django.urls import reverse

    client.force_login(user("tam-duong-khun-ha.entry"))
    page = client.get(reverse("units:detail", args=["tam-duong-khun-ha"])).content.decode()
    assert "Tiếp nhận từ" in page and "Đảng ủy xã Bản Bo" in page
    assert 'href="/don-vi/tam-duong-ban-bo/"' not in page
    assert client.get(reverse("units:detail", args=["tam-duong-ban-bo"])).status_code == 404
    client.force_login(user("lai-chau.reviewer"))
    page = client.get(reverse("units:detail", args=["tam-duong-khun-ha"])).content.decode()
    assert 'href="/don-vi/tam-duong-ban-bo/"' in page
