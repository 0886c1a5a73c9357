"""One number limit and one set of number rules on every path (issue 14 item 4, issue 13 item 3).

Before: the web form stored up to 2^63-1 and answered 500 for a 20-digit number, while the workbook
import refused from 10^12.
"""
from __future__ import annotations

import pytest
from django.urls import reverse

from reports.submissions.models import Submission, SubmissionRow, SubmissionValue
from reports.submissions.validation import (
    MAX_NUMBER,
    Catalogue,
    Figures,
    Pair,
    check_figures,
    validate_values,
)
from reports.workbooks.export import build_unit_workbook
from reports.workbooks.services import workbook_import
from tests.submissions.test_views import CONFERENCE_ROW, section_post
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "12345678901234567890"


@pytest.fixture
def client_for(client, user_named):
    def login(username):
        client.force_login(user_named(username))
        return client

    return login


def test_a_twenty_digit_number_in_the_web_form_is_a_message_not_a_500(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    version = Submission.objects.get(pk=khun_ha_draft.pk).version
    data = section_post(khun_ha_draft, {"conference.count": TWENTY_DIGITS}, rows={"conference.rows": []})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Số quá lớn" in response.content.decode()
    assert Submission.objects.get(pk=khun_ha_draft.pk).version == version
    assert SubmissionValue.objects.get(submission=khun_ha_draft, indicator__code="conference.count").number == 2


def test_a_twenty_digit_number_in_a_row_is_refused(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    row = {**CONFERENCE_ROW, "attendance": TWENTY_DIGITS}
    response = client.post(url, section_post(khun_ha_draft, {}, rows={"conference.rows": [row]}))
    assert response.status_code == 200
    assert "Số quá lớn" in response.content.decode()
    assert not SubmissionRow.objects.filter(submission=khun_ha_draft, indicator__code="conference.rows").exists()


def test_the_limit_is_the_same_in_the_form_and_the_workbook(khun_ha_draft, user_named):
    ok, _ = validate_values(submission=khun_ha_draft, values={"conference.count": MAX_NUMBER})
    assert [e.code for e in ok] == []
    over, _ = validate_values(submission=khun_ha_draft, values={"conference.count": MAX_NUMBER + 1})
    assert [e.code for e in over] == ["too_large"]

    entry = user_named("tam-duong-khun-ha.entry")
    book = build_unit_workbook(plan=khun_ha_draft.plan, unit=khun_ha_draft.unit, user=entry)

    def put(number):
        return edit(book, lambda wb: setattr(value_cell(wb["Hội nghị"], "conference.count"), "value", number))

    refused = workbook_import(data=put(MAX_NUMBER + 1), filename="x.xlsx", user=entry)
    assert refused.errors and "tối đa là 999.999.999.999" in str(refused.errors[0])
    assert "tối đa là 999.999.999.999" in over[0].message
    accepted = workbook_import(data=put(MAX_NUMBER), filename="x.xlsx", user=entry)
    assert accepted.errors == []


# --- the rules as pure functions: no database --------------------------------------------------------

CATALOGUE = Catalogue(
    labels={"members.required": "Đảng viên phải học", "members.studied": "Đảng viên đã học",
            "conference.attendance": "Lượt người dự hội nghị", "cell_meeting.attendance": "Lượt người sinh hoạt",
            "nonmembers.studied": "Quần chúng đã học"},
    numbers=frozenset({"members.required", "members.studied", "conference.attendance",
                       "cell_meeting.attendance", "nonmembers.studied"}),
    pairs=(Pair("members.studied", "Đảng viên đã học", "members.required", "Đảng viên phải học"),),
)


@pytest.mark.django_db(False)
def test_rules_see_stored_plus_new_values():
    # the numerator is new, the denominator stored
    figures = Figures.build(new={"members.studied": 120}, stored={"members.required": 110}, catalogue=CATALOGUE)
    errors, _ = check_figures(figures)
    assert [(e.code, e.indicator) for e in errors] == [("numerator_above_denominator", "members.studied")]
    assert "(120) không được lớn hơn đảng viên phải học (110)" in errors[0].message
    # a stored pair that is already wrong does not block saving something else
    figures = Figures.build(new={"nonmembers.studied": 1}, catalogue=CATALOGUE,
                            stored={"members.studied": 120, "members.required": 110, "conference.attendance": 500})
    assert check_figures(figures) == ([], [])
    # the same value as stored is no change
    figures = Figures.build(new={"members.studied": 120}, stored={"members.studied": 120, "members.required": 110},
                            catalogue=CATALOGUE)
    assert check_figures(figures) == ([], [])


@pytest.mark.django_db(False)
def test_attendance_and_outlier_rules_are_pure():
    figures = Figures.build(new={"conference.attendance": 10}, stored={"members.studied": 30},
                            catalogue=CATALOGUE)
    errors, _ = check_figures(figures)
    assert [e.code for e in errors] == ["attendance_below_people"]
    figures = Figures.build(new={"members.studied": 900}, stored={}, catalogue=CATALOGUE,
                            earlier={"members.studied": (100, 120)})
    errors, warnings = check_figures(figures)
    assert errors == [] and [w.code for w in warnings] == ["outlier"]
