"""The freeze after signing tells the truth and holds on every path (issue 14 item 6, issue 13: one rule).

Before: a draft that was not part of the signed report was refused "its figures were rolled into it",
and a returned submission not part of it could still be submitted and accepted after signing, so the
live status contradicted the signed report.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.documents.models import Report
from reports.submissions import services
from reports.submissions.freeze import frozen_reason
from reports.submissions.models import Submission

pytestmark = pytest.mark.django_db

NOT_IN = "không có số liệu của báo cáo này"
IN = "đã được tổng hợp vào báo cáo"


@pytest.fixture
def signed(open_plan, user_named):
    """Tam Đường signs its report on the open plan now: Bình Lư is ACCEPTED before, Khun Há is a draft."""
    reviewer = user_named("tam-duong.reviewer")
    binh_lu = Submission.objects.get(plan=open_plan, unit__code="tam-duong-binh-lu")
    services.submission_accept(submission=binh_lu, user=reviewer)
    report = Report.objects.create(plan=open_plan, source_plan=open_plan, unit=binh_lu.unit.get_parent(),
                                   issuing_body=open_plan.issuing_body, status=Report.Status.SIGNED,
                                   as_of=timezone.now(), signed_at=timezone.now() + dt.timedelta(seconds=1),
                                   summary="x", signer_title="T", signer_name="A")
    return report


def test_a_draft_outside_the_signed_report_is_told_so(signed, khun_ha_draft, user_named):
    reason = frozen_reason(Submission.objects.select_related("unit").get(pk=khun_ha_draft.pk))
    assert reason is not None and not reason.included
    with pytest.raises(ValidationError) as refused:
        services.submission_save_values(submission=khun_ha_draft, user=user_named("tam-duong-khun-ha.entry"),
                                        values={"conference.count": 5}, source="form:test")
    assert NOT_IN in refused.value.messages[0] and IN not in refused.value.messages[0]
    with pytest.raises(ValidationError, match=NOT_IN):
        services.submission_submit(submission=khun_ha_draft, user=user_named("tam-duong-khun-ha.entry"))


def test_a_returned_submission_cannot_be_submitted_and_accepted_after_signing(open_plan, user_named):
    reviewer = user_named("tam-duong.reviewer")
    binh_lu = Submission.objects.get(plan=open_plan, unit__code="tam-duong-binh-lu")
    services.submission_return(submission=binh_lu, user=reviewer, reason="Bổ sung số liệu")
    Report.objects.create(plan=open_plan, source_plan=open_plan, unit=binh_lu.unit.get_parent(),
                          issuing_body=open_plan.issuing_body, status=Report.Status.SIGNED, as_of=timezone.now(),
                          signed_at=timezone.now(), summary="x", signer_title="T", signer_name="A")
    with pytest.raises(ValidationError, match=NOT_IN):
        services.submission_submit(submission=binh_lu, user=user_named("tam-duong-binh-lu.entry"))
    Submission.objects.filter(pk=binh_lu.pk).update(status=Submission.Status.SUBMITTED)  # as if it slipped in
    with pytest.raises(ValidationError, match=NOT_IN):
        services.submission_accept(submission=binh_lu, user=reviewer)
    assert Submission.objects.get(pk=binh_lu.pk).status == Submission.Status.SUBMITTED


def test_an_accepted_submission_is_part_of_the_report(signed, open_plan, user_named, client):
    binh_lu = Submission.objects.select_related("unit").get(plan=open_plan, unit__code="tam-duong-binh-lu")
    reason = frozen_reason(binh_lu)
    assert reason is not None and reason.included and IN in reason.message
    with pytest.raises(ValidationError, match=IN):
        services.submission_reopen(submission=binh_lu, user=user_named("tam-duong.reviewer"), reason="Sửa")
    # the web path says the same, without a 500
    client.force_login(user_named("tam-duong.reviewer"))
    response = client.post(reverse("submissions:reopen", args=[binh_lu.pk]),
                           {"version": str(binh_lu.version), "reason": "Sửa lại số liệu hội nghị"}, follow=True)
    assert response.status_code == 200 and IN in response.content.decode()
    assert Submission.objects.get(pk=binh_lu.pk).status == Submission.Status.ACCEPTED


def test_a_commune_moved_away_later_stays_behind_the_report_it_was_rolled_into(signed, open_plan, user_named):
    """The tree is the plan's (as of its issue day): moving Bình Lư to the province afterwards does not
    unfreeze its figures in Tam Đường's signed report."""
    from units.models import Unit, UnitVersion

    binh_lu = Submission.objects.select_related("unit").get(plan=open_plan, unit__code="tam-duong-binh-lu")
    province = binh_lu.unit.get_parent().get_parent()
    moved_on = open_plan.issued_on + dt.timedelta(days=400)
    version = UnitVersion.objects.get(unit=binh_lu.unit, valid_to__isnull=True)
    UnitVersion.objects.filter(pk=version.pk).update(valid_to=moved_on)
    UnitVersion.objects.create(unit=binh_lu.unit, name=version.name, kind=version.kind, parent=province,
                               valid_from=moved_on)
    Unit.objects.get(pk=binh_lu.unit_id).move(Unit.objects.get(pk=province.pk), "last-child")
    binh_lu = Submission.objects.select_related("unit").get(pk=binh_lu.pk)
    assert binh_lu.unit.get_parent().pk == province.pk  # today's tree: no longer under Tam Đường
    reason = frozen_reason(binh_lu)
    assert reason is not None and reason.included


def test_the_page_says_why_and_offers_no_action(signed, open_plan, khun_ha_draft, client, user_named):
    client.force_login(user_named("tam-duong.reviewer"))
    binh_lu = Submission.objects.get(plan=open_plan, unit__code="tam-duong-binh-lu")
    html = client.get(reverse("submissions:detail", args=[binh_lu.pk])).content.decode()
    assert 'data-role="frozen"' in html and IN in html and 'data-action="reopen"' not in html
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    html = client.get(reverse("submissions:detail", args=[khun_ha_draft.pk])).content.decode()
    assert NOT_IN in html and 'data-action="submit"' not in html
    section = client.get(reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])).content.decode()
    assert "Lưu nháp" not in section  # read-only
