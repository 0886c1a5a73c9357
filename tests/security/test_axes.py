"""Login throttling (django-axes + core/login_throttle.py), issue 14 item 9.

Before: the lock was per user name AND address: from a shared address anyone could lock a known user
out for a flat 30 minutes, one address could try any number of user names, and with a proxy count
of 1 a client reaching gunicorn directly forged X-Forwarded-For to dodge or aim the lock.
Now: per user name and per address separately, a delay that starts at 1 minute and doubles, and
X-Forwarded-For read only from a trusted proxy.
"""
from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse

from core.login_throttle import client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

PASSWORD = "mat-khau-dung-2024"


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("tam-duong.thu", password=PASSWORD)


def _login(client, password, address="10.0.0.7", username="tam-duong.thu", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address,
                       **headers)


def _later(minutes: float) -> None:
    """Move every recorded failure `minutes` into the past."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - dt.timedelta(minutes=minutes))


def test_five_wrong_passwords_hold_the_user_back_one_minute_with_a_vietnamese_page(client, officer):
    for attempt in range(4):
        response = _login(client, "sai-mat-khau")
        assert response.status_code == 200, attempt
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = _login(client, "sai-mat-khau")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page and "thử lại sau 1 phút" in page and "tăng gấp đôi" in page
    assert response.headers["Retry-After"] == "60"
    # While held back even the right password is refused, and no session is created.
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # A minute later the right password works.
    _later(1.1)
    assert _login(client, PASSWORD).status_code == 302


def test_the_delay_grows_with_every_further_failure(client, officer):
    for _ in range(5):
        _login(client, "sai-mat-khau")
    waits = []
    for _ in range(5):
        _later(31)  # past any delay so far
        assert _login(client, "sai-mat-khau").status_code == 429  # this failure is counted, then held back
        waits.append(int(_login(client, PASSWORD).headers["Retry-After"]) // 60)
    assert waits == [2, 4, 8, 16, 30]


def test_a_user_name_is_counted_over_all_addresses(client, officer):
    """Guessing one account's password from five addresses does not give five times the tries."""
    for n in range(5):
        _login(client, "sai-mat-khau", address=f"10.0.1.{n}")
    assert _login(client, PASSWORD, address="10.0.9.9").status_code == 429


def test_a_shared_address_is_not_locked_by_colleagues_mistakes(client, officer):
    colleague = get_user_model().objects.create_user("tam-duong.lan", password=PASSWORD)
    for n in range(4):
        _login(client, "sai", username=f"nguoi-{n}")  # four colleagues, one mistake each
    for _ in range(4):
        _login(client, "sai", username="tam-duong.thu")
    assert _login(client, PASSWORD, username=colleague.username).status_code == 302


def test_one_address_cannot_try_user_names_without_limit(client, officer):
    for n in range(20):
        assert _login(client, "sai", username=f"doan-{n}").status_code in (200, 429)
    response = _login(client, PASSWORD)  # even a right password from that address waits
    assert response.status_code == 429
    assert "Từ địa chỉ mạng này" in response.content.decode()
    assert _login(client, PASSWORD, address="10.0.0.8").status_code == 302  # not elsewhere


def test_success_forgets_the_users_failures_not_the_addresss(client, officer):
    for _ in range(4):
        _login(client, "sai-mat-khau")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "sai-mat-khau").status_code == 200
    # Logging into one's own account does not reset what the address tried on another's.
    get_user_model().objects.create_user("ke-doan", password=PASSWORD)
    for _ in range(4):
        _login(client, "sai", username="nan-nhan", address="10.0.5.5")
    assert _login(client, PASSWORD, username="ke-doan", address="10.0.5.5").status_code == 302
    client.logout()
    assert AccessAttempt.objects.filter(username="nan-nhan").count() == 1


def test_admin_login_is_protected_too(client, officer):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "tam-duong.thu", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


# --- the client address ---------------------------------------------------------------------------------


def _address(remote: str, forwarded: str | None = None) -> str | None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().post("/dang-nhap/", REMOTE_ADDR=remote, **headers))


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_forwarded_for_is_read_only_from_the_trusted_proxy():
    # the proxy appends the address it saw; anything left of it may be forged by the client
    assert _address("127.0.0.1", "6.6.6.6, 203.0.113.5") == "203.0.113.5"
    # a client reaching gunicorn directly cannot choose its address
    assert _address("203.0.113.7", "10.0.0.7") == "203.0.113.7"
    assert _address("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert _address("127.0.0.1") == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_the_header_is_ignored():
    assert _address("203.0.113.7", "10.0.0.7") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_forged_forwarded_for_neither_dodges_nor_aims_the_lock(client, officer):
    victim_address = "10.0.0.50"
    for n in range(20):  # a direct client pretending to be the victim's address
        _login(client, "sai", username=f"x-{n}", address="203.0.113.9", HTTP_X_FORWARDED_FOR=victim_address)
    # the victim (through the proxy) is not locked
    assert _login(client, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR=victim_address).status_code == 302
    client.logout()
    # and the attacker did not dodge its own lock by changing the header
    assert _login(client, PASSWORD, address="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
