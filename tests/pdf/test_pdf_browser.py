"""In a real Chromium: the report page's PDF button shows that it is working, then the file arrives."""
from __future__ import annotations

import os

import pytest

from tests.browser_fixtures import log_in
from tests.rollup.factory import district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PDF_SCREENSHOTS")  # a folder to keep screenshots in, for looking at them


def _people(studied, required, conferences):
    return {"members.studied": studied, "members.required": required, "conference.count": conferences,
            "conference.attendance": 20 * conferences, "cell_meeting.count": 2}


def test_pdf_and_excel_buttons_show_progress_and_download(browser_page, live_url, settings, tmp_path):
    from reports.documents.services import report_get_or_create

    settings.MEDIA_ROOT = str(tmp_path / "media")
    unit, plan, reviewer, _cells = district("pdfb", [_people(10, 10, 1), _people(9, 12, 2)],
                                            own={"conference.count": 2, "conference.attendance": 90})
    report = report_get_or_create(plan=plan, unit=unit, user=reviewer)
    page = browser_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_url, reviewer.username)
    page.goto(live_url("documents:detail", pk=report.pk))

    button = page.locator(f"a[href$='/{report.pk}/tai-pdf/']")
    label = button.inner_text()
    with page.expect_download() as info:
        button.click()
        page.wait_for_selector(f"a[href$='/{report.pk}/tai-pdf/'][aria-busy='true']")
        assert "Đang tạo tệp PDF…" in button.inner_text()
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, "report-page-pdf-busy.png"))
    download = info.value
    assert download.suggested_filename.endswith("-du-thao.pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.wait_for_function(
        f"() => !document.querySelector(\"a[href$='/{report.pk}/tai-pdf/']\").hasAttribute('aria-busy')")
    assert button.inner_text() == label

    with page.expect_download() as info:
        page.click(f"a[href$='/{report.pk}/tai-excel/']")
    assert info.value.suggested_filename.endswith(".xlsx")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "report-page.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e]
