"""In a real Chromium: the pages that run JavaScript work under the Content Security Policy.

Chromium reports every blocked inline script, handler, eval or foreign source on the console
("Refused to … because it violates the following Content Security Policy directive"); none may appear,
and the scripts must have run (the dashboard draws its charts, the entry page computes its live rate).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from demo.seed import run_demo_seed
    from reports.plans.models import Plan
    from reports.submissions.models import Submission

    run_demo_seed()
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    return {
        "plan": plan.pk,
        "draft": Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha").pk,
    }


def test_pages_with_scripts_run_under_the_csp(browser_page: Page, live_url, demo):
    violations: list[str] = []
    browser_page.on(
        "console",
        lambda msg: violations.append(f"{browser_page.url}: {msg.text}")
        if "Content Security Policy" in msg.text else None,
    )
    page = browser_page

    log_in(page, live_url, "tam-duong-khun-ha.entry")
    page.goto(live_url("submissions:section", pk=demo["draft"], section="people"))
    response = page.request.get(page.url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # entry.js computes the rate as the officer types.
    page.fill('input[name="v-members-studied"]', "90")
    page.fill('input[name="v-members-required"]', "100")
    page.locator('input[name="v-members-required"]').blur()
    expect(page.locator("body")).to_contain_text("90,0%")
    page.screenshot(path="/tmp/csp-entry.png", full_page=True)

    log_in(page, live_url, "tam-duong.reviewer")
    page.goto(live_url("documents:dashboard", plan=demo["plan"]))
    canvas = page.locator("canvas").first
    expect(canvas).to_be_visible()
    # Chart.js ran (a script from our static files) and sized its canvas.
    assert canvas.evaluate("c => c.width") > 0
    page.goto(live_url("plans:status", pk=demo["plan"]))
    page.screenshot(path="/tmp/csp-dashboard.png", full_page=True)

    log_in(page, live_url, "tam-duong.admin")
    page.goto(live_url("admin:units_unit_changelist"))
    expect(page.locator("#result_list")).to_be_visible()
    # The admin's own scripts (actions bar, filters) load from our static files too.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).not_to_contain_text("0 ")

    assert not violations, "\n".join(violations)

    # And the policy bites: an inline script injected into the page is refused and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                  " document.body.appendChild(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert any("inline script" in v for v in violations), violations
