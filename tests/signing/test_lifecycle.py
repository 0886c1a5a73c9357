"""Report life cycle (who may do what), immutability once signed, and scoping (404) of the pages."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.documents.models import Report
from reports.signing import selectors, services
from reports.signing.models import ApprovalStep, SignedDocument
from tests.signing.helpers import clerk_of, sign_and_issue, tiny_pdf, token_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_render(monkeypatch):
    """A small real PDF with the issuance fields instead of the full report (tested elsewhere)."""
    monkeypatch.setattr("reports.signing.services.render_report", lambda report: tiny_pdf(report.summary[:40]))


@pytest.fixture
def sign(user_named, quick_render):
    """The leader signs on the demo token, the unit's văn thư issues (the seal in the demo HSM)."""
    def _sign(report, username="tam-duong.leader", on=dt.date(2023, 10, 30)):
        return sign_and_issue(report, user_named(username), on=on)

    return _sign


@pytest.fixture
def approved(draft_report, user_named):
    services.report_send_for_approval(report=draft_report, user=user_named("tam-duong.reviewer"), note="Kính trình")
    return services.report_approve(report=draft_report, user=user_named("tam-duong.leader"))


def test_full_cycle_records_who_when_why(draft_report, user_named, sign):
    reviewer, leader = user_named("tam-duong.reviewer"), user_named("tam-duong.leader")
    services.report_send_for_approval(report=draft_report, user=reviewer, note="Kính trình")
    services.report_return(report=draft_report, user=leader, reason="Bổ sung số liệu xã Khun Há")
    draft_report.refresh_from_db()
    assert draft_report.status == Report.Status.RETURNED
    services.report_send_for_approval(report=draft_report, user=reviewer)
    services.report_approve(report=draft_report, user=leader)
    document = sign(draft_report)
    draft_report.refresh_from_db()
    assert draft_report.status == Report.Status.SIGNED
    assert (draft_report.number, draft_report.issued_on) == (164, dt.date(2023, 10, 30))
    assert draft_report.reference == "164-BC/BTGHU" and draft_report.signed_at == document.signed_at
    steps = list(ApprovalStep.objects.filter(report=draft_report))
    assert [s.action for s in steps] == ["send", "return", "send", "approve", "sign", "issue"]
    assert steps[0].reason == "Kính trình" and steps[1].reason == "Bổ sung số liệu xã Khun Há"
    assert steps[1].user_name == "Phạm Thị Hải Đường" and steps[0].user_name == "Lê Thị Mai"
    assert steps[4].user_name == "Phạm Thị Hải Đường" and steps[5].user_name == "Đèo Thị Thu"
    assert steps[-1].entry == document.entry and document.entry.report == draft_report


@pytest.mark.parametrize("username", ["tam-duong.entry", "tam-duong.leader", "lai-chau.reviewer",
                                      "tam-duong-khun-ha.reviewer"])
def test_only_reviewers_of_the_unit_send(draft_report, user_named, username):
    with pytest.raises(ValidationError):
        services.report_send_for_approval(report=draft_report, user=user_named(username))
    assert not ApprovalStep.objects.exists()


@pytest.mark.parametrize("username", ["tam-duong.reviewer", "lai-chau.leader", "tam-duong-khun-ha.leader"])
def test_only_the_units_leader_approves_and_signs(draft_report, user_named, username, sign):
    services.report_send_for_approval(report=draft_report, user=user_named("tam-duong.reviewer"))
    with pytest.raises(ValidationError):
        services.report_approve(report=draft_report, user=user_named(username))
    services.report_approve(report=draft_report, user=user_named("tam-duong.leader"))
    with pytest.raises(ValidationError):
        sign(draft_report, username=username)
    assert not SignedDocument.objects.exists()
    draft_report.refresh_from_db()
    assert draft_report.status == Report.Status.APPROVED and draft_report.number is None


def test_return_needs_a_reason(approved, user_named):
    with pytest.raises(ValidationError, match="lý do"):
        services.report_return(report=approved, user=user_named("tam-duong.leader"), reason="  ")
    approved.refresh_from_db()
    assert approved.status == Report.Status.APPROVED


