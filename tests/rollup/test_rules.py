"""The roll-up rules (DESIGN §5) on the demo data (seed 004) and on synthetic hierarchies."""
from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.documents.models import Report
from reports.documents.services import report_get_or_create, report_receive
from reports.plans.models import Plan
from reports.rollup.rules import rollup
from tests.rollup.factory import ON_TIME, add_unit, body_for, district, make_plan, reviewer_for, submit
from units.models import Unit

GOLDEN = {"conference.count": 79, "cell_meeting.count": 294, "members.studied": 2419, "members.required": 2468,
          "nonmembers.studied": 700, "nonmembers.required": 735}
LATE = ["Chi bộ Phòng Nội vụ", "Chi bộ Phòng Lao động – Thương binh và Xã hội", "Chi bộ Ban Quản lý Rừng phòng hộ",
        "Chi bộ Hạt Kiểm lâm", "Chi bộ Trung tâm Phát triển quỹ đất", "Chi bộ Trường PTDT Nội trú huyện"]


@pytest.fixture
def tam_duong(demo):
    return Unit.objects.select_related("kind").get(code="tam-duong")


# -- the demo data: seed 004 ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_golden_totals_and_rates_from_the_demo(tam_duong):
    result = rollup(plan=Plan.objects.get(reference="132-HD/BTGTU"), unit=tam_duong)
    assert result.plan.reference == "120-CV/BTGHU"  # Tam Đường's relay is what gets rolled up
    assert result.requested_plan.reference == "132-HD/BTGTU"
    assert {k: result.totals[k] for k in GOLDEN} == GOLDEN
    assert result.rates["members.studied"] == Decimal("98.0")
    assert result.rates["nonmembers.studied"] == Decimal("95.2")
    # propaganda by channel, as seed 004 writes it: 143 buổi/9.010 lượt người; 15 tin bài, 30 phút
    t = result.totals
    assert t["propaganda.loudspeaker.sessions"] + t["propaganda.mass_meeting.sessions"] == 143
    assert t["propaganda.mass_meeting.reach"] + t["propaganda.loudspeaker.reach"] == 9010
    assert t["propaganda.radio_tv.items"] + t["propaganda.website.items"] == 15
    assert t["propaganda.radio_tv.minutes"] == 30


@pytest.mark.django_db
def test_khun_ha_below_average_and_the_six_late_units(tam_duong):
    result = rollup(plan=Plan.objects.get(reference="132-HD/BTGTU"), unit=tam_duong)
    assert [str(b) for b in result.below_average] == ["Đảng ủy xã Khun Há (66,3%)"]
    khun_ha = result.below_average[0]
    assert khun_ha.text_name == "xã Khun Há"
    assert khun_ha.rates["nonmembers.studied"] == Decimal("66.3")
    assert [r.name for r in result.late] == LATE
    assert result.missing == []
    assert result.assigned_count == 51 and result.submitted_count == 51 and result.on_time_count == 45


@pytest.mark.django_db
def test_rows_in_hierarchy_order_and_totals_equal_the_rows(tam_duong):
    result = rollup(plan=Plan.objects.get(reference="120-CV/BTGHU"), unit=tam_duong)
    assert result.units[0].is_own and result.units[0].totals["conference.count"] == 5
    assert [r.path for r in result.units] == sorted(r.path for r in result.units)
    assert len(result.subordinates) == 51
    for code, total in result.totals.items():
        assert total == sum(r.totals.get(code, 0) for r in result.units if r.included), code
    assert all(r.status and r.timeliness for r in result.subordinates)


