"""The bulk save of many submissions' values (a district workbook): same result as the per-submission
service, a constant number of queries, and all or nothing when one submission is refused."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.plans.models import Plan, Section
from reports.submissions import services
from reports.submissions.models import Submission, SubmissionEvent, SubmissionValue, ValueChange
from units.models import IssuingBody, Staff, Unit, UnitKind

pytestmark = pytest.mark.django_db

SECTIONS = ["conference", "people", "propaganda", "documents", "narrative"]


def make_world(n: int, *, plans: int = 1, tag: str = "bk"):
    """A district with `n` party cells, `plans` plans of its board, a district reviewer and a cell officer."""
    kind, _ = UnitKind.objects.get_or_create(code=f"{tag}-district", defaults={"name": "Huyện ủy", "level": 1})
    cell, _ = UnitKind.objects.get_or_create(code=f"{tag}-cell", defaults={"name": "Chi bộ", "level": 2})
    root = Unit.add_root(code=f"{tag}-root", name="Huyện ủy Thử", kind=kind, valid_from=dt.date(2020, 1, 1))
    for i in range(n):
        root.add_child(code=f"{tag}-{i:03d}", name=f"Chi bộ thôn {i:03d}", kind=cell, valid_from=dt.date(2020, 1, 1))
    body = IssuingBody.objects.create(code=f"{tag}-btg", unit=root, name="Ban Tuyên giáo Huyện ủy Thử",
                                      citation_name="Ban Tuyên giáo", own_line="B", place_name="B",
                                      code_suffix="BTGHU", signer_title="TRƯỞNG BAN", signer_name="A")
    users = get_user_model().objects
    reviewer = users.create_user(f"{tag}.reviewer", password="x")
    Staff.objects.create(user=reviewer, unit=root, is_reviewer=True, is_entry=True)
    units = list(Unit.objects.filter(path__startswith=root.path, depth=2).order_by("path"))
    officer = users.create_user(f"{tag}.officer", password="x")
    Staff.objects.create(user=officer, unit=units[0], is_entry=True)
    made = []
    for _p in range(plans):
        number = 900 + Plan.objects.count()
        plan = Plan.objects.create(kind="CV", number=number, reference=f"{number}-CV/BTGHU", issuing_body=body,
                                   include_own=False, issued_on=dt.date(2024, 1, 2), title="thử",
                                   period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 3, 31),
                                   deadline=dt.date(2024, 3, 20))
        plan.sections.set(Section.objects.filter(code__in=SECTIONS))
        made.append(plan)
    return root, units, made, users.select_related("staff__unit").get(pk=reviewer.pk), \
        users.select_related("staff__unit").get(pk=officer.pk)


def prepare(plan, units, user):
    """Drafts with a few stored values for every other unit; returns the submissions by unit pk."""
    subs = {}
    for n, unit in enumerate(units):
        sub = services.submission_get_or_create(plan=plan, unit=unit, user=user)
        if n % 2 == 0:
            services.submission_save_values(submission=sub, user=user, source="form:conference",
                                            values={"conference.count": 2, "conference.attendance": 50,
                                                    "narrative.strengths": "Cũ\ndòng hai"})
        subs[unit.pk] = Submission.objects.get(pk=sub.pk)
    return subs


def values_for(n: int) -> dict:
    """A mix: unchanged, changed, cleared, new numbers, a new and a changed text (with Windows line ends)."""
    return {
        "conference.count": 2,  # unchanged for units that have it
        "conference.attendance": None if n % 3 == 0 else 60 + n,
        "members.required": 40,
        "members.studied": 38 - n % 5,
        "narrative.strengths": f"Mới {n}\r\nđã sửa" if n % 4 else "Cũ\ndòng hai",
    }


def state(plan):
    """Everything the saves write, comparable between two plans with the same units."""
    values = sorted(SubmissionValue.objects.filter(submission__plan=plan).values_list(
        "submission__unit__code", "indicator__code", "number", "text"))
    audit = sorted(ValueChange.objects.filter(submission__plan=plan).values_list(
        "submission__unit__code", "indicator__code", "row_position", "old_value", "new_value", "user_id",
        "on_behalf", "source"))
    events = sorted(SubmissionEvent.objects.filter(submission__plan=plan).values_list(
        "submission__unit__code", "action", "user_id", "on_behalf", "reason"))
    subs = sorted(Submission.objects.filter(plan=plan).values_list(
        "unit__code", "status", "version", "last_entered_by_id", "entered_on_behalf", "unit_name", "parent_name"))
    return values, audit, events, subs


@pytest.mark.parametrize("max_params", [None, 25])
def test_same_values_audit_and_versions_as_the_per_submission_service(max_params, monkeypatch):
    if max_params:  # PostgreSQL: many small statements instead of one give the same result
        monkeypatch.setattr(services, "_max_params", lambda: max_params)
    root, units, (plan_a, plan_b), reviewer, officer = make_world(12, plans=2)
    units = [root, *units]  # the district's own submission: the reviewer enters it not on behalf
    subs_a, subs_b = prepare(plan_a, units, reviewer), prepare(plan_b, units, reviewer)
    assert state(plan_a) == state(plan_b)
    # Per submission (the form's service) on plan A: the reviewer for most units, the unit's own officer
    # for its unit (not on behalf).
    for n, unit in enumerate(units):
        user = officer if unit.pk == officer.staff.unit_id else reviewer
        sub = subs_a[unit.pk]
        services.submission_save_values(submission=sub, user=user, values=values_for(n), source="file:d.xlsx",
                                        expected_version=sub.version)
    # The same in bulk on plan B (two calls: one per user).
    own = [(subs_b[u.pk], values_for(n)) for n, u in enumerate(units) if u.pk == officer.staff.unit_id]
    rest = [(subs_b[u.pk], values_for(n)) for n, u in enumerate(units) if u.pk != officer.staff.unit_id]
    changed = services.submissions_save_values_bulk(
        changes=rest, user=reviewer, source="file:d.xlsx", expected_versions={s.pk: s.version for s, _v in rest})
    changed += services.submissions_save_values_bulk(changes=own, user=officer, source="file:d.xlsx")
    assert state(plan_a) == state(plan_b)
    assert changed == ValueChange.objects.filter(submission__plan=plan_b, source="file:d.xlsx").count() > 0
    assert Submission.objects.filter(plan=plan_b, entered_on_behalf=False, last_entered_by=officer).count() == 1
    assert Submission.objects.filter(plan=plan_b, entered_on_behalf=False, last_entered_by=reviewer).count() == 1
    assert Submission.objects.filter(plan=plan_b, entered_on_behalf=True).count() == len(units) - 2
    # Times written by the bulk statements read back as the same aware datetimes as the ORM's.
    now = timezone.now()
    for model in (ValueChange, SubmissionEvent):
        times = model.objects.filter(submission__plan=plan_b).values_list("at", flat=True)
        assert all(abs(now - at) < dt.timedelta(minutes=5) for at in times)
    latest = Submission.objects.filter(plan=plan_b).order_by("-updated_at").first()
    assert ValueChange.objects.filter(submission=latest).latest("at").at == latest.updated_at
    # Saving the same values again changes nothing: no value, audit row, event or version bump.
    before = state(plan_b)
    again = [(Submission.objects.get(pk=s.pk), v) for s, v in rest]
    assert services.submissions_save_values_bulk(changes=again, user=reviewer, source="file:d.xlsx") == 0
    assert state(plan_b) == before


def test_get_or_create_bulk_matches_per_unit_creation():
    root, units, (plan_a, plan_b), reviewer, _officer = make_world(6, plans=2)
    services.submission_get_or_create(plan=plan_a, unit=units[0], user=reviewer)
    services.submission_get_or_create(plan=plan_b, unit=units[0], user=reviewer)
    for unit in units:
        services.submission_get_or_create(plan=plan_a, unit=unit, user=reviewer)
    made = services.submissions_get_or_create_bulk(plan=plan_b, units=units, user=reviewer)
    assert set(made) == {u.pk for u in units}
    assert state(plan_a) == state(plan_b)
    assert {s.parent_name for s in made.values()} == {"Huyện ủy Thử"}
    assert SubmissionEvent.objects.filter(submission__plan=plan_b, action="create").count() == len(units)


def _bulk_queries(n: int, tag: str):
    _root, units, (plan,), reviewer, _officer = make_world(n, tag=tag)
    subs = prepare(plan, units, reviewer)
    changes = [(subs[u.pk], values_for(k)) for k, u in enumerate(units)]
    before = SubmissionValue.objects.filter(submission__plan=plan).count()
    with CaptureQueriesContext(connection) as queries:
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx",
                                              expected_versions={s.pk: s.version for s, _v in changes})
    assert ValueChange.objects.filter(submission__plan=plan, source="file:d.xlsx").count() > n
    assert SubmissionValue.objects.filter(submission__plan=plan).count() > before
    return [q["sql"].split(" (")[0][:60] for q in queries.captured_queries]


def test_query_count_does_not_grow_with_the_number_of_submissions():
    small, large = _bulk_queries(5, "q5"), _bulk_queries(50, "q50")
    assert len(small) == len(large) <= 14, large
    # Savepoint, lock, signed reports, indicators, stored values, version bump and its check (SQLite has no
    # row locks), then one statement per kind of row: values updated and inserted, audit, events.
    # One multi-row INSERT (PostgreSQL) or executemany ("N times: INSERT", SQLite) per kind of row.
    assert sum(sql.startswith("INSERT INTO") or " times: INSERT INTO" in sql for sql in large) == 3, large


@pytest.fixture
def world():
    _root, units, (plan,), reviewer, _officer = make_world(5)
    subs = prepare(plan, units, reviewer)
    changes = [(subs[u.pk], values_for(k)) for k, u in enumerate(units)]
    return plan, units, subs, changes, reviewer


def make_report(plan, unit, *, source_plan, status):
    from reports.documents.models import Report

    return Report.objects.create(plan=plan, source_plan=source_plan, unit=unit, issuing_body=plan.issuing_body,
                                 status=status, as_of=dt.datetime(2024, 3, 21, tzinfo=dt.UTC), summary="x",
                                 signer_title="T", signer_name="A")


def _assert_nothing_saved(plan, before):
    assert state(plan) == before


def test_accepted_submission_refuses_the_whole_save(world):
    plan, units, subs, changes, reviewer = world
    locked = subs[units[3].pk]
    Submission.objects.filter(pk=locked.pk).update(status=Submission.Status.ACCEPTED)
    before = state(plan)
    with pytest.raises(services.BulkSaveRefused) as refused:
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx")
    assert refused.value.submission.pk == locked.pk
    assert "không thể sửa" in refused.value.messages[0]
    _assert_nothing_saved(plan, before)


def test_submission_behind_a_signed_report_is_refused(world):
    from reports.documents.models import Report
    from reports.submissions.freeze import frozen_reason, frozen_reasons

    plan, units, subs, changes, reviewer = world
    root = units[0].get_parent()
    make_report(plan, root, source_plan=plan, status=Report.Status.SIGNED)
    subs_all = list(Submission.objects.filter(plan=plan).select_related("unit"))
    assert set(frozen_reasons(subs_all)) == {s.pk for s in subs_all if frozen_reason(s)} == {s.pk for s in subs_all}
    assert len(subs_all) == 5
    before = state(plan)
    with pytest.raises(services.BulkSaveRefused) as refused:
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx")
    assert "đã ký số" in refused.value.messages[0]
    _assert_nothing_saved(plan, before)


def test_frozen_rule_for_many_is_the_rule_for_one_for_other_plans_and_units():
    from reports.submissions.freeze import frozen_reason, frozen_reasons

    _root, units, (plan_a, plan_b, plan_c), reviewer, _officer = make_world(4, plans=3, tag="fz")
    for plan in (plan_a, plan_b, plan_c):
        services.submissions_get_or_create_bulk(plan=plan, units=units, user=reviewer)
    # A signed report of unit 1 itself on plan A; a signed report of the district rolling up plan C
    # (source_plan) under plan B's reference; a draft report for plan B's unit 2.
    make_report(plan_a, units[1], source_plan=plan_a, status="signed")
    make_report(plan_b, units[0].get_parent(), source_plan=plan_c, status="signed")
    make_report(plan_a, units[2], source_plan=plan_a, status="draft")
    subs = list(Submission.objects.select_related("unit").filter(plan__in=[plan_a, plan_b, plan_c]))
    expected = {s.pk for s in subs if frozen_reason(s)}
    assert set(frozen_reasons(subs)) == expected
    assert 0 < len(expected) < len(subs)


def test_negative_number_refuses_everything(world):
    plan, units, subs, changes, reviewer = world
    changes[-1][1]["members.studied"] = -3
    before = state(plan)
    with pytest.raises(services.BulkSaveRefused) as refused:
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx")
    assert "không được là số âm" in refused.value.messages[0]
    _assert_nothing_saved(plan, before)


def test_stale_version_is_a_conflict_and_saves_nothing(world):
    plan, units, subs, changes, reviewer = world
    stale = subs[units[2].pk]
    services.submission_save_values(submission=stale, user=reviewer, values={"members.required": 7},
                                    source="form:people")
    before = state(plan)
    with pytest.raises(services.SubmissionConflict) as conflict:
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx",
                                              expected_versions={s.pk: s.version for s, _v in changes})
    assert conflict.value.submission.pk == stale.pk
    _assert_nothing_saved(plan, before)


def test_unknown_indicator_is_refused(world):
    plan, units, subs, changes, reviewer = world
    changes[0][1]["no.such.code"] = 1
    before = state(plan)
    with pytest.raises(ValidationError, match="no.such.code"):
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx")
    _assert_nothing_saved(plan, before)


@pytest.mark.skipif(connection.features.has_select_for_update, reason="row locks make the re-check unnecessary")
def test_a_save_slipping_in_before_the_version_bump_is_a_conflict(world):
    """SQLite has no row locks: a save committed between the read and the version UPDATE is caught by the
    re-read of the versions (bumped twice), and nothing of the bulk save stays."""
    plan, units, subs, changes, reviewer = world
    victim = subs[units[1].pk]
    before = state(plan)
    fired = []

    def concurrent_save(execute, sql, params, many, context):
        if not fired and sql.startswith('UPDATE "submissions_submission" SET "version"'):
            fired.append(True)
            with connection.cursor() as cursor:  # what another writer's version bump leaves behind
                cursor.execute('UPDATE "submissions_submission" SET "version" = "version" + 1 WHERE "id" = %s',
                               [victim.pk])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(concurrent_save), pytest.raises(services.SubmissionConflict) as conflict:
        services.submissions_save_values_bulk(changes=changes, user=reviewer, source="file:d.xlsx")
    assert fired and conflict.value.submission.pk == victim.pk
    _assert_nothing_saved(plan, before)
