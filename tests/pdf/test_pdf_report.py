"""The demo report through the adapters, the cache, the download views and `render_report`."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from reports.documents.models import Report
from reports.documents.pdf.adapters import plan_print
from reports.documents.pdf.cache import cache_key, cached_render
from reports.documents.printing import report_print_document as report_print
from tests.pdf import pdf_reading as R

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo):
    from reports.documents.selectors import report_for

    return report_for(plan_reference="132-HD/BTGTU", unit_code="tam-duong")


def _client(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_draft_is_marked_and_leaves_the_number_and_day_blank(report, pdf_cache):
    """Issue 18.6 (a changed behaviour): a draft no longer prints the number the register would give next
    ("Số 164-BC/BTGHU"); until issuance it carries "DỰ THẢO" on every page, the number and the day and month
    left blank (LAYOUT.md "Drafts and issuance")."""
    assert report.number is None
    doc = report_print(report)
    assert doc.draft
    assert doc.header.number_line == "Số       -BC/BTGHU"
    assert doc.header.place_date_line.startswith("Tam Đường, ngày ") and doc.header.place_date_line.endswith(
        " năm 2023") and not any(ch.isdigit() for ch in doc.header.place_date_line[:-4])
    assert all(t.subtitle == "Kèm theo Dự thảo báo cáo của Ban Tuyên giáo Huyện ủy" for t in doc.tables)
    pages = R.page_texts(cached_render(doc).read_bytes())
    assert all("DỰ THẢO" in page for page in pages), "every page of a draft is marked"
    assert "164-BC" not in " ".join(pages)


def test_issued_report_prints_its_number_and_date_without_the_mark(report, pdf_cache):
    import datetime as dt

    issued = Report.objects.get(pk=report.pk)  # not saved: the object as the signing step renders it
    issued.number, issued.issued_on = 164, dt.date(2023, 10, 30)
    doc = report_print(issued)
    assert not doc.draft and doc.header.number_line == "Số 164-BC/BTGHU"
    assert doc.header.place_date_line == "Tam Đường, ngày 30 tháng 10 năm 2023"
    assert all("Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023" in t.subtitle for t in doc.tables)
    text = R.full_text(cached_render(doc).read_bytes())
    assert "DỰ THẢO" not in text
    R.assert_in_order(text, ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số 164-BC/BTGHU", "Tam Đường, ngày 30 tháng 10 năm 2023"])


def test_demo_report_pdf_in_order_with_totals_and_footnotes(report, pdf_cache):
    cached = cached_render(report_print(report))
    pdf = cached.read_bytes()
    assert R.is_a4(R.page_sizes(pdf)[0]) and all(R.fonts_embedded(pdf).values())
    text = R.full_text(pdf)
    R.assert_in_order(text, [
        "ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY TAM ĐƯỜNG", "BAN TUYÊN GIÁO", "ĐẢNG CỘNG SẢN VIỆT NAM", "-BC/BTGHU",
        "Tam Đường, ngày", "năm 2023", "BÁO CÁO", "Thực hiện Hướng dẫn số 132-HD/BTGTU",
        "Toàn huyện tổ chức 79 hội nghị, 294 buổi sinh hoạt chi bộ cho 3.119 người", "Nơi nhận:", "TRƯỞNG BAN",
        "Biểu số 01", "Tổng cộng 79",
    ])
    for index, (calls, markers) in enumerate(R.footnotes_by_page(pdf)):
        assert sorted(calls) == sorted(markers), f"page {index + 1}"


def test_cache_serves_again_until_the_text_changes(report, pdf_cache):
    from reports.documents.services import report_update_text

    first = cached_render(report_print(report))
    again = cached_render(report_print(report))
    assert not first.hit and again.hit and again.read_bytes() == first.read_bytes()
    assert again.signature_box == first.signature_box and first.signature_box is not None
    key = block = None
    for block in report.blocks:
        if block.get("kind") == "paragraph" and block.get("key") != "citation":
            key = block["key"]
            break
    user = get_user_model().objects.get(username="tam-duong.reviewer")
    report_update_text(report=report, user=user, texts={key: block["text"] + " Thêm một câu."})
    report.refresh_from_db()
    changed = cached_render(report_print(report))
    assert not changed.hit and changed.key != first.key
    assert cache_key(report_print(report)) == changed.key


def test_downloads_are_scoped_and_cached(client, report, pdf_cache, django_assert_max_num_queries):
    url = reverse("documents:report_pdf", args=[report.pk])
    c = _client(client, "tam-duong.reviewer")
    response = c.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-PDF-Cache"] == "miss"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    with django_assert_max_num_queries(20):
        again = c.get(url)
    assert again["X-PDF-Cache"] == "hit" and 'filename="bao-cao-tam-duong-132-HD-BTGTU-du-thao.pdf"' in again[
        "Content-Disposition"]
    xlsx = c.get(reverse("documents:report_xlsx", args=[report.pk]))
    assert xlsx.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "Biểu số 01"
    # Outside the subtree (a commune below the district, another province): 404.
    for username in ("tam-duong-khun-ha.entry", "ha-tinh-khoi.reviewer"):
        other = _client(client, username)
        assert other.get(url).status_code == 404
        assert other.get(reverse("documents:report_xlsx", args=[report.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_plan_renders_in_the_same_layout_and_is_scoped(client, demo, pdf_cache):
    plan = demo["222-KH/TU"]
    doc = plan_print(plan)
    cached = cached_render(doc)
    text = R.full_text(cached.read_bytes())
    R.assert_in_order(text, ["TỈNH ỦY LAI CHÂU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 222-KH/TU",
                             "Lai Châu, ngày 18 tháng 12 năm 2023", "KẾ HOẠCH", "thực hiện Kết luận số 01-KL/TW",
                             "I. MỤC ĐÍCH, YÊU CẦU", "Nơi nhận:", "- Lưu VPTU.", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ",
                             "Vũ Mạnh Hà"])
    assert "HUYỆN ỦY" not in text.split("ĐẢNG CỘNG SẢN VIỆT NAM")[0], "a province body starts its own header"
    url = reverse("documents:plan_pdf", args=[plan.pk])
    assert _client(client, "tam-duong.reviewer").get(url).status_code == 200
    assert _client(client, "ha-tinh-khoi.reviewer").get(url).status_code == 404
    relayed = plan_print(demo["120-CV/BTGHU"])
    assert relayed.blocks[0].content[0].text.startswith("Thực hiện Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của Ban "
                                                        "Tuyên giáo Tỉnh ủy")


def test_render_report_command_writes_pdf_and_workbook(demo, pdf_cache, tmp_path):
    out, xlsx = tmp_path / "report.pdf", tmp_path / "bieu.xlsx"
    call_command("render_report", "--plan", "132-HD/BTGTU", "--unit", "tam-duong", "-o", str(out), "--xlsx",
                 str(xlsx), stdout=io.StringIO())
    text = R.full_text(out.read_bytes())
    R.assert_in_order(text, ["ĐẢNG CỘNG SẢN VIỆT NAM", "-BC/BTGHU", "Tam Đường, ngày", "BÁO CÁO", "Nơi nhận",
                             "TRƯỞNG BAN"])
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Biểu số 01"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert total[2] == 79


def test_render_report_command_refuses_unknown_plan_and_unit(demo, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có văn bản"):
        call_command("render_report", "--plan", "999-HD/XX", "--unit", "tam-duong", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("render_report", "--plan", "132-HD/BTGTU", "--unit", "khong-co", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
