"""Entry on a unit's behalf always records how the figures came, on every path through one rule
(`services.behalf_sources_ensure`): a section saved on the web (the first save asks for the source in the same
form), its autosave (refused until then, nothing lost), a unit workbook uploaded on the unit's behalf (the
confirmation asks), and the bulk service of district workbooks. Without it: a Vietnamese message, nothing saved."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.submissions import services
from reports.submissions.models import BehalfSource, Submission, SubmissionValue
from reports.workbooks.export import MIME, build_unit_workbook
from tests.workbooks.wbhelpers import edit, value_cell

User = get_user_model()
SOURCE = {"behalf-channel": "phone", "behalf-sender": "Đ/c Tẩn Văn Sơn, cán bộ tuyên giáo xã",
          "behalf-received_on": "27/11/2026", "behalf-note": ""}


@pytest.fixture
def district_client(client, user_named):
    client.force_login(user_named("tam-duong.entry"))
    return client


@pytest.fixture
def draft(khun_ha_draft):
    """Khun Há's draft, started by the commune itself: no source recorded (the district opens it directly)."""
    assert not khun_ha_draft.behalf_sources.exists()
    return khun_ha_draft


def summer(submission):
    return SubmissionValue.objects.filter(submission=submission, indicator__code="summer_class.count").values_list(
        "number", flat=True).first()


def section_post(submission, value, **extra) -> dict:
    data = {"version": str(submission.version), "v-summer_class-count": str(value),
            "r-conference-rows-TOTAL_FORMS": "0", "r-conference-rows-INITIAL_FORMS": "0"}
    data.update(extra)
    return data


def test_web_section_save_on_behalf_asks_the_source_in_the_same_form(district_client, draft):
    url = reverse("submissions:section", args=[draft.pk, "conference"])
    page = district_client.get(url).content.decode()
    assert 'data-testid="behalf-source-fields"' in page and 'name="behalf-sender"' in page
    before = summer(draft)
    refused = district_client.post(url, section_post(draft, 9))
    html = refused.content.decode()
    assert refused.status_code == 200 and "hãy ghi trước số liệu nhận qua đâu" in html
    assert 'value="9"' in html  # what was typed is still in the form
    assert summer(draft) == before and not draft.behalf_sources.exists()
    saved = district_client.post(url, section_post(draft, 9, **SOURCE))
    assert saved.status_code == 302
    assert summer(draft) == 9
    source = draft.behalf_sources.get()
    assert (source.channel, source.sender, source.entered_by.username) == (
        "phone", "Đ/c Tẩn Văn Sơn, cán bộ tuyên giáo xã", "tam-duong.entry")
    # recorded once: the next save does not ask again
    draft.refresh_from_db()
    assert 'name="behalf-sender"' not in district_client.get(url).content.decode()
    assert district_client.post(url, section_post(draft, 10)).status_code == 302 and summer(draft) == 10


def test_autosave_on_behalf_waits_for_the_source(district_client, draft):
    url = reverse("submissions:section", args=[draft.pk, "conference"])
    before = summer(draft)
    body = district_client.post(url, section_post(draft, 11, autosave="1")).json()
    assert body["saved"] is False and body["needs_source"] is True and "nguồn số liệu" in body["message"]
    assert summer(draft) == before and not draft.behalf_sources.exists()
    # a half-typed source in the form is never recorded by an autosave
    body = district_client.post(url, section_post(draft, 11, autosave="1", **SOURCE)).json()
    assert body["saved"] is False and not draft.behalf_sources.exists()
    BehalfSource.objects.create(submission=draft, channel="email", sender="Văn phòng Đảng ủy xã",
                                received_on="2026-11-26", entered_by=User.objects.get(username="tam-duong.entry"))
    body = district_client.post(url, section_post(draft, 11, autosave="1")).json()
    assert body["saved"] is True and summer(draft) == 11


def test_the_units_own_officer_is_never_asked(client, user_named, draft):
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    url = reverse("submissions:section", args=[draft.pk, "conference"])
    assert 'name="behalf-sender"' not in client.get(url).content.decode()
    assert client.post(url, section_post(draft, 12, autosave="1")).json()["saved"] is True


def test_unit_workbook_uploaded_on_behalf_asks_the_source_on_confirmation(district_client, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = edit(build_unit_workbook(plan=draft.plan, unit=draft.unit),
                lambda wb: setattr(value_cell(wb["Hội nghị"], "summer_class.count"), "value", 13))
    resp = district_client.post(reverse("workbooks:upload_submission", args=[draft.pk]),
                                {"file": SimpleUploadedFile("khun-ha.xlsx", data, content_type=MIME)})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'data-testid="behalf-source-fields"' in html and "Khun Há" in html
    token = resp.context["token"]
    before = summer(draft)
    refused = district_client.post(reverse("workbooks:confirm", args=[token]))
    assert refused.status_code == 400 and "hãy ghi trước số liệu nhận qua đâu" in refused.content.decode()
    assert summer(draft) == before and not draft.behalf_sources.exists()
    done = district_client.post(reverse("workbooks:confirm", args=[token]),
                                {**SOURCE, "behalf-channel": "email", "behalf-sender": "Văn phòng Đảng ủy xã"})
    assert done.status_code == 302
    assert summer(draft) == 13
    assert draft.behalf_sources.get().channel == "email"


def test_bulk_save_of_a_district_file_names_the_units_without_a_source(user_named, open_plan):
    entry = user_named("tam-duong.entry")
    subs = list(Submission.objects.filter(plan=open_plan, status=Submission.Status.DRAFT)[:2])
    assert subs
    changes = [(s, {"summer_class.count": 4}) for s in subs]
    with pytest.raises(ValidationError) as refused:
        services.submissions_save_values_bulk(changes=changes, user=entry, source="file:x.xlsx", require_source=True)
    assert subs[0].unit_name in refused.value.messages[0]
    assert not SubmissionValue.objects.filter(submission__in=subs, indicator__code="summer_class.count",
                                              number=4).exists()
    services.submissions_save_values_bulk(
        changes=changes, user=entry, source="file:x.xlsx", require_source=True,
        behalf_source={"channel": "paper", "sender": "Các xã", "received_on": open_plan.issued_on, "note": ""})
    assert BehalfSource.objects.filter(submission__in=subs).count() == len(subs)
