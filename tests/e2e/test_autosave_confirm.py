"""In a real Chromium: figures typed in a section are saved by themselves (no click), the tab shows it, a
conflicting save by someone else shows both values and keeps the input, leaving with unsaved input asks
first, and submitting asks for confirmation saying where the report goes and what gets locked."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    from demo.seed import run_demo_seed

    run_demo_seed()


def _value(submission, code):
    from reports.submissions.models import SubmissionValue

    v = SubmissionValue.objects.filter(submission=submission, indicator__code=code).first()
    return None if v is None else v.number


def test_autosave_conflict_leave_warning_and_submit_confirmation(demo_data, browser_page: Page, live_url):
    from django.contrib.auth import get_user_model

    from reports.submissions import services
    from reports.submissions.models import Submission

    page = browser_page
    sub = Submission.objects.filter(unit__code="tam-duong-khun-ha", status="draft").order_by("-pk").first()
    log_in(page, live_url, "tam-duong-khun-ha.entry")
    page.goto(live_url("submissions:section", pk=sub.pk, section="people"))
    expect(page.locator("[data-section=people]")).to_have_attribute("data-mark", "empty")
    page.locator('input[name="v-members-required"]').fill("100")
    page.locator('input[name="v-members-studied"]').fill("90")
    # saved without any click, after the pause
    expect(page.locator("[data-autosave-status]")).to_contain_text("Đã tự lưu", timeout=15_000)
    expect(page.locator("[data-section=people]")).to_have_attribute("data-mark", "done")
    assert _value(sub, "members.studied") == 90
    page.screenshot(path="/tmp/autosave-saved.png", full_page=True)

    # someone else saves meanwhile: the next autosave is a conflict, the input stays, both values shown
    services.submission_save_values(submission=Submission.objects.get(pk=sub.pk),
                                    user=get_user_model().objects.get(username="tam-duong.reviewer"),
                                    values={"members.studied": 80}, source="form:people")
    page.locator('input[name="v-members-studied"]').fill("95")
    conflict = page.locator("[data-autosave-conflict]")
    expect(conflict).to_be_visible(timeout=15_000)
    expect(conflict).to_contain_text("95")
    expect(conflict).to_contain_text("80")
    assert page.locator('input[name="v-members-studied"]').input_value() == "95"
    assert _value(sub, "members.studied") == 80
    expect(page.locator("[data-section=people]")).to_have_attribute("data-mark", "error")
    page.screenshot(path="/tmp/autosave-conflict.png", full_page=True)

    # leaving with unsaved input asks first (the dialog is dismissed: the page stays)
    asked = []

    def on_dialog(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.locator("[data-section=conference]").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert "/muc/people/" in page.url
    page.remove_listener("dialog", on_dialog)

    # submitting asks first, saying where the report goes and what gets locked
    page.on("dialog", lambda d: d.accept())  # leave the page with its unsaved conflict
    page.goto(live_url("submissions:detail", pk=sub.pk))
    page.locator("[data-action=submit]").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("sẽ được gửi đến")
    expect(dialog).to_contain_text("khóa")
    page.screenshot(path="/tmp/confirm-submit.png")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    assert Submission.objects.get(pk=sub.pk).status == "draft"
    page.locator("[data-action=submit]").click()
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    page.wait_for_load_state()
    assert Submission.objects.get(pk=sub.pk).status == "submitted"
