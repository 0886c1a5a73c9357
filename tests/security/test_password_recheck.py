"""A password asked again inside a session (the old password on "Đổi mật khẩu", the password before signing)
is counted like a login and held back by the same throttle: someone at an unattended open session cannot
guess it without limit. Before, both called check_password() with no count at all."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-2024"


@pytest.fixture
def officer(client):
    user = get_user_model().objects.create_user("tam-duong.thu", password=PASSWORD)
    client.force_login(user)
    return user


def _change(client, old):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": "mat-khau-moi-2026!",
                                                    "new_password2": "mat-khau-moi-2026!"}, REMOTE_ADDR="10.0.0.7")


@override_settings(AXES_ENABLED=True)
def test_guessing_the_old_password_is_held_back_and_changes_nothing(client, officer):
    for _attempt in range(5):
        response = _change(client, "doan-sai")
        assert response.status_code in (200, 429)
        assert "mat-khau-moi" not in response.content.decode()
    # held back now: even the right old password is refused, and the password stays
    response = _change(client, PASSWORD)
    assert response.status_code in (200, 429)
    page = response.content.decode()
    assert "thử lại sau" in page
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


@override_settings(AXES_ENABLED=True)
def test_a_right_old_password_before_the_limit_still_changes_it(client, officer):
    for _attempt in range(2):
        _change(client, "doan-sai")
    response = _change(client, PASSWORD)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("mat-khau-moi-2026!")


@override_settings(AXES_ENABLED=True)
def test_guessing_the_password_before_signing_is_held_back(client, officer):
    for _attempt in range(5):
        client.post(reverse("signing:reauth"), {"password": "doan-sai"}, REMOTE_ADDR="10.0.0.8")
    response = client.post(reverse("signing:reauth"), {"password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code in (200, 429)
    assert "thử lại sau" in response.content.decode()
