"""Issue 14 item 3: a page never becomes unsaveable. A list stored over the row limit by an earlier import
can still be saved (warning: shorten it) as long as it does not grow; growing it stays refused."""
from __future__ import annotations

import pytest

from reports.plans.models import Indicator
from reports.submissions.forms import row_formset
from reports.submissions.models import Submission, SubmissionRow
from reports.submissions.validation import MAX_LIST_ROWS, validate_values

pytestmark = pytest.mark.django_db

OVER = MAX_LIST_ROWS + 5


def _row(i: int) -> dict:
    return {"number": f"{i}-CV/HU", "date": "", "title": f"Văn bản {i}"}


@pytest.fixture
def draft(demo, db):
    """Khun Há's draft, holding OVER rows of documents (as an import before the limit stored them)."""
    draft = Submission.objects.select_related("plan", "unit").get(plan__reference="251-CV/BTGHU",
                                                                  unit__code="tam-duong-khun-ha")
    indicator = Indicator.objects.get(code="documents.rows")
    SubmissionRow.objects.filter(submission=draft, indicator=indicator).delete()
    SubmissionRow.objects.bulk_create(SubmissionRow(submission=draft, indicator=indicator, position=i, data=_row(i))
                                      for i in range(OVER))
    return draft


def test_an_over_limit_list_edited_without_growing_is_accepted_with_a_warning(draft):
    rows = [_row(i) for i in range(OVER)]
    rows[3]["title"] = "Văn bản đã sửa"
    errors, warnings = validate_values(submission=draft, values={}, rows={"documents.rows": rows})
    assert errors == []
    assert any("vượt mức tối đa 100 dòng" in str(w) and "xóa bớt 5 dòng" in str(w) for w in warnings), warnings
    # Shortened but still over: accepted, the warning counts what is left to remove.
    errors, warnings = validate_values(submission=draft, values={}, rows={"documents.rows": rows[:-2]})
    assert errors == [] and any("xóa bớt 3 dòng" in str(w) for w in warnings)
    # Back under the limit: no warning.
    errors, warnings = validate_values(submission=draft, values={}, rows={"documents.rows": rows[:MAX_LIST_ROWS]})
    assert errors == [] and not any("vượt mức" in str(w) for w in warnings)


def test_an_over_limit_list_cannot_grow(draft):
    rows = [_row(i) for i in range(OVER + 1)]
    errors, _warnings = validate_values(submission=draft, values={}, rows={"documents.rows": rows})
    assert any("không thêm dòng được" in str(e) for e in errors), errors


def test_a_list_under_the_limit_still_cannot_pass_it(demo, db):
    fresh = Submission.objects.get(plan__reference="251-CV/BTGHU", unit__code="tam-duong-khun-ha")
    SubmissionRow.objects.filter(submission=fresh, indicator__code="documents.rows").delete()
    errors, _w = validate_values(submission=fresh, values={}, rows={"documents.rows": [_row(i) for i in range(OVER)]})
    assert any("tối đa 100 dòng" in str(e) for e in errors), errors


def _post(code: str, rows: list[dict], initial: int) -> dict:
    prefix = row_formset(code).prefix
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
    return data


def test_the_page_form_keeps_all_stored_rows_and_refuses_more(draft):
    initial = [_row(i) for i in range(OVER)]
    same = row_formset("documents.rows", data=_post("documents.rows", initial, OVER), initial=initial)
    assert same.is_valid(), same.non_form_errors()
    assert len(same.forms) == OVER  # no row silently cut off
    more = row_formset("documents.rows", data=_post("documents.rows", [*initial, _row(999)], OVER), initial=initial)
    assert not more.is_valid()
