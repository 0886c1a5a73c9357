"""Bad input renders or fails with a clear Vietnamese message — never a broken file."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from demo.samples import STUDY_COLUMNS, figures_table, seed_004_document
from reports.documents.pdf import render
from reports.documents.pdf.document import Block, Closing, Column, Header, PrintDocument, Table, TableRow
from reports.documents.pdf.render import PrintError, local_url_fetcher, render_document
from tests.pdf import pdf_reading as R


def _valid(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert len(R.reader(pdf).pages) >= 1


def _bare(**changes) -> PrintDocument:
    doc = PrintDocument(
        header=Header(own_line="HUYỆN ỦY TAM ĐƯỜNG", number_line="Số      -BC/BTGHU",
                      place_date_line="Tam Đường, ngày … tháng … năm …"),
        doc_type="BÁO CÁO", summary="", blocks=(), closing=Closing(recipients=(), signer_title="", signer_name=""),
    )
    return dataclasses.replace(doc, **changes)


def test_a_report_with_no_data_renders_with_an_empty_table_note():
    empty = Table("Biểu số 01", "Kết quả", "Kèm theo Báo cáo", STUDY_COLUMNS, rows=(), total=None)
    result = render_document(_bare(tables=(empty,)))
    _valid(result.pdf)
    text = R.full_text(result.pdf)
    R.assert_in_order(text, ["HUYỆN ỦY TAM ĐƯỜNG", "Số -BC/BTGHU", "BÁO CÁO", "Nơi nhận:", "Biểu số 01",
                             "Chưa có số liệu."])


def test_a_unit_name_of_200_characters_wraps_in_the_header_and_the_table():
    name = ("Đảng ủy " + "Trường Phổ thông Dân tộc Nội trú Trung học cơ sở và Trung học phổ thông " * 3)[:200]
    assert len(name) == 200
    doc = seed_004_document(with_tables=False)
    table = figures_table("Biểu số 01", "Kết quả", "Kèm theo", STUDY_COLUMNS,
                          [(name, {"conference.count": 3, "members.studied": 9, "members.required": 10})])
    doc = dataclasses.replace(doc, header=dataclasses.replace(doc.header, own_line=name.upper()), tables=(table,))
    result = render_document(doc)
    _valid(result.pdf)
    compact = R.full_text(result.pdf).replace(" ", "")
    assert name.replace(" ", "") in compact
    assert name.upper().replace(" ", "") in compact
    assert R.is_a4(R.page_sizes(result.pdf)[0])


def test_500_footnotes_are_numbered_through_and_stay_on_their_pages():
    blocks = tuple(
        Block.of("paragraph", " ".join(f"Đoạn {p}, ý {k}^[Chú thích của đoạn {p}, ý {k}.]" for k in range(5)))
        for p in range(100)
    )
    result = render_document(_bare(blocks=blocks))
    _valid(result.pdf)
    pages = R.footnotes_by_page(result.pdf, body_size=14.0)
    calls = [n for c, _ in pages for n in c]
    assert calls == list(range(1, 501))
    for index, (c, m) in enumerate(pages):
        assert sorted(c) == sorted(m), f"page {index + 1}"


def test_a_table_too_long_for_a_pdf_is_refused_with_a_vietnamese_message(monkeypatch):
    monkeypatch.setattr(render, "MAX_TABLE_ROWS", 100)
    columns = (Column("stt", "STT", "stt"), Column("name", "Tên", "text"), Column("a", "Số"))
    table = Table("Biểu số 01", "Bảng", "", columns, tuple(TableRow((i, "x", i)) for i in range(101)))
    with pytest.raises(PrintError) as info:
        render_document(_bare(tables=(table,)))
    assert "Biểu số 01 có 101 dòng, vượt quá giới hạn 100 dòng" in info.value.message
    assert "Excel" in info.value.message


@pytest.mark.parametrize("change, message", [
    ({"header": Header(own_line=" ", number_line="Số", place_date_line="")}, "chưa có tên cơ quan ban hành"),
    ({"doc_type": ""}, "chưa có tên loại"),
])
def test_missing_essentials_are_refused(change, message):
    with pytest.raises(PrintError) as info:
        render_document(_bare(**change))
    assert message in info.value.message


def test_rows_that_do_not_match_the_columns_are_refused():
    columns = (Column("stt", "STT", "stt"), Column("name", "Tên", "text"))
    table = Table("Biểu số 02", "Bảng", "", columns, (TableRow((1, "x", 3)),))
    with pytest.raises(PrintError, match="không khớp số cột"):
        render_document(_bare(tables=(table,)))


def test_too_many_footnotes_are_refused_before_any_rendering(monkeypatch):
    monkeypatch.setattr(render, "MAX_FOOTNOTES", 3)
    blocks = (Block.of("paragraph", "a^[1] b^[2] c^[3] d^[4]"),)
    with pytest.raises(PrintError, match="quá nhiều chú thích: 4"):
        render_document(_bare(blocks=blocks))


def test_markup_characters_in_text_are_printed_and_escaped():
    blocks = (Block.of("paragraph", r"Giá trị \*không đậm\* và <b>thẻ</b> & ký hiệu \^\[x\]"),)
    text = R.full_text(render_document(_bare(blocks=blocks)).pdf)
    assert "Giá trị *không đậm* và <b>thẻ</b> & ký hiệu ^[x]" in text


def test_nothing_is_fetched_from_the_network_or_outside_static():
    with pytest.raises(ValueError, match="non-local"):
        local_url_fetcher("https://example.com/font.ttf")
    with pytest.raises(ValueError, match="outside static"):
        local_url_fetcher("file:///etc/passwd")
    fetched = local_url_fetcher((render.static_root() / "print" / "print.css").as_uri())
    assert fetched is not None


def test_a_5000_row_bieu_renders_completely_in_chunks():
    rows = [(f"Chi bộ số {i}", {"conference.count": 1, "members.studied": 9, "members.required": 10})
            for i in range(5000)]
    table = figures_table("Biểu số 01", "Kết quả của 5.000 chi bộ", "Kèm theo", STUDY_COLUMNS, rows)
    result = render_document(_bare(tables=(table,)))
    _valid(result.pdf)
    texts = R.page_texts(result.pdf)
    joined = " ".join(texts)
    assert "Chi bộ số 0 " in joined and "Chi bộ số 4999 " in joined
    assert "Tổng cộng 5.000" in texts[-1] and "45.000 50.000 90,0" in texts[-1]
    assert all("Tên chi, đảng bộ" in t for t in texts[1:]), "header rows on every page of the Biểu"
    numbers = [int(t.rsplit(" ", 1)[-1]) for t in texts[1:]]  # the top-margin number is drawn last
    assert numbers == list(range(2, len(texts) + 1)), "page numbers continue across the chunks"
    assert re.search(r"5\.000 ?Chi bộ số 4999 ", joined), "STT runs to 5.000, in hierarchy order"
    assert Decimal("90.0") == table.total.values[8]
