"""Issuing and relaying plans: the services, the forms, and clear Vietnamese errors that change nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports.plans import services
from reports.plans.models import Plan, Section
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


def _create(**overrides):
    fields = dict(
        user=_user("tam-duong.reviewer"), body=IssuingBody.objects.get(code="tam-duong-btg"), kind="KH", number=74,
        issued_on=dt.date(2026, 11, 20), title="về tuyên truyền kỷ niệm", period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 12, 31), deadline=dt.date(2026, 12, 25),
        sections=Section.objects.filter(code__in=["conference", "propaganda"]),
    )
    fields.update(overrides)
    return services.plan_create(**fields)


def test_plan_create(demo):
    plan = _create(documents_to_study="  Chỉ thị số 05-CT/TW \n\n Kết luận số 01-KL/TW ")
    assert plan.reference == "74-KH/BTGHU"
    assert plan.documents_to_study == "Chỉ thị số 05-CT/TW\nKết luận số 01-KL/TW"
    assert sorted(plan.sections.values_list("code", flat=True)) == ["conference", "propaganda"]
    assert _create(number=5).reference == "05-KH/BTGHU"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"deadline": dt.date(2026, 11, 1)}, "deadline", "không thể trước ngày ban hành"),
    ({"period_end": dt.date(2026, 10, 1)}, "period_end", "phải sau ngày bắt đầu"),
    ({"sections": []}, "sections", "Chọn ít nhất một mục"),
    ({"number": 120, "kind": "CV", "issued_on": dt.date(2023, 9, 20), "deadline": dt.date(2023, 10, 20)},
     "number", "đã có văn bản số 120-CV/BTGHU trong năm 2023"),
])
def test_plan_create_rejects_bad_input(demo, overrides, field, message):
    before = Plan.objects.count()
    with pytest.raises(ValidationError) as error:
        _create(**overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert Plan.objects.count() == before


def test_plan_create_needs_a_reviewer_of_the_body(demo):
    with pytest.raises(PermissionDenied):
        _create(user=_user("tam-duong-khun-ha.reviewer"))
    with pytest.raises(PermissionDenied):
        _create(user=_user("tam-duong.entry"))


def test_plan_relay(demo):
    p168 = Plan.objects.get(reference="168-HD/BTGTU")
    body = IssuingBody.objects.get(code="than-uyen-btg")
    from units.models import Staff

    user = get_user_model().objects.create_user("than-uyen.reviewer")
    Staff.objects.create(user=user, unit=body.unit, is_reviewer=True)
    with pytest.raises(ValidationError) as error:
        services.plan_relay(plan=p168, body=body, number=31, issued_on=dt.date(2026, 11, 12),
                            deadline=dt.date(2026, 12, 22), user=user)
    assert "không muộn hơn hạn của cấp trên (20/12/2026)" in error.value.message_dict["deadline"][0]
    relay = services.plan_relay(plan=p168, body=body, number=31, issued_on=dt.date(2026, 11, 12),
                                deadline=dt.date(2026, 12, 12), user=user)
    assert relay.reference == "31-CV/BTGHU" and relay.relays == p168
    assert relay.period_start == p168.period_start and relay.topic == p168.topic
    assert set(relay.sections.all()) == set(p168.sections.all())
    with pytest.raises(ValidationError, match="đã triển khai"):
        services.plan_relay(plan=p168, body=body, number=32, issued_on=dt.date(2026, 11, 12),
                            deadline=dt.date(2026, 12, 12), user=user)
    # A unit cannot relay its own plan or one from another branch.
    with pytest.raises(ValidationError, match="Chỉ đơn vị cấp dưới"):
        services.plan_relay(plan=relay, body=body, number=33, issued_on=dt.date(2026, 11, 12),
                            deadline=dt.date(2026, 12, 12), user=user)


def test_create_form_and_detail_page(demo, login):
    client = login("tam-duong.reviewer")
    sections = list(Section.objects.filter(code__in=["conference", "people"]).values_list("pk", flat=True))
    data = {"body": IssuingBody.objects.get(code="tam-duong-btg").pk, "kind": "KH", "number": "88",
            "issued_on": "2026-11-20", "deadline": "2026-11-10", "period_start": "2026-11-01",
            "period_end": "2026-12-31", "title": "về học tập chuyên đề năm 2026", "topic": "",
            "documents_to_study": "Kết luận số 01-KL/TW", "scope": "direct", "include_own": "on",
            "sections": sections}
    response = client.post(reverse("plans:create"), data)
    assert response.status_code == 200
    assert "Hạn báo cáo (10/11/2026) không thể trước ngày ban hành (20/11/2026)." in response.content.decode()
    assert not Plan.objects.filter(reference="88-KH/BTGHU").exists()
    data["deadline"] = "2026-12-15"
    response = client.post(reverse("plans:create"), data)
    plan = Plan.objects.get(reference="88-KH/BTGHU")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Kế hoạch số 88-KH/BTGHU" in html and "15/12/2026" in html and "Kết luận số 01-KL/TW" in html
    # A commune may not post to the district's body (not among its choices): form error, nothing made.
    other = login("tam-duong-khun-ha.reviewer").post(reverse("plans:create"), {**data, "number": "89"})
    assert other.status_code == 200 and not Plan.objects.filter(reference="89-KH/BTGHU").exists()


def test_detail_links_relays_both_ways(demo, login):
    client = login("tam-duong.reviewer")
    p132, p120 = Plan.objects.get(reference="132-HD/BTGTU"), Plan.objects.get(reference="120-CV/BTGHU")
    html = client.get(p120.get_absolute_url()).content.decode()
    assert p132.get_absolute_url() in html and "Hướng dẫn số 132-HD/BTGTU" in html
    assert "Chỉ thị số 24-CT/TW, ngày 13/7/2023 của Bộ Chính trị" in html
    html = client.get(p132.get_absolute_url()).content.decode()
    assert p120.get_absolute_url() in html and "Được triển khai bằng" in html
    # Tam Đường already relayed it: no second relay button.
    assert reverse("plans:relay", kwargs={"pk": p132.pk}) not in html
    # Than Uyên's relay is not shown to Tam Đường (outside its scope).
    p168 = Plan.objects.get(reference="168-HD/BTGTU")
    html = login("lai-chau.reviewer").get(p168.get_absolute_url()).content.decode()
    assert "251-CV/BTGHU" in html


def test_relay_form(demo, login):
    from units.models import Staff

    body = IssuingBody.objects.get(code="than-uyen-btg")
    user = get_user_model().objects.create_user("than-uyen.reviewer")
    Staff.objects.create(user=user, unit=body.unit, is_reviewer=True)
    client = login("than-uyen.reviewer")
    p168 = Plan.objects.get(reference="168-HD/BTGTU")
    url = reverse("plans:relay", kwargs={"pk": p168.pk})
    assert url in client.get(p168.get_absolute_url()).content.decode()
    form = client.get(url)
    assert form.status_code == 200 and "Triển khai Hướng dẫn số 168-HD/BTGTU" in form.content.decode()
    data = {"body": body.pk, "kind": "CV", "number": "40", "issued_on": "2026-11-12", "deadline": "2026-12-30",
            "title": "", "scope": "direct", "include_own": "on"}
    response = client.post(url, data)
    assert "không muộn hơn hạn của cấp trên (20/12/2026)" in response.content.decode()
    data["deadline"] = "2026-12-12"
    response = client.post(url, data)
    relay = Plan.objects.get(reference="40-CV/BTGHU")
    assert response.status_code == 302 and relay.relays == p168 and relay.title == p168.title
