"""In a real Chromium, with the shipped agent listening on 127.0.0.1 and the demo SoftHSM2 token:
the reviewer sends the report, the leader approves and signs with one click (the agent signs on the
token and uploads), the văn thư issues (number, date, seal), the signed PDF downloads and verifies,
and a leader of another unit gets 404 for that file."""
from __future__ import annotations

import socket
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def agent(live_url, monkeypatch):
    """The agent (python -m agent serve) in a thread; the PIN prompt answered with the demo PIN."""
    from agent.pkcs11token import TokenConfig, find_module
    from agent.server import serve
    from reports.signing import hsm

    hsm.use_demo_token_conf()
    port = _free_port()
    monkeypatch.setattr("reports.signing.views.AGENT_PORT", port)
    origin = live_url("/").rstrip("/")
    prompts = []
    server = serve(config=TokenConfig(module=find_module(), token_label=django_settings.DEMO_TOKEN_LABEL),
                   origins={origin}, pin_provider=lambda body: prompts.append(body) or django_settings.DEMO_TOKEN_PIN,
                   port=port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield prompts
    server.shutdown()
    server.server_close()


def _confirm(page):
    """Steps that cannot be undone ask first (static/js/app.js): answer the dialog."""
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    page.wait_for_load_state()


def test_approve_sign_with_the_agent_issue_download_verify(browser_page, live_url, settings, agent):
    from demo.seed import run_demo_seed
    from reports.documents.services import report_get_or_create
    from reports.plans.models import Plan
    from reports.signing import selectors
    from units.models import Unit

    settings.AXES_ENABLED = False
    run_demo_seed()
    reviewer = get_user_model().objects.get(username="tam-duong.reviewer")
    report = report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                  unit=Unit.objects.get(code="tam-duong"), user=reviewer)
    page = browser_page
    log_in(page, live_url, "tam-duong.reviewer")
    page.goto(live_url(report.get_absolute_url()))
    page.fill("#signing-panel textarea[name=note]", "Kính trình Trưởng ban")
    page.click("#signing-panel >> text=Trình lãnh đạo duyệt")
    _confirm(page)
    assert "Đã trình lãnh đạo duyệt" in page.content()

    log_in(page, live_url, "tam-duong.leader")
    assert "Báo cáo chờ duyệt, ký" in page.content()
    page.goto(live_url(report.get_absolute_url()))
    page.click("#signing-panel >> text=Duyệt báo cáo")
    _confirm(page)
    page.click("#signing-panel >> text=Ký số bằng USB token")
    page.wait_for_selector("#agent-sign")
    page.click("#agent-sign")  # one click: the agent asks for the PIN, signs on the token, uploads
    page.wait_for_selector("#agent-result.text-danger, #signing-panel", timeout=120_000)
    failed = page.query_selector("#agent-result.text-danger")
    assert failed is None, failed.inner_text()
    page.wait_for_selector("text=chờ văn thư cấp số", timeout=60_000)
    assert len(agent) == 1

    log_in(page, live_url, "tam-duong.clerk")
    assert "Chờ cấp số" in page.content()
    page.goto(live_url(report.get_absolute_url()))
    page.click("#issue-button")
    _confirm(page)
    page.wait_for_selector("text=Tải PDF đã ký", timeout=120_000)
    steps = page.inner_text("#approval-steps")
    assert "Kính trình Trưởng ban" in steps and "Ký số" in steps and "Cấp số, đóng dấu" in steps
    with page.expect_download() as info:
        page.click("text=Tải PDF đã ký")
    data = open(info.value.path(), "rb").read()
    verification = selectors.verify_upload(data=data)
    assert verification.ok and verification.exact_copy, verification.message
    assert [s.field_name for s in verification.result.signatures] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    download_url = page.get_attribute("#signing-panel a:has-text('Tải PDF đã ký')", "href")

    # The verify page, as someone checking the file on a phone: the verdict fits 390 px (the SHA-256 wraps)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_url("signing:verify"))
    page.set_input_files("#id_file", info.value.path())
    with page.expect_navigation():
        page.click("#verify-form button[type=submit]")
    assert "HỢP LỆ" in page.inner_text("main")
    page.screenshot(path="/tmp/verify-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    page.set_viewport_size({"width": 1366, "height": 800})

    log_in(page, live_url, "ha-tinh-khoi.leader")
    response = page.goto(live_url(download_url))
    assert response.status == 404
