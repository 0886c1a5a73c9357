"""Out-of-scope plans and status boards are a 404 for every role (never a hint that they exist)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from reports.plans.models import Plan, Section
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_plans(demo):
    """A plan of the Hà Tĩnh bloc committee and one of Than Uyên, next to the demo's."""
    made = {}
    for ref, body_code in (("05-CV/ĐUK", "ha-tinh-khoi-duk"), ("31-CV/BTGHU", "than-uyen-btg")):
        number, rest = ref.split("-", 1)
        plan = Plan.objects.create(kind="CV", number=int(number), reference=ref,
                                   issuing_body=IssuingBody.objects.get(code=body_code),
                                   issued_on=dt.date(2026, 11, 1), title="về học tập",
                                   period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 12, 31),
                                   deadline=dt.date(2026, 12, 15))
        plan.sections.set(Section.objects.filter(code="conference"))
        made[ref] = plan
    return made


def _pk(ref: str) -> int:
    return Plan.objects.get(reference=ref).pk


# (user, plan reference, page, expected status)
CASES = [
    # Commune entry staff: sees its district's and province's plans, no status boards, nothing elsewhere.
    ("tam-duong-khun-ha.entry", "120-CV/BTGHU", "plans:detail", 200),
    ("tam-duong-khun-ha.entry", "132-HD/BTGTU", "plans:detail", 200),
    ("tam-duong-khun-ha.entry", "120-CV/BTGHU", "plans:status", 404),
    ("tam-duong-khun-ha.entry", "31-CV/BTGHU", "plans:detail", 404),
    ("tam-duong-khun-ha.entry", "05-CV/ĐUK", "plans:detail", 404),
    ("tam-duong-khun-ha.entry", "120-CV/BTGHU", "plans:relay", 404),
    # District reviewer: its own boards; the province's plan is readable but its board is not.
    ("tam-duong.reviewer", "120-CV/BTGHU", "plans:status", 200),
    ("tam-duong.reviewer", "132-HD/BTGTU", "plans:detail", 200),
    ("tam-duong.reviewer", "132-HD/BTGTU", "plans:status", 404),
    ("tam-duong.reviewer", "31-CV/BTGHU", "plans:detail", 404),
    ("tam-duong.reviewer", "31-CV/BTGHU", "plans:status", 404),
    ("tam-duong.reviewer", "05-CV/ĐUK", "plans:status", 404),
    # Province reviewer: everything in Lai Châu, nothing in Hà Tĩnh.
    ("lai-chau.reviewer", "132-HD/BTGTU", "plans:status", 200),
    ("lai-chau.reviewer", "120-CV/BTGHU", "plans:status", 200),
    ("lai-chau.reviewer", "05-CV/ĐUK", "plans:detail", 404),
    ("lai-chau.reviewer", "05-CV/ĐUK", "plans:status", 404),
    # Hà Tĩnh bloc reviewer: its own plan only.
    ("ha-tinh-khoi.reviewer", "05-CV/ĐUK", "plans:status", 200),
    ("ha-tinh-khoi.reviewer", "120-CV/BTGHU", "plans:detail", 404),
    ("ha-tinh-khoi.reviewer", "120-CV/BTGHU", "plans:status", 404),
    ("ha-tinh-khoi.reviewer", "132-HD/BTGTU", "plans:relay", 404),
    # A leader reads plans but has no status board.
    ("tam-duong.leader", "120-CV/BTGHU", "plans:detail", 200),
    ("tam-duong.leader", "120-CV/BTGHU", "plans:status", 404),
]


@pytest.mark.parametrize(("username", "reference", "page", "expected"), CASES)
def test_plan_pages_by_role(other_plans, login, username, reference, page, expected):
    response = login(username).get(reverse(page, kwargs={"pk": _pk(reference)}))
    assert response.status_code == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_out_of_scope_is_404(other_plans, login, fmt):
    url = reverse("plans:status_export", kwargs={"pk": _pk("120-CV/BTGHU"), "fmt": fmt})
    assert login("ha-tinh-khoi.reviewer").get(url).status_code == 404
    assert login("tam-duong-khun-ha.entry").get(url).status_code == 404


def test_plan_list_is_scoped(other_plans, login):
    html = login("tam-duong-khun-ha.entry").get(reverse("plans:list")).content.decode()
    assert "120-CV/BTGHU" in html and "132-HD/BTGTU" in html
    assert "31-CV/BTGHU" not in html and "05-CV/ĐUK" not in html
    html = login("ha-tinh-khoi.reviewer").get(reverse("plans:list")).content.decode()
    assert "05-CV/ĐUK" in html and "120-CV/BTGHU" not in html


def test_anonymous_is_sent_to_login(other_plans, client):
    response = client.get(reverse("plans:status", kwargs={"pk": _pk("120-CV/BTGHU")}))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_issue_form_is_for_reviewers_only(demo, login):
    assert login("tam-duong-khun-ha.entry").get(reverse("plans:create")).status_code == 404
    assert login("tam-duong.leader").get(reverse("plans:create")).status_code == 404
    assert login("tam-duong.reviewer").get(reverse("plans:create")).status_code == 200


def test_plan_list_counts_and_board_links(demo, login, django_assert_max_num_queries):
    client = login("tam-duong.reviewer")
    # + the plans of units once above or below the user's unit (one query per tree level, not per plan)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("plans:list")).content.decode()
    board_120 = reverse("plans:status", kwargs={"pk": _pk("120-CV/BTGHU")})
    assert board_120 in html
    assert reverse("plans:status", kwargs={"pk": _pk("132-HD/BTGTU")}) not in html  # the province's board
    row = html[html.index("Công văn số 120-CV/BTGHU"):html.index(board_120)]
    assert '<td class="num">51</td>' in row  # subordinate units that reported (own unit not counted)
