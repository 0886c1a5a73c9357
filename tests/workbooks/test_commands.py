"""The export_workbook and import_workbook commands."""
from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.submissions.models import Submission, SubmissionValue, ValueChange
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[list[str], int]:
    out = io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue().strip().splitlines(), code


def test_export_resolves_the_plan_the_unit_reports_on(demo, tmp_path):
    target = tmp_path / "f.xlsx"
    lines, code = _run("export_workbook", "--plan", "132-HD/BTGTU", "--unit", "tam-duong-khun-ha", "-o", str(target))
    assert code == 0 and "120-CV/BTGHU" in lines[-1]
    meta = load_workbook(target)["_meta"]
    assert [meta.cell(row=n, column=2).value for n in (3, 4, 5)] == ["unit", "120-CV/BTGHU", "tam-duong-khun-ha"]


def test_export_district_has_one_row_per_unit(demo, tmp_path):
    target = tmp_path / "d.xlsx"
    lines, code = _run("export_workbook", "--plan", "132-HD/BTGTU", "--unit", "tam-duong", "--district",
                       "-o", str(target))
    assert code == 0 and "52 đơn vị" in lines[-1]
    ws = load_workbook(target, read_only=True)["Số người học tập"]
    codes = [row[0] for row in ws.iter_rows(min_row=4, max_col=1, values_only=True) if row[0]]
    assert len(codes) == 52 and codes[0] == "tam-duong" and "tam-duong-khun-ha" in codes


def test_export_of_an_unassigned_unit_fails(demo, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_workbook", "--plan", "132-HD/BTGTU", "--unit", "ha-tinh-khoi", "-o",
                     str(tmp_path / "x.xlsx"), stdout=io.StringIO())


def test_dry_run_of_an_untouched_locked_export_reports_zero(demo, tmp_path):
    target = tmp_path / "f.xlsx"
    _run("export_workbook", "--plan", "132-HD/BTGTU", "--unit", "tam-duong-khun-ha", "-o", str(target))
    lines, code = _run("import_workbook", str(target), "--user", "tam-duong.reviewer", "--dry-run")
    assert code == 0
    assert lines[-1].startswith("0 giá trị")


def test_import_prints_changes_and_saves_with_the_file_as_source(demo, tmp_path):
    target = tmp_path / "kh.xlsx"
    _run("export_workbook", "--plan", "168-HD/BTGTU", "--unit", "tam-duong-khun-ha", "-o", str(target))
    target.write_bytes(edit(target.read_bytes(), lambda wb: setattr(
        value_cell(wb["Hội nghị"], "conference.attendance"), "value", 1234)))
    draft = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-khun-ha")

    lines, code = _run("import_workbook", str(target), "--user", "tam-duong-khun-ha.entry", "--dry-run")
    assert code == 0 and lines[-1].startswith("1 giá trị sẽ thay đổi")
    assert any("Hội nghị!C6" in line and "130 → 1.234" in line for line in lines)
    assert SubmissionValue.objects.get(submission=draft, indicator__code="conference.attendance").number == 130

    lines, code = _run("import_workbook", str(target), "--user", "tam-duong-khun-ha.entry")
    assert code == 0 and lines[-1].startswith("1 giá trị thay đổi")
    assert SubmissionValue.objects.get(submission=draft, indicator__code="conference.attendance").number == 1234
    assert ValueChange.objects.filter(submission=draft, source="file:kh.xlsx").count() == 1


def test_import_of_a_bad_file_lists_errors_and_exits_non_zero(demo, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all" * 100)
    lines, code = _run("import_workbook", str(bad), "--user", "tam-duong.reviewer", "--dry-run")
    assert code == 1
    assert lines[0].startswith("Lỗi: ") and "không phải là tệp Excel" in lines[0]
    assert lines[-1].startswith("0 giá trị thay đổi – tệp có 1 lỗi")


def test_import_with_an_unknown_user_fails(demo, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_workbook", str(tmp_path / "x.xlsx"), "--user", "nobody", stdout=io.StringIO())
