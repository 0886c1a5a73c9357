"""In a real Chromium: the report editor shows bound figures as protected, labelled elements and typed numbers
as plain text; a typed number is then listed for binding before the report may be sent (issue 18.1)."""
from __future__ import annotations

import os

import pytest

from reports.documents.models import Report
from tests.documents.browser_setup import district_report_made_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def test_editor_protects_bound_figures_and_lists_typed_numbers(browser_page, live_url):
    page = browser_page
    unit, _plan, errors = district_report_made_in_browser(page, live_url, "ed")
    report = Report.objects.get(unit=unit)
    page.goto(live_url("documents:edit", report.pk))

    editor = page.locator(".report-editor[data-source='block-II.study.general']")
    assert editor.is_visible()
    assert not page.locator("textarea[name='block-II.study.general']").is_visible()  # no {{…}} notation shown
    assert "{{" not in editor.inner_text()
    chip = editor.locator(".bound-figure[data-placeholder='{{count:conference.count}}']")
    assert chip.get_attribute("contenteditable") == "false"
    assert chip.locator(".fig-value").inner_text() == "08"
    assert "Số hội nghị học tập, quán triệt" in chip.get_attribute("aria-label")
    chip.hover()
    assert chip.locator(".fig-label").is_visible()  # its label shows on hover
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            editor.scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/editor-{width}.png")
        page.set_viewport_size({"width": 1366, "height": 900})

    # Typing into the figure does not change it; typing after it is plain text.
    chip.click()
    page.keyboard.type("9")
    assert chip.locator(".fig-value").inner_text() == "08"
    assert chip.get_attribute("data-placeholder") == "{{count:conference.count}}"
    page.keyboard.press("Backspace")  # the "9" typed beside it
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Tổ chức thêm 01 lớp cho 42 học viên.")
    with page.expect_navigation():
        page.click("#edit-form button[type=submit]")
    assert "Đã lưu nội dung báo cáo." in page.content()
    report.refresh_from_db()
    text = next(b["text"] for b in report.blocks if b["key"] == "II.study.general")
    assert "{{count:conference.count}}" in text and "{{rate:members.studied}}" in text  # still bound
    assert text.endswith("Tổ chức thêm 01 lớp cho 42 học viên.")

    # The typed numbers are listed, each with the figure it most likely stands for.
    panel = page.locator("#typed-numbers")
    assert panel.is_visible()
    assert panel.locator("[data-typed-number]").count() == 2
    assert "Số học viên lớp chính trị hè" in panel.inner_text()
    with page.expect_navigation():
        panel.locator("[data-typed-number='II.study.general#1'] button[data-action=bind]").click()
    report.refresh_from_db()
    assert "{{summer_class.learners}} học viên" in next(b["text"] for b in report.blocks
                                                        if b["key"] == "II.study.general")
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e]
