"""Every section tab shows its mark (done, empty, error, needs review), computed on the server from the stored
figures by the one validator, whichever section is open; a fixed number of queries whatever the sections."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.plans.models import Indicator, Section
from reports.submissions.models import SubmissionEvent, SubmissionRow, SubmissionValue
from reports.submissions.validation import MAX_LIST_ROWS


@pytest.fixture
def entry_client(client, user_named):
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    return client


def store(submission, code: str, number: int) -> None:
    """A figure written straight to the database (as an import made before a rule existed would have)."""
    SubmissionValue.objects.update_or_create(submission=submission, indicator=Indicator.objects.get(code=code),
                                             defaults={"number": number, "text": ""})


def tab(html: str, code: str) -> str:
    match = re.search(r'<a class="nav-link[^"]*"[^>]*data-section="%s"[^>]*>.*?</a>' % code, html, re.S)
    assert match, code
    return match.group(0)


def page(client, submission, section: str) -> str:
    resp = client.get(reverse("submissions:section", args=[submission.pk, section]))
    assert resp.status_code == 200
    return resp.content.decode()


def test_an_error_in_section_b_marks_b_while_section_a_is_open(entry_client, khun_ha_draft):
    store(khun_ha_draft, "members.required", 100)
    store(khun_ha_draft, "members.studied", 130)  # studied above required: a hard rule refuses it
    html = page(entry_client, khun_ha_draft, "conference")
    people = tab(html, "people")
    assert 'data-mark="error"' in people
    assert "(có lỗi)" in people  # the screen reader's words beside the icon
    assert "không được lớn hơn" in people  # the message behind it, as the tab's title
    assert 'data-mark="error"' not in tab(html, "conference")
    # named under the tabs too (on a phone the tabs scroll sideways and B's tab may be out of sight)
    attention = re.search(r'data-testid="section-attention".*?</p>', html, re.S).group(0)
    assert "Kết quả học tập" in attention and "(có lỗi)" in attention
    # The overview shows the same marks.
    html = entry_client.get(reverse("submissions:detail", args=[khun_ha_draft.pk])).content.decode()
    assert 'data-mark="error"' in tab(html, "people")


def test_an_unconfirmed_warning_asks_for_review_and_a_confirmed_one_does_not(entry_client, khun_ha_draft, user_named):
    rows = Indicator.objects.get(code="conference.rows")
    SubmissionRow.objects.filter(submission=khun_ha_draft, indicator=rows).delete()
    SubmissionRow.objects.create(submission=khun_ha_draft, indicator=rows, position=0, data={"title": "Hội nghị"})
    store(khun_ha_draft, "conference.count", 3)  # three conferences, one listed: a warning to confirm
    personal = tab(page(entry_client, khun_ha_draft, "people"), "conference")
    assert 'data-mark="warning"' in personal and "(cần xem lại)" in personal
    message = re.search(r'title="([^"]*)"', personal).group(1)
    SubmissionEvent.objects.create(submission=khun_ha_draft, action=SubmissionEvent.Action.CONFIRM,
                                   user=user_named("tam-duong-khun-ha.entry"),
                                   reason=message.replace("&#x27;", "'").replace("&quot;", '"'))
    personal = tab(page(entry_client, khun_ha_draft, "people"), "conference")
    assert 'data-mark="done"' in personal and "(đã nhập)" in personal


def test_a_list_over_the_limit_needs_review(entry_client, khun_ha_draft):
    indicator = Indicator.objects.get(code="documents.rows")
    SubmissionRow.objects.bulk_create(
        SubmissionRow(submission=khun_ha_draft, indicator=indicator, position=n,
                      data={"number": f"{n}-CV/DU", "title": f"Văn bản {n}"})
        for n in range(MAX_LIST_ROWS + 3))
    documents = tab(page(entry_client, khun_ha_draft, "people"), "documents")
    assert 'data-mark="warning"' in documents
    assert "vượt mức tối đa" in documents


def test_done_and_empty_marks_with_their_texts(entry_client, khun_ha_draft):
    html = page(entry_client, khun_ha_draft, "people")
    assert 'data-mark="done"' in tab(html, "conference") and "(đã nhập)" in tab(html, "conference")
    assert 'data-mark="empty"' in tab(html, "documents") and "(chưa nhập)" in tab(html, "documents")


def test_the_open_section_with_form_errors_is_marked_error(entry_client, khun_ha_draft):
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    resp = entry_client.post(url, {"version": str(khun_ha_draft.version), "v-conference-count": "abc",
                                   "r-conference-rows-TOTAL_FORMS": "0", "r-conference-rows-INITIAL_FORMS": "0"})
    assert 'data-mark="error"' in tab(resp.content.decode(), "conference")


def test_the_marks_take_the_same_queries_for_two_sections_or_all(entry_client, khun_ha_draft):
    store(khun_ha_draft, "members.required", 100)
    store(khun_ha_draft, "members.studied", 130)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page(entry_client, khun_ha_draft, "conference")
        return len(ctx.captured_queries)

    plan = khun_ha_draft.plan
    plan.sections.set(Section.objects.all())
    seven = count()
    plan.sections.set(Section.objects.filter(code__in=["conference", "people"]))
    two = count()
    assert seven == two


def test_an_autosave_answers_every_tabs_mark_from_the_stored_figures(entry_client, khun_ha_draft):
    """static/js/entry.js sets every tab from this answer: no tab says "đã nhập" while the page would not."""
    store(khun_ha_draft, "members.required", 100)
    store(khun_ha_draft, "members.studied", 130)  # an error in another section, left as it is
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    data = {"version": str(khun_ha_draft.version), "autosave": "1", "v-conference-count": "3",
            "v-conference-attendance": "245", "r-conference-rows-TOTAL_FORMS": "0",
            "r-conference-rows-INITIAL_FORMS": "0"}
    body = entry_client.post(url, data).json()
    assert body["saved"]
    assert body["marks"]["conference"]["state"] == "done"
    assert body["marks"]["people"]["state"] == "error" and "không được lớn hơn" in body["marks"]["people"]["title"]
    assert body["marks"]["people"]["text"] == "có lỗi"
    # the same marks as a page load shows
    html = page(entry_client, khun_ha_draft, "conference")
    assert 'data-mark="error"' in tab(html, "people") and 'data-mark="done"' in tab(html, "conference")
