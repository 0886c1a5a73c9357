"""Consistency inside one submission (issue 18.7): totals against the rows listed for them.

The same rules, with the same messages, on the entry page, in a unit workbook and in a district workbook;
a warning needs the officer's confirmation, which is recorded and shown to the reviewer.
"""
from __future__ import annotations

from django.urls import reverse

from reports.submissions import services
from reports.submissions.models import SubmissionEvent, SubmissionRow, SubmissionValue
from reports.submissions.validation import consistency_issues
from reports.workbooks.export import build_district_workbook, build_unit_workbook
from reports.workbooks.selectors import units_to_fill
from reports.workbooks.services import workbook_import
from tests.workbooks.wbhelpers import district_cell, edit, value_cell

ROW = {"date": "2026-10-15", "title": "Hội nghị học tập chuyên đề", "level": "own", "format": "in_person",
       "points": "1", "presenters": "Bí thư Đảng ủy", "documents": "Kết luận số 57-KL/TW"}
LABELS = {"conference.count": "Số hội nghị học tập, quán triệt", "conference.attendance": "Lượt người dự hội nghị"}


def rows(*attendances):
    return [dict(ROW, attendance=a) for a in attendances]


def codes(issues):
    return sorted(i.code for i in issues)


# --- the rules, as pure functions -------------------------------------------------------------------

def test_a_count_of_five_with_two_listed_is_a_warning():
    errors, warnings = consistency_issues(values={"conference.count": 5, "conference.attendance": 345},
                                          rows={"conference.rows": rows(200, 145)}, labels=LABELS)
    assert errors == [] and codes(warnings) == ["count_above_listed"]
    assert "Số hội nghị học tập, quán triệt là 5 nhưng danh sách chỉ có 2 hội nghị" in warnings[0].message


def test_more_listed_than_counted_is_an_error():
    errors, _ = consistency_issues(values={"conference.count": 2}, rows={"conference.rows": rows(1, 2, 3)},
                                   labels=LABELS)
    assert codes(errors) == ["count_below_listed"]


def test_listed_attendance_above_the_total_is_an_error():
    errors, _ = consistency_issues(values={"conference.count": 2, "conference.attendance": 130},
                                   rows={"conference.rows": rows(200, 145)}, labels=LABELS)
    assert codes(errors) == ["listed_above_total"]
    assert "(345)" in errors[0].message and "(130)" in errors[0].message


def test_every_conference_listed_but_attendance_short_of_the_total_is_a_warning():
    _, warnings = consistency_issues(values={"conference.count": 2, "conference.attendance": 400},
                                     rows={"conference.rows": rows(200, 145)}, labels=LABELS)
    assert codes(warnings) == ["listed_below_total"]
    # A row without attendance: the total cannot be compared.
    _, warnings = consistency_issues(values={"conference.count": 2, "conference.attendance": 400},
                                     rows={"conference.rows": rows(200, "")}, labels=LABELS)
    assert warnings == []


def test_attendance_without_events_and_issued_above_required():
    errors, warnings = consistency_issues(
        values={"cell_meeting.count": 0, "cell_meeting.attendance": 40, "ethics_standard.required": 3,
                "ethics_standard.issued": 5, "exemplary.cadres": 9, "exemplary.commitments": 4},
        rows={}, labels={})
    assert codes(errors) == ["part_above_whole", "reach_without_events"]
    assert codes(warnings) == ["part_above_whole"]


def test_consistent_figures_and_untouched_rules_are_silent():
    values = {"conference.count": 2, "conference.attendance": 345}
    assert consistency_issues(values=values, rows={"conference.rows": rows(200, 145)}, labels=LABELS) == ([], [])
    # Stored figures never block saving another section.
    bad = {"conference.count": 5, "conference.attendance": 10}
    assert consistency_issues(values=bad, rows={"conference.rows": rows(200, 145)}, labels=LABELS,
                              changed={"members.studied"}) == ([], [])


# --- on the web -------------------------------------------------------------------------------------

