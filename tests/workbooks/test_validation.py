"""The district importer's bulk checks give exactly the issues of the shared validate_values."""
from __future__ import annotations

import pytest

from reports.submissions.models import Submission
from reports.submissions.validation import validate_values
from reports.workbooks.selectors import stored_values
from reports.workbooks.validation import validate_many
from units.models import Unit

pytestmark = pytest.mark.django_db

CASES = [
    ("tam-duong-khun-ha", {"members.studied": 120, "members.required": 100}),
    ("tam-duong-binh-lu", {"members.required": 200}),
    ("tam-duong-binh-lu", {"nonmembers.studied": 30}),
    ("tam-duong-khun-ha", {"conference.attendance": 10, "members.studied": 100, "members.required": 100}),
    ("tam-duong-binh-lu", {"cell_meeting.attendance": 0, "conference.attendance": 5}),
    ("tam-duong-khun-ha", {"conference.count": 50, "cell_meeting.count": 1}),
    ("tam-duong-khun-ha", {"conference.count": 5}),
    ("tam-duong-khun-ha", {"conference.count": None, "conference.attendance": None}),
    ("tam-duong-ho-thau", {"conference.count": 40, "members.studied": 9, "members.required": 8}),  # not started
]


def _key(issues):
    return [(i.code, i.message, i.indicator, i.row, i.field) for i in issues]


def test_bulk_checks_equal_the_shared_checks(demo):
    plan = demo["251-CV/BTGHU"]
    items = []
    for code, values in CASES:
        unit = Unit.objects.get(code=code)
        submission = Submission.objects.filter(plan=plan, unit=unit).first() or Submission(plan=plan, unit=unit)
        items.append((submission, values))
    stored = stored_values([s.pk for s, _v in items if s.pk])
    bulk = validate_many(plan=plan, items=items, stored=stored)
    kinds = set()
    for (submission, values), (errors, warnings) in zip(items, bulk, strict=True):
        shared_errors, shared_warnings = validate_values(submission=submission, values=values)
        assert _key(errors) == _key(shared_errors), values
        assert _key(warnings) == _key(shared_warnings), values
        kinds |= {i.code for i in errors + warnings}
    # The cases exercise every number rule.
    assert kinds == {"numerator_above_denominator", "attendance_below_people", "outlier"}
