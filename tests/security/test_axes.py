"""Login lockout (django-axes): 5 failed logins lock username+address for 30 minutes, in Vietnamese."""
from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

PASSWORD = "mat-khau-dung-2024"


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("tam-duong.thu", password=PASSWORD)


def _login(client, password, address="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": "tam-duong.thu", "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_lock_out_after_five_with_vietnamese_page(client, officer):
    for attempt in range(4):
        response = _login(client, "sai-mat-khau")
        assert response.status_code == 200, attempt
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = _login(client, "sai-mat-khau")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "5 lần" in page and "30 phút" in page
    # While locked out even the right password is refused, and no session is created.
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address_and_ends_after_cool_off(client, officer):
    for _ in range(5):
        _login(client, "sai-mat-khau")
    assert _login(client, PASSWORD).status_code == 429
    # A colleague behind another address is not affected.
    assert _login(client, PASSWORD, address="10.0.0.8").status_code == 302
    client.logout()
    # 31 minutes later the lock has expired.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_success_resets_the_count(client, officer):
    for _ in range(4):
        _login(client, "sai-mat-khau")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "sai-mat-khau").status_code == 200


def test_admin_login_is_protected_too(client, officer):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "tam-duong.thu", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
