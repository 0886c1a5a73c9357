"""Issue 18.6 on the signing side: the file the leader signs and the văn thư issues is no draft — its number and
date are filled in their places and no page carries "DỰ THẢO" — while every print before it was marked and
unnumbered."""
from __future__ import annotations

import datetime as dt
import subprocess

from reports.documents.pdf.render import render_document
from reports.documents.printing import report_print_document
from reports.signing import services
from reports.signing.rendering import render_report
from tests.pdf import pdf_reading as R
from tests.signing.helpers import sign_and_issue


def test_the_signed_file_carries_its_number_and_no_draft_mark(draft_report, user_named, tmp_path):
    before = R.full_text(render_document(report_print_document(draft_report)).pdf)
    assert "DỰ THẢO" in before and "164-BC/BTGHU" not in before
    reviewer, leader = user_named("tam-duong.reviewer"), user_named("tam-duong.leader")
    services.report_send_for_approval(report=draft_report, user=reviewer)
    services.report_approve(report=draft_report, user=leader)
    # The copy the leader signs is the final text (its number and date come at issuance): no draft mark.
    assert "DỰ THẢO" not in R.full_text(render_report(draft_report).pdf)
    signed = sign_and_issue(draft_report, leader, on=dt.date(2023, 10, 30))  # the leader's token, the văn thư
    # pdftotext reads what the page shows, form fields included: the văn thư fills the number, the date and the
    # tables' "Kèm theo …" lines into fields over the leader-signed page (pypdf reads page content only).
    pages = _shown_pages(bytes(signed.pdf))
    assert not any("DỰ THẢO" in page for page in pages)
    R.assert_in_order(pages[0], ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số 164-BC/BTGHU", "Tam Đường, ngày 30 tháng 10 năm 2023"])
    assert any("Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023" in page for page in pages)


def _shown_pages(pdf: bytes) -> list[str]:
    import re
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f")]
