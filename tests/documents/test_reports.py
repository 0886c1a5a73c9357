"""Consolidated reports: the text as seed 004 writes it, bound figures, refresh, edit, lock, pages and JSON."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports.documents import printing, services
from reports.documents.models import Report
from reports.documents.selectors import report_for
from reports.plans.models import Plan
from reports.submissions import services as submission_services
from reports.submissions.models import Submission
from units.models import Unit

GOLDEN_SENTENCE = (
    "Toàn huyện tổ chức 79 hội nghị, 294 buổi sinh hoạt chi bộ cho 3.119 người, trong đó: Đảng viên 2.419/2.468 "
    "người, đạt 98,0%; Cán bộ, công chức, viên chức, người lao động chưa là đảng viên 700/735 người, đạt 95,2%."
)
CITATION = (
    "Thực hiện Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của Ban Tuyên giáo Tỉnh ủy về tổ chức học tập, quán "
    "triệt, tuyên truyền, triển khai thực hiện các quy định, chỉ thị, kết luận của Bộ Chính trị, Ban Bí thư và các "
    "văn bản mới của Trung ương, của Tỉnh ủy; Ban Tuyên giáo Huyện ủy báo cáo kết quả như sau:"
)


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def report(demo):
    return services.report_get_or_create(
        plan=Plan.objects.get(reference="132-HD/BTGTU"), unit=Unit.objects.get(code="tam-duong"),
        user=user("tam-duong.reviewer"),
    )


def full_text(report) -> str:
    doc = printing.report_document(report)
    return "\n".join([doc["citation"]] + [b["text"] for b in doc["blocks"]])


@pytest.mark.django_db
def test_golden_sentence_and_citation_character_for_character(report):
    doc = printing.report_document(report)
    assert doc["citation"] == CITATION
    body = full_text(report)
    assert GOLDEN_SENTENCE in body
    assert "Kết quả chung: Đến ngày 25/10/2023, các chi, đảng bộ trên địa bàn huyện đã hoàn thành" in body
    assert "a) Cấp huyện: 05 hội nghị/2.040 lượt người tham dự" in body
    # b) grassroots: communes and the district's agency cells, whose sums with the district's 05 make 79 / 294
    assert "- Đảng ủy các xã, thị trấn: ngoài kết nối các hội nghị học tập trực tuyến, tổ chức 52 hội nghị" in body
    assert "- Các chi bộ, đảng bộ cơ quan trực thuộc Huyện ủy: tổ chức 22 hội nghị, 138 buổi sinh hoạt" in body
    assert "Kết quả được 143 buổi/9.010 lượt người." in body
    assert "Kết quả: 15 tin bài, thời lượng 30 phút." in body
    # Every placeholder is filled: no brace of the template language reaches the printed text.
    assert "{" not in body and "}" not in body
    assert "tổ chức học tập bổ sung cho 84 cán bộ, đảng viên" in body


@pytest.mark.django_db
def test_structure_follows_seed_004(report):
    doc = printing.report_document(report)
    headings = [b["text"] for b in doc["blocks"] if b["kind"].startswith("heading")]
    assert headings[:4] == ["I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN", "II. KẾT QUẢ THỰC HIỆN",
                            "1. Công tác học tập, quán triệt", "2. Công tác tuyên truyền"]
    assert headings[4:9] == ["III. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", "2. Hạn chế và nguyên nhân", "2.1. Hạn chế",
                             "2.2. Nguyên nhân"]
    assert doc["type"] == "BÁO CÁO"
    assert doc["summary"].endswith("theo Hướng dẫn số 132-HD/BTGTU")
    assert doc["header"]["lines"] == ["ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY TAM ĐƯỜNG", "BAN TUYÊN GIÁO"]
    assert doc["number_line"].startswith("Số ") and doc["number_line"].endswith("-BC/BTGHU")
    assert doc["signer"] == {"authority": "", "title": "TRƯỞNG BAN", "name": "Phạm Thị Hải Đường"}
    assert doc["recipients"]["lines"][-1] == "- Lưu."
    # Footnotes: the documents the district issued, numbered through the document, first the plan 209-KH/HU.
    assert doc["footnotes"][0]["number"] == 1 and doc["footnotes"][0]["text"].startswith("Kế hoạch số 209-KH/HU")
    assert doc["footnotes"][1]["text"].startswith("Công văn số 120-CV/BTGHU")
    first = next(b for b in doc["blocks"] if b["footnotes"])
    assert {"footnote": 1} in first["segments"]


@pytest.mark.django_db
def test_limitations_name_khun_ha_and_the_late_units(report):
    body = full_text(report)
    # Issue 18.3 (changed wording): one list per rated indicator, naming the rate it compares with, which is
    # the rate the text states ("Đảng viên 2.419/2.468 người, đạt 98,0%"; "… 700/735 người, đạt 95,2%").
    assert ("- Tỷ lệ cán bộ, công chức, viên chức, người lao động chưa là đảng viên được học tập, quán triệt của xã "
            "Khun Há (66,3%) thấp hơn mức chung của huyện (95,2%).") in body
    assert "đạt 95,2%" in body and "đặc biệt" not in body
    assert ("(Chi bộ Phòng Nội vụ, Phòng Lao động – Thương binh và Xã hội, Ban Quản lý Rừng phòng hộ, Hạt Kiểm "
            "lâm, Trung tâm Phát triển quỹ đất, Trường PTDT Nội trú huyện)") in body


@pytest.mark.django_db
def test_table_total_row_equals_the_text(report):
    table = printing.report_document(report)["tables"][0]
    assert table["label"] == "Biểu số 01"
    total = dict(zip([c["key"] for c in table["columns"]], table["total_row"]["cells"], strict=True))
    assert total["conference.count"] == "79" and total["cell_meeting.count"] == "294"
    # Issue 18.9: the rate columns say "(%)", the cells print the number as the PDF does.
    assert total["members.studied"] == "2.419" and total["rate:members.studied:members.required"] == "98,0"
    assert total["rate:nonmembers.studied:nonmembers.required"] == "95,2"
    assert [c["text"] for c in table["header_rows"][1]].count("Tỷ lệ (%)") == 2
    assert len(table["rows"]) == 52  # the district's own row and its 51 units
    values = [row["values"][2] for row in table["rows"]]
    assert sum(v for v in values if v is not None) == 79


@pytest.mark.django_db
def test_edit_keeps_figures_bound_and_refresh_keeps_the_wording(report):
    reviewer = user("tam-duong.reviewer")
    key = "II.study.general"
    services.report_update_text(
        report=report, user=reviewer,
        texts={key: "Tổng cộng cả huyện có {{count:conference.count}} hội nghị; "
                    "đảng viên đạt {{rate:members.studied}}."},
    )
    report.refresh_from_db()
    assert "Tổng cộng cả huyện có 79 hội nghị; đảng viên đạt 98,0%." in full_text(report)
    # New figures arrive: Khun Há's submission is reopened and corrected, then accepted again.
    khun_ha = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-khun-ha")
    submission_services.submission_reopen(submission=khun_ha, user=reviewer, reason="Bổ sung số liệu")
    submission_services.submission_save_values(submission=khun_ha, user=reviewer, source="form:test",
                                               values={"conference.count": 6, "members.studied": 162})
    submission_services.submission_submit(submission=khun_ha, user=reviewer)
    submission_services.submission_accept(submission=khun_ha, user=reviewer)
    result = services.report_refresh(report=report, user=reviewer)
    whats = [c[0] for c in result.changes]
    assert "Số hội nghị học tập, quán triệt" in whats
    assert ("Số hội nghị học tập, quán triệt", "79", "81") in result.changes
    report.refresh_from_db()
    body = full_text(report)
    assert "Tổng cộng cả huyện có 81 hội nghị; đảng viên đạt 99,2%." in body  # edited wording, new figures
    assert "Toàn huyện tổ chức 81 hội nghị" not in body  # the generated sentence was replaced by the edit
    assert report.changes.filter(kind="refresh").exists()


@pytest.mark.django_db
def test_bad_edits_change_nothing(report):
    reviewer = user("tam-duong.reviewer")
    before = [dict(b) for b in report.blocks]
    with pytest.raises(ValidationError) as err:
        services.report_update_text(report=report, user=reviewer,
                                    texts={"II.study.general": "Có {{conference.cout}} hội nghị."})
    assert "Số liệu không tồn tại" in str(err.value)
    with pytest.raises(ValidationError):
        services.report_update_text(report=report, user=reviewer, texts={"III.1.0": "   "})
    report.refresh_from_db()
    assert report.blocks == before


@pytest.mark.django_db
def test_only_the_units_own_reviewer_creates_its_report(demo):
    with pytest.raises(PermissionDenied):
        services.report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                      unit=Unit.objects.get(code="tam-duong"), user=user("tam-duong.entry"))


@pytest.mark.django_db
def test_signed_report_is_locked(report):
    report.status = Report.Status.SIGNED
    report.number = 164
    report.save()
    report.summary = "khác"
    with pytest.raises(ValidationError):
        report.save()
    with pytest.raises(ValidationError):
        services.report_refresh(report=report, user=user("tam-duong.reviewer"))
    assert report_for(plan_reference="132-HD/BTGTU", unit_code="tam-duong").pk == report.pk
    assert report_for(plan_reference="120-CV/BTGHU", unit_code="tam-duong").reference == "164-BC/BTGHU"


# -- pages and the JSON URL --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_rollup_json_url_is_scoped(demo, client):
    url = reverse("documents:rollup_json") + "?plan=132-HD/BTGTU&unit=tam-duong"
    assert client.get(url).status_code in (302, 403)
    client.force_login(user("tam-duong.reviewer"))
    data = client.get(url).json()
    assert data["totals"]["conference.count"] == 79 and len(data["late"]) == 6
    client.force_login(user("ha-tinh-khoi.reviewer"))
    assert client.get(url).status_code == 404
    client.force_login(user("tam-duong-khun-ha.entry"))
    assert client.get(url).status_code == 404  # a commune may not read the district's subtree


@pytest.mark.django_db
def test_pages_create_read_edit_and_dashboard(demo, client):
    client.force_login(user("tam-duong.reviewer"))
    page = client.get(reverse("documents:list"))
    assert page.status_code == 200 and "Lập báo cáo tổng hợp" in page.content.decode()
    assert "Báo cáo tổng hợp của đơn vị" in client.get(reverse("home")).content.decode()  # the home panel
    plan = Plan.objects.get(reference="120-CV/BTGHU")
    response = client.post(reverse("documents:create"), {"plan": plan.pk})
    report = Report.objects.get(unit__code="tam-duong", plan__reference="132-HD/BTGTU")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert GOLDEN_SENTENCE in detail and "Số liệu tính đến" in detail and "Biểu số 01" in detail
    edit = client.get(reverse("documents:edit", args=[report.pk]))
    assert edit.status_code == 200 and "{{count:conference.count}}" in edit.content.decode()
    bad = client.post(reverse("documents:edit", args=[report.pk]),
                      {"block-III.1.0": "Có {{khong.co}} gì", "summary": report.summary, "version": report.version})
    assert bad.status_code == 400 and "Số liệu không tồn tại" in bad.content.decode()
    refreshed = client.post(reverse("documents:refresh", args=[report.pk]), follow=True)
    assert "không có số liệu nào thay đổi" in refreshed.content.decode()
    dashboard = client.get(reverse("documents:dashboard", args=[plan.pk]))
    html = dashboard.content.decode()
    assert dashboard.status_code == 200 and 'id="dashboard-data"' in html and "js/dashboard.js" in html
    assert "Chi bộ Hạt Kiểm lâm" in html and "66,3%" in html
    client.force_login(user("ha-tinh-khoi.reviewer"))
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("documents:edit", args=[report.pk])).status_code == 404


@pytest.mark.django_db
def test_province_report_from_the_district_report(report):
    import datetime as dt

    from django.utils import timezone

    # Tam Đường's report, signed (as the signing app leaves it) and received by the province.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SIGNED, number=164,
                                               issued_on=dt.date(2023, 10, 30), signed_at=timezone.now())
    services.report_receive(report=report, user=user("lai-chau.reviewer"), accept=True)
    province = services.report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                             unit=Unit.objects.get(code="lai-chau"), user=user("lai-chau.reviewer"))
    assert province.snapshot["totals"]["conference.count"] == 79
    rows = {r["code"]: r for r in province.snapshot["units"]}
    assert rows["tam-duong"]["source"] == "report" and rows["than-uyen"]["status"] == "missing"
    body = full_text(province)
    assert "Toàn tỉnh tổ chức 79 hội nghị, 294 buổi sinh hoạt chi bộ cho 3.119 người" in body
    assert "1/2 huyện ủy, thành ủy, đảng ủy trực thuộc đã báo cáo" in body  # kind words (fixtures)
    assert "Huyện ủy Than Uyên" in body  # named among the units that have not reported


@pytest.mark.django_db
def test_draft_pdf_of_the_report(report, client):
    pytest.importorskip("reports.documents.pdf.render")
    import io

    from pypdf import PdfReader

    client.force_login(user("tam-duong.reviewer"))
    response = client.get(reverse("documents:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    extracted = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Toàn huyện tổ chức 79 hội nghị" in extracted and "Biểu số 01" in extracted
    inline = client.get(reverse("documents:pdf", args=[report.pk]))
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("inline;")
    client.force_login(user("ha-tinh-khoi.reviewer"))
    assert client.get(reverse("documents:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(reverse("documents:pdf", args=[report.pk])).status_code == 404


@pytest.mark.django_db
def test_pages_read_a_fixed_number_of_queries(report, client, django_assert_max_num_queries):
    client.force_login(user("tam-duong.reviewer"))
    plan = Plan.objects.get(reference="120-CV/BTGHU")
    # + the plans and reports of units once above or below the user's unit (one query per tree level)
    with django_assert_max_num_queries(29):
        assert client.get(reverse("documents:dashboard", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("documents:rollup_json") + "?plan=132-HD/BTGTU&unit=tam-duong").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(report.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_staff_edit_a_footnote(report):
    block = next(b for b in report.blocks if b["footnotes"])
    services.report_update_text(report=report, user=user("tam-duong.reviewer"),
                                texts={f"{block['key']}#fn1": "Kế hoạch số 209-KH/HU, ngày 29/8/2023 (đã sửa)."})
    report.refresh_from_db()
    assert printing.report_document(report)["footnotes"][0]["text"] == "Kế hoạch số 209-KH/HU, ngày 29/8/2023 (đã sửa)."
    with pytest.raises(ValidationError):
        services.report_update_text(report=report, user=user("tam-duong.reviewer"),
                                    texts={f"{block['key']}#fn9": "x"})


@pytest.mark.django_db
def test_unaccepted_submissions_only_when_ticked_and_marked_in_the_table():
    from tests.rollup.factory import add_unit, district, submit

    unit, plan, reviewer, _cells = district("tick", [{"members.studied": 8, "members.required": 10}])
    late = add_unit("tick-late", "Chi bộ Mới gửi", "chi-bo-co-so", unit)
    submit(plan, late, {"members.studied": 2, "members.required": 2}, user=reviewer, accept=False)
    unit = Unit.objects.get(pk=unit.pk)
    plain = services.report_get_or_create(plan=plan, unit=unit, user=reviewer)
    assert plain.snapshot["totals"]["members.studied"] == 8
    rows = {r["code"]: r for r in printing.report_document(plain)["tables"][0]["rows"]}
    # Issue 18.2 (changed): a unit whose figures are not taken prints "–", and its note is a column of the Biểu.
    assert rows["tick-late"]["note"] == "Chưa tiếp nhận" and rows["tick-late"]["cells"][2] == "–"
    assert rows["tick-late"]["cells"][-1] == "Chưa tiếp nhận"
    ticked = services.report_refresh(report=plain, user=reviewer, include_submitted=True).report
    assert ticked.snapshot["totals"]["members.studied"] == 10
    table = printing.report_document(ticked)["tables"][0]
    rows = {r["code"]: r for r in table["rows"]}
    assert rows["tick-late"]["cells"][1] == "Chi bộ Mới gửi (*)"
    assert table["notes"][-1] == "(*) Báo cáo đã gửi, chưa được tiếp nhận, được tính vào tổng hợp."


@pytest.mark.django_db
def test_a_report_keeps_the_names_it_was_made_with(report):
    Unit.objects.filter(code="tam-duong-khun-ha").update(name="Đảng ủy xã Khun Há Mới", short_name="xã Khun Há Mới")
    Unit.objects.filter(code="tam-duong-hat-kiem-lam").update(name="Chi bộ Kiểm lâm (đổi tên)")
    report.refresh_from_db()
    body = full_text(report)
    assert "của xã Khun Há (66,3%)" in body and "Khun Há Mới" not in body
    assert "Hạt Kiểm lâm" in body and "đổi tên" not in body
    rows = {r["code"]: r for r in printing.report_document(report)["tables"][0]["rows"]}
    assert rows["tam-duong-khun-ha"]["cells"][1] == "Đảng ủy xã Khun Há"
