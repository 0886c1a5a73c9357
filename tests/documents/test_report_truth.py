"""Issue 18 (items 2, 3, 9): a consolidated report whose tables and text cannot contradict its data.

A small district is built through the real services; its report is read as the web page shows it
(`printing.report_document`), rendered to PDF and read back with pypdf/pdfplumber, and written to Excel and
reopened with openpyxl: the three say the same thing.
"""
from __future__ import annotations

import io

import openpyxl
import pdfplumber
import pytest

from reports.documents import printing, services
from reports.documents.pdf.render import render_document
from reports.documents.pdf.xlsx import tables_xlsx
from reports.submissions import services as submission_services
from tests.pdf import pdf_reading as R
from tests.rollup.factory import add_unit, district

pytestmark = pytest.mark.django_db

STUDY = {"conference.count": 2, "cell_meeting.count": 3, "members.studied": 20, "members.required": 20,
         "nonmembers.studied": 5, "nonmembers.required": 5}


@pytest.fixture
def truth():
    """Cell 000 reports study and propaganda (media items but no minutes), 001 only study (low members rate),
    002 only study (lower still), 003 saved a draft and never sent it; 004 never opened the form."""
    unit, plan, reviewer, cells = district("truth", [
        {**STUDY, "propaganda.radio_tv.items": 4},
        {**STUDY, "members.studied": 15},
        {**STUDY, "members.studied": 10, "nonmembers.required": 0, "nonmembers.studied": 0},
    ])
    draft_cell = add_unit("truth-003", "Chi bộ truth 003", "chi-bo-co-so", unit)
    draft = submission_services.submission_get_or_create(plan=plan, unit=draft_cell, user=reviewer)
    submission_services.submission_save_values(submission=draft, user=reviewer, values=STUDY, source="form:test")
    add_unit("truth-004", "Chi bộ truth 004", "chi-bo-co-so", unit)
    report = services.report_get_or_create(plan=plan, unit=unit, user=reviewer)
    return report


def _by_code(table: dict) -> dict:
    return {row["code"]: row for row in table["rows"]}


def _xlsx_rows(report, sheet: str) -> dict[str, tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx(printing.report_print_document(report))))
    ws = wb[sheet]
    return {row[1]: row for row in ws.iter_rows(min_row=7, values_only=True) if row[1]}


def test_blank_is_not_zero_and_missing_units_are_marked_alike_on_web_pdf_and_excel(truth):
    doc = printing.report_document(truth)
    study, propaganda = doc["tables"]
    assert propaganda["title"] == "KẾT QUẢ CÔNG TÁC TUYÊN TRUYỀN"
    rows = _by_code(propaganda)
    # 000 reported 4 radio/TV items and nothing else of the section: "–" where it entered nothing, never 0.
    keys = [c["key"] for c in propaganda["columns"]]
    cells_000 = dict(zip(keys, rows["truth-000"]["cells"], strict=True))
    assert cells_000["propaganda.radio_tv.items"] == "4" and cells_000["propaganda.radio_tv.minutes"] == "–"
    assert set(rows["truth-001"]["cells"][2:-1]) == {"–"}, "a unit that reported nothing for the section"
    # The draft that was never sent and the unit that never opened the form: both "Chưa báo cáo", all "–".
    for code in ("truth-003", "truth-004"):
        assert rows[code]["cells"][-1] == "Chưa báo cáo" and set(rows[code]["cells"][2:-1]) == {"–"}
    total = dict(zip(keys, propaganda["total_row"]["cells"], strict=True))
    assert total["propaganda.radio_tv.items"] == "4" and total["propaganda.loudspeaker.sessions"] == "–"
    assert "Tổng cộng gồm số liệu của 1/5 đơn vị." in propaganda["notes"]
    assert "Tổng cộng gồm số liệu của 3/5 đơn vị." in study["notes"]

    pdf = render_document(printing.report_print_document(truth)).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        lines = [line for page in opened.pages for line in (page.extract_text() or "").splitlines()]
    pdf_rows = {code: [line for line in lines if f"Chi bộ truth {code[-3:]}" in line] for code in rows}
    # Each unit has one line per Biểu; the propaganda Biểu is the second.
    assert pdf_rows["truth-001"][1].split("Chi bộ truth 001")[1].split() == ["–"] * 7
    assert pdf_rows["truth-003"][1].endswith("Chưa báo cáo") and pdf_rows["truth-004"][0].endswith("Chưa báo cáo")
    assert "Tổng cộng gồm số liệu của 1/5 đơn vị." in R.full_text(pdf)

    sheet = _xlsx_rows(truth, "Biểu số 02")
    assert sheet["Chi bộ truth 001"][2:9] == ("–",) * 7
    assert sheet["Chi bộ truth 000"][6] == 4 and sheet["Chi bộ truth 000"][7] == "–"
    assert sheet["Chi bộ truth 003"][-1] == "Chưa báo cáo" and sheet["Chi bộ truth 004"][-1] == "Chưa báo cáo"