def test_signed_report_is_immutable(approved, user_named, sign):
    sign(approved)
    approved.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_return(report=approved, user=user_named("tam-duong.leader"), reason="Sửa")
    with pytest.raises(ValidationError):
        sign(approved)
    approved.summary = "Đổi trích yếu"
    with pytest.raises(ValidationError):
        approved.save()
    from reports.documents.services import report_refresh

    with pytest.raises(ValidationError):
        report_refresh(report=approved, user=user_named("tam-duong.reviewer"))
    assert SignedDocument.objects.count() == 1


def test_submissions_behind_a_signed_report_are_frozen(approved, sign):
    from reports.submissions.models import Submission

    behind = Submission.objects.filter(plan__reference="120-CV/BTGHU").select_related("unit", "plan")
    sub = behind.get(unit__code="tam-duong-khun-ha")
    other = Submission.objects.select_related("unit", "plan").filter(plan__reference="251-CV/BTGHU").first()
    assert not selectors.submission_is_frozen(sub)
    sign(approved)
    assert selectors.submission_is_frozen(sub)
    assert selectors.submission_is_frozen(behind.get(unit__code="tam-duong"))
    assert other is None or not selectors.submission_is_frozen(other)


def test_signed_report_snapshot_for_the_province_rollup(approved, sign):
    from reports.plans.models import Plan
    from units.models import Unit

    plan, unit = Plan.objects.get(reference="132-HD/BTGTU"), Unit.objects.get(code="tam-duong")
    assert selectors.signed_report_snapshot(plan=plan, unit=unit) is None
    sign(approved)
    approved.refresh_from_db()
    assert selectors.signed_report_snapshot(plan=plan, unit=unit) == approved.snapshot
    assert selectors.signed_report_snapshot(plan=plan, unit=Unit.objects.get(code="lai-chau")) is None


def test_correction_is_a_new_number_referring_to_the_old(approved, user_named, sign):
    document = sign(approved)
    leader = user_named("tam-duong.leader")
    request = services.correction_request_create(entry=document.entry, user=leader, text="Sửa số liệu",
                                                 on=dt.date(2023, 11, 2))
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    correction = services.draft_issue(draft=draft, user=clerk_of(approved.unit), on=dt.date(2023, 11, 2))
    assert correction.entry.number == 165 and correction.entry.corrects == document.entry
    assert correction.entry.reference == "165-TB/BTGHU"
    assert list(selectors.entries_correcting(document.entry)) == [correction.entry]


# -- pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username,visible", [
    ("tam-duong.leader", True), ("tam-duong.entry", True), ("lai-chau.reviewer", True),
    ("tam-duong-khun-ha.leader", False), ("ha-tinh.reviewer", False), ("ha-tinh-khoi.leader", False),
])
def test_register_and_download_are_scoped(approved, sign, login, username, visible):
    document = sign(approved)
    client = login(username)
    page = client.get(reverse("signing:register"))
    assert page.status_code == 200
    assert ("164-BC/BTGHU" in page.content.decode()) is visible
    download = client.get(reverse("signing:download", args=[document.pk]))
    if visible:
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert download.content == bytes(document.pdf)
    else:
        assert download.status_code == 404


def test_register_shows_the_paper_numbers_note(demo, login):
    page = login("tam-duong.leader").get(reverse("signing:register"), {"co-quan": "tam-duong-btg", "ky": "2023"})
    assert "các số từ 01 đến 163 đã cấp ngoài hệ thống" in page.content.decode()


def test_out_of_scope_report_actions_are_404(approved, login):
    for username in ("ha-tinh-khoi.leader", "tam-duong-khun-ha.leader"):
        response = login(username).post(reverse("signing:report_action", args=[approved.pk, "ky"]))
        assert response.status_code == 404
    approved.refresh_from_db()
    assert approved.status == Report.Status.APPROVED


