"""Separation of duties around signing: the password again before signing or issuing when the last
authentication is old; a unit admin cannot take over a leader (no password setting, no roles it lacks,
no leaders or văn thư); role and password changes are recorded; a password change ends other sessions."""
from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from reports.signing import reauth
from reports.signing.models import SigningRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(draft_report, user_named, monkeypatch):
    from reports.signing import services
    from tests.signing.helpers import tiny_pdf

    monkeypatch.setattr("reports.signing.services.render_report", lambda report: tiny_pdf())
    services.report_send_for_approval(report=draft_report, user=user_named("tam-duong.reviewer"))
    return services.report_approve(report=draft_report, user=user_named("tam-duong.leader"))


def test_signing_asks_for_the_password_when_the_login_is_old(approved, user_named, settings):
    from demo.users import DEMO_PASSWORD

    client = Client()
    assert client.login(username="tam-duong.leader", password=DEMO_PASSWORD)
    session = client.session
    session[reauth.SESSION_KEY] = time.time() - settings.SIGNING_REAUTH_SECONDS - 5
    session.save()
    leader = user_named("tam-duong.leader")
    leader.last_login = leader.last_login.replace(year=2020)
    leader.save(update_fields=["last_login"])
    url = reverse("signing:report_action", args=[approved.pk, "ky"])
    asked = client.post(url)
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("signing:reauth"))
    assert not SigningRequest.objects.exists()
    wrong = client.post(asked["Location"], {"password": "sai-mat-khau"})
    assert "Mật khẩu không đúng." in wrong.content.decode()
    ok = client.post(asked["Location"], {"password": DEMO_PASSWORD, "next": approved.get_absolute_url()})
    assert ok["Location"] == approved.get_absolute_url()
    signed = client.post(url)
    assert signed["Location"].startswith("/ky-so/ky/") and SigningRequest.objects.count() == 1


def test_reauth_does_not_redirect_elsewhere(demo, login):
    client = login("tam-duong.leader")
    from demo.users import DEMO_PASSWORD

    response = client.post(reverse("signing:reauth"), {"password": DEMO_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def _staff_form(staff, **overrides) -> dict:
    data = {"user": staff.user_id, "unit": staff.unit_id, "title": staff.title}
    for name in ("is_entry", "is_reviewer", "is_leader", "is_clerk", "is_unit_admin"):
        if overrides.get(name, getattr(staff, name)):
            data[name] = "on"
    return data


def test_unit_admin_cannot_set_another_users_password(demo, login, user_named):
    leader = user_named("tam-duong.leader")
    client = login("tam-duong.admin")
    url = reverse("admin:auth_user_password_change", args=[leader.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "MatKhauMoi-2026!", "password2": "MatKhauMoi-2026!"})
    assert response.status_code == 403
    leader.refresh_from_db()
    from demo.users import DEMO_PASSWORD

    assert leader.check_password(DEMO_PASSWORD)


def test_unit_admin_cannot_make_leaders_clerks_or_roles_it_lacks(demo, login, user_named):
    from units.models import AccessChange, Staff

    client = login("tam-duong.admin")
    recorded = AccessChange.objects.count()
    entry = Staff.objects.get(user__username="tam-duong.entry")
    url = reverse("admin:units_staff_change", args=[entry.pk])
    page = client.get(url).content.decode()
    assert 'name="is_leader"' not in page and 'name="is_clerk"' not in page and 'name="is_reviewer"' not in page
    client.post(url, _staff_form(entry, is_leader=True, is_clerk=True, is_reviewer=True))
    entry.refresh_from_db()
    assert not (entry.is_leader or entry.is_clerk or entry.is_reviewer)
    own = Staff.objects.get(user__username="tam-duong.admin")  # itself included
    client.post(reverse("admin:units_staff_change", args=[own.pk]), _staff_form(own, is_leader=True, is_reviewer=True))
    own.refresh_from_db()
    assert not own.is_leader and not own.is_reviewer
    assert AccessChange.objects.count() == recorded  # nothing changed, nothing recorded


def test_role_and_password_changes_are_recorded_and_visible(demo, login, user_named):
    from units.models import AccessChange, Staff

    superuser = login("admin")
    entry = Staff.objects.get(user__username="tam-duong.entry")
    superuser.post(reverse("admin:units_staff_change", args=[entry.pk]), _staff_form(entry, is_clerk=True))
    entry.refresh_from_db()
    assert entry.is_clerk
    change = AccessChange.objects.filter(user=entry.user, kind="roles").latest("at")
    assert change.changed_by.username == "admin" and "is_clerk" in change.after and "is_clerk" not in change.before
    url = reverse("admin:auth_user_password_change", args=[entry.user_id])
    superuser.post(url, {"password1": "MatKhauMoi-2026!", "password2": "MatKhauMoi-2026!"})
    assert AccessChange.objects.filter(user=entry.user, kind="password", changed_by__username="admin").exists()
    listing = login("tam-duong.admin").get(reverse("admin:units_accesschange_changelist")).content.decode()
    assert "tam-duong.entry" in listing
    outside = login("ha-tinh-khoi.leader").get(reverse("admin:units_accesschange_changelist"))
    assert outside.status_code in (302, 403)


def test_a_password_change_ends_the_users_other_sessions(demo, user_named, settings):
    from django.contrib.auth import update_session_auth_hash
    from django.test import RequestFactory

    from demo.users import DEMO_PASSWORD

    other = Client()
    assert other.login(username="tam-duong.leader", password=DEMO_PASSWORD)
    assert other.get(reverse("home")).status_code == 200
    this = Client()
    assert this.login(username="tam-duong.leader", password=DEMO_PASSWORD)
    leader = user_named("tam-duong.leader")
    leader.set_password("MatKhauMoi-2026!")
    leader.save()
    request = RequestFactory().get("/")
    request.session = this.session
    request.user = leader
    update_session_auth_hash(request, leader)  # what the password page does for the session in use
    request.session.save()
    this.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    assert other.get(reverse("home")).status_code == 302  # the other session is over
    assert this.get(reverse("home")).status_code == 200
