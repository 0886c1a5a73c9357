"""Issue 15.3: after a split (one unit divided into several, no single successor) each part reads the split
unit's submissions and consolidated reports, through the one lineage rule used for merges
(`units.selectors.lineage_links` / `history_scope_q`); a unit outside the split does not; nobody writes."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.documents.models import Report
from reports.documents.services import report_get_or_create
from reports.plans.models import Plan
from reports.submissions import services as subs
from reports.submissions.models import Submission
from tests.demo_fixtures import module_demo
from units.models import Staff, Unit, UnitChange
from units.selectors import lineage_links, lineage_predecessor_ids, lineage_predecessors
from units.services import NewUnit, unit_split

pytestmark = pytest.mark.django_db


def _split_tam_duong(plans) -> None:
    """Tam Đường's 2023 report is made, then Tam Đường is split in two today (its 51 units shared out)."""
    User = get_user_model()
    tam_duong = Unit.objects.select_related("kind").get(code="tam-duong")
    report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"), unit=tam_duong,
                         user=User.objects.get(username="tam-duong.reviewer"))
    children = [c.code for c in tam_duong.get_children().filter(dissolved_on__isnull=True).order_by("path")]
    parts = [NewUnit("tam-duong-bac", "Huyện ủy Tam Đường Bắc", tam_duong.kind),
             NewUnit("tam-duong-nam", "Huyện ủy Tam Đường Nam", tam_duong.kind)]
    # the open 2026 relay (251-CV/BTGHU) is activity after today: the administrator keeps it explicitly
    unit_split(source=tam_duong, parts=parts, on=timezone.localdate(), user=None, keep_activity=True,
               children={code: parts[n % 2].code for n, code in enumerate(children)})
    for code in ("tam-duong-bac", "tam-duong-nam", "than-uyen"):
        user = User.objects.create_user(username=f"{code}.split-reviewer", password="x")
        Staff.objects.create(user=user, unit=Unit.objects.get(code=code), is_entry=True, is_reviewer=True)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_demo(django_db_blocker, _split_tam_duong) as plans:
        yield plans


def user(username: str):
    return get_user_model().objects.get(username=username)


def old_submission() -> Submission:
    return Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong")


def old_report() -> Report:
    return Report.objects.get(plan__reference="132-HD/BTGTU", unit__code="tam-duong")


def test_the_split_records_its_parts_as_lineage(demo):
    tam_duong = Unit.objects.get(code="tam-duong")
    assert tam_duong.dissolved_on == timezone.localdate() and tam_duong.successor is None
    assert sorted(tam_duong.split_into.values_list("code", flat=True)) == ["tam-duong-bac", "tam-duong-nam"]
    assert set(lineage_links()[tam_duong.pk].heirs) == set(tam_duong.split_into.values_list("pk", flat=True))
    change = UnitChange.objects.get(kind="split", unit=tam_duong)
    assert set(change.related_units.all()) == set(tam_duong.split_into.all())
    for code in ("tam-duong-bac", "tam-duong-nam"):
        assert tam_duong.pk in lineage_predecessor_ids(within=Unit.objects.get(code=code))
    assert tam_duong.pk not in lineage_predecessor_ids(within=Unit.objects.get(code="than-uyen"))
    # figures cannot be divided among the parts: no part carries the split unit's figures as its own
    bac = Unit.objects.get(code="tam-duong-bac")
    assert lineage_predecessors(unit_ids=[bac.pk], on=timezone.localdate()) == {bac.pk: {bac.pk}}


@pytest.mark.parametrize("part", ["tam-duong-bac", "tam-duong-nam"])
def test_each_part_reads_the_split_units_2023_submission_and_report(demo, client, part):
    reader = user(f"{part}.split-reviewer")
    assert Submission.objects.restrict(reader, "view").filter(pk=old_submission().pk).exists()
    assert Report.objects.restrict(reader, "view").filter(pk=old_report().pk).exists()
    client.force_login(reader)
    page = client.get(reverse("submissions:detail", args=[old_submission().pk]))
    assert page.status_code == 200 and "Huyện ủy Tam Đường" in page.content.decode()
    page = client.get(reverse("documents:detail", args=[old_report().pk]))
    assert page.status_code == 200 and "132-HD/BTGTU" in page.content.decode()


def test_a_sibling_outside_the_split_gets_404(demo, client):
    client.force_login(user("than-uyen.split-reviewer"))
    assert client.get(reverse("submissions:detail", args=[old_submission().pk])).status_code == 404
    assert client.get(reverse("documents:detail", args=[old_report().pk])).status_code == 404


def test_the_parts_never_write_in_the_split_units_name(demo, client):
    reader = user("tam-duong-bac.split-reviewer")
    for action in ("enter", "review"):
        assert not Submission.objects.restrict(reader, action).filter(pk=old_submission().pk).exists()
        assert not Report.objects.restrict(reader, action).filter(pk=old_report().pk).exists()
    client.force_login(reader)
    submission, report = old_submission(), old_report()
    assert client.post(reverse("submissions:reopen", args=[submission.pk]), {"reason": "sửa"}).status_code == 404
    assert client.post(reverse("documents:refresh", args=[report.pk])).status_code == 404
    assert client.get(reverse("documents:edit", args=[report.pk])).status_code == 404
    with pytest.raises(ValidationError, match="Huyện ủy Tam Đường.*Đã chia tách thành: Huyện ủy Tam Đường Bắc, "
                                              "Huyện ủy Tam Đường Nam"):
        subs.submission_reopen(submission=submission, user=user("lai-chau.reviewer"), reason="sửa số liệu")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED and submission.version == old_submission().version


def test_reading_follows_the_chain_a_split_then_a_merge_of_the_parts(demo):
    from units.services import units_merge

    today = timezone.localdate()
    bac, nam = Unit.objects.get(code="tam-duong-bac"), Unit.objects.get(code="tam-duong-nam")
    merged = units_merge(sources=[bac, nam], on=today, user=None, keep_activity=True,
                         new_unit=NewUnit("tam-duong-hop-nhat", "Đảng bộ Tam Đường", bac.kind))
    reader = get_user_model().objects.create_user(username="hop-nhat.reviewer", password="x")
    Staff.objects.create(user=reader, unit=merged, is_reviewer=True)
    assert {Unit.objects.get(code="tam-duong").pk, bac.pk, nam.pk} <= lineage_predecessor_ids(within=merged)
    assert Submission.objects.restrict(reader, "view").filter(pk=old_submission().pk).exists()
    assert Report.objects.restrict(reader, "view").filter(pk=old_report().pk).exists()


def test_the_unit_pages_show_the_split(demo, client):
    client.force_login(user("lai-chau.reviewer"))
    page = client.get(reverse("units:detail", args=["tam-duong"])).content.decode()
    assert "Chia tách thành" in page and "Huyện ủy Tam Đường Bắc" in page and "Huyện ủy Tam Đường Nam" in page
    page = client.get(reverse("units:detail", args=["tam-duong-bac"])).content.decode()
    assert "Tiếp nhận từ" in page and 'href="/don-vi/tam-duong/"' in page


def test_the_migration_fills_the_parts_of_splits_recorded_before_it(demo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("units.migrations.0006_unit_split_into")
    tam_duong = Unit.objects.get(code="tam-duong")
    parts = set(tam_duong.split_into.values_list("code", flat=True))
    tam_duong.split_into.clear()  # as a database split before `split_into` existed
    migration.parts_from_recorded_splits(apps, None)
    assert set(tam_duong.split_into.values_list("code", flat=True)) == parts == {"tam-duong-bac", "tam-duong-nam"}
