"""Every exported text cell is text: a unit name that looks like a formula never becomes one.

An administrator can name a unit `=HYPERLINK(...)`; before the fix openpyxl wrote it as a live formula
into five Excel exports and the CSV exports started the field with "=" (issue 14, item 2).
"""
from __future__ import annotations

import csv
import dataclasses
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.spreadsheets import csv_field, csv_unescape
from demo.samples import seed_004_document
from reports.documents.pdf.document import TableRow
from reports.documents.pdf.xlsx import tables_xlsx
from reports.plans.models import Plan
from reports.submissions.models import Submission
from reports.workbooks.export import build_district_workbook, build_unit_workbook
from units.models import Unit, UnitVersion
from units.transfer import export_rows, read_file, render

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://127.0.0.1:9/x","Khun Há")'


@pytest.fixture
def evil_unit(demo):
    unit = Unit.objects.get(code="tam-duong-khun-ha")
    Unit.objects.filter(pk=unit.pk).update(name=EVIL)
    UnitVersion.objects.filter(unit=unit).update(name=EVIL)
    Submission.objects.filter(unit=unit).update(unit_name=EVIL)  # the name a submission was made under
    unit.refresh_from_db()
    return unit


def _formulas(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [f"{ws.title}!{c.coordinate}: {c.value}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" and "HYPERLINK" in str(c.value)]


def _texts(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and "HYPERLINK" in c.value]


def test_unit_export_xlsx_writes_the_name_as_text(evil_unit):
    data = render(export_rows(root=evil_unit.get_parent()), "xlsx")
    assert _formulas(data) == []
    assert EVIL in _texts(data)


def test_unit_export_csv_escapes_the_name_and_import_reads_it_back(evil_unit, tmp_path):
    data = render(export_rows(root=evil_unit.get_parent()), "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    field = next(r["name"] for r in rows if r["code"] == evil_unit.code)
    assert field == "'" + EVIL
    path = tmp_path / "units.csv"
    path.write_bytes(data)
    _word, read = read_file(path)
    assert next(r.data["name"] for r in read if r.data["code"] == evil_unit.code) == EVIL


def test_csv_field_leaves_plain_numbers_and_texts_alone():
    assert csv_field("-5") == "-5" and csv_field("+84 912 345") == "+84 912 345"
    assert csv_field("Đảng ủy xã") == "Đảng ủy xã" and csv_field(12) == 12
    for evil in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"):
        assert csv_field(evil) == "'" + evil and csv_unescape(csv_field(evil)) == evil


def test_status_board_exports(evil_unit, client):
    client.force_login(get_user_model().objects.get(username="tam-duong.reviewer"))
    plan = Plan.objects.get(reference="120-CV/BTGHU")
    xlsx = client.get(reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "xlsx"}))
    assert xlsx.status_code == 200
    assert _formulas(xlsx.content) == [] and _texts(xlsx.content)
    text = client.get(reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "csv"})).content.decode("utf-8-sig")
    names = [row[2] for row in csv.reader(io.StringIO(text))]
    assert "'" + EVIL in names
    assert not any(name.startswith("=") for name in names)


def test_unit_and_district_workbooks(evil_unit):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    unit_book = build_unit_workbook(plan=plan, unit=evil_unit)
    assert _formulas(unit_book) == [] and _texts(unit_book)
    # the workbook's own rate formulas are still formulas
    wb = openpyxl.load_workbook(io.BytesIO(unit_book))
    assert any(c.data_type == "f" and str(c.value).startswith("=IF(") for ws in wb.worksheets
               for row in ws.iter_rows() for c in row)
    district = build_district_workbook(plan=plan, units=list(evil_unit.get_parent().get_children()),
                                       root=evil_unit.get_parent())
    assert _formulas(district) == [] and EVIL in _texts(district)


def test_report_tables_workbook():
    doc = seed_004_document()
    table = doc.tables[0]
    first = table.rows[0]
    values = list(first.values)
    values[1] = EVIL
    table = dataclasses.replace(table, rows=(TableRow(tuple(values), first.level, first.bold), *table.rows[1:]))
    data = tables_xlsx(dataclasses.replace(doc, tables=(table,)))
    assert _formulas(data) == [] and EVIL in _texts(data)


def test_openpyxl_parses_with_defusedxml():
    """Installed from requirements.txt: openpyxl then refuses DTDs and entity expansion in workbook XML."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
