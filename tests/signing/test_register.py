"""The document register: numbers in order, per body and period, no gaps, no duplicates."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports.signing import services
from reports.signing.models import RegisterCounter, RegisterEntry, SignedDocument, SignedDraft, SigningCertificate
from tests.signing.helpers import clerk_of, issue_tiny, tiny_pdf, token_sign
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


def _issue(body, signer, on, **kwargs):
    return issue_tiny(body, signer, on, **kwargs)


def test_demo_register_continues_at_164_in_2023(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    counter = RegisterCounter.objects.get(issuing_body=body, period="2023")
    assert counter.starting_number == 163 and "sổ giấy" in counter.note
    doc = _issue(body, user_named("tam-duong.leader"), dt.date(2023, 10, 30))
    assert doc.entry.reference == "164-BC/BTGHU"
    assert doc.entry.issued_on == dt.date(2023, 10, 30)
    assert doc.issued_by.username == "tam-duong.clerk" and doc.entry.signer.username == "tam-duong.leader"


def test_sequential_numbers_and_yearly_reset(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")
    refs = [_issue(body, leader, dt.date(2024, 1, day)).entry.reference for day in (2, 3, 4)]
    assert refs == ["01-BC/BTGHU", "02-BC/BTGHU", "03-BC/BTGHU"]
    assert _issue(body, leader, dt.date(2025, 1, 2)).entry.number == 1  # a new year starts at 1
    assert _issue(body, leader, dt.date(2024, 6, 1)).entry.number == 4
    numbers = list(RegisterEntry.objects.filter(issuing_body=body, period="2024").order_by("number")
                   .values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_bodies_have_their_own_registers(demo, user_named):
    tam_duong = IssuingBody.objects.get(code="tam-duong-btg")
    lai_chau = IssuingBody.objects.get(code="lai-chau-btg")
    a = _issue(tam_duong, user_named("tam-duong.leader"), dt.date(2024, 3, 1))
    b = _issue(lai_chau, user_named("lai-chau.leader"), dt.date(2024, 3, 1))
    assert (a.entry.number, b.entry.number) == (1, 1)
    assert b.entry.reference == "01-BC/BTGTU"


def test_failed_issuance_leaves_no_gap(demo, user_named, settings):
    """The HSM cannot be reached: the văn thư gets a clear message, no number is used."""
    body = IssuingBody.objects.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                rendered=tiny_pdf())
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    settings.SIGNING_HSM_TOKEN_LABEL = "KHONG-CO"
    with pytest.raises(ValidationError, match="HSM|token"):
        services.draft_issue(draft=draft, user=clerk_of(body.unit), on=dt.date(2024, 5, 1))
    assert not RegisterEntry.objects.filter(issuing_body=body, period="2024").exists()
    draft.refresh_from_db()
    assert draft.status == SignedDraft.Status.PENDING
    settings.SIGNING_HSM_TOKEN_LABEL = settings.DEMO_TOKEN_LABEL
    assert services.draft_issue(draft=draft, user=clerk_of(body.unit), on=dt.date(2024, 5, 2)).entry.number == 1


def test_term_reset(settings):
    settings.REGISTER_RESET = "term"
    assert services.register_period(dt.date(2023, 10, 30)) == "2020-2025"
    assert services.register_period(dt.date(2025, 12, 1)) == "2025-2030"
    settings.REGISTER_RESET = "year"
    assert services.register_period(dt.date(2023, 10, 30)) == "2023"


def test_database_refuses_a_duplicate_number(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    doc = _issue(body, user_named("tam-duong.leader"), dt.date(2024, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(issuing_body=body, period="2024", number=doc.entry.number, kind="CV",
                                     reference="x", issued_on=dt.date(2024, 2, 1), summary="x",
                                     signer=doc.entry.signer, signer_name="x", signer_title="x")


def test_starting_number_cannot_change_once_numbers_were_given(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    _issue(body, user_named("tam-duong.leader"), dt.date(2023, 11, 1))
    with pytest.raises(ValidationError):
        services.register_counter_set_start(issuing_body=body, period="2023", starting_number=10, note="")
    assert RegisterCounter.objects.get(issuing_body=body, period="2023").last_number == 164


def test_only_a_leader_with_a_registered_certificate_gets_a_signing_link(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    with pytest.raises(ValidationError, match="lãnh đạo"):
        services.document_request_create(issuing_body=body, user=user_named("tam-duong.reviewer"), kind="BC",
                                         summary="Thử", rendered=tiny_pdf())
    leader = user_named("tam-duong.leader")
    SigningCertificate.objects.filter(user=leader).update(is_active=False)
    with pytest.raises(ValidationError, match="chưa đăng ký chứng thư"):
        services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                         rendered=tiny_pdf())
    assert not SignedDocument.objects.exists()


def test_only_the_bodys_clerk_issues(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                rendered=tiny_pdf())
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    for other in ("tam-duong.leader", "tam-duong.admin", "lai-chau.clerk"):
        with pytest.raises(ValidationError, match="văn thư"):
            services.draft_issue(draft=draft, user=user_named(other), on=dt.date(2024, 8, 1))
    assert not RegisterEntry.objects.filter(issuing_body=body, period="2024").exists()


def test_token_mode_number_taken_meanwhile_is_refused_and_nothing_changes(demo, user_named, settings):
    """The văn thư signs on their own token: the number filled in is checked again at upload."""
    body = IssuingBody.objects.get(code="lai-chau-btg")
    leader = user_named("lai-chau.leader")
    request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                rendered=tiny_pdf())
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    settings.SIGNING_ORGANISATION_KEY = "token"
    issuing = services.issuance_request_create(draft=draft, user=clerk_of(body.unit), on=dt.date(2024, 7, 1))
    assert issuing.number == 1
    settings.SIGNING_ORGANISATION_KEY = "hsm"
    _issue(body, leader, dt.date(2024, 7, 1))  # another document takes number 1 meanwhile
    signed = token_sign(issuing)
    with pytest.raises(ValidationError, match="vừa được cấp"):
        services.signature_accept(token=issuing.token, data=signed)
    draft.refresh_from_db()
    assert draft.status == SignedDraft.Status.PENDING
    assert list(RegisterEntry.objects.filter(issuing_body=body, period="2024").values_list("number", flat=True)) == [1]
    settings.SIGNING_ORGANISATION_KEY = "token"
    again = services.issuance_request_create(draft=draft, user=clerk_of(body.unit), on=dt.date(2024, 7, 1))
    document = services.signature_accept(token=again.token, data=token_sign(again))
    assert document.entry.reference == "02-BC/BTGTU" and document.issued_by.username == "lai-chau.clerk"
