"""A unit administrator creates a user without knowing its password: the user gets a one-time link by
mail and sets the password itself. A superuser keeps Django's add form. A unit admin cannot redirect the
mail of a user holding a role it cannot grant (leader, văn thư)."""
from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from units.models import AccessChange, Staff, Unit

pytestmark = pytest.mark.django_db

ADD = "/quan-tri/auth/user/add/"
NEW = "Ho-Chi-Minh-1890!"
LINK = re.compile(r"https?://\S+/dat-mat-khau/[^/\s]+/[^/\s]+/")


def _as(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _add_data(**extra) -> dict:
    return {
        "username": "tam-duong-ban-hon.entry", "first_name": "Lò Thị", "last_name": "Hoa",
        "email": "hoa.banhon@example.vn",
        "staff-TOTAL_FORMS": 1, "staff-INITIAL_FORMS": 0, "staff-MIN_NUM_FORMS": 1, "staff-MAX_NUM_FORMS": 1,
        "staff-0-unit": Unit.objects.get(code="tam-duong-ban-hon").pk, "staff-0-title": "Cán bộ tuyên giáo",
        "staff-0-is_entry": "on", **extra,
    }


def _invite(client, **extra):
    return client.post(ADD, _add_data(**extra), follow=True)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_a_unit_admins_add_form_has_no_password(demo):
    page = _as("tam-duong.admin").get(ADD).content.decode()
    assert 'name="email"' in page and "Thư mời đặt mật khẩu" in page
    assert 'type="password"' not in page and 'name="password1"' not in page and 'name="usable_password"' not in page


def test_a_superusers_add_form_keeps_the_password_fields(demo):
    page = _as("admin").get(ADD).content.decode()
    assert 'name="password1"' in page and 'name="password2"' in page


def test_the_invited_user_sets_its_password_once_and_logs_in(demo):
    admin = _as("tam-duong.admin")
    response = _invite(admin, password1="AdminBiet-2026!",
                       password2="AdminBiet-2026!", usable_password="true")  # a posted password is ignored
    assert "Đã gửi thư mời đặt mật khẩu tới hoa.banhon@example.vn." in response.content.decode()
    user = get_user_model().objects.get(username="tam-duong-ban-hon.entry")
    assert not user.has_usable_password() and not user.check_password("AdminBiet-2026!")
    assert user.staff.unit.code == "tam-duong-ban-hon"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa.banhon@example.vn"] and "Mời đặt mật khẩu" in message.subject
    assert "Kính gửi đồng chí Lò Thị Hoa" in message.body and "tam-duong-ban-hon.entry" in message.body
    invited = AccessChange.objects.get(user=user, kind=AccessChange.Kind.INVITED)
    assert invited.changed_by.username == "tam-duong.admin" and invited.unit.code == "tam-duong-ban-hon"
    assert not AccessChange.objects.filter(user=user, kind=AccessChange.Kind.PASSWORD).exists()

    link = _path(LINK.search(message.body).group(0))
    visitor = Client()
    form = visitor.get(link, follow=True)
    page = form.content.decode()
    assert form.status_code == 200 and 'name="new_password1"' in page and "tam-duong-ban-hon.entry" in page
    short = visitor.post(form.redirect_chain[-1][0], {"new_password1": "ngan", "new_password2": "ngan"})
    assert "Mật khẩu quá ngắn" in short.content.decode()
    done = visitor.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_set_done")
    assert "Đã đặt mật khẩu" in visitor.get(done["Location"]).content.decode()
    assert Client().login(username="tam-duong-ban-hon.entry", password=NEW)
    set_by_link = AccessChange.objects.get(user=user, kind=AccessChange.Kind.LINK)
    assert set_by_link.changed_by == user

    again = Client().get(link, follow=True).content.decode()  # the link works once
    assert "Liên kết đặt mật khẩu không dùng được" in again and 'name="new_password1"' not in again


def test_a_tampered_link_gets_a_clear_vietnamese_page_and_changes_nothing(demo):
    _invite(_as("tam-duong.admin"))
    link = _path(LINK.search(mail.outbox[0].body).group(0))
    uidb64, token = link.rstrip("/").split("/")[-2:]
    leader = get_user_model().objects.get(username="tam-duong.leader")
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    for bad in (f"/dat-mat-khau/{uidb64}/{token[:-2]}xx/",
                f"/dat-mat-khau/{urlsafe_base64_encode(force_bytes(leader.pk))}/{token}/",  # another user's id
                f"/dat-mat-khau/{uidb64}/khong-phai-ma/"):
        page = Client().get(bad, follow=True)
        assert page.status_code == 200 and "Liên kết đặt mật khẩu không dùng được" in page.content.decode()
        posted = Client().post(bad, {"new_password1": NEW, "new_password2": NEW})
        assert "Liên kết đặt mật khẩu không dùng được" in posted.content.decode()
    assert not get_user_model().objects.get(username="tam-duong-ban-hon.entry").has_usable_password()
    assert not get_user_model().objects.get(username="tam-duong.leader").check_password(NEW)


def test_the_email_is_required_and_nothing_is_created_without_it(demo):
    response = _invite(_as("tam-duong.admin"), email="")
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()
    assert not get_user_model().objects.filter(username="tam-duong-ban-hon.entry").exists() and not mail.outbox


def test_a_refused_mail_is_said_and_the_invitation_can_be_sent_again(demo, settings):
    admin = _as("tam-duong.admin")
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.Backend"
    page = _invite(admin).content.decode()
    assert "Chưa gửi được thư mời đặt mật khẩu tới hoa.banhon@example.vn" in page
    user = get_user_model().objects.get(username="tam-duong-ban-hon.entry")
    assert not AccessChange.objects.filter(user=user, kind=AccessChange.Kind.INVITED).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    leader = get_user_model().objects.get(username="tam-duong.leader")  # has a password: never re-invited
    leader.email = "leader@example.vn"
    leader.save()
    response = admin.post("/quan-tri/auth/user/", {"action": "invite_selected",
                                                   "_selected_action": [user.pk, leader.pk]}, follow=True)
    assert "Đã gửi thư mời đặt mật khẩu tới hoa.banhon@example.vn." in response.content.decode()
    assert "Bỏ qua 1 người dùng đã có mật khẩu" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["hoa.banhon@example.vn"]]


