"""Download and upload pages: scoped (404 outside), errors listed, changes confirmed, then applied."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reports.submissions.models import Submission, SubmissionValue, ValueChange
from reports.submissions.services import submission_submit
from reports.workbooks.export import MIME, build_district_workbook, build_unit_workbook
from reports.workbooks.importer import analyse_workbook
from reports.workbooks.selectors import units_to_fill
from tests.workbooks.wbhelpers import edit, value_cell

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(demo, db):
    return Submission.objects.select_related("plan", "unit").get(plan__reference="251-CV/BTGHU",
                                                                 unit__code="tam-duong-khun-ha")


def _file(data: bytes, name: str = "khun-ha.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=MIME)


def _edited(draft, value=7) -> bytes:
    data = build_unit_workbook(plan=draft.plan, unit=draft.unit)
    return edit(data, lambda wb: setattr(value_cell(wb["Hội nghị"], "summer_class.count"), "value", value))


def _summer(draft):
    return SubmissionValue.objects.filter(submission=draft, indicator__code="summer_class.count").values_list(
        "number", flat=True).first()


def test_download_of_own_submission_and_404_outside(draft, login):
    client = login("tam-duong-khun-ha.entry")
    response = client.get(reverse("workbooks:download_submission", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == MIME
    assert "251-CV_BTGHU_tam-duong-khun-ha.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert value_cell(wb["Hội nghị"], "conference.count").value == 2
    other = login("tam-duong-binh-lu.entry")
    assert other.get(reverse("workbooks:download_submission", args=[draft.pk])).status_code == 404
    assert other.get(reverse("workbooks:download_unit", args=[draft.plan.pk, "tam-duong-khun-ha"])).status_code == 404
    own = other.get(reverse("workbooks:download_unit", args=[draft.plan.pk, "tam-duong-binh-lu"]))
    assert own.status_code == 200


def test_district_download_holds_the_users_units_only(demo, login):
    plan = demo["120-CV/BTGHU"]
    response = login("tam-duong.reviewer").get(reverse("workbooks:download_district", args=[plan.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content), read_only=True)["Hội nghị"]
    assert sum(1 for row in ws.iter_rows(min_row=4, max_col=1, values_only=True) if row[0]) == 52
    commune = login("tam-duong-khun-ha.entry").get(reverse("workbooks:download_district", args=[plan.pk]))
    ws = load_workbook(io.BytesIO(commune.content), read_only=True)["Hội nghị"]
    assert [row[0] for row in ws.iter_rows(min_row=4, max_col=1, values_only=True) if row[0]] == ["tam-duong-khun-ha"]
    assert login("ha-tinh.reviewer").get(reverse("workbooks:download_district", args=[plan.pk])).status_code == 404


def test_upload_shows_changes_then_confirm_applies_them(draft, login, media):
    client = login("tam-duong-khun-ha.entry")
    url = reverse("workbooks:upload_submission", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _file(_edited(draft))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 giá trị sẽ thay đổi" in page
    assert "Số lớp bồi dưỡng chính trị hè" in page and "(trống)" in page
    assert _summer(draft) is None  # nothing saved before the confirmation
    token = response.context["token"]
    assert (media / "uploads" / f"{token}.xlsx").exists()
    # Someone else cannot confirm this upload.
    assert login("tam-duong.reviewer").post(reverse("workbooks:confirm", args=[token])).status_code == 404
    client = login("tam-duong-khun-ha.entry")
    response = client.post(reverse("workbooks:confirm", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:detail", args=[draft.pk])
    assert _summer(draft) == 7
    assert ValueChange.objects.filter(submission=draft, source="file:khun-ha.xlsx").count() == 1
    assert not (media / "uploads" / f"{token}.xlsx").exists()


def test_upload_with_errors_lists_them_and_saves_nothing(draft, login):
    client = login("tam-duong-khun-ha.entry")

    def bad(wb):
        value_cell(wb["Hội nghị"], "summer_class.count").value = "bảy"
        value_cell(wb["Số người học tập"], "members.studied").value = -3

    data = edit(build_unit_workbook(plan=draft.plan, unit=draft.unit), bad)
    response = client.post(reverse("workbooks:upload_submission", args=[draft.pk]), {"file": _file(data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "có 2 lỗi. Không có số liệu nào được lưu." in page
    assert "Ô chứa chữ (“bảy”)" in page and "Số âm (-3)" in page
    assert ">C7<" in page and ">C6<" in page
    assert _summer(draft) is None


def test_upload_of_random_bytes_is_refused(draft, login):
    client = login("tam-duong-khun-ha.entry")
    response = client.post(reverse("workbooks:upload"), {"file": _file(b"\x00\x01junk" * 300, "x.xlsx")})
    assert response.status_code == 400
    assert "không phải là tệp Excel (.xlsx)" in response.content.decode()


def test_upload_over_the_size_limit_is_refused_by_the_form(draft, login, settings):
    settings.WORKBOOK_MAX_BYTES = 1000
    response = login("tam-duong-khun-ha.entry").post(
        reverse("workbooks:upload_submission", args=[draft.pk]), {"file": _file(_edited(draft))})
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()


def test_untouched_upload_says_nothing_changes(draft, login):
    data = build_unit_workbook(plan=draft.plan, unit=draft.unit)
    response = login("tam-duong-khun-ha.entry").post(reverse("workbooks:upload_submission", args=[draft.pk]),
                                                     {"file": _file(data)})
    assert response.status_code == 200
    assert "0 giá trị thay đổi" in response.content.decode()
    assert "token" not in response.context


def test_upload_on_a_submission_outside_scope_is_404(draft, login):
    client = login("tam-duong-binh-lu.entry")
    url = reverse("workbooks:upload_submission", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": _file(_edited(draft))}).status_code == 404


def test_confirm_checks_the_file_again(draft, login, user):
    client = login("tam-duong-khun-ha.entry")
    response = client.post(reverse("workbooks:upload_submission", args=[draft.pk]), {"file": _file(_edited(draft))})
    token = response.context["token"]
    submission_submit(submission=draft, user=user("tam-duong-khun-ha.entry"))  # now locked for editing
    response = client.post(reverse("workbooks:confirm", args=[token]))
    assert response.status_code == 400
    assert "không sửa được" in response.content.decode()
    assert _summer(draft) is None


def test_cancel_drops_the_upload(draft, login, media):
    client = login("tam-duong-khun-ha.entry")
    token = client.post(reverse("workbooks:upload_submission", args=[draft.pk]),
                        {"file": _file(_edited(draft))}).context["token"]
    assert client.post(reverse("workbooks:cancel", args=[token])).status_code == 302
    assert not list((media / "uploads").glob(f"{token}*"))
    assert client.post(reverse("workbooks:confirm", args=[token])).status_code == 404
    assert _summer(draft) is None


def test_district_upload_from_the_plan_page(demo, login):
    plan = demo["251-CV/BTGHU"]
    client = login("tam-duong.reviewer")
    data = client.get(reverse("workbooks:download_district", args=[plan.pk])).content

    def change(wb):
        ws = wb["Hội nghị"]
        for row in ws.iter_rows(min_row=4, max_col=4):
            if row[0].value == "tam-duong-ho-thau":
                row[3].value = 6

    response = client.post(reverse("workbooks:upload_plan", args=[plan.pk]), {"file": _file(edit(data, change))})
    assert response.status_code == 200
    assert response.context["analysis"].changed_count == 1
    token = response.context["token"]
    assert "Hồ Thầu" in response.content.decode() and 'name="behalf-sender"' in response.content.decode()
    # entered on the commune's behalf: the confirmation asks how the figures came, nothing is saved without it
    response = client.post(reverse("workbooks:confirm", args=[token]))
    assert response.status_code == 400 and "hãy ghi trước số liệu nhận qua đâu" in response.content.decode()
    assert not Submission.objects.filter(plan=plan, unit__code="tam-duong-ho-thau").exists()
    response = client.post(reverse("workbooks:confirm", args=[token]), {
        "behalf-channel": "paper", "behalf-sender": "Văn phòng Đảng ủy xã Hồ Thầu", "behalf-received_on": "20/11/2026"})
    assert response.status_code == 302
    created = Submission.objects.get(plan=plan, unit__code="tam-duong-ho-thau")
    assert created.entered_on_behalf
    assert created.behalf_sources.get().sender == "Văn phòng Đảng ủy xã Hồ Thầu"
    assert SubmissionValue.objects.get(submission=created, indicator__code="conference.count").number == 6


def test_a_unit_file_on_the_plan_page_of_another_plan_is_refused(demo, draft, login):
    other_plan = demo["120-CV/BTGHU"]
    response = login("tam-duong-khun-ha.entry").post(reverse("workbooks:upload_plan", args=[other_plan.pk]),
                                                     {"file": _file(_edited(draft))})
    assert response.status_code == 400
    assert "không phải kế hoạch 120-CV/BTGHU" in response.content.decode()


def test_checking_a_district_file_costs_a_fixed_number_of_queries(demo, user, django_assert_max_num_queries):
    reviewer = user("tam-duong.reviewer")
    plan = demo["120-CV/BTGHU"]
    units = list(units_to_fill(plan=plan, user=reviewer))
    data = build_district_workbook(plan=plan, units=units, root=units[0])
    with django_assert_max_num_queries(20):
        analysis = analyse_workbook(data=data, filename="d.xlsx", user=reviewer)
    assert analysis.errors == [] and analysis.units_read == 52


def test_checking_and_downloading_a_unit_workbook_costs_a_bounded_number_of_queries(
        demo, user, login, django_assert_max_num_queries):
    submission = Submission.objects.get(plan__reference="120-CV/BTGHU", unit__code="tam-duong")  # rows, texts
    data = build_unit_workbook(plan=submission.plan, unit=submission.unit)
    with django_assert_max_num_queries(25):
        analysis = analyse_workbook(data=data, filename="u.xlsx", user=user("tam-duong.reviewer"))
    assert analysis.errors == [] and analysis.changed_count == 0
    client = login("tam-duong.reviewer")
    with django_assert_max_num_queries(15):
        assert client.get(reverse("workbooks:download_submission", args=[submission.pk])).status_code == 200