def test_a_zero_over_zero_rate_prints_a_dash_everywhere(truth):
    rows = _by_code(printing.report_document(truth)["tables"][0])
    keys = [c["key"] for c in printing.report_document(truth)["tables"][0]["columns"]]
    cells = dict(zip(keys, rows["truth-002"]["cells"], strict=True))
    assert cells["rate:nonmembers.studied:nonmembers.required"] == "–"
    assert _xlsx_rows(truth, "Biểu số 01")["Chi bộ truth 002"][10] == "–"


def test_one_column_group_keeps_its_sub_header_in_pdf_and_excel(truth):
    doc = printing.report_print_document(truth)
    propaganda = doc.tables[1]
    top, bottom = propaganda.header_rows()
    assert top[-2]["label"] == "Trang thông tin điện tử, mạng xã hội" and bottom[-1]["label"] == "Tin, bài"
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx(doc)))
    ws = wb["Biểu số 02"]
    assert ws.cell(row=5, column=9).value == "Trang thông tin điện tử, mạng xã hội"
    assert ws.cell(row=6, column=9).value == "Tin, bài"
    pages = R.page_texts(render_document(doc).pdf)
    bieu = next(p for p in pages if "Biểu số 02" in p)
    assert bieu.count("Tin, bài") == 3  # loudspeaker, radio/TV and the web column


def test_the_text_leaves_out_zero_clauses_and_empty_headings(truth):
    doc = printing.report_document(truth)
    body = "\n".join(b["text"] for b in doc["blocks"])
    assert "Kết quả: 04 tin bài." in body and "0 phút" not in body
    assert "0 buổi" not in body and "0 lượt" not in body
    # No narrative, nobody late (the deadline passed with two units missing: those are listed), the lists
    # below are the only limitations; "2.1. Hạn chế" is printed because there is something under it.
    headings = [b["text"] for b in doc["blocks"] if b["kind"].startswith("heading")]
    assert "2.1. Hạn chế" in headings
    index = headings.index("2.1. Hạn chế")
    assert headings[index + 1] == "2.2. Nguyên nhân"


def test_no_limitations_no_limitations_heading():
    unit, plan, reviewer, _cells = district("calm", [STUDY, STUDY])
    report = services.report_get_or_create(plan=plan, unit=unit, user=reviewer)
    headings = [b["text"] for b in printing.report_document(report)["blocks"] if b["kind"].startswith("heading")]
    assert "2.1. Hạn chế" not in headings and "2. Hạn chế và nguyên nhân" not in headings
    assert "III. ĐÁNH GIÁ CHUNG" in headings and "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ" in headings


def test_below_average_lists_are_per_indicator_and_name_the_stated_rate(truth):
    doc = printing.report_document(truth)
    body = "\n".join(b["text"] for b in doc["blocks"])
    # Members: 45 of 60 studied, 75,0%, stated in the general paragraph; 001 (75,0%) is not below, 002 (50,0%) is.
    assert "Đảng viên 45/60 người, đạt 75,0%" in body
    assert ("- Tỷ lệ đảng viên được học tập, quán triệt của chi bộ truth 002 (50,0%) thấp hơn mức chung của "
            "huyện (75,0%).") in body.replace("Chi bộ", "chi bộ")
    assert "chưa là đảng viên được học tập, quán triệt của" not in body  # nobody below for non-members


def test_the_refresh_message_names_statuses_in_vietnamese():
    unit, plan, reviewer, cells = district("fresh", [STUDY, STUDY], accept=False)
    report = services.report_get_or_create(plan=plan, unit=unit, user=reviewer)
    submission = submission_services.submission_get_or_create(plan=plan, unit=cells[0], user=reviewer)
    submission_services.submission_accept(submission=submission, user=reviewer)
    lines = services.report_refresh(report=report, user=reviewer).lines
    line = next(line for line in lines if line.startswith("Chi bộ fresh 000"))
    assert line == "Chi bộ fresh 000: Đã gửi (chưa tính vào tổng hợp) → Đã tiếp nhận"
    assert not any(word in " ".join(lines) for word in ("accepted", "submitted", "draft", "missing"))


