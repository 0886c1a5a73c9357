"""Export → import with no edit changes nothing; edits come back exactly, audited as imported from the file."""
from __future__ import annotations

import datetime as dt

import pytest

from reports.submissions.models import Submission, SubmissionRow, SubmissionValue, ValueChange
from reports.workbooks.export import build_district_workbook, build_unit_workbook
from reports.workbooks.importer import analyse_workbook
from reports.workbooks.selectors import stored_rows, stored_values, units_to_fill
from reports.workbooks.services import workbook_import
from tests.workbooks.wbhelpers import RICH_ROWS, RICH_VALUES, district_cell, edit, open_xlsx, value_cell

pytestmark = pytest.mark.django_db


def _snapshot(submission):
    return (stored_values([submission.pk])[submission.pk], stored_rows([submission.pk])[submission.pk])


def test_untouched_export_of_every_section_imports_with_no_change(rich, user):
    reviewer = user("lai-chau.reviewer")
    before = _snapshot(rich)
    audits = ValueChange.objects.count()
    data = build_unit_workbook(plan=rich.plan, unit=rich.unit, user=reviewer)
    analysis = workbook_import(data=data, filename="tam-duong.xlsx", user=reviewer)
    assert analysis.errors == []
    assert analysis.changed_count == 0
    assert analysis.targets == []
    assert _snapshot(rich) == before
    assert ValueChange.objects.count() == audits
    rich.refresh_from_db()
    assert rich.version == 1


def test_stored_rich_values_are_what_the_fixture_saved(rich):
    values, rows = _snapshot(rich)
    assert values["cell_meeting.attendance"] == 0  # zero stays zero
    assert "summer_class.count" not in values or values["summer_class.count"] is None  # empty stays empty
    assert values["narrative.leadership"] == RICH_VALUES["narrative.leadership"]
    assert rows["conference.rows"] == RICH_ROWS["conference.rows"]


def test_round_trip_keeps_empty_and_zero_apart(rich, user):
    reviewer = user("lai-chau.reviewer")
    data = build_unit_workbook(plan=rich.plan, unit=rich.unit, user=reviewer)

    def change(wb):
        value_cell(wb["Hội nghị"], "cell_meeting.attendance").value = None  # 0 -> empty
        value_cell(wb["Hội nghị"], "summer_class.count").value = 0  # empty -> 0

    analysis = workbook_import(data=edit(data, change), filename="sua.xlsx", user=reviewer)
    assert analysis.errors == []
    assert {(c.indicator, c.old, c.new) for c in analysis.changes} == {
        ("cell_meeting.attendance", "0", "(trống)"), ("summer_class.count", "(trống)", "0")}
    values, _rows = _snapshot(rich)
    assert values["cell_meeting.attendance"] is None
    assert values["summer_class.count"] == 0
    # And the new state round-trips too.
    again = workbook_import(data=build_unit_workbook(plan=rich.plan, unit=rich.unit), filename="x.xlsx",
                            user=reviewer)
    assert again.errors == [] and again.changed_count == 0


