"""Deadlines both ways (issue 18.8): a report owed to the upper level is on time, late or overdue, by the one
timeliness rule, on the home page, the dashboard and the report list."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.documents.models import Report
from reports.documents.selectors import owed_report, plans_to_report_for_user
from reports.plans.models import Plan
from reports.submissions.timeliness import deadline_end

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def test_report_timeliness_follows_the_one_rule(demo):
    p132 = Plan.objects.get(reference="132-HD/BTGTU")
    end = deadline_end(p132.deadline)
    signed_on_time = Report(status=Report.Status.SIGNED, signed_at=end)
    signed_late = Report(status=Report.Status.SIGNED, signed_at=end + dt.timedelta(seconds=1))
    approved_only = Report(status=Report.Status.APPROVED)
    assert owed_report(plan=p132, answers=p132, report=signed_on_time).timeliness == "on_time"
    assert owed_report(plan=p132, answers=p132, report=signed_late).timeliness == "late"
    # Not signed (approved is not sent) after the deadline: overdue; before it: not due yet.
    assert owed_report(plan=p132, answers=p132, report=approved_only, now=end + dt.timedelta(days=1)).timeliness \
        == "missing"
    assert owed_report(plan=p132, answers=p132, report=None, now=end - dt.timedelta(days=1)).timeliness == "pending"
    assert owed_report(plan=p132, answers=p132, report=None, now=end + dt.timedelta(days=1)).timeliness_label \
        == "Quá hạn, chưa gửi"


def test_overdue_222_on_the_list_home_and_dashboard(demo, client):
    owed = {o.answers.reference: o for o in plans_to_report_for_user(user=user("tam-duong.reviewer"))}
    assert owed["222-KH/TU"].timeliness == "missing"  # due 15/12/2024, nothing sent
    assert owed["222-KH/TU"].deadline == dt.date(2024, 12, 15)
    client.force_login(user("tam-duong.reviewer"))
    html = client.get(reverse("documents:list")).content.decode()
    row = html[html.index('data-plan="222-KH/TU"'):]
    row = row[:row.index("</tr>")]
    assert 'data-timeliness="missing"' in row and "Quá hạn, chưa gửi" in row and "15/12/2024" in row
    home = client.get(reverse("home")).content.decode()
    item = home[home.index('data-plan="222-KH/TU"'):]
    assert "Quá hạn, chưa gửi" in item[:item.index("</li>")]
    dashboard = client.get(reverse("documents:dashboard", args=[Plan.objects.get(reference="222-KH/TU").pk]))
    text = dashboard.content.decode()
    assert 'id="owed-upward"' in text
    owed_part = text[text.index('id="owed-upward"'):]
    assert "Quá hạn, chưa gửi" in owed_part[:600] and "15/12/2024" in owed_part[:600]


def test_report_list_marks_each_report(demo, client):
    from reports.documents import services

    report = services.report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                           unit=user("tam-duong.reviewer").staff.unit, user=user("tam-duong.reviewer"))
    client.force_login(user("tam-duong.leader"))
    html = client.get(reverse("documents:list")).content.decode()
    row = html[html.index(f'data-report="{report.pk}"'):]
    row = row[:row.index("</tr>")]
    # 132-HD/BTGTU was due 31/10/2023 and the report is not signed: overdue.
    assert 'data-timeliness="missing"' in row and "31/10/2023" in row
