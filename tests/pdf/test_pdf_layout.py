"""The seed 004 report rendered in the official layout, read back from the PDF (no database needed)."""
from __future__ import annotations

import unicodedata

import pytest

from core.formatting import format_number
from demo.samples import seed_004_document, seed_004_units
from reports.documents.pdf.render import render_document
from tests.pdf import pdf_reading as R


@pytest.fixture(scope="module")
def rendered():
    return render_document(seed_004_document())


@pytest.fixture(scope="module")
def texts(rendered):
    return R.page_texts(rendered.pdf)


def test_pages_are_a4_and_wide_bieu_pages_landscape(rendered, texts):
    sizes = R.page_sizes(rendered.pdf)
    assert R.is_a4(sizes[0])
    bieu_pages = [i for i, t in enumerate(texts) if "Biểu số 01" in t or "Biểu số 02" in t]
    assert bieu_pages, "the attached tables are missing"
    first_bieu = bieu_pages[0]
    assert all(R.is_a4(s) for s in sizes[:first_bieu]), "the document pages are A4 portrait"
    assert all(R.is_a4(s, landscape=True) for s in sizes[first_bieu:]), "the wide Biểu pages are A4 landscape"


def test_every_font_is_embedded_and_is_the_shipped_serif(rendered):
    fonts = R.fonts_embedded(rendered.pdf)
    assert fonts and all(fonts.values()), fonts
    assert all("Liberation-Serif" in name for name in fonts), fonts


def test_text_in_the_official_order(rendered):
    text = R.full_text(rendered.pdf)
    R.assert_in_order(text, [
        "ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY TAM ĐƯỜNG", "BAN TUYÊN GIÁO", "*", "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 164-BC/BTGHU", "Tam Đường, ngày 30 tháng 10 năm 2023", "BÁO CÁO",
        "kết quả học tập, quán triệt, tuyên truyền các văn bản của Đảng",
        "Thực hiện Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của Ban Tuyên giáo Tỉnh ủy",
        "I. CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN",
        "Toàn huyện tổ chức 79 hội nghị, 294 buổi sinh hoạt chi bộ cho 3.119 người, trong đó: Đảng viên "
        "2.419/2.468 người, đạt 98,0%; Cán bộ, công chức, viên chức, người lao động chưa là đảng viên 700/735 "
        "người, đạt 95,2%.",
        "Nơi nhận:", "- Ban Tuyên giáo Tỉnh ủy,", "- Lưu.", "TRƯỞNG BAN", "Phạm Thị Hải Đường", "Biểu số 01",
    ])


def test_vietnamese_diacritics_extract_as_written(rendered):
    text = R.full_text(rendered.pdf)
    for word in ["Đường", "Tuyên giáo", "quán triệt", "Khun Há", "Thương bình", "Ủy ban", "Nguyên nhân",
                 "Hạn chế", "Phạm Thị Hải Đường", "Sơn Bình", "ĐẢNG CỘNG SẢN VIỆT NAM"]:
        assert word in text, word
    assert unicodedata.normalize("NFC", text) == text, "text must extract as precomposed (NFC) Vietnamese"
    assert "\ufffd" not in text


def test_page_numbers_from_page_two_centred_at_the_top(rendered, texts):
    first = R.words_on(rendered.pdf, 0)
    assert not any(w["text"] == "1" and w["top"] < 57 for w in first), "no number on the first page"
    second = R.words_on(rendered.pdf, 1)
    numbers = [w for w in second if w["text"] == "2" and w["top"] < 57]  # inside the 20mm top margin
    assert numbers, "page 2 carries its number in the top margin"
    centre = (numbers[0]["x0"] + numbers[0]["x1"]) / 2
    # centred between the 30mm left and 15mm right margins
    assert abs(centre - (85.04 + (595.28 - 42.52)) / 2) < 3


def test_footnote_texts_are_on_the_page_of_their_marks_numbered_through(rendered):
    pages = R.footnotes_by_page(rendered.pdf)
    all_calls = [n for calls, _ in pages for n in calls]
    assert all_calls == list(range(1, 11)), all_calls  # seed 004 has ten footnotes, numbered through
    for index, (calls, markers) in enumerate(pages):
        assert sorted(calls) == sorted(markers), f"page {index + 1}: marks {calls}, footnotes {markers}"


