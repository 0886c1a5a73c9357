"""Bad files: each refused with a clear Vietnamese message, and nothing is saved."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

from reports.submissions.models import Submission, SubmissionValue, ValueChange
from reports.workbooks.export import build_unit_workbook
from reports.workbooks.importer import Expectation
from reports.workbooks.services import workbook_import
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(demo, db):
    """Khun Há's draft on the open plan 251-CV/BTGHU (conference.count = 2)."""
    return Submission.objects.select_related("plan", "unit").get(plan__reference="251-CV/BTGHU",
                                                                 unit__code="tam-duong-khun-ha")


@pytest.fixture
def entry(user):
    return user("tam-duong-khun-ha.entry")


@pytest.fixture
def workbook(draft, entry):
    return build_unit_workbook(plan=draft.plan, unit=draft.unit, user=entry)


def _with_valid_edit(wb):
    """A correct edit that would be saved if the rest of the file were right."""
    value_cell(wb["Hội nghị"], "conference.count").value = 9


def _refused(draft, entry, data, filename="tep.xlsx", expect=None):
    audits, version = ValueChange.objects.count(), Submission.objects.get(pk=draft.pk).version
    analysis = workbook_import(data=data, filename=filename, user=entry, expect=expect)
    assert analysis.errors, "the file should be refused"
    assert analysis.targets == []
    assert ValueChange.objects.count() == audits
    assert Submission.objects.get(pk=draft.pk).version == version
    assert SubmissionValue.objects.get(submission=draft, indicator__code="conference.count").number == 2
    return analysis


def _messages(analysis) -> str:
    return "\n".join(str(e) for e in analysis.errors)


def test_the_valid_edit_alone_is_saved(draft, entry, workbook):
    analysis = workbook_import(data=edit(workbook, _with_valid_edit), filename="ok.xlsx", user=entry)
    assert analysis.errors == [] and analysis.changed_count == 1
    assert SubmissionValue.objects.get(submission=draft, indicator__code="conference.count").number == 9


def test_random_bytes_are_not_an_xlsx(draft, entry):
    analysis = _refused(draft, entry, os.urandom(3000), "ngau-nhien.xlsx")
    assert "không phải là tệp Excel (.xlsx)" in _messages(analysis)


def test_an_old_xls_file_is_refused(draft, entry):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000)
    analysis = _refused(draft, entry, data, "bao-cao.xls")
    assert "tệp Excel cũ (.xls" in _messages(analysis)


def test_a_zip_that_is_not_a_workbook_is_refused(draft, entry):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    analysis = _refused(draft, entry, buffer.getvalue(), "van-ban.xlsx")
    assert "không phải là tệp Excel (.xlsx)" in _messages(analysis)