def section_post(submission, values, conference_rows, **extra):
    data = {"version": str(submission.version)}
    for code, value in values.items():
        data["v-" + code.replace(".", "-")] = str(value)
    prefix = "r-conference-rows"
    data.update({f"{prefix}-TOTAL_FORMS": str(len(conference_rows)), f"{prefix}-INITIAL_FORMS": "0",
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    for n, row in enumerate(conference_rows):
        for name, value in row.items():
            data[f"{prefix}-{n}-{name}"] = value
    data.update(extra)
    return data


def number(submission, code):
    value = SubmissionValue.objects.filter(submission=submission, indicator__code=code).first()
    return value.number if value else None


def test_web_refuses_listed_attendance_above_the_total(client, user_named, khun_ha_draft):
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    before = number(khun_ha_draft, "conference.attendance")
    response = client.post(url, section_post(khun_ha_draft, {"conference.count": 2, "conference.attendance": 130,
                                                             "cell_meeting.count": 0}, rows(200, 145), confirm="on"))
    assert response.status_code == 200
    assert "Tổng số người dự các hội nghị trong danh sách (345) lớn hơn lượt người dự hội nghị (130)" in (
        response.content.decode())
    assert number(khun_ha_draft, "conference.attendance") == before
    assert not SubmissionRow.objects.filter(submission=khun_ha_draft).exists()


def test_web_warning_needs_confirmation_recorded_and_shown_to_the_reviewer(client, user_named, khun_ha_draft):
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    values = {"conference.count": 5, "conference.attendance": 345, "cell_meeting.count": 0}
    response = client.post(url, section_post(khun_ha_draft, values, rows(200, 145)))
    html = response.content.decode()
    assert response.status_code == 200 and "danh sách chỉ có 2 hội nghị" in html
    assert number(khun_ha_draft, "conference.count") != 5
    response = client.post(url, section_post(khun_ha_draft, values, rows(200, 145), confirm="on"))
    assert response.status_code == 302
    assert number(khun_ha_draft, "conference.count") == 5
    event = SubmissionEvent.objects.get(submission=khun_ha_draft, action=SubmissionEvent.Action.CONFIRM)
    assert "danh sách chỉ có 2 hội nghị" in event.reason and event.user.username == "tam-duong-khun-ha.entry"
    client.force_login(user_named("tam-duong.reviewer"))
    html = client.get(reverse("submissions:detail", args=[khun_ha_draft.pk])).content.decode()
    assert 'data-testid="confirmed-warnings"' in html
    assert "danh sách chỉ có 2 hội nghị" in html and "đơn vị đã xác nhận số liệu đúng" in html


# --- in the workbooks ---------------------------------------------------------------------------------

def _two_listed_then_imported(draft, entry, code: str, value: int):
    """Khun Há's draft with 2 conferences listed for 345 people, its unit workbook with `code` changed to
    `value` in the "Hội nghị" sheet, imported by `entry`: the import's analysis."""
    services.submission_save_values(submission=draft, user=entry,
                                    values={"conference.count": 2, "conference.attendance": 345},
                                    rows={"conference.rows": [dict(r, attendance=int(r["attendance"]))
                                                              for r in rows(200, 145)]}, source="form:test")
    draft.refresh_from_db()
    data = build_unit_workbook(plan=draft.plan, unit=draft.unit, user=entry)
    data = edit(data, lambda wb: setattr(value_cell(wb["Hội nghị"], code), "value", value))
    return workbook_import(data=data, filename="khun-ha.xlsx", user=entry)


def test_unit_workbook_gives_the_same_error_as_the_web(user_named, khun_ha_draft):
    entry = user_named("tam-duong-khun-ha.entry")
    analysis = _two_listed_then_imported(khun_ha_draft, entry, "conference.attendance", 130)
    messages = [e.message for e in analysis.errors]
    assert any("Tổng số người dự các hội nghị trong danh sách (345) lớn hơn lượt người dự hội nghị (130)" in m
               for m in messages), messages
    assert number(khun_ha_draft, "conference.attendance") == 345


def test_district_workbook_gives_the_same_error(user_named, khun_ha_draft):
    entry = user_named("tam-duong-khun-ha.entry")
    services.submission_save_values(submission=khun_ha_draft, user=entry, values={"conference.count": 2},
                                    rows={"conference.rows": [dict(r, attendance=10) for r in rows(1, 2)]},
                                    source="form:test")
    reviewer = user_named("tam-duong.reviewer")
    plan = khun_ha_draft.plan
    units = list(units_to_fill(plan=plan, user=reviewer))
    data = build_district_workbook(plan=plan, units=units, root=units[0], user=reviewer)
    data = edit(data, lambda wb: setattr(district_cell(wb["Hội nghị"], "tam-duong-khun-ha", "conference.count"),
                                         "value", 1))
    analysis = workbook_import(data=data, filename="huyen.xlsx", user=reviewer)
    assert any("Số hội nghị học tập, quán triệt (1) ít hơn số hội nghị trong danh sách (2)" in e.message
               for e in analysis.errors), [e.message for e in analysis.errors]
    assert number(khun_ha_draft, "conference.count") == 2


def test_reviewer_sees_an_outlier_the_officer_confirmed(client, user_named, khun_ha_draft):
    client.force_login(user_named("tam-duong-khun-ha.entry"))
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    # 40 conferences is far from Khun Há's earlier periods: a warning the officer confirms.
    client.post(url, section_post(khun_ha_draft, {"conference.count": 40, "conference.attendance": 130,
                                                  "cell_meeting.count": 0}, [], confirm="on"))
    assert number(khun_ha_draft, "conference.count") == 40
    client.force_login(user_named("tam-duong.reviewer"))
    html = client.get(reverse("submissions:detail", args=[khun_ha_draft.pk])).content.decode()
    box = html[html.index('data-testid="confirmed-warnings"'):]
    assert "khác xa các kỳ trước" in box[:2000] and "đơn vị đã xác nhận số liệu đúng" in box[:2000]


def test_importing_a_workbook_with_a_warning_records_the_confirmation(user_named, khun_ha_draft):
    entry = user_named("tam-duong-khun-ha.entry")
    analysis = _two_listed_then_imported(khun_ha_draft, entry, "conference.count", 5)
    assert analysis.errors == [] and any("danh sách chỉ có 2 hội nghị" in w.message for w in analysis.warnings)
    assert number(khun_ha_draft, "conference.count") == 5
    event = SubmissionEvent.objects.get(submission=khun_ha_draft, action=SubmissionEvent.Action.CONFIRM)
    assert "danh sách chỉ có 2 hội nghị" in event.reason and event.user == entry
