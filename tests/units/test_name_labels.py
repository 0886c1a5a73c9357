"""The admin asks for a person's names in Vietnamese order: family and middle names, then the given name."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_user_form_labels_follow_how_names_are_stored(client):
    admin = get_user_model().objects.create_superuser("quan-tri", "qt@example.vn", "mat-khau-dai-12345")
    person = get_user_model().objects.create_user("lo-thi-hoa", first_name="Lò Thị", last_name="Hoa")
    client.force_login(admin)
    html = client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    assert '<label for="id_first_name">Họ và tên đệm:</label>' in html
    assert '<label for="id_last_name">Tên:</label>' in html
    assert 'value="Lò Thị"' in html and 'value="Hoa"' in html
