"""No unbound figure reaches a signature (issue 18.1): numbers typed over figures are listed with the figure they
most likely stand for, and must be bound or confirmed with a reason before sending for approval and signing."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.certificates import seed_certificates
from reports.documents import services
from reports.documents.models import Report, ReportChange
from reports.plans.models import Plan
from reports.signing import services as signing
from reports.signing.models import SigningRequest
from reports.submissions.models import Submission, SubmissionValue
from tests.demo_fixtures import module_demo
from units.models import Unit

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The core demo with the demo certificates: the leader can be handed a signing link (issue 17)."""
    with module_demo(django_db_blocker, lambda _plans: seed_certificates()) as plans:
        yield plans


@pytest.fixture
def report(demo):
    return services.report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"),
                                         unit=Unit.objects.get(code="tam-duong"), user=user("tam-duong.reviewer"))


def _type_over(report, old: str, new: str, extra: str = "") -> tuple[Report, str]:
    block = next(b for b in report.blocks if old in b["text"])
    report = services.report_update_text(report=report, user=user("tam-duong.reviewer"),
                                         texts={block["key"]: block["text"].replace(old, new) + extra})
    return report, block["key"]


def test_typed_numbers_are_found_with_their_likely_figure(report):
    assert services.report_typed_numbers(report=report) == []  # generated text: every figure bound
    report, key = _type_over(report, "{{count:conference.count}}", "80",
                             " Tổ chức 01 lớp bồi dưỡng chính trị hè cho 42 học viên, theo Kế hoạch số 209-KH/HU, "
                             "ngày 29/8/2023.")
    found = {n.text: n for n in services.report_typed_numbers(report=report)}
    assert set(found) == {"80", "01", "42"}  # the date and the document number are not figures
    assert found["80"].placeholder == "{{count:conference.count}}" and found["80"].figure_value == "79"
    assert found["42"].placeholder == "{{summer_class.learners}}"
    assert found["01"].placeholder == "{{count:summer_class.count}}"
    assert all(n.block == key and not n.resolved for n in found.values())


def test_sending_for_approval_is_refused_until_each_is_bound_or_confirmed(report, client):
    report, key = _type_over(report, "{{count:conference.count}}", "80", " Có 03 đồng chí báo cáo viên.")
    reviewer = user("tam-duong.reviewer")
    with pytest.raises(ValidationError, match="Còn 2 số gõ tay"):
        signing.report_send_for_approval(report=report, user=reviewer)
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT
    client.force_login(reviewer)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="typed-numbers"' in html and "Số hội nghị học tập, quán triệt" in html
    # Bind "80" to the number of conferences: the text holds the placeholder again and prints 79.
    numbers = {n.text: n for n in services.report_typed_numbers(report=report)}
    response = client.post(reverse("documents:typed_number", args=[report.pk]),
                           {"block": key, "index": numbers["80"].index, "action": "bind",
                            "placeholder": numbers["80"].placeholder})
    assert response.status_code == 302
    report.refresh_from_db()
    text = next(b["text"] for b in report.blocks if b["key"] == key)
    assert "{{count:conference.count}} hội nghị" in text and " 80 " not in text
    # Keep "03" with a reason: recorded with who and why.
    numbers = {n.text: n for n in services.report_typed_numbers(report=report)}
    response = client.post(reverse("documents:typed_number", args=[report.pk]),
                           {"block": key, "index": numbers["03"].index, "action": "confirm", "reason": "x"})
    assert Report.objects.get(pk=report.pk).version == report.version  # too short a reason: nothing recorded
    client.post(reverse("documents:typed_number", args=[report.pk]),
                {"block": key, "index": numbers["03"].index, "action": "confirm",
                 "reason": "số báo cáo viên, không phải số liệu tổng hợp"})
    report.refresh_from_db()
    block = next(b for b in report.blocks if b["key"] == key)
    assert block["confirmed_numbers"][0]["reason"] == "số báo cáo viên, không phải số liệu tổng hợp"
    assert block["confirmed_numbers"][0]["by"] == "tam-duong.reviewer"
    assert any("giữ nguyên, lý do: số báo cáo viên" in d["new"]
               for change in ReportChange.objects.filter(report=report) for d in change.details)
    assert all(n.resolved for n in services.report_typed_numbers(report=report))
    report = signing.report_send_for_approval(report=report, user=reviewer)
    assert report.status == Report.Status.PENDING


def test_a_refresh_that_changes_the_matched_figure_flags_it_again(report):
    report, key = _type_over(report, "{{count:conference.count}}", "79")
    number = services.report_typed_numbers(report=report)[0]
    assert number.figure_value == "79"
    report = services.report_number_confirm(report=report, user=user("tam-duong.reviewer"), block_key=key,
                                            index=number.index, reason="đã đối chiếu với biểu số 01")
    assert services.report_typed_numbers(report=report)[0].resolved
    # One more conference is accepted in Khun Há; the refresh makes the total 80.
    khun_ha = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong-khun-ha")
    value = SubmissionValue.objects.get(submission=khun_ha, indicator__code="conference.count")
    SubmissionValue.objects.filter(pk=value.pk).update(number=value.number + 1)
    services.report_refresh(report=report, user=user("tam-duong.reviewer"))
    report.refresh_from_db()
    again = services.report_typed_numbers(report=report)[0]
    assert not again.resolved and again.stale == {"old": "79", "new": "80", "label": again.figure_label}
    with pytest.raises(ValidationError, match="Còn 1 số gõ tay"):
        signing.report_send_for_approval(report=report, user=user("tam-duong.reviewer"))


def test_signing_is_refused_while_a_typed_number_is_open(report):
    report, _key = _type_over(report, "{{count:conference.count}}", "80")
    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)  # approved before the rule existed
    # The leader's one-time signing link (issue 17: signing happens on the leader's own token) is refused.
    with pytest.raises(ValidationError, match="Còn 1 số gõ tay"):
        signing.leader_request_create(report=report, user=user("tam-duong.leader"))
    assert Report.objects.get(pk=report.pk).number is None
    assert not SigningRequest.objects.filter(report=report).exists()