def test_edits_in_every_kind_of_cell_are_imported_exactly_and_audited(rich, user):
    reviewer = user("lai-chau.reviewer")
    data = build_unit_workbook(plan=rich.plan, unit=rich.unit, user=reviewer)
    new_text = "Ưu điểm: 100% chi bộ tổ chức học tập.\nNhiều dòng – có dấu “ngoặc kép”."

    def change(wb):
        value_cell(wb["Số người học tập"], "members.studied").value = 119
        value_cell(wb["Đánh giá, kiến nghị"], "narrative.strengths").value = new_text
        ws = wb["Hội nghị"]
        marker = value_cell(ws, "conference.rows", column=1).row
        first = marker + 2
        ws.cell(row=first, column=2).value = dt.datetime(2024, 3, 6)  # date
        ws.cell(row=first, column=5).value = "Trực tuyến"  # format choice by its label
        third = first + 2
        for col, value in enumerate(["21/9/2024", "Hội nghị mới ở bản Hon", "Đơn vị tổ chức",
                                     "Trực tiếp", 0, "Bí thư Đảng ủy xã", None, 40], start=2):
            ws.cell(row=third, column=col).value = value

    analysis = workbook_import(data=edit(data, change), filename="Khun Há sửa.xlsx", user=reviewer)
    assert analysis.errors == []
    values, rows = _snapshot(rich)
    assert values["members.studied"] == 119
    assert values["narrative.strengths"] == new_text
    conf = rows["conference.rows"]
    assert conf[0] == {**RICH_ROWS["conference.rows"][0], "date": "2024-03-06", "format": "online"}
    assert conf[1] == RICH_ROWS["conference.rows"][1]
    assert conf[2] == {"date": "2024-09-21", "title": "Hội nghị mới ở bản Hon", "level": "own", "format": "in_person",
                       "points": 0, "presenters": "Bí thư Đảng ủy xã", "documents": None, "attendance": 40}
    sources = set(ValueChange.objects.filter(submission=rich, source__startswith="file:").values_list("source",
                                                                                                       flat=True))
    assert sources == {"file:Khun Há sửa.xlsx"}
    # Cells are named in the change list.
    cells = {(c.sheet, c.indicator): c.cell for c in analysis.changes if c.indicator == "members.studied"}
    assert cells == {("Số người học tập", "members.studied"): "C6"}
    # The edited state exports and re-imports with no change.
    again = workbook_import(data=build_unit_workbook(plan=rich.plan, unit=rich.unit), filename="x.xlsx",
                            user=reviewer)
    assert again.errors == [] and again.changed_count == 0


def test_removing_a_list_row_and_clearing_text_are_changes(rich, user):
    reviewer = user("lai-chau.reviewer")
    data = build_unit_workbook(plan=rich.plan, unit=rich.unit)

    def change(wb):
        ws = wb["Văn bản đã ban hành"]
        first = value_cell(ws, "documents.rows", column=1).row + 2
        for col in range(1, 5):
            ws.cell(row=first, column=col).value = None
        value_cell(wb["Đánh giá, kiến nghị"], "narrative.leadership").value = None

    analysis = workbook_import(data=edit(data, change), filename="xoa.xlsx", user=reviewer)
    assert analysis.errors == []
    values, rows = _snapshot(rich)
    assert rows.get("documents.rows", []) == []
    assert values["narrative.leadership"] == ""


def test_every_demo_submission_of_the_district_round_trips(demo, user):
    reviewer = user("tam-duong.reviewer")
    plan = demo["120-CV/BTGHU"]
    audits = ValueChange.objects.count()
    for submission in Submission.objects.filter(plan=plan).select_related("unit")[:8]:
        data = build_unit_workbook(plan=plan, unit=submission.unit)
        analysis = analyse_workbook(data=data, filename="f.xlsx", user=reviewer)
        assert analysis.errors == [], submission.unit.code
        assert analysis.changed_count == 0
    own = Submission.objects.get(plan=plan, unit__code="tam-duong")  # rows, narrative with a newline
    analysis = analyse_workbook(data=build_unit_workbook(plan=plan, unit=own.unit), filename="f.xlsx", user=reviewer)
    assert analysis.errors == [] and analysis.changed_count == 0
    assert ValueChange.objects.count() == audits


