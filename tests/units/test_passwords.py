"""Everyone changes their own password in the application (/doi-mat-khau/): officials who are not staff
have no other page for it. Django's validators apply, the change is recorded, the user's other sessions
end, the session in use and its signing re-authentication time stay."""
from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from demo.users import DEMO_PASSWORD
from units.models import AccessChange

pytestmark = pytest.mark.django_db

NEW = "Ho-Chi-Minh-1890!"


def _signed_in(username: str, password: str = DEMO_PASSWORD) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def _change(client: Client, old: str, new: str = NEW, again: str | None = None):
    return client.post(reverse("password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_an_entry_officer_changes_its_password_and_its_other_sessions_end(demo):
    officer = get_user_model().objects.get(username="tam-duong.entry")
    assert not officer.is_staff  # no Django admin for it: this page is its only way
    other = _signed_in("tam-duong.entry")
    this = _signed_in("tam-duong.entry")
    session = this.session
    session["signing_authenticated_at"] = stamp = time.time()
    session.save()
    page = this.get(reverse("home")).content.decode()
    assert reverse("password_change") in page  # linked from the header
    form = this.get(reverse("password_change"))
    assert form.status_code == 200 and 'name="old_password"' in form.content.decode()
    recorded = AccessChange.objects.filter(user=officer, kind=AccessChange.Kind.PASSWORD).count()

    done = _change(this, DEMO_PASSWORD)
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    assert "Đã đổi mật khẩu" in this.get(done["Location"]).content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW)
    change = AccessChange.objects.filter(user=officer, kind=AccessChange.Kind.PASSWORD).latest("at")
    assert AccessChange.objects.filter(user=officer, kind="password").count() == recorded + 1
    assert change.changed_by == officer and change.unit == officer.staff.unit
    assert this.get(reverse("home")).status_code == 200  # this session goes on ...
    assert this.session["signing_authenticated_at"] == stamp  # ... with its re-authentication time
    assert other.get(reverse("home")).status_code == 302  # the other one is over
    assert Client().login(username="tam-duong.entry", password=NEW)
    assert not Client().login(username="tam-duong.entry", password=DEMO_PASSWORD)


def test_a_wrong_old_password_is_refused_in_vietnamese_and_changes_nothing(demo):
    client = _signed_in("tam-duong.reviewer")
    recorded = AccessChange.objects.count()
    response = _change(client, "khong-phai-mat-khau")
    page = response.content.decode()
    assert response.status_code == 200 and "Mật khẩu cũ không chính xác" in page
    user = get_user_model().objects.get(username="tam-duong.reviewer")
    assert user.check_password(DEMO_PASSWORD) and AccessChange.objects.count() == recorded


@pytest.mark.parametrize(("new", "again", "message"), [
    ("ngan", None, "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
    ("12345678901234", None, "Mật khẩu này hoàn toàn là số."),
    ("password1234", None, "Mật khẩu này quá phổ biến."),
    (NEW, NEW + "x", "Hai trường mật khẩu không giống nhau."),
])
def test_djangos_validators_apply_in_vietnamese(demo, new, again, message):
    client = _signed_in("tam-duong.leader")
    page = _change(client, DEMO_PASSWORD, new, again).content.decode()
    assert message in page
    assert get_user_model().objects.get(username="tam-duong.leader").check_password(DEMO_PASSWORD)


def test_anonymous_users_are_sent_to_the_login_page(demo):
    for name in ("password_change", "password_change_done"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = Client().post(reverse("password_change"), {"old_password": DEMO_PASSWORD, "new_password1": NEW,
                                                          "new_password2": NEW})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
