"""The status board before a deadline: search by name or code (accents optional), accept many at once with
the same checks as one by one (refusals listed with reasons, the rest go through), remind selected units."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from notifications.models import Kind, Notification
from reports.plans.models import Plan
from reports.submissions.models import Submission

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def plan(demo):
    return Plan.objects.get(reference="251-CV/BTGHU")


def _messages(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


def test_search_by_name_without_accents_or_code(plan, client):
    client.force_login(User.objects.get(username="tam-duong.reviewer"))
    html = client.get(reverse("plans:status", args=[plan.pk]), {"q": "khun ha"}).content.decode()
    assert 'data-unit="tam-duong-khun-ha"' in html and 'data-unit="tam-duong-binh-lu"' not in html
    html = client.get(reverse("plans:status", args=[plan.pk]), {"q": "tam-duong-binh-lu"}).content.decode()
    assert 'data-unit="tam-duong-binh-lu"' in html and 'data-unit="tam-duong-khun-ha"' not in html


def test_accept_many_lists_refusals_and_accepts_the_rest(plan, client):
    client.force_login(User.objects.get(username="tam-duong.reviewer"))
    missing = next(code for code in ("tam-duong-ban-bo", "tam-duong-son-binh", "tam-duong-ta-leng")
                   if not Submission.objects.filter(plan=plan, unit__code=code).exists())
    resp = client.post(reverse("plans:status_bulk", args=[plan.pk]), {
        "action": "accept", "unit": ["tam-duong-binh-lu", "tam-duong-khun-ha", missing]})
    assert resp.status_code == 302
    texts = _messages(resp)
    assert any(t.startswith("Đã tiếp nhận 1 báo cáo") and "Bình Lư" in t for t in texts)
    assert any("Khun Há" in t and "Chỉ tiếp nhận được báo cáo đã gửi" in t for t in texts)
    assert any("chưa có báo cáo" in t for t in texts)
    assert Submission.objects.get(plan=plan, unit__code="tam-duong-binh-lu").status == "accepted"
    assert Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha").status == "draft"
    assert Notification.objects.filter(user__username="tam-duong-binh-lu.entry", kind=Kind.ACCEPTED).exists()


def test_entry_role_cannot_accept_in_bulk_but_reminds(plan, client):
    client.force_login(User.objects.get(username="tam-duong.entry"))
    resp = client.post(reverse("plans:status_bulk", args=[plan.pk]), {
        "action": "accept", "unit": ["tam-duong-binh-lu"]})
    assert any("không có quyền" in t for t in _messages(resp))
    assert Submission.objects.get(plan=plan, unit__code="tam-duong-binh-lu").status == "submitted"
    Notification.objects.filter(kind=Kind.REMINDER).delete()
    resp = client.post(reverse("plans:status_bulk", args=[plan.pk]), {
        "action": "remind", "unit": ["tam-duong-khun-ha", "tam-duong-binh-lu"]})
    texts = _messages(resp)
    assert any(t.startswith("Đã nhắc 1 đơn vị") for t in texts)
    assert any("Không nhắc các đơn vị đã gửi báo cáo" in t and "Bình Lư" in t for t in texts)
    reminder = Notification.objects.get(user__username="tam-duong-khun-ha.entry", kind=Kind.REMINDER)
    assert "251-CV/BTGHU" in reminder.title and "Hoàng Văn Tú" in reminder.body
    # the same day again: no second reminder
    client.post(reverse("plans:status_bulk", args=[plan.pk]), {"action": "remind", "unit": ["tam-duong-khun-ha"]})
    assert Notification.objects.filter(user__username="tam-duong-khun-ha.entry", kind=Kind.REMINDER).count() == 1


def test_bulk_on_another_districts_plan_is_404(plan, client):
    client.force_login(User.objects.get(username="ha-tinh-khoi.reviewer"))
    resp = client.post(reverse("plans:status_bulk", args=[plan.pk]),
                       {"action": "accept", "unit": ["tam-duong-binh-lu"]})
    assert resp.status_code == 404
    assert Submission.objects.get(plan=plan, unit__code="tam-duong-binh-lu").status == "submitted"


def test_a_unit_relaying_the_plan_is_reminded_of_its_consolidated_report_through_its_board(demo, client):
    """Tam Đường answers the province plan with its consolidated report, not a submission: "Nhắc ngay" asks its
    reviewers and leaders (who make and sign it), not its entry staff, and links its relaying plan."""
    province = Plan.objects.get(reference="168-HD/BTGTU")
    relay = Plan.objects.get(relays=province, issuing_body__unit__code="tam-duong")
    Notification.objects.filter(kind=Kind.REMINDER).delete()
    client.force_login(User.objects.get(username="lai-chau.reviewer"))
    resp = client.post(reverse("plans:status_bulk", args=[province.pk]), {"action": "remind", "unit": ["tam-duong"]})
    assert any(t.startswith("Đã nhắc 1 đơn vị") for t in _messages(resp))
    reminded = {n.user.username: n for n in Notification.objects.filter(kind=Kind.REMINDER)}
    assert set(reminded) == {"tam-duong.reviewer", "tam-duong.leader"}
    note = reminded["tam-duong.leader"]
    assert "báo cáo tổng hợp theo 168-HD/BTGTU" in note.title and relay.reference in note.body
    assert note.url == reverse("plans:detail", kwargs={"pk": relay.pk})
