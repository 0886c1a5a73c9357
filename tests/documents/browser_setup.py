"""The set-up the report browser tests share: a district of three cells with figures, its reviewer logged in
in Chromium, the consolidated report made from the report list."""
from __future__ import annotations

from tests.browser_fixtures import log_in
from tests.rollup.factory import district


def _people(studied: int, required: int, conferences: int) -> dict:
    return {"members.studied": studied, "members.required": required, "conference.count": conferences,
            "conference.attendance": 20 * conferences, "cell_meeting.count": 2}


def district_report_made_in_browser(page, live_url, code: str):
    """Make district `code` (cells 10/10, 9/12 and 20/20 members studied; 1, 2 and 3 conferences; the
    district's own 2 conferences for 90 people), log its reviewer in and make the report from the list.

    Returns (unit, plan, console_errors): the list collects the page's console errors from the start.
    """
    unit, plan, _reviewer, _cells = district(code, [_people(10, 10, 1), _people(9, 12, 2), _people(20, 20, 3)],
                                             own={"conference.count": 2, "conference.attendance": 90})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_url, f"{code}.reviewer")
    page.goto(live_url("documents:list"))
    with page.expect_navigation():
        page.click(f"tr[data-plan='{plan.reference}'] button[type=submit]")
    return unit, plan, errors
