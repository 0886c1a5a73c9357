"""Autosave of a section (static/js/entry.js posts the form with autosave=1): the same validation and
optimistic lock as "Lưu nháp", answered in JSON; a conflict saves nothing and shows both values."""
from __future__ import annotations

import pytest
from django.urls import reverse

from reports.submissions.models import SubmissionValue, ValueChange


def post_data(submission, values: dict, version: int | None = None, **extra) -> dict:
    data = {"version": str(submission.version if version is None else version), "autosave": "1",
            "r-conference-rows-TOTAL_FORMS": "0", "r-conference-rows-INITIAL_FORMS": "0"}
    for code, value in values.items():
        data["v-" + code.replace(".", "-")] = str(value)
    data.update(extra)
    return data


def value_of(submission, code):
    v = SubmissionValue.objects.filter(submission=submission, indicator__code=code).first()
    return None if v is None else v.number


@pytest.fixture
def entry_client(client, user_named):
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    return client


def test_autosave_saves_and_returns_the_new_version(entry_client, khun_ha_draft, django_assert_max_num_queries):
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    with django_assert_max_num_queries(40):
        resp = entry_client.post(url, post_data(khun_ha_draft, {"conference.count": 3, "conference.attendance": "245"}))
    body = resp.json()
    khun_ha_draft.refresh_from_db()
    assert resp.status_code == 200 and body["saved"] and body["changed"]
    assert body["version"] == khun_ha_draft.version
    assert value_of(khun_ha_draft, "conference.attendance") == 245
    assert ValueChange.objects.filter(submission=khun_ha_draft, source="autosave:conference").exists()
    # the history says it was an autosave
    html = entry_client.get(reverse("submissions:history", args=[khun_ha_draft.pk])).content.decode()
    assert "Tự lưu" in html


def test_autosave_asks_to_confirm_warnings_then_saves_when_confirmed(entry_client, khun_ha_draft):
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    typed = {"conference.count": 3, "conference.attendance": "1.250"}
    body = entry_client.post(url, post_data(khun_ha_draft, typed)).json()
    assert body["saved"] is False and body["warnings"] and not body["errors"]
    assert value_of(khun_ha_draft, "conference.attendance") != 1250
    body = entry_client.post(url, post_data(khun_ha_draft, {"conference.count": 3, "conference.attendance": "1.250"},
                                            confirm="on")).json()
    assert body["saved"] is True
    assert value_of(khun_ha_draft, "conference.attendance") == 1250


def test_autosave_refuses_bad_input_with_the_field_named(entry_client, khun_ha_draft):
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    before = khun_ha_draft.version
    typed = {"conference.count": "ba", "conference.attendance": 1}
    body = entry_client.post(url, post_data(khun_ha_draft, typed)).json()
    assert body["saved"] is False and "v-conference-count" in body["errors"]
    khun_ha_draft.refresh_from_db()
    assert khun_ha_draft.version == before


def test_autosave_conflict_shows_both_values_and_saves_nothing(entry_client, khun_ha_draft, user_named):
    from reports.submissions import services

    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    loaded = khun_ha_draft.version
    services.submission_save_values(submission=khun_ha_draft, user=user_named("tam-duong.reviewer"),
                                    values={"conference.attendance": 150}, source="form:conference")
    resp = entry_client.post(url, post_data(khun_ha_draft, {"conference.count": 2, "conference.attendance": 400},
                                            version=loaded))
    body = resp.json()
    assert resp.status_code == 409 and body["conflict"]
    row = next(r for r in body["rows"] if "dự" in r["label"].lower() or r["typed"] == "400")
    assert row["typed"] == "400" and row["current"] == "150"
    assert value_of(khun_ha_draft, "conference.attendance") == 150


def test_section_tabs_mark_done_and_empty(entry_client, khun_ha_draft):
    html = entry_client.get(reverse("submissions:section", args=[khun_ha_draft.pk, "people"])).content.decode()
    assert 'data-section="conference" data-mark="done"' in html  # the demo draft has conference figures
    assert 'data-section="documents" data-mark="empty"' in html