def test_a_unit_admin_cannot_change_the_email_of_a_leader_or_clerk(demo):
    admin = _as("tam-duong.admin")
    for username in ("tam-duong.leader", "tam-duong.clerk"):
        target = get_user_model().objects.get(username=username)
        target.email = f"{username}@example.vn"
        target.save()
        url = f"/quan-tri/auth/user/{target.pk}/change/"
        page = admin.get(url).content.decode()
        assert 'name="email"' not in page and f"{username}@example.vn" in page
        staff = Staff.objects.get(user=target)
        admin.post(url, {"username": username, "first_name": target.first_name, "last_name": target.last_name,
                         "email": "ke-gian@example.vn", "is_active": "on",
                         "staff-TOTAL_FORMS": 1, "staff-INITIAL_FORMS": 1, "staff-MIN_NUM_FORMS": 1,
                         "staff-MAX_NUM_FORMS": 1, "staff-0-id": staff.pk, "staff-0-user": target.pk,
                         "staff-0-unit": staff.unit_id, "staff-0-title": staff.title})
        target.refresh_from_db()
        assert target.email == f"{username}@example.vn"
    entry = get_user_model().objects.get(username="tam-duong.entry")  # a role it holds: the field is there
    assert 'name="email"' in admin.get(f"/quan-tri/auth/user/{entry.pk}/change/").content.decode()
    leader = get_user_model().objects.get(username="tam-duong.leader")  # a superuser may
    assert 'name="email"' in _as("admin").get(f"/quan-tri/auth/user/{leader.pk}/change/").content.decode()


class _Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


def test_the_invitation_through_a_real_smtp_server(demo, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = _Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        _invite(_as("tam-duong.admin"))
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    message = email.message_from_bytes(handler.messages[0], policy=email.policy.default)
    body = message.get_content()
    assert message["To"] == "hoa.banhon@example.vn" and "Mời đặt mật khẩu" in message["Subject"]
    link = _path(LINK.search(body).group(0))
    page = Client().get(link, follow=True).content.decode()
    assert 'name="new_password1"' in page


def test_a_unit_admin_sees_the_password_state_without_buttons_that_set_it(demo):
    admin = _as("tam-duong.admin")
    leader = get_user_model().objects.get(username="tam-duong.leader")
    page = admin.get(f"/quan-tri/auth/user/{leader.pk}/change/").content.decode()
    assert "Chỉ người dùng tự đổi mật khẩu của mình" in page
    assert reverse("admin:auth_user_password_change", args=[leader.pk]) not in page
