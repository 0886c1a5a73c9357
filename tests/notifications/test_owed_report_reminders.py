"""Units that relay a plan answer it with their consolidated report: their reviewers and leaders are reminded of
the deadline coming and of the report overdue, once each (also when `send_reminders` runs twice), and not at
all once the report is signed and sent. Mail through Django's in-memory back end (locmem)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Kind, Notification
from reports.documents.models import Report
from reports.submissions.notices import reminders_due
from units.models import Unit

pytestmark = pytest.mark.django_db
User = get_user_model()
BOARD = {"tam-duong.reviewer", "tam-duong.leader"}


def about_168(notes) -> dict[str, set[str]]:
    """{username: kinds} of the reminders about the province plan 168-HD/BTGTU's consolidated report."""
    out: dict[str, set[str]] = {}
    for n in notes:
        if "168-HD/BTGTU" in n.title and "tổng hợp" in n.title:
            out.setdefault(n.user.username, set()).add(n.kind)
    return out


def test_the_relaying_district_is_reminded_once_per_threshold_then_overdue(demo):
    Notification.objects.all().delete()
    plan = demo["168-HD/BTGTU"]
    assert demo["251-CV/BTGHU"].relays_id == plan.pk  # Tam Đường relays it to its communes
    three = plan.deadline - dt.timedelta(days=2)
    first = reminders_due(today=three)
    got = about_168(first)
    assert set(got) == BOARD and all(kinds == {Kind.DEADLINE_SOON} for kinds in got.values())
    note = next(n for n in first if n.user.username == "tam-duong.leader" and "168-HD/BTGTU" in n.title)
    assert "còn 2 ngày" in note.title and "Chưa lập báo cáo tổng hợp" in note.body
    assert note.url == f"/ke-hoach/{demo['251-CV/BTGHU'].pk}/"
    assert about_168(reminders_due(today=three)) == {}  # never twice
    assert about_168(reminders_due(today=three + dt.timedelta(days=1))) != {}  # the 1-day threshold
    # Tam Đường's entry staff are not asked for a submission on the province plan (it answers by report)
    assert not any(n.user.username == "tam-duong.entry" and "168-HD/BTGTU" in n.title for n in first)
    late = reminders_due(today=plan.deadline + dt.timedelta(days=1))
    got = about_168(late)
    assert set(got) == BOARD and all(kinds == {Kind.OVERDUE} for kinds in got.values())
    assert about_168(reminders_due(today=plan.deadline + dt.timedelta(days=3))) == {}


def _report(plan, unit, *, signed_at=None) -> Report:
    relay = plan.relayed_by.get(issuing_body__unit=unit)
    return Report.objects.create(
        plan=plan, source_plan=relay, unit=unit, issuing_body=relay.issuing_body, as_of=timezone.now(),
        summary="Báo cáo kết quả", signer_title="Trưởng ban", signer_name="Nguyễn Văn A",
        status=Report.Status.SIGNED if signed_at else Report.Status.DRAFT, signed_at=signed_at)


def test_a_draft_report_is_still_owed_and_a_signed_one_is_not(demo):
    Notification.objects.all().delete()
    plan = demo["168-HD/BTGTU"]
    tam_duong = Unit.objects.get(code="tam-duong")
    draft = _report(plan, tam_duong)
    notes = [n for n in reminders_due(today=plan.deadline) if "168-HD/BTGTU" in n.title and "tổng hợp" in n.title]
    assert {n.user.username for n in notes} == BOARD
    assert all(n.url == draft.get_absolute_url() and "đang soạn" in n.body for n in notes)
    Notification.objects.all().delete()
    Report.objects.filter(pk=draft.pk).delete()
    _report(plan, tam_duong, signed_at=timezone.now().replace(year=2026, month=12, day=18))
    assert about_168(reminders_due(today=plan.deadline - dt.timedelta(days=1))) == {}
    assert about_168(reminders_due(today=plan.deadline + dt.timedelta(days=1))) == {}


def test_send_reminders_mails_the_board_once_and_prints_the_count_last(demo):
    Notification.objects.all().delete()
    plan = demo["168-HD/BTGTU"]
    type(plan).objects.filter(pk=plan.pk).update(deadline=timezone.localdate() + dt.timedelta(days=3))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    n = len(mail.outbox)
    assert last == f"Đã gửi {n} thông báo"
    to_board = [m for m in mail.outbox if "168-HD/BTGTU" in m.subject and "tổng hợp" in m.subject]
    assert sorted(m.to[0] for m in to_board) == ["tam-duong.leader@example.org", "tam-duong.reviewer@example.org"]
    assert "Kính gửi đồng chí" in to_board[0].body and "/ke-hoach/" in to_board[0].body
    out2 = io.StringIO()
    call_command("send_reminders", stdout=out2)
    assert out2.getvalue().strip().splitlines()[-1] == "Đã gửi 0 thông báo"
    assert len(mail.outbox) == n
