"""reports.submissions.validation: the checks shared by the entry forms and the Excel importer."""
from __future__ import annotations

import pytest

from reports.submissions import services
from reports.submissions.validation import parse_date, parse_whole_number, validate_values


def codes(issues):
    return sorted(i.code for i in issues)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2419", 2419), ("2.419", 2419), ("2 419", 2419), ("1.234.567", 1234567), ("-5", -5), ("", None),
     (None, None), (7, 7), (3.0, 3)],
)
def test_parse_whole_number_accepts_vietnamese_grouping(text, expected):
    assert parse_whole_number(text) == expected


@pytest.mark.parametrize("text", ["2,5", "abc", "12.34", 2.5, "1.2345"])
def test_parse_whole_number_rejects_the_rest(text):
    with pytest.raises(ValueError):
        parse_whole_number(text)


def test_parse_date_forms():
    assert str(parse_date("2026-10-15")) == "2026-10-15"
    assert str(parse_date("15/10/2026")) == "2026-10-15"
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("32/13/2026")


def test_negative_and_non_numbers_are_errors(khun_ha_draft):
    errors, warnings = validate_values(submission=khun_ha_draft, values={"cell_meeting.count": -1,
                                                                        "cell_meeting.attendance": "2,5"})
    assert codes(errors) == ["negative", "not_a_number"]
    negative = next(e for e in errors if e.code == "negative")
    assert negative.indicator == "cell_meeting.count"
    assert "không được là số âm" in negative.message
    assert warnings == []


def test_numerator_above_denominator_in_the_same_save(khun_ha_draft):
    errors, _ = validate_values(submission=khun_ha_draft, values={"members.studied": "120", "members.required": 110})
    assert codes(errors) == ["numerator_above_denominator"]
    assert errors[0].indicator == "members.studied"
    assert "(120)" in errors[0].message and "(110)" in errors[0].message


def test_numerator_checked_against_the_stored_denominator(khun_ha_draft, user_named):
    user = user_named("tam-duong-khun-ha.entry")
    services.submission_save_values(submission=khun_ha_draft, user=user, values={"nonmembers.required": 83},
                                    source="form:people")
    errors, _ = validate_values(submission=khun_ha_draft, values={"nonmembers.studied": 84})
    assert codes(errors) == ["numerator_above_denominator"]
    errors, _ = validate_values(submission=khun_ha_draft, values={"nonmembers.studied": 83})
    assert errors == []


def test_row_dates_outside_the_plan_period(khun_ha_draft):
    row = {"date": "2026-09-30", "title": "Hội nghị", "level": "own", "format": "in_person", "attendance": 40}
    errors, _ = validate_values(submission=khun_ha_draft, values={}, rows={"conference.rows": [row]})
    assert codes(errors) == ["date_outside_period"]
    assert errors[0].row == 0 and errors[0].field == "date"
    assert "1/10/2026" in errors[0].message and "31/12/2026" in errors[0].message
    ok = dict(row, date="2026-10-01")
    assert validate_values(submission=khun_ha_draft, values={}, rows={"conference.rows": [ok]})[0] == []


def test_bad_row_fields(khun_ha_draft):
    row = {"date": "hôm qua", "level": "province", "attendance": "-3"}
    errors, _ = validate_values(submission=khun_ha_draft, values={}, rows={"conference.rows": [row]})
    assert codes(errors) == ["bad_choice", "bad_date", "negative"]


def test_attendance_below_unique_people(khun_ha_draft):
    # Stored: conference.attendance 130. 100 + 50 people studied > 130 attendances.
    errors, _ = validate_values(submission=khun_ha_draft,
                                values={"members.studied": 100, "nonmembers.studied": 50})
    assert codes(errors) == ["attendance_below_people"]
    assert "130" in errors[0].message and "150" in errors[0].message
    # With the cell meetings' attendance the total is enough.
    errors, _ = validate_values(submission=khun_ha_draft, values={"members.studied": 100, "nonmembers.studied": 50,
                                                                  "cell_meeting.attendance": 40})
    assert errors == []


def test_attendance_rule_only_when_attendance_is_given(binh_lu_submitted, open_plan, user_named):
    from units.models import Unit

    unit = Unit.objects.get(code="tam-duong-ban-bo")
    submission = services.submission_get_or_create(plan=open_plan, unit=unit)
    errors, _ = validate_values(submission=submission, values={"members.studied": 100, "members.required": 100})
    assert errors == []


def test_outlier_against_earlier_periods_is_a_warning(khun_ha_draft):
    # Khun Há reported 4 conferences and 12 cell meetings for 120-CV/BTGHU (2023).
    errors, warnings = validate_values(submission=khun_ha_draft, values={"conference.count": 20,
                                                                         "cell_meeting.count": 12})
    assert errors == []
    assert codes(warnings) == ["outlier"]
    assert warnings[0].indicator == "conference.count"
    assert "từ 4 đến 4" in warnings[0].message
    _, warnings = validate_values(submission=khun_ha_draft, values={"conference.count": 1})
    assert codes(warnings) == ["outlier"]
    _, warnings = validate_values(submission=khun_ha_draft, values={"conference.count": 8})
    assert warnings == []


def test_unit_without_history_gets_no_outlier_warning(open_plan):
    from units.models import Unit

    unit = Unit.objects.filter(code__startswith="tam-duong-", submissions__isnull=True).first()
    submission = services.submission_get_or_create(plan=open_plan, unit=unit)
    assert validate_values(submission=submission, values={"conference.count": 500}) == ([], [])


def test_unchanged_stored_figures_do_not_block(khun_ha_draft, user_named):
    # A bad state stored earlier (e.g. through the seed) is reported only when it is being changed.
    services.submission_save_values(submission=khun_ha_draft, user=user_named("tam-duong-khun-ha.entry"),
                                    values={"members.studied": 300}, source="form:people")
    assert validate_values(submission=khun_ha_draft, values={"members.studied": 300}) == ([], [])
    errors, _ = validate_values(submission=khun_ha_draft, values={"members.studied": 300}, changed_only=False)
    assert codes(errors) == ["attendance_below_people"]


def test_unknown_indicator(khun_ha_draft):
    errors, _ = validate_values(submission=khun_ha_draft, values={"nope.count": 1})
    assert codes(errors) == ["unknown_indicator"]


def test_validation_writes_nothing(khun_ha_draft, django_assert_max_num_queries):
    from reports.submissions.models import SubmissionValue

    before = list(SubmissionValue.objects.filter(submission=khun_ha_draft).values_list("indicator__code", "number"))
    with django_assert_max_num_queries(8):
        validate_values(submission=khun_ha_draft, values={"conference.count": -4, "members.studied": 9},
                        rows={"conference.rows": [{"date": "2020-01-01"}]})
    after = list(SubmissionValue.objects.filter(submission=khun_ha_draft).values_list("indicator__code", "number"))
    assert before == after
