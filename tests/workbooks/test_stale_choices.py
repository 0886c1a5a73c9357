"""Issue 14 item 8: a file that may be older than the web values (no provenance in "_meta") lists every
conflicting value with a choice ("Giữ số trên web" / "Lấy số trong tệp"), no default; confirming applies
the file's other values and the chosen ones in one transaction; a missing choice saves nothing."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.submissions import services
from reports.submissions.models import Submission, SubmissionValue
from reports.workbooks import layout
from reports.workbooks.export import MIME, build_unit_workbook
from reports.workbooks.importer import conflict_key
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(demo, db):
    return Submission.objects.select_related("plan", "unit").get(plan__reference="251-CV/BTGHU",
                                                                 unit__code="tam-duong-khun-ha")


def _number(draft, code):
    value = SubmissionValue.objects.filter(submission=draft, indicator__code=code).first()
    return value.number if value else None


def _stale_upload(draft, login):
    """Download, then the web is edited (7, 300), then the old file without its export time comes back
    with 9 and 350 over them and a new value (summer classes, empty on the web)."""
    client = login("tam-duong-khun-ha.entry")
    from django.contrib.auth import get_user_model
    user = get_user_model().objects.get(username="tam-duong-khun-ha.entry")
    book = build_unit_workbook(plan=draft.plan, unit=draft.unit, user=user)
    services.submission_save_values(submission=Submission.objects.get(pk=draft.pk), user=user,
                                    values={"conference.count": 7, "conference.attendance": 300},
                                    source="form:test")

    def old_file(wb):
        ws = wb["Hội nghị"]
        value_cell(ws, "conference.count").value = 9
        value_cell(ws, "conference.attendance").value = 350
        value_cell(ws, "summer_class.count").value = 4
        for row in wb[layout.META_SHEET].iter_rows(min_col=1, max_col=2):
            if row[0].value == "exported_at":
                row[1].value = None

    data = edit(book, old_file)
    url = reverse("workbooks:upload_submission", args=[draft.pk])
    response = client.post(url, {"file": SimpleUploadedFile("cu.xlsx", data, content_type=MIME)})
    return client, response


def test_conflicts_are_listed_with_a_choice_and_nothing_is_saved(draft, login):
    _client, response = _stale_upload(draft, login)
    assert response.status_code == 200
    page = response.content.decode()
    keys = {c.key for c in response.context["conflicts"]}
    assert keys == {conflict_key(draft.unit.code, "conference.count"),
                    conflict_key(draft.unit.code, "conference.attendance")}
    assert page.count("Giữ số trên web") >= 2 and page.count("Lấy số trong tệp") >= 2
    assert " checked" not in page.split('data-role="conflict-table"')[1].split("</table>")[0]  # no default
    assert _number(draft, "conference.count") == 7 and _number(draft, "summer_class.count") is None


def test_the_chosen_values_and_the_rest_of_the_file_are_saved(draft, login):
    client, response = _stale_upload(draft, login)
    token = response.context["token"]
    code = draft.unit.code
    response = client.post(reverse("workbooks:confirm", args=[token]), {
        f"choice-{conflict_key(code, 'conference.count')}": "web",
        f"choice-{conflict_key(code, 'conference.attendance')}": "file",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _number(draft, "conference.count") == 7  # kept on the web
    assert _number(draft, "conference.attendance") == 350  # taken from the file
    assert _number(draft, "summer_class.count") == 4  # not a conflict: applied


def test_a_missing_choice_saves_nothing_and_says_which(draft, login):
    client, response = _stale_upload(draft, login)
    token = response.context["token"]
    code = draft.unit.code
    response = client.post(reverse("workbooks:confirm", args=[token]), {
        f"choice-{conflict_key(code, 'conference.count')}": "file",
        f"choice-{conflict_key(code, 'conference.attendance')}": "maybe",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "chưa chọn" in page and "Chưa có gì được lưu" in page
    errors = [str(e) for e in response.context["analysis"].errors]
    assert len(errors) == 1 and "(300)" in errors[0], errors
    assert _number(draft, "conference.count") == 7 and _number(draft, "conference.attendance") == 300
    assert _number(draft, "summer_class.count") is None
    # The page keeps the choice made and the same upload: choosing the missing one now saves.
    assert 'value="file" checked' in page
    response = client.post(reverse("workbooks:confirm", args=[token]), {
        f"choice-{conflict_key(code, 'conference.count')}": "file",
        f"choice-{conflict_key(code, 'conference.attendance')}": "web",
    })
    assert response.status_code == 302
    assert _number(draft, "conference.count") == 9 and _number(draft, "conference.attendance") == 300
    assert _number(draft, "summer_class.count") == 4
