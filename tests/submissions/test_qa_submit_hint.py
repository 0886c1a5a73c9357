"""QA walkthrough: before sending, the overview names the sections that have no figures yet."""
from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client, user_named):
    def login(username):
        client.force_login(user_named(username))
        return client

    return login


def test_overview_names_empty_sections_before_sending(client_for, khun_ha_draft):
    html = client_for("tam-duong-khun-ha.entry").get(reverse("submissions:detail", args=[khun_ha_draft.pk])).content
    html = html.decode()
    assert 'id="empty-sections"' in html
    assert "Công tác tuyên truyền" in html.split('id="empty-sections"')[1].split("</div>")[0]
    assert "Hội nghị học tập, quán triệt" not in html.split('id="empty-sections"')[1].split("</div>")[0]


def test_no_hint_for_a_reviewer_of_a_sent_submission(client_for, binh_lu_submitted):
    html = client_for("tam-duong.reviewer").get(reverse("submissions:detail", args=[binh_lu_submitted.pk])).content
    assert b'id="empty-sections"' not in html  # the reviewer cannot send it; the hint is for the sender
