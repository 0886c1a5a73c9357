"""The document register: numbers in order, per body and period, no gaps, no duplicates."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports.signing import services
from reports.signing.models import RegisterCounter, RegisterEntry, SignedDocument
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _renderer(tiny_renderer):
    global tiny
    tiny = tiny_renderer


def _issue(body, signer, on, **kwargs):
    return services.document_issue(issuing_body=body, kind="BC", summary="Báo cáo thử", signer=signer,
                                   render=kwargs.pop("render", None) or tiny(), on=on, **kwargs)


def test_demo_register_continues_at_164_in_2023(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    counter = RegisterCounter.objects.get(issuing_body=body, period="2023")
    assert counter.starting_number == 163 and "sổ giấy" in counter.note
    calls = []
    doc = _issue(body, user_named("tam-duong.leader"), dt.date(2023, 10, 30), render=tiny(calls))
    assert doc.entry.reference == "164-BC/BTGHU" and calls == ["164-BC/BTGHU"]
    assert doc.entry.issued_on == dt.date(2023, 10, 30)


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


def test_failed_render_leaves_no_gap(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    leader = user_named("tam-duong.leader")

    def broken(number, reference, on):
        raise ValidationError("Lỗi dàn trang")

    with pytest.raises(ValidationError):
        _issue(body, leader, dt.date(2024, 5, 1), render=broken)
    assert not RegisterEntry.objects.filter(issuing_body=body, period="2024").exists()
    assert _issue(body, leader, dt.date(2024, 5, 2)).entry.number == 1


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


def test_user_without_certificate_is_refused_and_nothing_changes(demo, user_named):
    body = IssuingBody.objects.get(code="tam-duong-btg")
    with pytest.raises(ValidationError, match="chưa có chứng thư"):
        _issue(body, user_named("tam-duong.reviewer"), dt.date(2024, 2, 1))
    assert not SignedDocument.objects.exists()


def test_real_certificate_needs_its_passphrase_variable(demo, user_named, monkeypatch):
    from reports.signing.models import SigningCertificate

    leader = user_named("tam-duong.leader")
    SigningCertificate.objects.filter(user=leader).update(passphrase_env="TEST_SIGNING_PASSPHRASE", is_demo=False)
    monkeypatch.delenv("TEST_SIGNING_PASSPHRASE", raising=False)
    body = IssuingBody.objects.get(code="tam-duong-btg")
    with pytest.raises(ValidationError, match="TEST_SIGNING_PASSPHRASE"):
        _issue(body, leader, dt.date(2024, 2, 1))
    monkeypatch.setenv("TEST_SIGNING_PASSPHRASE", "sai-mat-khau")
    with pytest.raises(ValidationError, match="sai mật khẩu"):
        _issue(body, leader, dt.date(2024, 2, 1))
    monkeypatch.setenv("TEST_SIGNING_PASSPHRASE", "demo")  # the demo archive's actual passphrase
    assert _issue(body, leader, dt.date(2024, 2, 1)).entry.number == 1
    assert RegisterCounter.objects.get(issuing_body=body, period="2024").last_number == 1


def test_number_taken_while_rendering_is_rendered_again(demo, user_named):
    """The render runs before the lock; when someone signs in between, the PDF is made again."""
    body = IssuingBody.objects.get(code="lai-chau-btg")
    calls = []
    inner = tiny(calls)

    def render_while_another_signs(number, reference, on):
        calls.append(f"outer {reference}")
        if len(calls) == 1:  # another leader of the body signs while this PDF is being laid out
            _issue(body, user_named("lai-chau.leader"), on, render=inner)
        return tiny()(number, reference, on)

    doc = _issue(body, user_named("lai-chau.leader"), dt.date(2024, 7, 1), render=render_while_another_signs)
    assert calls == ["outer 01-BC/BTGTU", "01-BC/BTGTU", "outer 02-BC/BTGTU"]
    assert doc.entry.number == 2
    assert sorted(RegisterEntry.objects.filter(issuing_body=body, period="2024").values_list("number", flat=True)) \
        == [1, 2]
