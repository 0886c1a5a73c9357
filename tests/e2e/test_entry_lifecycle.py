"""End to end in a real Chromium: a commune officer fills every section of 251-CV/BTGHU and submits, the
district reviewer returns it, the officer fixes and resubmits, the reviewer accepts (locked), and the
reviewer enters a missing unit's figures on its behalf. Screenshots go to /tmp/e2e-entry-*.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/e2e-entry-{}.png"


@pytest.fixture
def demo_data(transactional_db):
    from demo.seed import run_demo_seed

    run_demo_seed()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name), full_page=True)


def fig(page: Page, code: str):
    return page.locator(f'input[name="v-{code.replace(".", "-")}"]')


def fill_row(page: Page, prefix: str, index: int, values: dict) -> None:
    for name, value in values.items():
        field = page.locator(f'[name="{prefix}-{index}-{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def status_badge(page: Page):
    return page.locator("h1 [data-status]")


def confirm(page: Page) -> None:
    page.locator("#confirm-dialog [data-confirm-ok]").click()


def test_entry_return_resubmit_accept_and_on_behalf(demo_data, browser_page: Page, live_url):
    from reports.plans.models import Plan
    from reports.submissions.models import Submission

    page = browser_page
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    khun_ha = Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha")

    # --- the commune officer fills every section ---------------------------------------------------
    log_in(page, live_url, "tam-duong-khun-ha.entry")
    page.goto(live_url("submissions:list"))
    page.locator("tr", has_text="251-CV/BTGHU").get_by_role("link", name="Đảng ủy xã Khun Há").click()
    expect(status_badge(page)).to_have_text("Đang nhập")
    page.locator("[data-section=conference]").click()

    # Conference: figures, two conference rows (the second added with the "Thêm dòng" button).
    fig(page, "conference.count").fill("30")
    fig(page, "conference.attendance").fill("300")
    fig(page, "cell_meeting.count").fill("12")
    fig(page, "cell_meeting.attendance").fill("216")
    fig(page, "summer_class.count").fill("1")
    fig(page, "summer_class.learners").fill("45")
    prefix = "r-conference-rows"
    fill_row(page, prefix, 0, {"date": "2026-10-15", "title": "Hội nghị học tập các văn bản mới của Trung ương",
                               "level": "own", "format": "in_person", "points": "1",
                               "presenters": "Bí thư Đảng ủy xã", "documents": "Kết luận số 57-KL/TW",
                               "attendance": "180"})
    page.click(f"[data-add-row={prefix}]")
    fill_row(page, prefix, 1, {"date": "2026-11-02", "title": "Hội nghị trực tuyến toàn tỉnh", "level": "connected",
                               "format": "online", "points": "1", "presenters": "Báo cáo viên Tỉnh ủy",
                               "documents": "Chỉ thị số 24-CT/TW", "attendance": "120"})
    page.click("[data-action=save]")
    # 30 conferences is far from Khun Há's earlier periods (4): a warning to confirm.
    expect(page.locator("[data-testid=warnings]")).to_contain_text("khác xa các kỳ trước")
    shot(page, "01-warning")
    fig(page, "conference.count").fill("3")
    page.check("input[name=confirm]")  # the warning stays until saved; confirming is allowed
    page.click("[data-action=save-next]")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nháp")

    # People: the rate is shown live while typing.
    expect(page).to_have_url(re.compile(r"/muc/people/$"))
    fig(page, "members.studied").fill("100")
    fig(page, "members.required").fill("110")
    pairs = page.locator("[data-rate-pair]")
    expect(pairs.nth(0).locator("[data-rate-output]")).to_have_text("90,9%")
    fig(page, "nonmembers.studied").fill("50")
    fig(page, "nonmembers.required").fill("83")
    expect(pairs.nth(1).locator("[data-rate-output]")).to_have_text("60,2%")
    fig(page, "members.required").fill("2.468")
    fig(page, "members.studied").fill("2.419")
    expect(pairs.nth(0).locator("[data-rate-output]")).to_have_text("98,0%")
    fig(page, "members.required").fill("110")
    fig(page, "members.studied").fill("100")
    shot(page, "02-people-live-rate")
    page.click("[data-action=save-next]")
    expect(page.locator(".alert-success")).to_be_visible()

    # Propaganda grid.
    expect(page).to_have_url(re.compile(r"/muc/propaganda/$"))
    fig(page, "propaganda.mass_meeting.sessions").fill("8")
    fig(page, "propaganda.mass_meeting.reach").fill("693")
    fig(page, "propaganda.loudspeaker.sessions").fill("3")
    fig(page, "propaganda.loudspeaker.minutes").fill("90")
    fig(page, "propaganda.social.items").fill("6")
    page.click("[data-action=save-next]")
    expect(page.locator(".alert-success")).to_be_visible()

    # Issued documents.
    expect(page).to_have_url(re.compile(r"/muc/documents/$"))
    fill_row(page, "r-documents-rows", 0, {"number": "45-KH/ĐU", "date": "2026-10-05",
                                           "title": "Kế hoạch tổ chức học tập, quán triệt các văn bản mới"})
    page.click("[data-action=save-next]")
    expect(page.locator(".alert-success")).to_be_visible()

    # Narrative.
    expect(page).to_have_url(re.compile(r"/muc/narrative/$"))
    page.fill('textarea[name="v-narrative-leadership"]', "Đảng ủy xã ban hành kế hoạch, chỉ đạo các chi bộ.")
    page.fill('textarea[name="v-narrative-strengths"]', "Các chi bộ tổ chức học tập nghiêm túc.")
    page.fill('textarea[name="v-narrative-limitations"]', "Một số bản xa, đi lại khó khăn.")
    page.click("[data-action=save-done]")
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "03-overview-before-submit")
    page.click("[data-action=submit]")
    confirm(page)  # the dialog says what will happen; the step runs only when confirmed
    expect(status_badge(page)).to_have_text("Đã gửi")
    assert page.locator("[data-action=submit]").count() == 0

    # --- the district reviewer returns it with a reason ------------------------------------------
    log_in(page, live_url, "tam-duong.reviewer")
    page.goto(live_url("submissions:detail", pk=khun_ha.pk))
    page.locator("form:has([data-action=return]) textarea[name=reason]").fill(
        "Số người chưa là đảng viên đã học tập chưa đúng, đề nghị kiểm tra lại.")
    page.click("[data-action=return]")
    confirm(page)  # the dialog says what will happen; the step runs only when confirmed
    expect(status_badge(page)).to_have_text("Trả lại")

    # --- the officer fixes and resubmits ----------------------------------------------------------
    log_in(page, live_url, "tam-duong-khun-ha.entry")
    page.goto(live_url("submissions:detail", pk=khun_ha.pk))
    expect(page.locator("[data-testid=return-reason]")).to_contain_text("chưa đúng")
    shot(page, "04-returned")
    page.locator("[data-section=people]").click()
    fig(page, "nonmembers.studied").fill("55")
    expect(page.locator("[data-rate-pair]").nth(1).locator("[data-rate-output]")).to_have_text("66,3%")
    page.click("[data-action=save]")
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("link", name="Tổng quan").click()
    expect(page.locator("[data-action=submit]")).to_contain_text("Gửi lại báo cáo")
    page.click("[data-action=submit]")
    confirm(page)  # the dialog says what will happen; the step runs only when confirmed
    expect(status_badge(page)).to_have_text("Đã gửi")

    # --- the reviewer accepts; it can no longer be edited -----------------------------------------
    log_in(page, live_url, "tam-duong.reviewer")
    page.goto(live_url("submissions:detail", pk=khun_ha.pk))
    page.click("[data-action=accept]")
    confirm(page)  # the dialog says what will happen; the step runs only when confirmed
    expect(status_badge(page)).to_have_text("Đã tiếp nhận")
    log_in(page, live_url, "tam-duong-khun-ha.entry")
    page.goto(live_url("submissions:section", pk=khun_ha.pk, section="people"))
    expect(page.locator("fieldset[disabled]")).to_have_count(1)
    assert page.locator("[data-action=save]").count() == 0
    assert fig(page, "nonmembers.studied").is_disabled()
    shot(page, "05-accepted-locked")
    khun_ha.refresh_from_db()
    assert khun_ha.status == Submission.Status.ACCEPTED
    values = {v.indicator.code: v.number for v in khun_ha.values.select_related("indicator")}
    assert values["nonmembers.studied"] == 55 and values["conference.count"] == 3
    assert khun_ha.rows.filter(indicator__code="conference.rows").count() == 2

    # --- the reviewer enters a missing unit on its behalf -----------------------------------------
    log_in(page, live_url, "tam-duong.reviewer")
    assert not Submission.objects.filter(plan=plan, unit__code="tam-duong-ban-bo").exists()
    # From the plan's status board: the missing unit's "Nhập thay" button opens the start page.
    page.goto(live_url("plans:status", pk=plan.pk))
    page.locator("tr", has_text="Đảng ủy xã Bản Bo").get_by_role("link", name="Nhập thay").click()
    expect(page).to_have_url(re.compile(r"/ke-hoach/\d+/don-vi/tam-duong-ban-bo/$"))
    shot(page, "06a-start-on-behalf")
    # How the figures came is recorded before entering on a unit's behalf (phone is the default channel).
    page.fill("input[name=sender]", "Đ/c Tẩn Văn Sơn, cán bộ tuyên giáo xã")
    page.fill("input[name=received_on]", "20/11/2026")
    page.click("[data-action=start]")
    expect(page).to_have_url(re.compile(r"/muc/conference/$"))
    expect(page.locator(".alert-info")).to_contain_text("nhập thay")
    fig(page, "conference.count").fill("4")
    fig(page, "conference.attendance").fill("240")
    fig(page, "cell_meeting.count").fill("12")
    fig(page, "cell_meeting.attendance").fill("216")
    page.click("[data-action=save-next]")
    fig(page, "members.studied").fill("148")
    fig(page, "members.required").fill("150")
    page.click("[data-action=save]")
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("link", name="Tổng quan").click()
    page.click("[data-action=submit]")
    confirm(page)  # the dialog says what will happen; the step runs only when confirmed
    expect(status_badge(page)).to_have_text("Đã gửi")
    expect(page.locator("[data-testid=on-behalf]")).to_contain_text("Nhập thay bởi Lê Thị Mai")
    expect(page.locator("main")).to_contain_text("Tẩn Văn Sơn")
    shot(page, "06b-on-behalf")
    page.goto(live_url("submissions:history", pk=Submission.objects.get(plan=plan, unit__code="tam-duong-ban-bo").pk))
    expect(page.locator("[data-testid=changes]")).to_contain_text("nhập thay đơn vị")
    shot(page, "07-history")
    ban_bo = Submission.objects.get(plan=plan, unit__code="tam-duong-ban-bo")
    assert ban_bo.entered_on_behalf and ban_bo.status == Submission.Status.SUBMITTED
