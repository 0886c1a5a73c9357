"""Issue 18.6 on the signing side: the file signed at issuance is no draft — its number and date are printed in
their places and no page carries "DỰ THẢO" — while every print before it was marked and unnumbered."""
from __future__ import annotations

import datetime as dt

from reports.documents.pdf.render import render_document
from reports.documents.printing import report_print_document
from reports.signing import services
from tests.pdf import pdf_reading as R


def test_the_signed_file_carries_its_number_and_no_draft_mark(draft_report, user_named):
    before = R.full_text(render_document(report_print_document(draft_report)).pdf)
    assert "DỰ THẢO" in before and "164-BC/BTGHU" not in before
    reviewer, leader = user_named("tam-duong.reviewer"), user_named("tam-duong.leader")
    services.report_send_for_approval(report=draft_report, user=reviewer)
    services.report_approve(report=draft_report, user=leader)
    signed = services.report_sign(report=draft_report, user=leader, on=dt.date(2023, 10, 30))
    pages = R.page_texts(bytes(signed.pdf))
    assert not any("DỰ THẢO" in page for page in pages)
    R.assert_in_order(pages[0], ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số 164-BC/BTGHU", "Tam Đường, ngày 30 tháng 10 năm 2023"])
    assert any("Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023" in page for page in pages)
