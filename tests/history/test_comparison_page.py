"""The page "So với cùng kỳ": a plan's roll-up rows beside an earlier plan's accepted figures, the figures of
dissolved or merged units added into the unit that took them over, scoped like the dashboard."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.formatting import format_number
from reports.plans.models import Plan
from reports.rollup.rules import rollup
from tests.demo_fixtures import module_demo
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_demo(django_db_blocker, reorganised=True) as plans:
        yield plans


def _plan(reference: str) -> Plan:
    return Plan.objects.get(reference=reference)


def _login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _row(html: str, code: str) -> str:
    start = html.index(f'data-unit="{code}"')
    return html[start:html.index("</tr>", start)]


def test_the_merged_communes_2023_figures_appear_in_their_2026_rows(demo, client):
    p168, p132 = _plan("168-HD/BTGDVTU"), _plan("132-HD/BTGTU")
    # what the 2023 roll-up of Tam Đường said of Khun Há and Bản Bo (merged into Khun Há on 01/7/2025)
    rows_2023 = {r.code: r for r in rollup(plan=p132, unit=Unit.objects.get(code="tam-duong")).subordinates}
    studied_2023 = sum(rows_2023[c].totals["members.studied"] for c in ("tam-duong-khun-ha", "tam-duong-ban-bo"))
    assert studied_2023 > rows_2023["tam-duong-khun-ha"].totals["members.studied"] > 0

    _login(client, "lai-chau.reviewer")
    dashboard = client.get(reverse("documents:dashboard", args=[p168.pk])).content.decode()
    link = reverse("documents:comparison", args=[p168.pk]) + "?unit=lai-chau"
    assert f'href="{link}"' in dashboard

    response = client.get(link)  # no earlier plan picked: the most recent earlier one, 132-HD/BTGTU
    assert response.status_code == 200
    page = response.context["page"]
    assert page.comparison.earlier_plan == p132
    html = response.content.decode()
    khun_ha = _row(html, "tam-duong-khun-ha")
    assert "Đảng ủy xã Bản Bo" in khun_ha and "Đảng ủy xã Khun Há" in khun_ha
    codes = [code for code, _label in page.indicators]
    row = next(r for r in page.table if r["code"] == "tam-duong-khun-ha")
    now, before, change = row["cells"][codes.index("members.studied")]
    assert before == studied_2023 and change == now - studied_2023
    assert f'<td class="num text-muted">{format_number(before)}</td>' in khun_ha
    # the whole former district's 2023 members (seed 004: 2.419) are in the province's 2026 rows
    assert page.totals[codes.index("members.studied")][1] == 2419
    assert "2.419" in html[html.index('id="comparison-totals"'):]
    # the district's own 05 conferences (no successor) stand on a row of their own and count in the total: 79
    assert page.totals[codes.index("conference.count")][1] == 79
    apart = html[html.index('id="comparison-unattributed"'):html.index('id="comparison-totals"')]
    assert "Huyện ủy Tam Đường (giải thể ngày 01/7/2025)" in apart and ">5<" in apart.replace(" ", "")
    # a unit new in 2025 had nothing the same period
    assert "Cùng kỳ: không có số liệu" in _row(html, "lai-chau-ubnd")


def test_picking_the_earlier_plan_and_refusing_one_not_offered(demo, client):
    p168, p132 = _plan("168-HD/BTGDVTU"), _plan("132-HD/BTGTU")
    _login(client, "lai-chau.reviewer")
    url = reverse("documents:comparison", args=[p168.pk])
    response = client.get(url, {"unit": "lai-chau", "earlier": p132.pk})
    assert response.status_code == 200 and response.context["page"].comparison.earlier_plan == p132
    assert f'<option value="{p132.pk}" selected>' in response.content.decode()
    # a later plan, a relay (its figures are in the plan it relays) or a foreign plan is not offered: 404
    offered = {p.pk for p in response.context["page"].candidates}
    for other in Plan.objects.exclude(pk__in=offered):
        assert client.get(url, {"unit": "lai-chau", "earlier": other.pk}).status_code == 404
    assert client.get(url, {"unit": "lai-chau", "earlier": "x"}).status_code == 404


def test_a_user_outside_the_subtree_gets_404(demo, client):
    p168 = _plan("168-HD/BTGDVTU")
    url = reverse("documents:comparison", args=[p168.pk])
    _login(client, "ha-tinh-khoi.reviewer")
    assert client.get(url).status_code == 404
    assert client.get(url, {"unit": "lai-chau"}).status_code == 404
    # a commune sees its own row only, never its province's
    _login(client, "tam-duong-khun-ha.reviewer")
    assert client.get(url, {"unit": "lai-chau"}).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    assert [r["code"] for r in response.context["page"].table] == ["tam-duong-khun-ha"]
