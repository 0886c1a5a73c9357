"""In a real Chromium: a reviewer makes the district report, edits its wording, and reads the dashboard."""
from __future__ import annotations

import pytest

from tests.documents.browser_setup import district_report_made_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_makes_edits_and_follows_the_report(browser_page, live_url):
    page = browser_page
    _unit, _plan, errors = district_report_made_in_browser(page, live_url, "bro")
    document = page.locator("#report-document")
    assert "Toàn huyện tổ chức 08 hội nghị, 06 buổi sinh hoạt chi bộ cho 39 người" in document.inner_text()
    assert "Đảng viên 39/42 người, đạt 92,9%" in document.inner_text()
    assert "Số liệu tính đến" in page.locator("#as-of").inner_text()
    assert page.locator("#bieu-01 tr.table-total").inner_text().split()[2:4] == ["8", "210"]

    page.click("text=Sửa nội dung")
    area = page.locator("textarea[name='block-II.study.general']")
    assert "{{count:conference.count}}" in area.input_value()
    # The editor shows the figures as protected elements; the notation typed in it binds a figure too.
    editor = page.locator(".report-editor[data-source='block-II.study.general']")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("Cả huyện có {{count:conference.count}} hội nghị, tỷ lệ đảng viên học tập đạt "
                       "{{rate:members.studied}}.")
    with page.expect_navigation():
        page.click("#edit-form button[type=submit]")
    assert "Đã lưu nội dung báo cáo." in page.content()
    assert "Cả huyện có 08 hội nghị, tỷ lệ đảng viên học tập đạt 92,9%." in document.inner_text()

    with page.expect_navigation():
        page.click("text=Bảng theo dõi")
    assert page.locator("#completion-submitted").inner_text() == "3/3"
    # The canvas is in the page before the vendored Chart.js has run: wait until every chart is drawn
    # (a blocked or broken script times out here).
    page.wait_for_function("() => typeof Chart !== 'undefined' && document.querySelectorAll('canvas.rate-chart')"
                           ".length === 1 && Array.from(document.querySelectorAll('canvas.rate-chart'))"
                           ".every(c => !!Chart.getChart(c))", timeout=10_000)
    assert "Chi bộ bro 001" in page.locator("#below-list").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e]
