"""The report option "so với cùng kỳ": the reviewer picks an earlier plan on the report page (the comparison
page's list and default), the choice is stored, kept by "Cập nhật số liệu", and the text and the PDF say how
the main figures compare with the same period, the merged communes' 2023 figures added into their 2026 rows."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.formatting import format_count, format_number
from reports.documents import services
from reports.documents import text as report_text
from reports.documents.models import Report
from reports.plans.models import Plan
from tests.demo_fixtures import module_demo
from tests.pdf import pdf_reading as R
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_demo(django_db_blocker, reorganised=True) as plans:
        yield plans


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _plan(reference: str) -> Plan:
    return Plan.objects.get(reference=reference)


def _login(client, username: str = "lai-chau.reviewer"):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _province_report(client) -> Report:
    """The 2026 province report, made from the report list's button as the reviewer would."""
    response = client.post(reverse("documents:create"), {"plan": _plan("168-HD/BTGDVTU").pk})
    assert response.status_code == 302
    return Report.objects.get(plan=_plan("168-HD/BTGDVTU"), unit__code="lai-chau")


def _choose(client, report: Report, earlier, *, include_submitted: bool = True, compare: bool = True):
    data = {"choose_included": "1", "choose_compare": "1", "compare_with": getattr(earlier, "pk", earlier)}
    if include_submitted:
        data["include_submitted"] = "on"
    if compare:
        data["compare"] = "on"
    return client.post(reverse("documents:refresh", args=[report.pk]), data, follow=True)


def _text(report: Report) -> str:
    values = report_text.figures(report.snapshot)
    return " ".join(report_text.FOOTNOTE.sub("", report_text.fill(b["text"], values)) for b in report.blocks)


def _change(words: str, now: int, before: int, fmt=format_count) -> str:
    if now == before:
        return f"{words} bằng cùng kỳ ({fmt(now)})"
    trend, towards = ("tăng", "lên") if now > before else ("giảm", "xuống")
    return f"{words} {trend} {fmt(abs(now - before))} (từ {fmt(before)} {towards} {fmt(now)})"


def _page_totals(client, plan: Plan, earlier: Plan) -> dict[str, tuple[int, int]]:
    """(this period, the same period) per indicator, as the page "So với cùng kỳ" shows them."""
    response = client.get(reverse("documents:comparison", args=[plan.pk]), {"unit": "lai-chau", "earlier": earlier.pk})
    assert response.status_code == 200
    page = response.context["page"]
    return {code: (now, before) for (code, _label), (now, before, _c) in zip(page.indicators, page.totals, strict=True)}


def test_the_report_page_offers_the_comparison_pages_list_and_default(demo, client):
    _login(client)
    report = _province_report(client)
    html = client.get(report.get_absolute_url()).content.decode()
    option = html[html.index('id="compare-option"'):]
    option = option[:option.index("</select>")]
    p132 = _plan("132-HD/BTGTU")
    # nothing chosen yet: the box is unticked, the list preselects the page's default (132-HD/BTGTU)
    assert 'name="compare" id="compare" checked' not in option
    assert f'<option value="{p132.pk}" selected>' in option
    page = client.get(reverse("documents:comparison", args=[report.plan.pk]), {"unit": "lai-chau"}).context["page"]
    assert re.findall(r'<option value="(\d+)"', option) == [str(p.pk) for p in page.candidates]
    assert page.comparison.earlier_plan == p132
    assert "So với cùng kỳ" not in _text(report)