@pytest.mark.django_db
def test_rollup_command_json(tam_duong):
    out = io.StringIO()
    call_command("rollup", "--plan", "132-HD/BTGTU", "--unit", "tam-duong", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {"plan", "unit", "as_of", "totals", "rates", "units", "late", "missing", "below_average"}
    assert {k: data["totals"][k] for k in GOLDEN} == GOLDEN
    assert data["rates"]["members.studied"] == 98.0
    assert len(data["units"]) == 51
    assert all({"code", "name", "status", "timeliness", "totals"} <= set(u) for u in data["units"])
    assert data["late"] == LATE and len(data["late"] + data["missing"]) == 6
    assert "Khun Há" in " ".join(str(b) for b in data["below_average"])


# -- the rules on synthetic data --------------------------------------------------------------------------

def _people(studied, required, conferences=1):
    return {"members.studied": studied, "members.required": required, "conference.count": conferences,
            "conference.attendance": 10 * conferences}


@pytest.mark.django_db
def test_units_split_differently_give_the_same_totals():
    a, plan_a, *_ = district("alpha", [_people(10, 10, 1), _people(20, 25, 2), _people(30, 40, 3)])
    b, plan_b, *_ = district("beta", [_people(5, 5, 4), _people(55, 70, 1), _people(0, 0, 0), _people(0, 0, 1)])
    ra, rb = rollup(plan=plan_a, unit=a), rollup(plan=plan_b, unit=b)
    assert ra.totals == rb.totals
    assert ra.totals["members.studied"] == 60 and ra.totals["members.required"] == 75
    assert ra.rates == rb.rates == {"members.studied": Decimal("80.0"), "nonmembers.studied": None}


@pytest.mark.django_db
def test_rates_are_recomputed_never_averaged():
    unit, plan, *_ = district("gamma", [_people(1, 1), _people(1, 3)])
    result = rollup(plan=plan, unit=unit)
    # the average of 100,0% and 33,3% would be 66,7%; the rate of the sums is 2/4 = 50,0%
    assert result.rates["members.studied"] == Decimal("50.0")
    assert [r.rates["members.studied"] for r in result.subordinates] == [Decimal("100.0"), Decimal("33.3")]
    assert [b.name for b in result.below_average] == ["Chi bộ gamma 001"]


@pytest.mark.django_db
def test_people_count_once_when_a_commune_and_its_village_cell_both_submit():
    root = add_unit("delta", "Huyện ủy Delta", "huyen-uy", None)
    body = body_for(root)
    user = reviewer_for(root)
    plan = make_plan("7-CV/BTGHU", body, scope=Plan.Scope.SUBTREE)
    commune = add_unit("delta-xa", "Đảng ủy xã Một", "dang-uy-xa", root, "xã Một")
    village = add_unit("delta-xa-ban", "Chi bộ bản Một", "chi-bo-truc-thuoc", commune)
    other = add_unit("delta-cb", "Chi bộ Hai", "chi-bo-co-so", root)
    # The commune reports its own people total too (which includes the village cell's members).
    submit(plan, commune, {"members.studied": 50, "members.required": 60, "conference.count": 2}, user=user)
    submit(plan, village, {"members.studied": 20, "members.required": 25, "conference.count": 1}, user=user)
    submit(plan, other, {"members.studied": 7, "members.required": 7, "conference.count": 1}, user=user)
    result = rollup(plan=plan, unit=Unit.objects.get(pk=root.pk))
    assert result.totals["members.studied"] == 27  # leaves only: village 20 + other 7, never the commune's 50
    assert result.totals["members.required"] == 32
    assert result.totals["conference.count"] == 4  # events add over every level
    commune_row = next(r for r in result.units if r.code == "delta-xa")
    assert commune_row.totals["members.studied"] == 20 and commune_row.totals["conference.count"] == 3
    assert [r.code for r in result.units] == ["delta-xa", "delta-cb"]


@pytest.mark.django_db
def test_submitted_but_not_accepted_only_when_asked_and_marked():
    unit, plan, user, cells = district("eps", [_people(10, 10)])
    extra = add_unit("eps-new", "Chi bộ mới", "chi-bo-co-so", unit)
    submit(plan, extra, _people(5, 10), user=user, accept=False)
    unit = Unit.objects.get(pk=unit.pk)
    plain = rollup(plan=plan, unit=unit)
    assert plain.totals["members.studied"] == 10
    row = next(r for r in plain.units if r.code == "eps-new")
    assert row.status == "submitted" and not row.included
    ticked = rollup(plan=plan, unit=unit, include_submitted=True)
    assert ticked.totals["members.studied"] == 15
    row = next(r for r in ticked.units if r.code == "eps-new")
    assert row.included and row.unaccepted


@pytest.mark.django_db
def test_province_report_adds_the_district_reports_and_its_own_units():
    province = add_unit("prov", "Tỉnh ủy Prov", "tinh-uy", None, "tỉnh Prov")
    pbody = body_for(province, suffix="BTGTU", citation="Ban Tuyên giáo Tỉnh ủy")
    previewer = reviewer_for(province)
    pplan = make_plan("9-HD/BTGTU", pbody, include_own=False)
    d1, plan1, user1, _ = district("north", [_people(10, 12, 2), _people(8, 8, 1)], parent=province,
                                   own={"conference.count": 3}, relays=pplan)
    d2, plan2, user2, _ = district("south", [_people(30, 40, 4)], parent=province, relays=pplan)
    agency = add_unit("prov-agency", "Đảng ủy Khối cơ quan", "chi-bo-co-so", Unit.objects.get(pk=province.pk))
    submit(pplan, agency, _people(5, 5, 1), user=previewer)
    r1 = report_get_or_create(plan=pplan, unit=d1, user=user1)
    r2 = report_get_or_create(plan=plan2, unit=d2, user=user2)  # the relay or the asked plan: the same report
    assert r1.plan == pplan and r1.source_plan == plan1 and r2.plan == pplan and r2.source_plan == plan2
    # Draft reports are not sent: nothing of theirs counts; signed and received by the province, they do.
    drafts = rollup(plan=pplan, unit=Unit.objects.get(pk=province.pk))
    assert drafts.totals["conference.count"] == 1 and {r.code for r in drafts.missing} >= {"north", "south"}
    for number, district_report in enumerate((r1, r2), start=1):
        Report.objects.filter(pk=district_report.pk).update(status=Report.Status.SIGNED, number=number,
                                                            issued_on=dt.date(2023, 10, 19), signed_at=ON_TIME)
        report_receive(report=district_report, user=previewer, accept=True)
    result = rollup(plan=pplan, unit=Unit.objects.get(pk=province.pk))
    rows = {r.code: r for r in result.units}
    assert rows["north"].source == "report" and rows["south"].source == "report"
    assert rows["north"].totals["conference.count"] == 6  # 2 + 1 + the district's own 3
    assert result.totals["conference.count"] == 6 + 4 + 1
    assert result.totals["members.studied"] == 18 + 30 + 5
    assert result.totals["members.required"] == 20 + 40 + 5
    assert result.rates["members.studied"] == Decimal("81.5")  # 53/65, not an average of the districts' rates


def _district_with(n: int, prefix: str):
    return district(prefix, [_people(i % 7, 7, i % 3) for i in range(n)])


@pytest.mark.django_db
def test_query_count_does_not_depend_on_the_number_of_units():
    small, plan_small, *_ = _district_with(5, "small")
    large, plan_large, *_ = _district_with(50, "large")
    counts = []
    for unit, plan in ((small, plan_small), (large, plan_large)):
        unit = Unit.objects.select_related("kind").get(pk=unit.pk)
        plan = Plan.objects.select_related("issuing_body__unit").get(pk=plan.pk)
        with CaptureQueriesContext(connection) as ctx:
            result = rollup(plan=plan, unit=unit)
        counts.append(len(ctx.captured_queries))
        assert len(result.subordinates) in (5, 50)
    assert counts[0] == counts[1]
    assert counts[1] <= 12


@pytest.mark.django_db
def test_a_commune_rolls_up_only_what_it_was_asked_for(demo):
    khun_ha = Unit.objects.select_related("kind").get(code="tam-duong-khun-ha")
    result = rollup(plan=Plan.objects.get(reference="120-CV/BTGHU"), unit=khun_ha)
    # Its village cells were not asked (the plan goes to Tam Đường's direct subordinates): no rows, none missing.
    assert [r.code for r in result.units] == ["tam-duong-khun-ha"]
    assert result.missing == [] and result.totals["nonmembers.studied"] == 55


@pytest.mark.django_db
def test_rollup_command_refuses_unknown_plan_or_unit(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có kế hoạch"):
        call_command("rollup", "--plan", "999-HD/XX", "--unit", "tam-duong", "--json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("rollup", "--plan", "132-HD/BTGTU", "--unit", "khong-co", "--json", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rollup", "--plan", "132-HD/BTGTU", "--unit", "tam-duong", stdout=out)
    assert "Dưới mức chung: Đảng ủy xã Khun Há (66,3%)" in out.getvalue()
