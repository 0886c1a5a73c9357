"""Entry on a unit's behalf by the district's entry role: the status board and "Nhập thay" open (no 403/404),
the source of the figures (phone, paper, e-mail; from whom; when) is recorded and shown to the reviewer,
and submitting on behalf without a recorded source is refused with a clear message."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.plans.models import Plan
from reports.submissions.models import BehalfSource, Submission

pytestmark = pytest.mark.django_db
User = get_user_model()


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def _missing_unit(plan):
    from reports.plans.selectors import plan_assigned_units

    have = set(Submission.objects.filter(plan=plan).values_list("unit_id", flat=True))
    return next(u for u in plan_assigned_units(plan) if u.pk not in have and u.code != "tam-duong")


def test_district_entry_role_reads_the_board_and_enters_on_behalf(demo, client):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    unit = _missing_unit(plan)
    _login(client, "tam-duong.entry")
    board = client.get(reverse("plans:status", args=[plan.pk]))
    assert board.status_code == 200
    start = reverse("submissions:start", kwargs={"plan": plan.pk, "unit": unit.code})
    assert start in board.content.decode()
    page = client.get(start)
    assert page.status_code == 200 and 'name="sender"' in page.content.decode()
    # without the source: nothing is created, the form says what is missing
    refused = client.post(start, {"channel": "phone", "sender": "", "received_on": "28/11/2026"})
    assert refused.status_code == 400 and not Submission.objects.filter(plan=plan, unit=unit).exists()
    resp = client.post(start, {"channel": "phone", "sender": "Đ/c Lò Văn Pằng, Phó Bí thư",
                               "received_on": "27/11/2026", "note": "gọi lúc 9 giờ"})
    assert resp.status_code == 302
    sub = Submission.objects.get(plan=plan, unit=unit)
    source = sub.behalf_sources.get()
    assert (source.channel, source.sender, source.received_on.isoformat()) == (
        "phone", "Đ/c Lò Văn Pằng, Phó Bí thư", "2026-11-27")
    assert source.entered_by.username == "tam-duong.entry"
    # the reviewer sees where the figures came from
    _login(client, "tam-duong.reviewer")
    html = client.get(reverse("submissions:detail", args=[sub.pk])).content.decode()
    assert "Điện thoại" in html and "Đ/c Lò Văn Pằng, Phó Bí thư" in html and "27/11/2026" in html


def test_submitting_on_behalf_needs_a_source(demo, client):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    unit = _missing_unit(plan)
    entry = User.objects.get(username="tam-duong.entry")
    from reports.submissions import services

    sub = services.submission_get_or_create(plan=plan, unit=unit, user=entry)
    _login(client, "tam-duong.entry")
    page = client.get(reverse("submissions:section", args=[sub.pk, "conference"])).content.decode()
    assert 'data-testid="behalf-source-missing"' in page  # the section page says what is still missing
    client.post(reverse("submissions:submit", args=[sub.pk]), {"version": sub.version})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.DRAFT
    resp = client.post(reverse("submissions:behalf_source", args=[sub.pk]),
                       {"version": sub.version, "channel": "paper", "sender": "Văn phòng Đảng ủy xã",
                        "received_on": "26/11/2026"})
    assert resp.status_code == 302
    assert BehalfSource.objects.filter(submission=sub, channel="paper").exists()
    page = client.get(reverse("submissions:section", args=[sub.pk, "conference"])).content.decode()
    assert 'data-testid="behalf-source-missing"' not in page
    client.post(reverse("submissions:submit", args=[sub.pk]), {"version": sub.version})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED
    assert sub.events.filter(action="submit", on_behalf=True).exists()


def test_a_unit_officer_records_no_source_for_their_own_unit(demo, client):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    sub = Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha")
    _login(client, "tam-duong-khun-ha.entry")
    resp = client.post(reverse("submissions:behalf_source", args=[sub.pk]),
                       {"version": sub.version, "channel": "phone", "sender": "x", "received_on": "26/11/2026"})
    assert resp.status_code == 403
    assert not sub.behalf_sources.exists()


def test_an_entry_officer_of_another_district_gets_404(demo, client):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    _login(client, "ha-tinh-khoi.entry")
    assert client.get(reverse("plans:status", args=[plan.pk])).status_code == 404
