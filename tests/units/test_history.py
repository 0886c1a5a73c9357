"""History services: rename, move, merge, split, dissolve, each with an effective date, and the tree as of a date."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from demo.hierarchy import seed_hierarchy
from units.models import Unit, UnitChange, UnitKind, UnitVersion
from units.selectors import units_as_of
from units.services import NewUnit, unit_create, unit_dissolve, unit_move, unit_rename, unit_split, units_merge

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def units():
    seed_hierarchy()
    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def user():
    return get_user_model().objects.create_user("tester", password="x")


def node(tree, code):
    """Find a node by code in an as-of forest."""
    stack = list(tree)
    while stack:
        n = stack.pop()
        if n.code == code:
            return n
        stack.extend(n.children)
    return None


def test_rename_keeps_code_and_history(units, user):
    khun_ha = units("tam-duong-khun-ha")
    unit_rename(unit=khun_ha, name="Đảng ủy xã Khun Há mới", short_name="xã Khun Há mới", on=D(2024, 3, 1), user=user)
    khun_ha = units("tam-duong-khun-ha")
    assert khun_ha.name == "Đảng ủy xã Khun Há mới" and khun_ha.code == "tam-duong-khun-ha"
    versions = list(khun_ha.versions.order_by("valid_from"))
    assert [(v.name, v.valid_from, v.valid_to) for v in versions] == [
        ("Đảng ủy xã Khun Há", D(2020, 10, 1), D(2024, 3, 1)),
        ("Đảng ủy xã Khun Há mới", D(2024, 3, 1), None),
    ]
    assert node(units_as_of(on=D(2023, 10, 30)), "tam-duong-khun-ha").name == "Đảng ủy xã Khun Há"
    assert node(units_as_of(on=D(2024, 3, 1)), "tam-duong-khun-ha").name == "Đảng ủy xã Khun Há mới"
    change = UnitChange.objects.get(unit=khun_ha, kind=UnitChange.Kind.RENAME)
    assert change.effective == D(2024, 3, 1) and change.created_by == user
    assert change.details["old"]["name"] == "Đảng ủy xã Khun Há"


def test_rename_after_submission_keeps_submission_name(units, user):
    from demo.plans import seed_plans
    from reports.plans.catalogue import catalogue_load
    from reports.submissions.services import submission_get_or_create

    catalogue_load()
    plans = seed_plans()
    plan = plans["120-CV/BTGHU"]
    submission = submission_get_or_create(plan=plan, unit=units("tam-duong-khun-ha"), user=user)
    unit_rename(unit=units("tam-duong-khun-ha"), name="Đảng ủy xã Khun Há (đổi tên)", on=D(2024, 1, 1), user=user)
    unit_rename(unit=units("tam-duong"), name="Huyện ủy Tam Đường (đổi tên)", on=D(2024, 1, 1), user=user)
    submission.refresh_from_db()
    assert submission.unit_name == "Đảng ủy xã Khun Há"
    assert submission.parent_name == "Huyện ủy Tam Đường"


def test_move_subtree_and_as_of(units, user):
    khun_ha = units("tam-duong-khun-ha")
    cells_before = Unit.objects.subtree(khun_ha).count()
    unit_move(unit=khun_ha, new_parent=units("than-uyen"), on=D(2024, 5, 1), user=user)
    khun_ha = units("tam-duong-khun-ha")
    assert khun_ha.get_parent().code == "than-uyen"
    assert Unit.objects.subtree(khun_ha).count() == cells_before  # village cells came along
    assert units("tam-duong").get_children().filter(dissolved_on__isnull=True).count() == 50
    before = units_as_of(on=D(2024, 4, 30), root=units("tam-duong"))[0]
    after = units_as_of(on=D(2024, 5, 1), root=units("tam-duong"))[0]
    assert "tam-duong-khun-ha" in [c.code for c in before.children]
    assert "tam-duong-khun-ha" not in [c.code for c in after.children]
    than_uyen = units_as_of(on=D(2024, 5, 1), root=units("than-uyen"))[0]
    moved = next(c for c in than_uyen.children if c.code == "tam-duong-khun-ha")
    assert len(moved.children) == cells_before - 1
    change = UnitChange.objects.get(unit=khun_ha, kind=UnitChange.Kind.MOVE)
    assert change.details == {"old_parent": "tam-duong", "new_parent": "than-uyen"}


def test_move_into_own_subtree_is_refused(units, user):
    with pytest.raises(ValidationError, match="chính nó"):
        unit_move(unit=units("tam-duong"), new_parent=units("tam-duong-khun-ha"), on=D(2024, 1, 1), user=user)
    assert units("tam-duong").get_parent().code == "lai-chau"


def test_merge_into_existing_unit(units, user):
    target = units("tam-duong-binh-lu")
    units_merge(sources=[units("tam-duong-khun-ha"), units("tam-duong-ban-bo")], target=target, on=D(2025, 7, 1),
                user=user)
    khun_ha, ban_bo = units("tam-duong-khun-ha"), units("tam-duong-ban-bo")
    assert khun_ha.dissolved_on == D(2025, 7, 1) and khun_ha.successor == target
    assert ban_bo.successor == target
    # Khun Há's village cells now belong to Bình Lư; Khun Há itself is still there, with its history.
    assert units("tam-duong-khun-ha-ban-khun-ha").get_parent().code == "tam-duong-binh-lu"
    assert khun_ha.versions.get(valid_to=D(2025, 7, 1)).name == "Đảng ủy xã Khun Há"
    assert not khun_ha.versions.filter(valid_to__isnull=True).exists()
    assert node(units_as_of(on=D(2025, 6, 30)), "tam-duong-khun-ha") is not None
    assert node(units_as_of(on=D(2025, 7, 1)), "tam-duong-khun-ha") is None
    assert UnitChange.objects.filter(kind=UnitChange.Kind.MERGE).count() == 3
    target_change = UnitChange.objects.get(kind=UnitChange.Kind.MERGE, unit=target)
    assert set(target_change.related_units.values_list("code", flat=True)) == {"tam-duong-khun-ha", "tam-duong-ban-bo"}


def test_merge_into_new_unit_needs_same_parent_or_a_parent(units, user):
    kind = UnitKind.objects.get(code="dang-uy-xa")
    with pytest.raises(ValidationError, match="cấp trên"):
        units_merge(sources=[units("tam-duong-khun-ha"), units("than-uyen-phuc-than")], on=D(2025, 7, 1), user=user,
                    new_unit=NewUnit("xa-moi", "Đảng ủy xã Mới", kind))
    assert not Unit.objects.filter(code="xa-moi").exists()
    assert units("tam-duong-khun-ha").dissolved_on is None


def test_real_2025_case_district_dissolved_communes_merged_under_province(units, user):
    """1/7/2025: Huyện ủy Tam Đường is dissolved; its communes merge into new communes under the province."""
    on = D(2025, 7, 1)
    xa = UnitKind.objects.get(code="dang-uy-xa")
    lai_chau = units("lai-chau")
    groups = {
        "lai-chau-binh-lu": ("Đảng ủy xã Bình Lư", ["binh-lu", "ban-bo", "ban-giang", "thi-tran"]),
        "lai-chau-khun-ha": ("Đảng ủy xã Khun Há", ["khun-ha", "ta-leng", "ho-thau"]),
        "lai-chau-ban-hon": ("Đảng ủy xã Bản Hon", ["ban-hon", "giang-ma", "na-tam", "son-binh", "nung-nang",
                                                    "then-sin"]),
    }
    for code, (name, members) in groups.items():
        units_merge(sources=[units(f"tam-duong-{m}") for m in members], on=on, user=user, new_parent=lai_chau,
                    new_unit=NewUnit(code, name, xa, short_name=name.replace("Đảng ủy ", "")))
    # The agencies' party organisations go to the province directly.
    tam_duong = units("tam-duong")
    unit_dissolve(unit=tam_duong, on=on, user=user, move_children_to=lai_chau)

    tam_duong = units("tam-duong")
    assert tam_duong.dissolved_on == on
    assert Unit.objects.filter(code="tam-duong").exists()  # never disappears
    assert units("lai-chau-khun-ha").get_parent() == lai_chau
    assert units("tam-duong-khun-ha-ban-khun-ha").get_parent().code == "lai-chau-khun-ha"
    assert units("tam-duong-cong-an").get_parent() == lai_chau
    # The district's 13 communes are dissolved, 38 agencies moved; all still under it in history.
    assert Unit.objects.filter(dissolved_on=on, successor__code__startswith="lai-chau-").count() == 13
    old = units_as_of(on=D(2023, 10, 30), root=tam_duong)[0]
    assert old.name == "Huyện ủy Tam Đường" and len(old.children) == 51
    assert units_as_of(on=on, root=tam_duong) == []
    new = units_as_of(on=on, root=lai_chau)[0]
    codes = {c.code for c in new.children}
    assert {"lai-chau-binh-lu", "lai-chau-khun-ha", "lai-chau-ban-hon", "tam-duong-cong-an"} <= codes
    assert "tam-duong" not in codes
    assert len([c for c in new.children if c.code.startswith("tam-duong-")]) == 38
    assert UnitChange.objects.filter(unit=tam_duong, kind=UnitChange.Kind.DISSOLVE).count() == 1


def test_split(units, user):
    khun_ha = units("tam-duong-khun-ha")
    kind = UnitKind.objects.get(code="dang-uy-xa")
    cells = list(khun_ha.get_children().values_list("code", flat=True))
    assignment = {code: ("xa-a" if n % 2 == 0 else "xa-b") for n, code in enumerate(cells)}
    parts = unit_split(source=khun_ha, on=D(2024, 1, 1), user=user, children=assignment,
                       parts=[NewUnit("xa-a", "Đảng ủy xã A", kind), NewUnit("xa-b", "Đảng ủy xã B", kind)])
    assert [p.get_parent().code for p in parts] == ["tam-duong", "tam-duong"]
    assert units("tam-duong-khun-ha").dissolved_on == D(2024, 1, 1)
    assert units("xa-a").get_children().count() == 3 and units("xa-b").get_children().count() == 2
    change = UnitChange.objects.get(kind=UnitChange.Kind.SPLIT)
    assert set(change.related_units.values_list("code", flat=True)) == {"xa-a", "xa-b"}
    tree = units_as_of(on=D(2023, 12, 31), root=units("tam-duong"))[0]
    assert "tam-duong-khun-ha" in {c.code for c in tree.children} and "xa-a" not in {c.code for c in tree.children}


def test_split_refuses_unassigned_children_and_changes_nothing(units, user):
    kind = UnitKind.objects.get(code="dang-uy-xa")
    count = Unit.objects.count()
    with pytest.raises(ValidationError, match="Chưa chọn đơn vị tiếp nhận"):
        unit_split(source=units("tam-duong-khun-ha"), on=D(2024, 1, 1), user=user,
                   parts=[NewUnit("xa-a", "Đảng ủy xã A", kind), NewUnit("xa-b", "Đảng ủy xã B", kind)])
    assert Unit.objects.count() == count and units("tam-duong-khun-ha").dissolved_on is None


def test_dissolve_keeps_history_and_refuses_with_active_children(units, user):
    with pytest.raises(ValidationError, match="còn 5 đơn vị trực thuộc"):
        unit_dissolve(unit=units("tam-duong-khun-ha"), on=D(2024, 1, 1), user=user)
    cell = units("tam-duong-khun-ha-tram-y-te-xa")
    unit_dissolve(unit=cell, on=D(2024, 1, 1), user=user)
    cell.refresh_from_db()
    assert cell.dissolved_on == D(2024, 1, 1) and cell.is_dissolved
    assert cell.versions.count() == 1 and cell.versions.get().valid_to == D(2024, 1, 1)
    with pytest.raises(ValidationError, match="đã giải thể"):
        unit_rename(unit=cell, name="X", on=D(2024, 2, 1), user=user)


def test_future_and_backdated_changes_are_refused(units, user):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="tương lai"):
        unit_rename(unit=units("tam-duong-khun-ha"), name="X", on=tomorrow, user=user)
    unit_rename(unit=units("tam-duong-khun-ha"), name="Y", on=D(2024, 1, 1), user=user)
    with pytest.raises(ValidationError, match="không sửa xen vào giữa"):
        unit_rename(unit=units("tam-duong-khun-ha"), name="Z", on=D(2023, 1, 1), user=user)
    assert units("tam-duong-khun-ha").name == "Y"
    assert UnitVersion.objects.filter(unit__code="tam-duong-khun-ha").count() == 2


def test_same_day_change_corrects_open_version(units, user):
    unit_rename(unit=units("tam-duong-khun-ha"), name="Y", on=D(2024, 1, 1), user=user)
    unit_rename(unit=units("tam-duong-khun-ha"), name="Y2", on=D(2024, 1, 1), user=user)
    assert list(units("tam-duong-khun-ha").versions.values_list("name", flat=True)) == ["Đảng ủy xã Khun Há", "Y2"]


def test_create_refuses_duplicate_code(units):
    with pytest.raises(ValidationError, match="đã có"):
        unit_create(code="tam-duong", name="X", kind=UnitKind.objects.first(), parent=None)