def test_dates_agree_a_refreshed_old_report_keeps_the_moment_of_its_data(truth):
    """The date line, "Đến ngày …" and "Số liệu tính đến …" agree: the roll-up ran in the test's present, the
    data are of 10/10/2023 (tests.rollup.factory.ON_TIME); the draft is not dated before its data."""
    from reports.documents.models import Report

    Report.objects.filter(pk=truth.pk).update(planned_on="2022-12-20")  # planned before its data came in
    truth.refresh_from_db()
    doc = printing.report_document(truth)
    body = "\n".join(b["text"] for b in doc["blocks"])
    assert "Đến ngày 10/10/2023" in body
    assert doc["as_of_line"] == "Số liệu tính đến 09 giờ 00 ngày 10/10/2023"
    assert doc["place_date_line"].endswith("năm 2023")
    pdf_text = R.full_text(render_document(printing.report_print_document(truth)).pdf)
    assert "Số liệu tính đến 09 giờ 00 ngày 10/10/2023." in pdf_text


def test_a_footnote_mark_never_sits_on_a_numeral():
    from reports.documents.pdf.document import Footnote, Run
    from reports.documents.text.parts.results import _conference_block

    note = Footnote(runs=(Run("Kế hoạch số 1-KH/HU."),), number=3)
    content = printing._content("Hội nghị tháng 11[^1] tại huyện.", {1: note})
    assert content == (Run("Hội nghị tháng 11"), Run(printing.MARK_GAP), note, Run(" tại huyện."))
    block = _conference_block("k", 1, 0, {"title": "Hội nghị báo cáo viên tháng 11", "date": "2023-11-28",
                                          "documents": "Chỉ thị số 21-CT/TW"}, connected=False)
    assert block["text"].startswith("(1) Hội nghị báo cáo viên tháng 11 (ngày 28/11/2023)[^1]")


def test_documents_units_entered_become_one_footnote_merged_and_ordered():
    """Issue 18.4: what units below enter as "Văn bản đã ban hành" is cited, unit by unit in the Biểu's order,
    plans first then by date; a document the district cites itself, the plan answered, or one already cited
    for another unit is cited once."""
    from tests.rollup.factory import submit

    unit, plan, reviewer, _none = district("cite", [])
    cells = [add_unit(f"cite-{n:03d}", f"Chi bộ cite {n:03d}", "chi-bo-co-so", unit) for n in range(3)]
    own_plan = {"number": "209-KH/HU", "date": "2023-08-29", "title": "về học tập các văn bản mới"}
    rows = {
        0: [{"number": "112-CV/ĐU", "date": "2023-09-25", "title": "về tổ chức hội nghị"},
            {"number": "86-KH/ĐU", "date": "2023-09-05", "title": "về học tập, quán triệt"}],
        1: [{"number": "209 - KH/HU", "date": "2023-08-29", "title": "của Ban Thường vụ Huyện ủy"},
            {"number": plan.reference, "date": "2023-09-14", "title": "của Ban Tuyên giáo"}],
        2: [{"number": "86-KH/ĐU", "date": "2023-09-05", "title": "về học tập, quán triệt"},
            {"number": "7-HD/CB", "date": "2023-09-10", "title": "về sinh hoạt chi bộ"}],
    }
    for n, cell in enumerate(cells):
        sub = submission_services.submission_get_or_create(plan=plan, unit=cell, user=reviewer)
        submission_services.submission_save_values(submission=sub, user=reviewer, values=STUDY,
                                                   rows={"documents.rows": rows[n]}, source="form:test")
        submission_services.submission_submit(submission=sub, user=reviewer)
        submission_services.submission_accept(submission=sub, user=reviewer)
    submit(plan, unit, {}, user=reviewer, rows={"documents.rows": [own_plan]})
    report = services.report_get_or_create(plan=plan, unit=unit, user=reviewer)
    doc = printing.report_document(report)
    block = next(b for b in doc["blocks"] if b["key"] == "I.units")
    assert block["text"] == "02 chi, đảng bộ đã ban hành 01 kế hoạch, 01 hướng dẫn, 01 công văn triển khai thực hiện."
    note = doc["footnotes"][block["footnotes"][0] - 1]["text"]
    assert note == ("Chi bộ cite 000: Kế hoạch số 86-KH/ĐU, ngày 05/9/2023 về học tập, quán triệt; Công văn số "
                    "112-CV/ĐU, ngày 25/9/2023 về tổ chức hội nghị. Chi bộ cite 002: Hướng dẫn số 7-HD/CB, ngày "
                    "10/9/2023 về sinh hoạt chi bộ.")
    assert doc["footnotes"][0]["text"] == "Kế hoạch số 209-KH/HU, ngày 29/8/2023 về học tập các văn bản mới."
    text = R.full_text(render_document(printing.report_print_document(report)).pdf)
    assert "Chi bộ cite 000: Kế hoạch số 86-KH/ĐU" in text and text.count("86-KH/ĐU") == 1


def test_the_form_says_what_happens_to_the_documents_entered():
    from reports.plans.models import Section

    description = Section.objects.get(code="documents").description
    assert "chú thích ở phần I của báo cáo tổng hợp của cấp trên" in description
    assert "chỉ được trích một lần" in description