def test_actions_through_the_page(draft_report, login, quick_render):
    """Send, approve, sign (download → sign elsewhere → upload on the signing page), issue."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.signing.models import SigningRequest

    client = login("tam-duong.reviewer")
    client.post(reverse("signing:report_action", args=[draft_report.pk, "gui-duyet"]), {"note": "Kính trình"})
    client = login("tam-duong.leader")
    response = client.post(reverse("signing:report_action", args=[draft_report.pk, "tra-lai"]), {"reason": ""})
    assert response.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == Report.Status.PENDING  # no reason: refused, nothing changed
    client.post(reverse("signing:report_action", args=[draft_report.pk, "duyet"]))
    to_sign = client.post(reverse("signing:report_action", args=[draft_report.pk, "ky"]))
    request = SigningRequest.objects.get(report=draft_report)
    assert to_sign["Location"] == reverse("signing:request_page", args=[request.token])
    page = client.get(to_sign["Location"])
    assert "Ký bằng USB token" in page.content.decode() and "Tải tệp cần ký" in page.content.decode()
    handed = client.get(reverse("signing:request_pdf", args=[request.token]))
    assert handed.content == bytes(request.pdf)
    signed = token_sign(request)  # "any PDF signing program" on the leader's computer
    done = client.post(to_sign["Location"], {"file": SimpleUploadedFile("da-ky.pdf", signed)})
    assert done.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == Report.Status.APPROVED and services.pending_draft(draft_report) is not None
    panel = login("tam-duong.clerk").get(draft_report.get_absolute_url()).content.decode()
    assert "Cấp số, ngày và đóng dấu" in panel
    login("tam-duong.clerk").post(reverse("signing:report_action", args=[draft_report.pk, "cap-so"]))
    draft_report.refresh_from_db()
    assert draft_report.status == Report.Status.SIGNED and draft_report.number is not None


def test_verify_page(approved, sign, login):
    document = sign(approved)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("tam-duong.entry")
    ok = client.post(reverse("signing:verify"), {"file": SimpleUploadedFile("bc.pdf", bytes(document.pdf))})
    html = ok.content.decode()
    assert "HỢP LỆ" in html and "KHÔNG HỢP LỆ" not in html and "164-BC/BTGHU" in html
    assert "trùng khớp từng byte" in html
    data = bytearray(bytes(document.pdf))
    data[len(data) // 3] ^= 1
    bad = client.post(reverse("signing:verify"), {"file": SimpleUploadedFile("bc.pdf", bytes(data))})
    assert "KHÔNG HỢP LỆ" in bad.content.decode()


def test_home_panel_for_the_leader(approved, login):
    html = login("tam-duong.leader").get(reverse("home")).content.decode()
    assert "Báo cáo chờ duyệt, ký" in html and "Chờ ký" in html


def test_submission_services_refuse_frozen_figures(approved, sign, user_named):
    from reports.submissions import services as submission_services
    from reports.submissions.models import Submission

    sign(approved)
    sub = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-khun-ha")
    version = sub.version
    with pytest.raises(ValidationError, match="đã ký số"):
        submission_services.submission_reopen(submission=sub, user=user_named("tam-duong.reviewer"), reason="Sửa")
    with pytest.raises(ValidationError, match="đã ký số"):
        submission_services.submission_save_values(submission=sub, user=user_named("tam-duong.reviewer"),
                                                   values={"conference.count": 1}, source="form:test")
    sub.refresh_from_db()
    assert sub.version == version and sub.status == Submission.Status.ACCEPTED


def test_correction_notice_through_the_register(approved, sign, login):
    from reports.signing.models import RegisterEntry

    document = sign(approved)
    url = reverse("signing:correct", args=[document.entry.pk])
    assert login("tam-duong.reviewer").post(url, {"text": "Sửa số liệu"}).status_code == 302
    assert not RegisterEntry.objects.filter(corrects=document.entry).exists()  # not a leader: refused
    assert login("ha-tinh-khoi.leader").post(url, {"text": "Sửa"}).status_code == 404
    client = login("tam-duong.leader")
    to_sign = client.post(url, {"text": "Tại mục II.1, sửa “05 hội nghị” thành “06 hội nghị”."})
    from reports.signing.models import SigningRequest

    request = SigningRequest.objects.get(corrects=document.entry)
    assert to_sign["Location"] == reverse("signing:request_page", args=[request.token])
    answer = client.post(reverse("signing:request_upload", args=[request.token]), data=token_sign(request),
                         content_type="application/pdf")
    assert answer.json()["ok"], answer.json()
    clerk = login("tam-duong.clerk")
    home = clerk.get(reverse("home")).content.decode()
    assert "Chờ cấp số" in home
    draft = selectors.drafts_waiting_for(user=request.user.__class__.objects.get(username="tam-duong.clerk")).get()
    clerk.post(reverse("signing:draft_issue", args=[draft.pk]))
    correction = RegisterEntry.objects.get(corrects=document.entry)
    assert correction.reference.endswith("-TB/BTGHU") and correction.kind == "TB"  # today's register
    assert selectors.verify_upload(data=bytes(correction.signed_document.pdf)).result.ok
    assert ApprovalStep.objects.filter(report=approved, action="correct", entry=correction).exists()
    html = client.get(reverse("signing:register")).content.decode()
    assert f"Đã được đính chính bởi văn bản số {correction.reference}" in html
    assert "Đính chính, thay thế văn bản số 164-BC/BTGHU" in html
    panel = selectors.report_panel(report=approved, user=approved.created_by)
    assert [c.pk for c in panel["corrections"]] == [correction.pk]
    page = client.get(approved.get_absolute_url()).content.decode()
    assert f"Đính chính bởi văn bản số {correction.reference}" in page


def test_register_of_an_out_of_scope_body_is_404(demo, login):
    url = reverse("signing:register")
    assert login("tam-duong.leader").get(url, {"co-quan": "tam-duong-btg"}).status_code == 200
    assert login("ha-tinh-khoi.leader").get(url, {"co-quan": "tam-duong-btg"}).status_code == 404
    assert login("tam-duong-khun-ha.leader").get(url, {"co-quan": "lai-chau-btg"}).status_code == 404


def test_register_page_queries_do_not_grow(demo, login, user_named):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.signing.helpers import issue_tiny
    from units.models import IssuingBody

    body = IssuingBody.objects.get(code="tam-duong-btg")
    client = login("tam-duong.leader")
    url = reverse("signing:register")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def issue(n):
        for day in range(1, n + 1):
            issue_tiny(body, user_named("tam-duong.leader"), dt.date(2024, 8, day), kind="CV", summary="Thử")

    issue(1)
    client.get(url)  # warm caches
    few = count()
    issue(4)
    assert count() == few


def test_each_step_tells_who_acts_next(draft_report, user_named, sign):
    """Waiting for approval → the leaders; approved → the leaders (to sign); signed → the văn thư (to issue);
    issued → the province's reviewers (a subordinate's report to receive) — in the bell, mailed by cron."""
    from notifications.models import Kind, Notification

    Notification.objects.all().delete()
    reviewer, leader = user_named("tam-duong.reviewer"), user_named("tam-duong.leader")
    services.report_send_for_approval(report=draft_report, user=reviewer)
    assert Notification.objects.filter(user=leader, kind=Kind.TO_APPROVE).exists()
    services.report_approve(report=draft_report, user=leader)
    sign(draft_report)
    draft_report.refresh_from_db()
    assert Notification.objects.filter(kind=Kind.TO_ISSUE, user__staff__is_clerk=True,
                                       user__staff__unit=draft_report.unit).exists()
    upper = Notification.objects.get(user__username="lai-chau.reviewer", kind=Kind.SUBORDINATE_RECEIVED)
    assert draft_report.reference in upper.title and "132-HD/BTGTU" in upper.title
    assert not Notification.objects.filter(user=reviewer, kind=Kind.SUBORDINATE_RECEIVED).exists()