def test_bieu_total_row_equals_the_totals_in_the_text(rendered, texts):
    text = " ".join(texts)
    assert "79 hội nghị, 294 buổi sinh hoạt chi bộ" in text and "2.419/2.468" in text and "700/735" in text
    bieu_01 = " ".join(t for t in texts if "Tổng cộng" in t)
    # Biểu 01: conferences, attendance, cell meetings, attendance, members studied/required/rate, non-members
    # (the attendances are not in the text; they are the sums of the demo figures)
    units = seed_004_units()
    attendance = sum(v.get("conference.attendance", 0) for _, v in units)
    cell_attendance = sum(v.get("cell_meeting.attendance", 0) for _, v in units)
    expected = (f"Tổng cộng 79 {format_number(attendance)} 294 {format_number(cell_attendance)} 2.419 2.468 98,0 "
                "700 735 95,2")
    assert expected in bieu_01
    # Biểu 02: 104 + 39 = 143 buổi, 9.010 lượt người, 10 + 5 = 15 tin bài, 30 phút (seed 004 text)
    assert "Tổng cộng 104 9.010 39 10 30 5" in bieu_01
    assert "143 buổi/9.010 lượt người" in text and "15 tin bài, thời lượng 30 phút" in text


def test_bieu_heading_lines_and_header_repeated_on_every_page(rendered, texts):
    bieu = [t for t in texts if "Tên chi, đảng bộ" in t]
    assert len(bieu) >= 4, "each Biểu spans pages and repeats its header rows"
    assert all("Hội nghị học tập, quán triệt" in t or "Họp bản, sinh hoạt chi hội" in t for t in bieu)
    first = next(t for t in texts if "Biểu số 01" in t)
    R.assert_in_order(first, ["Biểu số 01", "KẾT QUẢ HỌC TẬP, QUÁN TRIỆT", "Kèm theo Báo cáo số 164-BC/BTGHU",
                              "STT", "Tên chi, đảng bộ", "Đảng ủy xã Bình Lư"])


def test_signature_box_lies_between_title_and_name(rendered):
    box = rendered.signature_box
    assert box is not None
    words = R.words_on(rendered.pdf, box.page)
    title = next(w for w in words if w["text"] == "TRƯỞNG")
    name = next(w for w in words if w["text"] == "Đường" and w["top"] > title["top"])
    page_h = box.page_height
    # pdfplumber measures from the top; the box is in PDF points from the bottom.
    box_top, box_bottom = page_h - box.y2, page_h - box.y1
    assert title["bottom"] <= box_top + 1 and box_bottom <= name["top"] + 1
    assert 70 <= box.y2 - box.y1 <= 86, "about 25–30 mm for signature and seal"
    assert box.x1 > page_h * 0 + 297 / 2, "in the right column"
    assert not [w for w in words if box_top < (w["top"] + w["bottom"]) / 2 < box_bottom and w["x0"] > box.x1 - 5]


def test_seed_003_plan_in_the_same_layout():
    from demo.samples import seed_003_document

    result = render_document(seed_003_document())
    pdf = result.pdf
    assert all(R.is_a4(s) for s in R.page_sizes(pdf)) and all(R.fonts_embedded(pdf).values())
    R.assert_in_order(R.full_text(pdf), [
        "TỈNH ỦY LAI CHÂU", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 222-KH/TU", "Lai Châu, ngày 18 tháng 12 năm 2023",
        "KẾ HOẠCH", "thực hiện Kết luận số 01-KL/TW", "Thực hiện Hướng dẫn số 121-HD/BTGTW",
        "I- MỤC ĐÍCH, YÊU CẦU", "II- NỘI DUNG", "2.2. Kế hoạch cá nhân", "III- TỔ CHỨC THỰC HIỆN", "Nơi nhận:",
        "- Lưu VPTU.", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Vũ Mạnh Hà",
    ])
    for calls, markers in R.footnotes_by_page(pdf):
        assert sorted(calls) == sorted(markers)
    assert result.signature_box is not None and result.signature_box.page == result.pages - 1
