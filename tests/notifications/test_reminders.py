"""Notifications: what each event tells whom, reminders once only, mail preferences, the bell, send_reminders."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, MailPreference, Notification
from notifications.services import notifications_create, notifications_send_mail
from reports.submissions import services
from reports.submissions.models import Submission
from reports.submissions.notices import reminders_due

pytestmark = pytest.mark.django_db

User = get_user_model()


def user(name):
    return User.objects.get(username=name)


def test_deadline_reminder_once_per_threshold(demo):
    Notification.objects.all().delete()
    plan = demo["251-CV/BTGHU"]
    seven_days = plan.deadline - dt.timedelta(days=6)
    first = reminders_due(today=seven_days)
    khun_ha = [n for n in first if n.user.username == "tam-duong-khun-ha.entry"]
    assert len(khun_ha) == 1 and khun_ha[0].kind == Kind.DEADLINE_SOON
    assert "251-CV/BTGHU" in khun_ha[0].title and "còn 6 ngày" in khun_ha[0].title
    # Bình Lư has submitted: not reminded of the deadline
    assert not any(n.user.username == "tam-duong-binh-lu.entry" and n.kind == Kind.DEADLINE_SOON for n in first)
    assert reminders_due(today=seven_days) == []
    assert reminders_due(today=seven_days + dt.timedelta(days=1)) == []  # still the 7-day threshold
    three = reminders_due(today=plan.deadline - dt.timedelta(days=2))
    assert any(n.user.username == "tam-duong-khun-ha.entry" for n in three)
    overdue = reminders_due(today=plan.deadline + dt.timedelta(days=1))
    assert {n.kind for n in overdue if n.user.username == "tam-duong-khun-ha.entry"} == {Kind.OVERDUE}
    assert reminders_due(today=plan.deadline + dt.timedelta(days=2)) == []


def test_send_reminders_mails_once_and_prints_the_count(demo, settings):
    Notification.objects.all().delete()
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    # Bình Lư's submission has waited for the reviewers since 20/11/2026
    n = len(mail.outbox)
    assert n >= 1 and last == f"Đã gửi {n} thông báo"
    assert any(m.to == ["tam-duong.reviewer@example.org"] and "Bình Lư" in m.subject for m in mail.outbox)
    out2 = io.StringIO()
    call_command("send_reminders", stdout=out2)
    assert out2.getvalue().strip().splitlines()[-1] == "Đã gửi 0 thông báo"
    assert len(mail.outbox) == n


def test_return_tells_the_unit_with_reason_and_preferences_switch_mail_off(demo):
    Notification.objects.all().delete()
    entry, reviewer = user("tam-duong-binh-lu.entry"), user("tam-duong.reviewer")
    MailPreference.objects.create(user=entry, kind=Kind.ACCEPTED, enabled=False)
    sub = Submission.objects.get(plan=demo["251-CV/BTGHU"], unit__code="tam-duong-binh-lu")
    services.submission_return(submission=sub, user=reviewer, reason="Thiếu số đảng viên chưa học")
    note = Notification.objects.get(user=entry, kind=Kind.RETURNED)
    assert "Thiếu số đảng viên chưa học" in note.body and note.url == sub.get_absolute_url()
    assert not Notification.objects.filter(user=reviewer, kind=Kind.RETURNED).exists()  # not the actor
    assert notifications_send_mail() >= 1
    returned = [m for m in mail.outbox if m.to == [entry.email]]
    assert len(returned) == 1 and "Thiếu số đảng viên chưa học" in returned[0].body
    # submitted again: the district's reviewers hear of it; accepted: in the bell only (mail switched off)
    services.submission_submit(submission=sub, user=entry)
    assert Notification.objects.filter(user=reviewer, kind=Kind.SUBORDINATE_RECEIVED).exists()
    services.submission_accept(submission=sub, user=reviewer)
    accepted = Notification.objects.get(user=entry, kind=Kind.ACCEPTED)
    assert accepted.mail_state == Notification.MailState.NONE


def test_reminder_key_is_unique_even_when_asked_twice(demo):
    entry = user("tam-duong-khun-ha.entry")
    args = dict(users=[entry], kind=Kind.OVERDUE, title="x", key_of=lambda u: f"test:{u.pk}")
    assert len(notifications_create(**args)) == 1
    assert notifications_create(**args) == []
    assert Notification.objects.filter(key=f"test:{entry.pk}").count() == 1


def test_refused_mail_is_retried_then_given_up(demo, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.Backend"
    settings.NOTIFY_MAIL_ATTEMPTS = 2
    Notification.objects.all().delete()
    entry = user("tam-duong-khun-ha.entry")
    note, = notifications_create(users=[entry], kind=Kind.OVERDUE, title="x")
    assert notifications_send_mail() == 0
    note.refresh_from_db()
    assert note.mail_state == Notification.MailState.PENDING
    assert notifications_send_mail() == 0
    note.refresh_from_db()
    assert note.mail_state == Notification.MailState.FAILED


def test_bell_counts_unread_and_only_the_owner_opens(demo, client):
    Notification.objects.all().delete()
    entry = user("tam-duong-khun-ha.entry")
    note, = notifications_create(users=[entry], kind=Kind.REMINDER, title="Nhắc gửi báo cáo", url="/ke-hoach/")
    client.force_login(entry)
    page = client.get(reverse("home")).content.decode()
    assert 'id="bell-count">1<' in page
    assert "Nhắc gửi báo cáo" in client.get(reverse("notifications:list")).content.decode()
    client.force_login(user("tam-duong-binh-lu.entry"))
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    client.force_login(entry)
    resp = client.get(reverse("notifications:open", args=[note.pk]))
    assert resp.status_code == 302 and resp["Location"] == "/ke-hoach/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'id="bell-count"' not in client.get(reverse("home")).content.decode()


def test_preferences_page_saves_choices(demo, client):
    entry = user("tam-duong-khun-ha.entry")
    client.force_login(entry)
    resp = client.post(reverse("notifications:preferences"), {"kinds": [Kind.RETURNED, Kind.OVERDUE]})
    assert resp.status_code == 302
    off = set(MailPreference.objects.filter(user=entry, enabled=False).values_list("kind", flat=True))
    assert Kind.RETURNED not in off and Kind.ACCEPTED in off
    note, = notifications_create(users=[entry], kind=Kind.ACCEPTED, title="x", at=timezone.now())
    assert note.mail_state == Notification.MailState.NONE
