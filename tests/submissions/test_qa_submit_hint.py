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


@pytest.mark.parametrize("username", ["tam-duong.reviewer", "lai-chau.reviewer", "tam-duong-binh-lu.entry"])
def test_submission_links_back_to_its_plan_and_reachable_status_board(client_for, binh_lu_submitted, username):
    client = client_for(username)
    html = client.get(reverse("submissions:detail", args=[binh_lu_submitted.pk])).content.decode()
    assert binh_lu_submitted.plan.get_absolute_url() in html
    board = reverse("plans:status", args=[binh_lu_submitted.plan.pk])
    if board in html:  # shown to reviewers only, and then it must open
        assert username.endswith(".reviewer")
        assert client.get(board).status_code == 200
    else:
        assert not username.endswith(".reviewer")


def test_start_page_has_a_way_back_to_the_status_board(client_for, open_plan):
    html = client_for("tam-duong.reviewer").get(
        reverse("submissions:start", kwargs={"plan": open_plan.pk, "unit": "tam-duong-ban-bo"})).content.decode()
    assert reverse("plans:status", args=[open_plan.pk]) in html and open_plan.get_absolute_url() in html


def test_excel_upload_only_for_who_may_edit_the_submission_now(client_for, khun_ha_draft):
    url = reverse("submissions:detail", args=[khun_ha_draft.pk])
    assert b'data-action="upload-workbook"' in client_for("tam-duong-khun-ha.entry").get(url).content
    # The district's entry officer enters on the commune's behalf (issue 16.6): the upload is offered to them too.
    assert b'data-action="upload-workbook"' in client_for("tam-duong.entry").get(url).content
    # The district's leader may look at the commune's draft but not change it: no upload button.
    response = client_for("tam-duong.leader").get(url)
    assert response.status_code == 200 and b'data-action="upload-workbook"' not in response.content
    assert b'data-action="download-workbook"' in response.content
