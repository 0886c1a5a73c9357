"""Applying a district workbook goes through the bulk submission services: queries do not grow with the
number of units, a refused unit is named and nothing is saved; the status board offers the district file."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.submissions.models import Submission, SubmissionEvent, SubmissionValue, ValueChange
from reports.workbooks.export import build_district_workbook
from reports.workbooks.selectors import units_to_fill
from reports.workbooks.services import workbook_import
from tests.workbooks.wbhelpers import district_cell, edit


def _fill(data: bytes, codes: list[str]) -> bytes:
    def change(wb):
        for code in codes:
            district_cell(wb["Hội nghị"], code, "conference.count").value = 3
            district_cell(wb["Số người học tập"], code, "members.required").value = 100
            district_cell(wb["Số người học tập"], code, "members.studied").value = 90

    return edit(data, change)


def _district(demo, user):
    reviewer = user("tam-duong.reviewer")
    plan = demo["251-CV/BTGHU"]  # open: Khun Há draft, Bình Lư submitted, others not started
    units = list(units_to_fill(plan=plan, user=reviewer))
    editable = [u.code for u in units if not Submission.objects.filter(plan=plan, unit=u).exclude(
        status__in=[Submission.Status.DRAFT, Submission.Status.RETURNED]).exists()]
    return reviewer, plan, build_district_workbook(plan=plan, units=units, root=units[0], user=reviewer), editable


def test_applying_many_units_takes_as_many_queries_as_a_few(demo, user):
    reviewer, plan, data, editable = _district(demo, user)
    # Units not started yet (the district's own row and Khun Há's draft would add their own statements).
    fresh = [c for c in editable if c not in ("tam-duong", "tam-duong-khun-ha")]
    few, many = fresh[:2], fresh[2:22]
    counts = []
    for codes in (few, many):
        # A fresh export each time: the second file must not carry the first one's old values. A fresh user
        # object too, as each request has: the user's lineage is read once per request and kept on it.
        reviewer, _plan, exported, _editable = _district(demo, user)
        payload = _fill(exported, codes)
        with CaptureQueriesContext(connection) as queries:
            analysis = workbook_import(data=payload, filename="huyen.xlsx", user=reviewer)
        assert analysis.errors == [], analysis.errors[:3]
        assert analysis.changed_count == 3 * len(codes)
        counts.append(len(queries))
    # The 20 units' file carries outlier warnings (the 2 units' none): recording the officer's confirmation of
    # them is a fixed few statements (select, one insert, its savepoint), not one per unit.
    assert counts[0] <= counts[1] <= counts[0] + 4
    saved = Submission.objects.filter(plan=plan, unit__code__in=many)
    assert saved.count() == 20 and all(s.version == 1 and s.entered_on_behalf for s in saved)
    assert ValueChange.objects.filter(submission__in=saved, source="file:huyen.xlsx").count() == 60
    assert SubmissionEvent.objects.filter(submission__in=saved, action="create").count() == 20
    assert SubmissionEvent.objects.filter(submission__in=saved, action="save", reason="file:huyen.xlsx").count() == 20
    assert set(SubmissionValue.objects.filter(submission__in=saved, indicator__code="members.studied")
               .values_list("number", flat=True)) == {90}


def test_a_unit_behind_a_signed_report_refuses_the_whole_file(demo, user):
    from reports.documents.models import Report

    reviewer, plan, data, editable = _district(demo, user)
    khun_ha = Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha")
    Report.objects.create(plan=plan, source_plan=plan, unit=khun_ha.unit, issuing_body=plan.issuing_body,
                          status=Report.Status.SIGNED, as_of=dt.datetime(2026, 12, 11, tzinfo=dt.UTC),
                          summary="x", signer_title="T", signer_name="A")
    audits, values = ValueChange.objects.count(), SubmissionValue.objects.count()
    submissions = Submission.objects.count()
    analysis = workbook_import(data=_fill(data, editable[:6] + ["tam-duong-khun-ha"]), filename="huyen.xlsx",
                               user=reviewer)
    assert len(analysis.errors) == 1 and analysis.targets == []
    assert "đã ký số" in analysis.errors[0].message
    assert analysis.errors[0].unit == khun_ha.unit.name
    assert (ValueChange.objects.count(), SubmissionValue.objects.count(), Submission.objects.count()) == (
        audits, values, submissions)


def test_status_board_offers_the_district_workbook(demo, login):
    plan = demo["251-CV/BTGHU"]
    page = login("tam-duong.reviewer").get(reverse("plans:status", args=[plan.pk])).content.decode()
    assert 'data-role="district-workbook-buttons"' in page
    assert reverse("workbooks:download_district", args=[plan.pk]) in page
    assert reverse("workbooks:upload_plan", args=[plan.pk]) in page