def test_a_macro_enabled_workbook_is_refused(draft, entry, workbook):
    source = zipfile.ZipFile(io.BytesIO(edit(workbook, _with_valid_edit)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            archive.writestr(info, data)
        archive.writestr("xl/vbaProject.bin", os.urandom(512))
    # Refused by its content even under an .xlsx name, and by its name.
    for name in ("bao-cao.xlsx", "bao-cao.xlsm"):
        analysis = _refused(draft, entry, buffer.getvalue(), name)
        assert "macro" in _messages(analysis)


def test_a_file_over_the_size_limit_is_refused(draft, entry, workbook, settings):
    settings.WORKBOOK_MAX_BYTES = 2000
    analysis = _refused(draft, entry, edit(workbook, _with_valid_edit))
    assert "Tệp quá lớn" in _messages(analysis)


def test_a_zip_bomb_is_refused_before_it_is_inflated(draft, entry, workbook):
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/media/bomb.xml", "w") as bomb:
            chunk = b"\0" * (1 << 20)
            for _n in range(30):  # 30 MB of zeros: about 30 KB compressed
                bomb.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 200_000
    analysis = _refused(draft, entry, data, "bom.xlsx")
    assert "bom nén" in _messages(analysis)


def test_a_zip_bomb_by_total_size_is_refused(draft, entry, workbook, settings):
    settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES = 50_000
    analysis = _refused(draft, entry, workbook)
    assert "khi giải nén quá lớn" in _messages(analysis)


def test_another_units_workbook_is_not_permitted(demo, draft, user):
    """Khun Há's file imported by Bình Lư's officer: outside their subtree."""
    other = user("tam-duong-binh-lu.entry")
    data = edit(build_unit_workbook(plan=draft.plan, unit=draft.unit), _with_valid_edit)
    analysis = _refused(draft, other, data)
    assert "Tệp không dành cho đơn vị này: mã đơn vị “tam-duong-khun-ha”" in _messages(analysis)
    assert "Khun Há" not in _messages(analysis).replace("khun-ha", "")  # no name of a unit outside the scope


def test_khun_ha_workbook_uploaded_on_another_units_submission_is_a_mismatch(demo, draft, user):
    reviewer = user("tam-duong.reviewer")
    binh_lu = Submission.objects.get(plan=draft.plan, unit__code="tam-duong-binh-lu")
    data = edit(build_unit_workbook(plan=draft.plan, unit=draft.unit), _with_valid_edit)
    expect = Expectation(plan=binh_lu.plan, unit=binh_lu.unit, kind="unit")
    analysis = _refused(draft, reviewer, data, expect=expect)
    assert "Tệp là của đơn vị “Đảng ủy xã Khun Há”, không phải đơn vị “Đảng ủy xã Bình Lư”" in _messages(analysis)


def test_another_plans_workbook_is_a_mismatch(demo, draft, entry):
    old = Submission.objects.get(plan__reference="120-CV/BTGHU", unit=draft.unit)
    data = build_unit_workbook(plan=old.plan, unit=old.unit)
    expect = Expectation(plan=draft.plan, unit=draft.unit, kind="unit")
    analysis = _refused(draft, entry, data, expect=expect)
    assert "Tệp là của kế hoạch 120-CV/BTGHU, không phải kế hoạch 251-CV/BTGHU" in _messages(analysis)


def test_a_renamed_sheet_is_refused(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        wb["Tuyên truyền"].title = "TT"

    analysis = _refused(draft, entry, edit(workbook, change))
    assert "Thiếu trang tính “Tuyên truyền” (đã bị đổi tên hoặc bị xóa). Có trang lạ: “TT”" in _messages(analysis)


def test_a_deleted_sheet_is_refused(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        wb.remove(wb["Số người học tập"])

    analysis = _refused(draft, entry, edit(workbook, change))
    assert analysis.errors[0].sheet == "Số người học tập"
    assert "Thiếu trang tính" in _messages(analysis)


def test_a_deleted_meta_sheet_is_refused(draft, entry, workbook):
    analysis = _refused(draft, entry, edit(workbook, lambda wb: wb.remove(wb["_meta"])))
    assert "không có trang ẩn “_meta”" in _messages(analysis)


def test_text_in_a_number_cell_is_refused(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        value_cell(wb["Hội nghị"], "conference.attendance").value = "một trăm"

    analysis = _refused(draft, entry, edit(workbook, change))
    error = analysis.errors[0]
    assert (error.sheet, error.cell, error.unit) == ("Hội nghị", "C6", "Đảng ủy xã Khun Há")
    assert "Ô chứa chữ (“một trăm”), cần nhập số nguyên không âm" in error.message


def test_a_formula_in_a_number_cell_is_refused(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        value_cell(wb["Hội nghị"], "conference.attendance").value = "=C5*60"

    analysis = _refused(draft, entry, edit(workbook, change))
    assert "Ô chứa công thức (=C5*60)" in _messages(analysis)


def test_negative_and_fractional_numbers_are_refused(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        value_cell(wb["Hội nghị"], "conference.attendance").value = -5
        value_cell(wb["Tuyên truyền"], "propaganda.radio_tv.minutes").value = 2.5

    analysis = _refused(draft, entry, edit(workbook, change))
    text = _messages(analysis)
    assert "Số âm (-5)" in text
    assert "2,5 không phải là số nguyên" in text


def test_merged_cells_in_the_data_area_are_refused(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        wb["Hội nghị"].merge_cells("C6:C7")

    analysis = _refused(draft, entry, edit(workbook, change))
    assert "Có ô gộp (C6:C7) trong vùng số liệu" in _messages(analysis)


def test_numerator_above_denominator_is_refused_like_the_web_form(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        value_cell(wb["Số người học tập"], "members.required").value = 100
        value_cell(wb["Số người học tập"], "members.studied").value = 120

    analysis = _refused(draft, entry, edit(workbook, change))
    error = next(e for e in analysis.errors if "không được lớn hơn" in e.message)
    assert (error.sheet, error.cell) == ("Số người học tập", "C6")


def test_every_error_of_the_file_is_listed_at_once(draft, entry, workbook):
    def change(wb):
        _with_valid_edit(wb)
        value_cell(wb["Hội nghị"], "conference.attendance").value = "abc"
        value_cell(wb["Tuyên truyền"], "propaganda.banner.items").value = -1
        ws = wb["Hội nghị"]
        first = value_cell(ws, "conference.rows", column=1).row + 2
        ws.cell(row=first, column=2).value = "32/13/2026"
        ws.cell(row=first, column=3).value = "Hội nghị"
        ws.cell(row=first, column=5).value = "Qua thư"

    analysis = _refused(draft, entry, edit(workbook, change))
    where = {(e.sheet, e.cell) for e in analysis.errors}
    assert {("Hội nghị", "C6"), ("Tuyên truyền", "C27"), ("Hội nghị", "B14"), ("Hội nghị", "E14")} <= where
    assert all(e.unit == "Đảng ủy xã Khun Há" for e in analysis.errors)


def test_a_changed_locked_submission_is_refused_but_an_untouched_one_is_fine(demo, user):
    reviewer = user("tam-duong.reviewer")
    accepted = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-khun-ha")
    data = build_unit_workbook(plan=accepted.plan, unit=accepted.unit)
    assert workbook_import(data=data, filename="f.xlsx", user=reviewer, dry_run=True).errors == []

    def change(wb):
        value_cell(wb["Số người học tập"], "nonmembers.studied").value = 60

    audits = ValueChange.objects.count()
    analysis = workbook_import(data=edit(data, change), filename="f.xlsx", user=reviewer)
    assert "đang ở trạng thái “Đã tiếp nhận” nên không sửa được" in _messages(analysis)
    assert analysis.errors[0].cell == "C8"
    assert ValueChange.objects.count() == audits


def test_a_value_edited_on_the_web_after_the_export_is_a_conflict(draft, entry, workbook):
    from reports.submissions.services import submission_save_values

    submission_save_values(submission=draft, user=entry, values={"conference.count": 4}, source="form:conference")

    def change(wb):
        value_cell(wb["Hội nghị"], "conference.count").value = 9

    analysis = workbook_import(data=edit(workbook, change), filename="cu.xlsx", user=entry)
    assert "đã được sửa trên hệ thống sau khi tệp được tải về" in _messages(analysis)
    assert SubmissionValue.objects.get(submission=draft, indicator__code="conference.count").number == 4
    # An old file that agrees with the newer value, and changes something else, is fine.
    def agree(wb):
        value_cell(wb["Hội nghị"], "conference.count").value = 4
        value_cell(wb["Hội nghị"], "summer_class.count").value = 1

    ok = workbook_import(data=edit(workbook, agree), filename="cu.xlsx", user=entry)
    assert ok.errors == [] and ok.changed_count == 1


def test_a_broken_sheet_inside_the_zip_is_refused(draft, entry, workbook):
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]
            archive.writestr(info.filename, data)
    analysis = _refused(draft, entry, buffer.getvalue())
    assert "bị hỏng" in _messages(analysis)


def test_a_district_file_with_units_outside_the_users_subtree_is_refused(demo, user):
    from reports.workbooks.export import build_district_workbook
    from reports.workbooks.selectors import units_to_fill

    plan = demo["251-CV/BTGHU"]
    reviewer, entry = user("tam-duong.reviewer"), user("tam-duong-khun-ha.entry")
    data = build_district_workbook(plan=plan, units=list(units_to_fill(plan=plan, user=reviewer)))
    audits = ValueChange.objects.count()
    analysis = workbook_import(data=data, filename="huyen.xlsx", user=entry)
    refused = [e for e in analysis.errors if "Tệp không dành cho đơn vị này" in e.message]
    assert len(refused) == 51  # every unit but Khun Há, each with its row, by the code the file holds
    assert {e.sheet for e in refused} == {"Hội nghị"} and all(e.cell.startswith("A") for e in refused)
    assert any(e.unit == "tam-duong-binh-lu" for e in refused)
    assert not any("Bình Lư" in str(e) or "Bình Lư" in e.unit for e in analysis.errors)
    assert ValueChange.objects.count() == audits


def test_a_district_file_with_an_unknown_unit_code_or_deleted_column_is_refused(demo, user):
    from reports.workbooks.export import build_district_workbook
    from reports.workbooks.selectors import units_to_fill

    plan = demo["251-CV/BTGHU"]
    reviewer = user("tam-duong.reviewer")
    data = build_district_workbook(plan=plan, units=list(units_to_fill(plan=plan, user=reviewer)))

    def change(wb):
        ws = wb["Hội nghị"]
        ws.cell(row=5, column=1).value = "khong-co-don-vi-nay"
        wb["Tuyên truyền"].delete_cols(5)

    analysis = workbook_import(data=edit(data, change), filename="huyen.xlsx", user=reviewer)
    text = _messages(analysis)
    # an unknown code reads like one outside the scope: the file does not tell whether a code exists
    assert "Tệp không dành cho đơn vị này: mã đơn vị “khong-co-don-vi-nay”" in text
    assert "không có trên hệ thống" not in text
    assert "Thiếu cột của chỉ tiêu “Loa phát thanh xã, bản: lượt người”" in text
    assert analysis.targets == []


def test_a_number_stored_as_text_gets_its_own_hint(draft, entry, workbook):
    def change(wb):
        value_cell(wb["Hội nghị"], "conference.attendance").value = "1.234"

    analysis = _refused(draft, entry, edit(workbook, change))
    assert "Ô chứa số ở dạng chữ (“1.234”)" in _messages(analysis)


def test_a_unit_of_another_province_and_a_made_up_code_read_the_same(demo, user):
    """Issue 14 item 7: the errors neither name a unit outside the scope nor tell whether a code exists."""
    from reports.workbooks.export import build_district_workbook
    from reports.workbooks.selectors import units_to_fill
    from units.models import Unit

    plan = demo["251-CV/BTGHU"]
    reviewer = user("tam-duong.reviewer")
    other = Unit.objects.get(name="Đảng bộ Sở Tài chính")
    data = build_district_workbook(plan=plan, units=list(units_to_fill(plan=plan, user=reviewer)))

    def change(wb):
        wb["Hội nghị"].cell(row=5, column=1).value = other.code
        wb["Hội nghị"].cell(row=6, column=1).value = "ma-bia-dat"

    analysis = workbook_import(data=edit(data, change), filename="huyen.xlsx", user=reviewer)
    text = _messages(analysis) + " ".join(e.unit for e in analysis.errors)
    assert "Sở Tài chính" not in text and "Hà Tĩnh" not in text
    mine = [e.message.replace(other.code, "X").replace("ma-bia-dat", "X") for e in analysis.errors
            if e.unit in (other.code, "ma-bia-dat")]
    assert len(mine) == 2 and mine[0] == mine[1]
