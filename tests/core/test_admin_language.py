"""The admin speaks Vietnamese also where Django's own "vi" catalogue lacks a plural form (locale/vi)."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_admin_form_says_so_in_vietnamese(client):
    admin = get_user_model().objects.create_superuser("quan-tri", "qt@example.vn", "mat-khau-dai-12345")
    client.force_login(admin)
    # a user without a username: the change form comes back with its errors
    response = client.post(reverse("admin:auth_user_add"), {"username": "", "password1": "x", "password2": "y"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the" not in html
    assert "hãy sửa các lỗi được đánh dấu bên dưới" in html