def test_choosing_132_writes_the_comparison_sentence_with_the_pages_figures(demo, client, media):
    _login(client)
    report = _province_report(client)
    p132, p168 = _plan("132-HD/BTGTU"), _plan("168-HD/BTGDVTU")
    response = _choose(client, report, p132)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.compare_with == p132 and report.snapshot["comparison"]["plan"]["reference"] == "132-HD/BTGTU"

    totals = _page_totals(client, p168, p132)
    conf, cells = totals["conference.count"], totals["cell_meeting.count"]
    members = totals["members.studied"]
    people = tuple(a + b for a, b in zip(members, totals["nonmembers.studied"], strict=True))
    # the figures of the former district are in (seed 004: 2.419 members, 700 others; 79 conferences, the
    # district's own 05 included though it has no successor), and this period's figures are the report's own
    assert members[1] == 2419 and people[1] == 3119 and conf[1] == 79
    assert report.snapshot["totals"]["conference.count"] == conf[0]
    assert report.snapshot["comparison"]["totals"]["members.studied"] == 2419
    sentence = (f"So với cùng kỳ (Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023), tính trên số liệu của "
                f"{report.snapshot['counts']['included']}/{report.snapshot['counts']['assigned']} ")
    expected = [sentence, _change("số hội nghị", *conf) + "; ", _change("số buổi sinh hoạt chi bộ", *cells) + "; ",
                _change("số người được học tập, quán triệt", *people, fmt=format_number) + ", trong đó "
                + _change("đảng viên", *members, fmt=format_number) + "."]
    text = _text(report)
    R.assert_in_order(text, expected)
    assert "số hội nghị giảm 69 (từ 79 xuống 10)" in text  # the demo's figures, spelt out once
    # the figures are bound (a refresh updates them), never typed
    block = next(b for b in report.blocks if b["key"] == "II.comparison")
    assert "{{count:earlier.conference.count}}" in block["text"] and "79" not in block["text"]
    assert services.report_typed_numbers(report=report) == []
    # the page shows it, with the choice
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="compare-state"' in html and "số hội nghị giảm 69 (từ 79 xuống 10)" in html

    # the PDF (WeasyPrint), read back
    pdf = client.get(reverse("documents:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200
    printed = R.full_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    R.assert_in_order(printed, ["Kết quả chung:", "So với cùng kỳ (Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023)",
                                "số hội nghị giảm 69 (từ 79 xuống 10)", "III. ĐÁNH GIÁ CHUNG",
                                "Số liệu cùng kỳ là số liệu đã tiếp nhận theo Hướng dẫn số 132-HD/BTGTU"])
    # the footnote says where the dissolved district's own figures went
    assert "số liệu riêng của Huyện ủy Tam Đường (giải thể ngày 01/7/2025) (không có đơn vị kế thừa)" in printed
    assert not re.search(r"huyện ủy (?!Tam Đường)|Toàn huyện", printed, re.I)


def test_no_option_no_sentence_and_unticking_removes_it(demo, client, media):
    _login(client)
    report = _province_report(client)
    assert report.compare_with is None and "comparison" not in report.snapshot
    assert not any(b["key"] == "II.comparison" for b in report.blocks)
    pdf = client.get(reverse("documents:report_pdf", args=[report.pk]))
    assert "So với cùng kỳ" not in R.full_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    _choose(client, report, _plan("132-HD/BTGTU"))
    reviewer = get_user_model().objects.get(username="lai-chau.reviewer")
    services.report_update_text(report=report, user=reviewer, texts={
        "II.comparison": "So với cùng kỳ, số hội nghị ít hơn {{count:change.conference.count}}."})
    _choose(client, report, _plan("132-HD/BTGTU"), compare=False)
    report.refresh_from_db()
    assert report.compare_with is None and "comparison" not in report.snapshot
    # the edited sentence goes with the choice: no figure of a comparison that is no longer there
    assert "So với cùng kỳ" not in _text(report) and "{{" not in _text(report)
    change = report.changes.filter(kind="refresh").first()
    assert {"what": "So với cùng kỳ", "old": "132-HD/BTGTU", "new": "-"} in change.details


def _foreign_plan() -> Plan:
    """An earlier plan of the same topic by another province (Hà Tĩnh), which Lai Châu's staff may not see."""
    plan = _plan("132-HD/BTGTU")
    sections = list(plan.sections.all())
    plan.pk, plan.id = None, None
    plan.issuing_body = IssuingBody.objects.get(code="ha-tinh-tu")
    plan.number, plan.reference = 77, "77-HD/TU"
    plan.save()
    plan.sections.set(sections)
    assert not Plan.objects.restrict(get_user_model().objects.get(username="lai-chau.reviewer"), "view").filter(
        pk=plan.pk).exists()
    return plan


def test_a_plan_not_offered_is_refused_and_nothing_is_saved(demo, client):
    _login(client)
    report = _province_report(client)
    _choose(client, report, _plan("132-HD/BTGTU"))
    report.refresh_from_db()
    before = (report.version, report.compare_with_id, report.snapshot)
    foreign = _foreign_plan()
    later_or_relay = [_plan("168-HD/BTGDVTU"), _plan("120-CV/BTGHU")]
    for other in [foreign, *later_or_relay]:
        response = _choose(client, report, other)
        assert "Kỳ so sánh đã chọn không có trong danh sách kế hoạch trước mà bạn được xem" in response.content.decode()
        report.refresh_from_db()
        assert (report.version, report.compare_with_id, report.snapshot) == before
    _choose(client, report, "x")
    report.refresh_from_db()
    assert (report.version, report.compare_with_id) == before[:2]
    # the service refuses a later plan or a relay too, whoever calls it
    reviewer = get_user_model().objects.get(username="lai-chau.reviewer")
    for other in later_or_relay:
        with pytest.raises(ValidationError, match="Kỳ so sánh phải là"):
            services.report_refresh(report=report, user=reviewer, compare_with=other)
    # another province's reviewer gets 404 on the report itself
    _login(client, "ha-tinh.reviewer")
    assert client.post(reverse("documents:refresh", args=[report.pk]),
                       {"choose_compare": "1", "compare": "on", "compare_with": before[1]}).status_code == 404


def test_refresh_keeps_the_choice_and_a_signed_report_never_changes(demo, client):
    _login(client)
    report = _province_report(client)
    p132 = _plan("132-HD/BTGTU")
    _choose(client, report, p132)
    # "Cập nhật số liệu" from an older form (no comparison field) and through the service: the choice stays
    client.post(reverse("documents:refresh", args=[report.pk]), {})
    reviewer = get_user_model().objects.get(username="lai-chau.reviewer")
    services.report_refresh(report=report, user=reviewer)
    report.refresh_from_db()
    assert report.compare_with == p132 and report.version == 3
    assert any(b["key"] == "II.comparison" for b in report.blocks)
    # an edited comparison sentence survives a refresh (its figures still bound)
    services.report_update_text(report=report, user=reviewer, texts={
        "II.comparison": "So với cùng kỳ, số hội nghị ít hơn {{count:change.conference.count}}."})
    services.report_refresh(report=report, user=reviewer)
    report.refresh_from_db()
    assert "số hội nghị ít hơn 69." in _text(report)
    # signed: the figures, the choice and the text stay as they were
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SIGNED)
    report.refresh_from_db()
    frozen = (report.compare_with_id, report.snapshot, report.blocks)
    response = _choose(client, report, p132, compare=False)
    assert "Báo cáo đã ký, không thể thay đổi." in response.content.decode()
    report.refresh_from_db()
    assert (report.compare_with_id, report.snapshot, report.blocks) == frozen
