"""Uploads are bounded by what is really inflated and read, not by what the file declares (issue 14 items 1, 3).

Before: a zip whose headers understated a member's size passed the size and ratio checks and was
inflated whole by zipfile (1.2 MB file -> 2.3 GB worker); a sheet of 300.000 rows was read to the end
and answered with every one of its errors; an import stored 5.000 conference rows that the web page
could then no longer save.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.submissions.models import Submission, SubmissionRow
from reports.submissions.validation import MAX_LIST_ROWS, validate_values
from reports.workbooks.export import build_district_workbook, build_unit_workbook
from reports.workbooks.importer import MAX_LISTED
from reports.workbooks.reader import max_rows
from reports.workbooks.selectors import units_to_fill
from reports.workbooks.services import workbook_import
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet2.xml"


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
    return buffer.getvalue()


def _understate(data: bytes, name: str, declared: int, crc_of_prefix: bool) -> bytes:
    """Patch the member's uncompressed size (local header and central directory) down to `declared`;
    optionally make the CRC match the first `declared` bytes so that a reader stopping there sees no error."""
    raw = bytearray(data)
    encoded = name.encode()
    crc = None
    if crc_of_prefix:
        real = zipfile.ZipFile(io.BytesIO(data))
        with real.open(name) as member:
            crc = zlib.crc32(member.read(declared))
    for signature, name_at, size_at, crc_at in ((b"PK\x03\x04", 26, 22, 14), (b"PK\x01\x02", 28, 24, 16)):
        for match in re.finditer(re.escape(signature), raw):
            pos = match.start()
            length = struct.unpack_from("<H", raw, pos + name_at)[0]
            start = pos + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(raw[start:start + length]) == encoded:
                struct.pack_into("<I", raw, pos + size_at, declared)
                if crc is not None:
                    struct.pack_into("<I", raw, pos + crc_at, crc)
    return bytes(raw)


@pytest.fixture
def draft(demo, db):
    return Submission.objects.select_related("plan", "unit").get(plan__reference="251-CV/BTGHU",
                                                                 unit__code="tam-duong-khun-ha")


@pytest.fixture
def entry(user):
    return user("tam-duong-khun-ha.entry")


@pytest.mark.parametrize("crc_of_prefix", [False, True])
def test_a_zip_lying_about_a_members_size_is_refused_without_inflating_it(draft, entry, crc_of_prefix):
    book = build_unit_workbook(plan=draft.plan, unit=draft.unit, user=entry)
    sheet = zipfile.ZipFile(io.BytesIO(book)).read(SHEET)
    padded = sheet.replace(b"</worksheet>", b" " * 150_000_000 + b"</worksheet>")  # 150 MB inflated
    lying = _understate(_rezip(book, {SHEET: padded}), SHEET, len(sheet), crc_of_prefix)
    assert len(lying) < 1_000_000
    version = Submission.objects.get(pk=draft.pk).version
    tracemalloc.start()
    try:
        analysis = workbook_import(data=lying, filename="noi-doi.xlsx", user=entry)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert analysis.errors and "bom nén" in str(analysis.errors[0])
    assert peak < 30_000_000, f"peak {peak / 1e6:.0f} MB while refusing"
    assert Submission.objects.get(pk=draft.pk).version == version


def _district(demo, user):
    reviewer = user("tam-duong.reviewer")
    plan = demo["251-CV/BTGHU"]
    units = list(units_to_fill(plan=plan, user=reviewer))
    return reviewer, build_district_workbook(plan=plan, units=units, root=units[0], user=reviewer)


def _with_rows(book: bytes, sheet_name: str, count: int, first_row: int) -> bytes:
    """The district sheet with `count` extra rows, written as raw XML (openpyxl would take minutes)."""
    archive = zipfile.ZipFile(io.BytesIO(book))
    workbook_xml = archive.read("xl/workbook.xml").decode()
    index = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook_xml).index(sheet_name) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    xml = archive.read(part)
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>khong-co-%d</t></is></c>'
                    b'<c r="D%d"><v>1</v></c></row>' % (r, r, r, r) for r in range(first_row, first_row + count))
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:Z%d"' % (first_row + count), xml)
    return _rezip(book, {part: xml.replace(b"</sheetData>", rows + b"</sheetData>")})


def test_a_sheet_of_300000_rows_is_refused_with_one_message(demo, user):
    reviewer, book = _district(demo, user)
    data = _with_rows(book, "Hội nghị", 300_000, 1000)
    assert len(data) < 5 * 1024 * 1024  # under the upload size limit
    analysis = workbook_import(data=data, filename="300k.xlsx", user=reviewer)
    messages = [str(e) for e in analysis.errors]
    assert any("quá nhiều dòng" in m for m in messages), messages[:3]
    assert analysis.errors.total <= max_rows() + 10
    assert len(analysis.errors) <= MAX_LISTED


def test_an_error_list_is_cut_with_a_count_of_the_rest(demo, user, client):
    reviewer, book = _district(demo, user)
    data = _with_rows(book, "Hội nghị", 1500, 1000)
    analysis = workbook_import(data=data, filename="nhieu-loi.xlsx", user=reviewer)
    assert len(analysis.errors) == MAX_LISTED
    assert analysis.errors.total == 1500 and analysis.errors.omitted == 1300
    # the page: the total, 200 rows, and the count of the rest, in Vietnamese number format
    client.force_login(reviewer)
    response = client.post(reverse("workbooks:upload_plan", args=[demo["251-CV/BTGHU"].pk]),
                           {"file": SimpleUploadedFile("nhieu-loi.xlsx", data)})
    html = response.content.decode()
    assert "có 1.500 lỗi" in html and "… và 1.300 lỗi khác không liệt kê (chỉ hiện 200 lỗi đầu tiên)" in html
    assert html.count("khong-co-") == 2 * MAX_LISTED  # the unit column and the message of each listed row


def test_the_list_row_limit_holds_on_every_path(draft, entry):
    row = {"date": "2026-10-15", "title": "Hội nghị", "attendance": 10}
    errors, _ = validate_values(submission=draft, values={}, rows={"conference.rows": [row] * (MAX_LIST_ROWS + 1)})
    assert "too_many_rows" in [e.code for e in errors]
    errors, _ = validate_values(submission=draft, values={}, rows={"conference.rows": [row] * MAX_LIST_ROWS})
    assert "too_many_rows" not in [e.code for e in errors]

    book = build_unit_workbook(plan=draft.plan, unit=draft.unit, user=entry)

    def many_rows(wb):
        ws = wb["Hội nghị"]
        first = value_cell(ws, "conference.rows", column=1).row + 2
        ws.insert_rows(first, MAX_LIST_ROWS + 5)
        for r in range(first, first + MAX_LIST_ROWS + 5):
            ws.cell(row=r, column=2).value = dt.datetime(2026, 10, 15)
            ws.cell(row=r, column=3).value = f"Hội nghị {r}"

    analysis = workbook_import(data=edit(book, many_rows), filename="nhieu-dong.xlsx", user=entry)
    assert any("tối đa 100 dòng" in str(e) for e in analysis.errors), [str(e) for e in analysis.errors][:3]
    assert SubmissionRow.objects.filter(submission=draft, indicator__code="conference.rows").count() <= MAX_LIST_ROWS


@pytest.mark.parametrize("erase", ["exported_at", "submission_version"])
def test_a_file_without_provenance_is_stale(draft, entry, erase):
    """Issue 14 item 8: without the export time (or version) in the hidden sheet, an old file overwrote a
    newer web value; now every value it would overwrite is shown as a conflict and nothing is saved."""
    from reports.submissions import services
    from reports.submissions.models import SubmissionValue
    from reports.workbooks import layout

    book = build_unit_workbook(plan=draft.plan, unit=draft.unit, user=entry)
    services.submission_save_values(submission=draft, user=entry, values={"conference.count": 7}, source="form:test")

    def old_file(wb):
        value_cell(wb["Hội nghị"], "conference.count").value = 9
        meta = wb[layout.META_SHEET]
        for row in meta.iter_rows(min_col=1, max_col=2):
            if row[0].value == erase:
                row[1].value = None

    analysis = workbook_import(data=edit(book, old_file), filename="cu.xlsx", user=entry)
    messages = [str(e) for e in analysis.errors]
    assert any("không cho biết được tải về lúc nào" in m and "(7)" in m and "9" in m for m in messages), messages
    assert SubmissionValue.objects.get(submission=draft, indicator__code="conference.count").number == 7
