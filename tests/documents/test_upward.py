"""Reports move up the hierarchy as documents (issue 18.5): the upper level receives a subordinate's signed
report (accepted, or returned with a reason and then replaced by a new numbered report), its status board
shows each one's state, its own report cites them by number and date and names those not received, and
approving it while some are missing is recorded with a warning."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.documents import services
from reports.documents.models import Report, ReportReceipt
from reports.rollup.rules import rollup
from reports.signing import services as signing
from reports.signing.models import ApprovalStep
from reports.submissions.selectors import status_board
from tests.rollup.factory import add_unit, body_for, district, make_plan, reviewer_for
from units.models import Staff, Unit

pytestmark = pytest.mark.django_db


def _people(studied, required, conferences=1):
    return {"members.studied": studied, "members.required": required, "conference.count": conferences,
            "conference.attendance": 30 * conferences, "cell_meeting.count": 1}


def _signed(report: Report, number: int, on: dt.date) -> Report:
    """The report as the signing app leaves it (signing itself is tested in tests/signing)."""
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SIGNED, number=number, issued_on=on,
                                               signed_at=timezone.now())
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def province():
    province = add_unit("prv", "Tỉnh ủy Prv", "tinh-uy", None, "tỉnh Prv")
    pbody = body_for(province, suffix="BTGTU", citation="Ban Tuyên giáo Tỉnh ủy")
    previewer = reviewer_for(province)
    pplan = make_plan("9-HD/BTGTU", pbody, include_own=False)
    north, _plan1, north_user, _ = district("nth", [_people(10, 12, 2), _people(8, 8)], parent=province,
                                            relays=pplan)
    south, _plan2, south_user, _ = district("sth", [_people(30, 40, 4)], parent=province, relays=pplan)
    north_report = _signed(services.report_get_or_create(plan=pplan, unit=north, user=north_user), 7,
                           dt.date(2023, 10, 18))
    services.report_get_or_create(plan=pplan, unit=south, user=south_user)  # a draft: not sent
    return {"unit": Unit.objects.get(pk=province.pk), "plan": pplan, "reviewer": previewer, "north": north,
            "north_user": north_user, "north_report": north_report, "south": south}


def test_only_the_upper_level_receives_a_signed_report(province):
    report = province["north_report"]
    with pytest.raises(PermissionDenied):
        services.report_receive(report=report, user=province["north_user"], accept=True)
    draft = Report.objects.get(unit=province["south"])
    with pytest.raises(ValidationError, match="đã ký số"):
        services.report_receive(report=draft, user=province["reviewer"], accept=True)
    with pytest.raises(ValidationError, match="lý do"):
        services.report_receive(report=report, user=province["reviewer"], accept=False, reason="  ")
    receipt = services.report_receive(report=report, user=province["reviewer"], accept=True)
    assert receipt.action == ReportReceipt.Action.ACCEPT and receipt.unit == province["unit"]
    with pytest.raises(ValidationError, match="đã được tiếp nhận"):
        services.report_receive(report=report, user=province["reviewer"], accept=False, reason="sai số liệu")
    board = {row.unit.code: row for row in status_board(plan=province["plan"]).rows}
    assert board["nth"].status == "report_received" and board["sth"].status == "report_draft"


def test_a_returned_report_is_replaced_by_a_new_numbered_one(province, client):
    report = province["north_report"]
    blocks_before = report.blocks
    services.report_receive(report=report, user=province["reviewer"], accept=False,
                            reason="Thiếu số liệu của Chi bộ nth 001")
    assert status_board(plan=province["plan"]).rows[0].status == "report_returned"
    from notifications.models import Notification

    note = Notification.objects.get(user=province["north_user"])
    assert "trả lại báo cáo số 07-BC/BTGHU" in note.title and "Thiếu số liệu" in note.body
    new = services.report_correct(report=report, user=province["north_user"])
    assert new.pk != report.pk and new.replaces == report and new.status == Report.Status.DRAFT
    assert new.number is None  # it gets the next number of the register when signed
    replaces = next(b for b in new.blocks if b["key"] == "replaces")
    assert replaces["text"] == ("Báo cáo này thay thế Báo cáo số 07-BC/BTGHU, ngày 18/10/2023 "
                                "của Ban Tuyên giáo Huyện ủy Nth.")
    assert services.report_typed_numbers(report=new) == []
    services.report_refresh(report=new, user=province["north_user"])
    new.refresh_from_db()
    assert any(b["key"] == "replaces" for b in new.blocks)  # kept through a refresh
    report.refresh_from_db()
    assert report.status == Report.Status.SIGNED and report.number == 7 and report.blocks == blocks_before
    assert services.report_correct(report=report, user=province["north_user"]) == new  # once only
    # The board follows the replacing report; the returned one is no longer counted.
    board = {row.unit.code: row for row in status_board(plan=province["plan"]).rows}
    assert board["nth"].status == "report_draft" and board["nth"].report.pk == new.pk
    client.force_login(province["north_user"])
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'data-receipt="return"' in html and "Thiếu số liệu của Chi bộ nth 001" in html
    assert 'id="replaced-by"' in html
    assert 'id="replaces"' in client.get(new.get_absolute_url()).content.decode()


def test_the_receive_buttons_are_the_upper_levels(province, client):
    report = province["north_report"]
    client.force_login(province["reviewer"])
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="receive-form"' in html
    response = client.post(reverse("documents:receive", args=[report.pk]), {"action": "return", "reason": ""})
    assert response.status_code == 302 and not ReportReceipt.objects.exists()
    client.post(reverse("documents:receive", args=[report.pk]), {"action": "accept"})
    assert ReportReceipt.objects.get().action == "accept"
    client.force_login(province["north_user"])
    assert 'id="receive-form"' not in client.get(report.get_absolute_url()).content.decode()
    assert client.post(reverse("documents:receive", args=[report.pk]), {"action": "accept"}).status_code == 404


def test_upper_report_cites_the_reports_and_names_those_not_received(province):
    services.report_receive(report=province["north_report"], user=province["reviewer"], accept=True)
    result = rollup(plan=province["plan"], unit=province["unit"])
    rows = {r.code: r for r in result.units}
    assert rows["nth"].document["reference"] == "07-BC/BTGHU" and rows["nth"].document["received"] == "accept"
    upper = services.report_get_or_create(plan=province["plan"], unit=province["unit"], user=province["reviewer"])
    block = next(b for b in upper.blocks if b["key"] == "I.sources")
    assert "chưa nhận được báo cáo của Huyện ủy Sth" in block["text"]
    assert block["footnotes"] == ["Báo cáo số 07-BC/BTGHU, ngày 18/10/2023 của Ban Tuyên giáo Huyện ủy Nth."]


def test_approving_while_reports_are_missing_warns_and_records_it(province):
    upper = services.report_get_or_create(plan=province["plan"], unit=province["unit"], user=province["reviewer"])
    leader = get_user_model().objects.create_user("prv.leader")
    Staff.objects.create(user=leader, unit=province["unit"], is_leader=True)
    signing.report_send_for_approval(report=upper, user=province["reviewer"])
    signing.report_approve(report=upper, user=leader)
    step = ApprovalStep.objects.get(report=upper, action=ApprovalStep.Action.APPROVE)
    # North's report is signed but not received yet, South's is a draft: neither is in the figures.
    assert "Duyệt khi chưa nhận được báo cáo của: Huyện ủy Nth; Huyện ủy Sth." in step.reason
