"""Plan selectors on the demo data: which plan a unit answers, who must report, open requests."""
from __future__ import annotations

import datetime as dt

import pytest

from reports.plans.models import Plan
from reports.plans.selectors import plan_assigned_units, plan_for_unit, plan_get_by_reference, plans_assigning_unit
from units.models import Unit
from units.services import unit_create, unit_dissolve

pytestmark = pytest.mark.django_db


def test_plan_for_unit_follows_the_relay(demo):
    tam_duong = Unit.objects.get(code="tam-duong")
    lai_chau = Unit.objects.get(code="lai-chau")
    assert plan_for_unit(reference="132-HD/BTGTU", unit=tam_duong).reference == "120-CV/BTGHU"
    assert plan_for_unit(reference="120-CV/BTGHU", unit=tam_duong).reference == "120-CV/BTGHU"
    assert plan_for_unit(reference="132-HD/BTGTU", unit=lai_chau).reference == "132-HD/BTGTU"
    assert plan_for_unit(reference="168-HD/BTGTU", unit=tam_duong).reference == "251-CV/BTGHU"
    assert plan_for_unit(reference="132-HD/BTGTU", unit=Unit.objects.get(code="than-uyen")) is None
    assert plan_for_unit(reference="999-HD/XX", unit=tam_duong) is None


def test_plan_for_unit_follows_a_chain_of_relays(demo):
    from units.models import IssuingBody

    khun_ha = Unit.objects.get(code="tam-duong-khun-ha")
    body = IssuingBody.objects.create(code="khun-ha-du", unit=khun_ha, name="Đảng ủy xã Khun Há",
                                      citation_name="Đảng ủy xã", own_line="ĐẢNG ỦY XÃ KHUN HÁ",
                                      place_name="Khun Há", code_suffix="ĐU", signer_title="BÍ THƯ",
                                      signer_name="Chảo Văn Lở")
    p120 = Plan.objects.get(reference="120-CV/BTGHU")
    relay = Plan.objects.create(kind="CV", number=15, reference="15-CV/ĐU", issuing_body=body,
                                issued_on=dt.date(2023, 9, 25), title="t", period_start=p120.period_start,
                                period_end=p120.period_end, deadline=dt.date(2023, 10, 15), relays=p120)
    assert plan_for_unit(reference="132-HD/BTGTU", unit=khun_ha) == relay


def test_assigned_units_of_the_district_plan(demo, django_assert_num_queries):
    plan = plan_get_by_reference(reference="120-CV/BTGHU")
    # The tree of the plan's day (versions, plus units made outside the services) and the units.
    with django_assert_num_queries(3):
        units = list(plan_assigned_units(plan))
    assert len(units) == 52
    assert units[0].code == "tam-duong"  # include_own: the issuing unit first
    assert all(u.get_depth() == 3 for u in units[1:])
    assert [u.path for u in units] == sorted(u.path for u in units)


def test_assigned_units_direct_subtree_and_history(demo):
    p132 = plan_get_by_reference(reference="132-HD/BTGTU")
    assert [u.code for u in plan_assigned_units(p132)] == ["tam-duong", "than-uyen"]
    p120 = Plan.objects.get(reference="120-CV/BTGHU")
    p120.scope = Plan.Scope.SUBTREE
    subtree = list(plan_assigned_units(p120))
    assert len(subtree) > 52  # village cells below the communes too
    # The tree of the day the plan was issued (20/9/2023): a unit dissolved before that day and one
    # created after it are not asked; one dissolved after it still is.
    tam_duong = Unit.objects.get(code="tam-duong")
    # (both have 2023 submissions: the history is rewritten on purpose here, hence keep_activity)
    unit_dissolve(unit=Unit.objects.get(code="tam-duong-phong-noi-vu"), on=dt.date(2023, 6, 1), user=None,
                  keep_activity=True)
    unit_dissolve(unit=Unit.objects.get(code="tam-duong-thong-ke"), on=dt.date(2023, 9, 21), user=None,
                  keep_activity=True)
    unit_create(code="tam-duong-new", name="Chi bộ mới", kind=tam_duong.kind, parent=tam_duong,
                valid_from=dt.date(2023, 11, 5))
    p120.scope = Plan.Scope.DIRECT
    codes = {u.code for u in plan_assigned_units(p120)}
    assert "tam-duong-phong-noi-vu" not in codes and "tam-duong-new" not in codes
    assert "tam-duong-thong-ke" in codes
    assert len(codes) == 51


def test_plans_assigning_a_unit(demo):
    khun_ha = Unit.objects.get(code="tam-duong-khun-ha")
    assert [p.reference for p in plans_assigning_unit(khun_ha)] == ["120-CV/BTGHU", "251-CV/BTGHU"]
    # The district answers the province's plans through its relays, not as a unit entering figures.
    tam_duong = Unit.objects.get(code="tam-duong")
    refs = [p.reference for p in plans_assigning_unit(tam_duong)]
    assert "132-HD/BTGTU" not in refs and "168-HD/BTGTU" not in refs
    assert "120-CV/BTGHU" in refs and "251-CV/BTGHU" in refs and "222-KH/TU" in refs