def test_district_workbook_round_trips_and_fills_many_units(demo, user):
    reviewer = user("tam-duong.reviewer")
    plan = demo["251-CV/BTGHU"]  # open: Khun Há draft, Bình Lư submitted, others not started
    units = list(units_to_fill(plan=plan, user=reviewer))
    data = build_district_workbook(plan=plan, units=units, root=units[0], user=reviewer)
    untouched = workbook_import(data=data, filename="huyen.xlsx", user=reviewer)
    assert untouched.errors == [] and untouched.changed_count == 0
    assert untouched.units_read == len(units) == 52

    def change(wb):
        district_cell(wb["Hội nghị"], "tam-duong-khun-ha", "conference.count").value = 3
        district_cell(wb["Hội nghị"], "tam-duong-ban-hon", "conference.count").value = 0
        district_cell(wb["Số người học tập"], "tam-duong-ban-hon", "members.required").value = 100
        district_cell(wb["Số người học tập"], "tam-duong-ban-hon", "members.studied").value = 90

    analysis = workbook_import(data=edit(data, change), filename="huyen.xlsx", user=reviewer)
    assert analysis.errors == []
    assert analysis.changed_count == 4
    ban_hon = Submission.objects.get(plan=plan, unit__code="tam-duong-ban-hon")  # created by the import
    assert ban_hon.status == Submission.Status.DRAFT
    assert SubmissionValue.objects.get(submission=ban_hon, indicator__code="conference.count").number == 0
    khun_ha = Submission.objects.get(plan=plan, unit__code="tam-duong-khun-ha")
    assert SubmissionValue.objects.get(submission=khun_ha, indicator__code="conference.count").number == 3
    assert ValueChange.objects.filter(submission=ban_hon, source="file:huyen.xlsx").count() == 3
    assert not SubmissionRow.objects.filter(submission=ban_hon).exists()


def test_a_date_shown_as_a_day_number_is_still_a_date(rich, user):
    reviewer = user("lai-chau.reviewer")
    data = build_unit_workbook(plan=rich.plan, unit=rich.unit)

    def change(wb):
        ws = wb["Văn bản đã ban hành"]
        first = value_cell(ws, "documents.rows", column=1).row + 2
        ws.cell(row=first, column=3).value = 45322  # 31/01/2024 with the cell format set to "General"
        ws.cell(row=first, column=3).number_format = "General"

    analysis = workbook_import(data=edit(data, change), filename="so.xlsx", user=reviewer)
    assert analysis.errors == []
    assert _snapshot(rich)[1]["documents.rows"][0]["date"] == "2024-01-31"


def test_a_row_date_outside_the_plan_period_is_an_error_at_its_cell(rich, user):
    reviewer = user("lai-chau.reviewer")
    data = build_unit_workbook(plan=rich.plan, unit=rich.unit)

    def change(wb):
        ws = wb["Hội nghị"]
        first = value_cell(ws, "conference.rows", column=1).row + 2
        ws.cell(row=first + 1, column=2).value = dt.datetime(2023, 12, 1)

    analysis = workbook_import(data=edit(data, change), filename="ngay.xlsx", user=reviewer)
    assert len(analysis.errors) == 1
    error = analysis.errors[0]
    assert "nằm ngoài kỳ báo cáo" in error.message
    marker = value_cell(open_xlsx(data)["Hội nghị"], "conference.rows", column=1).row
    assert (error.sheet, error.cell) == ("Hội nghị", f"B{marker + 3}")


def test_a_unit_workbook_downloaded_before_the_unit_started_creates_its_submission(demo, user):
    from units.models import Unit

    plan = demo["251-CV/BTGHU"]
    unit = Unit.objects.get(code="tam-duong-ho-thau")
    assert not Submission.objects.filter(plan=plan, unit=unit).exists()
    data = build_unit_workbook(plan=plan, unit=unit)
    untouched = workbook_import(data=data, filename="ho-thau.xlsx", user=user("tam-duong.entry"))
    assert untouched.errors == [] and untouched.changed_count == 0
    assert not Submission.objects.filter(plan=plan, unit=unit).exists()  # nothing to save, nothing created

    def change(wb):
        value_cell(wb["Hội nghị"], "conference.count").value = 2

    analysis = workbook_import(data=edit(data, change), filename="ho-thau.xlsx", user=user("tam-duong.entry"))
    assert analysis.errors == []
    created = Submission.objects.get(plan=plan, unit=unit)
    assert created.entered_on_behalf and created.status == Submission.Status.DRAFT
