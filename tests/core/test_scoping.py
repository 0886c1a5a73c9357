"""Scoping: what each demo role sees of the hierarchy; anything outside the subtree is a 404."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from core.scoping import get_staff, unit_scope_q, user_can
from demo.hierarchy import seed_hierarchy
from demo.users import seed_users
from units.models import IssuingBody, Staff, Unit, UnitChange, UnitVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    seed_hierarchy()
    seed_users()
    return lambda username: get_user_model().objects.get(username=username)


def codes(user, action="view"):
    return set(Unit.objects.restrict(user, action).values_list("code", flat=True))


def test_commune_entry_sees_only_khun_ha_and_its_cells(demo):
    seen = codes(demo("tam-duong-khun-ha.entry"))
    assert "tam-duong-khun-ha" in seen
    assert all(code.startswith("tam-duong-khun-ha") for code in seen)
    assert len(seen) == 1 + 5


def test_district_reviewer_sees_district_and_its_51_units_not_ha_tinh(demo):
    user = demo("tam-duong.reviewer")
    visible = Unit.objects.restrict(user, "view")
    tam_duong = Unit.objects.get(code="tam-duong")
    assert visible.filter(pk__in=tam_duong.get_children()).count() == 51
    assert visible.count() == 1 + 51 + 9
    assert not visible.filter(code__startswith="ha-tinh").exists()
    assert not visible.filter(code__in=["lai-chau", "than-uyen"]).exists()
    assert codes(user, "review") == codes(user, "view")


def test_province_and_superuser(demo):
    assert codes(demo("lai-chau.reviewer")) == set(
        Unit.objects.filter(path__startswith=Unit.objects.get(code="lai-chau").path).values_list("code", flat=True))
    assert codes(demo("admin")) == set(Unit.objects.values_list("code", flat=True))
    assert "ha-tinh-khoi" in codes(demo("ha-tinh.reviewer"))
    assert "tam-duong" not in codes(demo("ha-tinh.reviewer"))


def test_roles_narrow_actions(demo):
    entry = demo("tam-duong-khun-ha.entry")
    assert codes(entry, "review") == set() and codes(entry, "admin") == set()
    assert not user_can(entry, "approve") and user_can(entry, "enter")
    leader = demo("tam-duong.leader")
    assert codes(leader, "sign") == {"tam-duong"}  # own unit only
    assert codes(leader, "enter") == set()
    admin = demo("tam-duong.admin")
    assert len(codes(admin, "admin")) == 61


def test_anonymous_and_users_without_unit_see_nothing(demo):
    assert Unit.objects.restrict(AnonymousUser(), "view").count() == 0
    assert Unit.objects.restrict(None, "view").count() == 0
    nobody = get_user_model().objects.create_user("nobody", password="x")
    assert get_staff(nobody) is None
    assert Unit.objects.restrict(nobody, "view").count() == 0
    assert not user_can(nobody, "view")


def test_unknown_action_is_an_error(demo):
    with pytest.raises(ValueError):
        unit_scope_q(demo("tam-duong.entry"), "delete")


def test_related_querysets_are_scoped_through_their_unit(demo):
    bodies = IssuingBody.objects.restrict(demo("tam-duong.reviewer"), "view")
    assert set(bodies.values_list("code", flat=True)) == {"tam-duong-hu", "tam-duong-btg"}
    assert IssuingBody.objects.restrict(demo("tam-duong.leader"), "sign").count() == 2
    assert UnitChange.objects.restrict(demo("tam-duong-khun-ha.entry")).count() == 6
    ha_tinh = UnitVersion.objects.restrict(demo("ha-tinh.reviewer"))
    assert ha_tinh.exists() and not ha_tinh.filter(unit__code__startswith="tam-duong").exists()
    staff = Staff.objects.restrict(demo("tam-duong-khun-ha.entry"), "view")
    assert {s.user.username for s in staff} == {f"tam-duong-khun-ha.{r}" for r in ("entry", "reviewer", "leader",
                                                                                  "admin")}


def test_scope_follows_a_move(demo):
    """Scope is the current subtree: a unit moved away leaves the old district's scope."""
    import datetime as dt

    from units.services import unit_move

    reviewer = demo("tam-duong.reviewer")
    unit_move(unit=Unit.objects.get(code="tam-duong-khun-ha"), new_parent=Unit.objects.get(code="than-uyen"),
              on=dt.date(2024, 1, 1), user=None)
    assert "tam-duong-khun-ha" not in codes(reviewer)
    assert "tam-duong-khun-ha" in codes(demo("tam-duong-khun-ha.entry"))  # still sees its own unit
