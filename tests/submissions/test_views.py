"""Entry pages, life cycle by role, history, optimistic-lock conflicts and scoping of the submission pages."""
from __future__ import annotations

import pytest
from django.urls import reverse

from reports.submissions import services
from reports.submissions.models import Submission, SubmissionEvent, SubmissionRow, SubmissionValue, ValueChange

CONFERENCE_ROW = {"date": "2026-10-15", "title": "Hội nghị học tập chuyên đề", "level": "own", "format": "in_person",
                  "points": "1", "presenters": "Bí thư Đảng ủy", "documents": "Kết luận số 57-KL/TW",
                  "attendance": "65"}


def section_post(submission, values: dict, rows: dict | None = None, version: int | None = None, **extra) -> dict:
    """The POST of a section page: figures by indicator code, rows by list indicator code."""
    data = {"version": str(submission.version if version is None else version)}
    for code, value in values.items():
        data["v-" + code.replace(".", "-")] = "" if value is None else str(value)
    for code, items in (rows or {}).items():
        prefix = "r-" + code.replace(".", "-")
        data.update({f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for n, row in enumerate(items):
            for name, value in row.items():
                data[f"{prefix}-{n}-{name}"] = value
    data.update(extra)
    return data


def empty_rows(*codes):
    return {code: [] for code in codes}


@pytest.fixture
def client_for(client, user_named):
    def login(username):
        client.force_login(user_named(username))
        return client

    return login


def value_of(submission, code):
    v = SubmissionValue.objects.filter(submission=submission, indicator__code=code).first()
    return None if v is None else (v.number if v.number is not None else v.text)


# --- pages render ---------------------------------------------------------------------------------


def test_every_section_page_renders_for_the_entry_officer(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    for section in khun_ha_draft.plan.sections.all():
        response = client.get(reverse("submissions:section", args=[khun_ha_draft.pk, section.code]))
        assert response.status_code == 200, section.code
        assert "Lưu nháp" in response.content.decode()
    people = client.get(reverse("submissions:section", args=[khun_ha_draft.pk, "people"])).content.decode()
    assert "data-rate-pair" in people and "js/entry.js" in people
    assert "<script>" not in people  # no inline scripts (CSP)
    propaganda = client.get(reverse("submissions:section", args=[khun_ha_draft.pk, "propaganda"])).content.decode()
    assert "Loa phát thanh xã, bản" in propaganda and "Thời lượng (phút)" in propaganda
    assert propaganda.count('name="v-propaganda-') == 28
    detail = client.get(reverse("submissions:detail", args=[khun_ha_draft.pk])).content.decode()
    assert "Gửi báo cáo" in detail and "Tiếp nhận" not in detail


def test_section_not_collected_by_the_plan_is_404(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    assert client.get(reverse("submissions:section", args=[khun_ha_draft.pk, "inspection"])).status_code == 404


def test_list_shows_own_submissions_and_plans_to_start(client_for, khun_ha_draft):
    response = client_for("tam-duong-khun-ha.entry").get(reverse("submissions:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("submissions:detail", args=[khun_ha_draft.pk]) in html
    assert "Bình Lư" not in html


# --- saving ---------------------------------------------------------------------------------------


def test_save_draft_with_rows_and_audit(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    data = section_post(khun_ha_draft, {"conference.count": 3, "conference.attendance": "1.130",
                                        "cell_meeting.count": 12, "cell_meeting.attendance": 200},
                        rows={"conference.rows": [CONFERENCE_ROW]}, confirm="on")
    response = client.post(url, data)
    assert response.status_code == 302
    khun_ha_draft.refresh_from_db()
    assert value_of(khun_ha_draft, "conference.attendance") == 1130
    row = SubmissionRow.objects.get(submission=khun_ha_draft, indicator__code="conference.rows")
    assert row.data["date"] == "2026-10-15" and row.data["attendance"] == 65 and row.data["level"] == "own"
    change = ValueChange.objects.filter(submission=khun_ha_draft, indicator__code="conference.attendance").first()
    assert (change.old_value, change.new_value, change.source) == ("130", "1130", "form:conference")
    assert change.user.username == "tam-duong-khun-ha.entry" and not change.on_behalf
    assert not khun_ha_draft.entered_on_behalf
    # The saved figure comes back formatted the Vietnamese way.
    assert 'value="1.130"' in client.get(url).content.decode()


def test_errors_are_shown_and_nothing_is_written(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "people"])
    version = khun_ha_draft.version
    response = client.post(url, section_post(khun_ha_draft, {"members.studied": 120, "members.required": 110,
                                                             "nonmembers.studied": -2, "nonmembers.required": 10}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "không được lớn hơn" in html and "không được là số âm" in html
    assert 'value="120"' in html  # what was typed stays in the form
    khun_ha_draft.refresh_from_db()
    assert khun_ha_draft.version == version
    assert value_of(khun_ha_draft, "members.studied") is None


def test_row_date_outside_period_is_an_error(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    bad = dict(CONFERENCE_ROW, date="2026-09-30")
    response = client.post(url, section_post(khun_ha_draft, {"conference.count": 2, "conference.attendance": 130},
                                             rows={"conference.rows": [bad]}))
    assert response.status_code == 200
    assert "nằm ngoài kỳ báo cáo" in response.content.decode()
    assert not SubmissionRow.objects.filter(submission=khun_ha_draft).exists()


def test_outlier_warning_needs_confirmation(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    values = {"conference.count": 40, "conference.attendance": 130}
    response = client.post(url, section_post(khun_ha_draft, values, rows=empty_rows("conference.rows")))
    html = response.content.decode()
    assert response.status_code == 200
    assert "khác xa các kỳ trước" in html and "Tôi xác nhận số liệu đúng" in html
    assert value_of(khun_ha_draft, "conference.count") == 2
    response = client.post(url, section_post(khun_ha_draft, values, rows=empty_rows("conference.rows"),
                                             confirm="on"))
    assert response.status_code == 302
    assert value_of(khun_ha_draft, "conference.count") == 40


def test_stale_version_is_a_conflict_that_loses_nothing(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    loaded = khun_ha_draft.version
    first = section_post(khun_ha_draft, {"conference.count": 3, "conference.attendance": 150},
                         rows=empty_rows("conference.rows"), version=loaded)
    assert client.post(url, first).status_code == 302
    khun_ha_draft.refresh_from_db()
    after_first = khun_ha_draft.version
    changes = ValueChange.objects.count()
    second = section_post(khun_ha_draft, {"conference.count": 4, "conference.attendance": 400},
                          rows=empty_rows("conference.rows"), version=loaded)
    response = client.post(url, second)
    html = response.content.decode()
    assert response.status_code == 409
    assert "CHƯA được lưu" in html
    assert 'value="400"' in html  # the user's figures are shown again
    assert "<td>150</td>" in html  # next to the current ones
    khun_ha_draft.refresh_from_db()
    assert khun_ha_draft.version == after_first
    assert value_of(khun_ha_draft, "conference.attendance") == 150
    assert ValueChange.objects.count() == changes
    # The form now carries the current version: saving again keeps the user's figures.
    assert f'name="version" value="{after_first}"' in html
    assert client.post(url, dict(second, version=str(after_first))).status_code == 302
    assert value_of(khun_ha_draft, "conference.attendance") == 400


def test_service_conflict_with_same_version_twice(khun_ha_draft, user_named):
    user = user_named("tam-duong-khun-ha.entry")
    version = khun_ha_draft.version
    services.submission_save_values(submission=khun_ha_draft, user=user, values={"cell_meeting.count": 5},
                                    source="form:conference", expected_version=version)
    with pytest.raises(services.SubmissionConflict):
        services.submission_save_values(submission=khun_ha_draft, user=user, values={"cell_meeting.count": 6},
                                        source="form:conference", expected_version=version)
    assert value_of(khun_ha_draft, "cell_meeting.count") == 5


# --- life cycle -----------------------------------------------------------------------------------


def test_life_cycle_by_role(client, user_named, khun_ha_draft):
    entry, reviewer = user_named("tam-duong-khun-ha.entry"), user_named("tam-duong.reviewer")
    sub = khun_ha_draft
    client.force_login(entry)
    assert client.post(reverse("submissions:accept", args=[sub.pk])).status_code == 404  # not a reviewer
    client.post(reverse("submissions:submit", args=[sub.pk]), {"version": sub.version})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED and sub.first_submitted_at
    # Submitted: the officer can no longer save.
    url = reverse("submissions:section", args=[sub.pk, "conference"])
    client.post(url, section_post(sub, {"conference.count": 9}, rows=empty_rows("conference.rows")))
    assert value_of(sub, "conference.count") == 2

    client.force_login(reviewer)
    detail = client.get(reverse("submissions:detail", args=[sub.pk])).content.decode()
    assert "Tiếp nhận" in detail and "Trả lại để sửa" in detail
    response = client.post(reverse("submissions:return", args=[sub.pk]), {"version": sub.version, "reason": " "},
                           follow=True)
    assert "Lý do" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED
    client.post(reverse("submissions:return", args=[sub.pk]),
                {"version": sub.version, "reason": "Thiếu số người chưa là đảng viên"})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.RETURNED and sub.return_reason == "Thiếu số người chưa là đảng viên"

    client.force_login(entry)
    detail = client.get(reverse("submissions:detail", args=[sub.pk])).content.decode()
    assert "Thiếu số người chưa là đảng viên" in detail and "Gửi lại báo cáo" in detail
    client.post(reverse("submissions:submit", args=[sub.pk]), {"version": sub.version})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED

    client.force_login(reviewer)
    client.post(reverse("submissions:accept", args=[sub.pk]), {"version": sub.version})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.ACCEPTED

    client.force_login(entry)
    page = client.get(url).content.decode()
    assert "không thể sửa" in page and "<fieldset disabled>" in page
    response = client.post(url, section_post(sub, {"conference.count": 9}, rows=empty_rows("conference.rows")))
    assert response.status_code == 302
    assert value_of(sub, "conference.count") == 2

    client.force_login(reviewer)
    client.post(reverse("submissions:reopen", args=[sub.pk]), {"version": sub.version, "reason": "Sửa số hội nghị"})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.RETURNED
    actions = list(SubmissionEvent.objects.filter(submission=sub).values_list("action", flat=True))
    assert actions[-6:] == ["submit", "return", "submit", "accept", "reopen"][-6:] or actions[-5:] == [
        "submit", "return", "submit", "accept", "reopen"]


def test_stale_life_cycle_post_changes_nothing(client_for, binh_lu_submitted):
    client = client_for("tam-duong.reviewer")
    stale = binh_lu_submitted.version - 1
    client.post(reverse("submissions:accept", args=[binh_lu_submitted.pk]), {"version": stale})
    binh_lu_submitted.refresh_from_db()
    assert binh_lu_submitted.status == Submission.Status.SUBMITTED


def test_submit_refuses_stored_errors(client_for, khun_ha_draft, user_named):
    services.submission_save_values(submission=khun_ha_draft, user=user_named("tam-duong-khun-ha.entry"),
                                    values={"members.studied": 500}, source="form:people")
    client = client_for("tam-duong-khun-ha.entry")
    response = client.post(reverse("submissions:submit", args=[khun_ha_draft.pk]), {"version": 0}, follow=True)
    khun_ha_draft.refresh_from_db()
    assert khun_ha_draft.status == Submission.Status.DRAFT
    assert "Chưa gửi được" in response.content.decode()


def test_district_entry_staff_enter_for_a_commune_on_its_behalf(client_for, khun_ha_draft):
    """The README's district entry role enters a unit's figures on its behalf (issue 16: it got 403)."""
    client = client_for("tam-duong.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    assert client.get(url).status_code == 200
    data = section_post(khun_ha_draft, {"conference.count": 3, "conference.attendance": 130},
                        rows=empty_rows("conference.rows"), confirm="on")
    # the first save on the commune's behalf needs how the figures came (asked in the same form)
    assert client.post(url, data).status_code == 200 and value_of(khun_ha_draft, "conference.count") == 2
    response = client.post(url, {**data, "behalf-channel": "phone", "behalf-sender": "Đ/c Tẩn Văn Sơn",
                                 "behalf-received_on": "27/11/2026"})
    assert response.status_code == 302
    assert value_of(khun_ha_draft, "conference.count") == 3
    assert khun_ha_draft.behalf_sources.get().sender == "Đ/c Tẩn Văn Sơn"
    assert ValueChange.objects.filter(submission=khun_ha_draft, on_behalf=True,
                                      user__username="tam-duong.entry").exists()


def test_commune_entry_staff_cannot_enter_for_another_commune(client_for, khun_ha_draft):
    client = client_for("tam-duong-binh-lu.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    response = client.post(url, section_post(khun_ha_draft, {"conference.count": 9},
                                             rows=empty_rows("conference.rows")))
    assert response.status_code == 404
    assert value_of(khun_ha_draft, "conference.count") == 2


# --- on behalf ------------------------------------------------------------------------------------


def test_reviewer_enters_a_missing_unit_on_its_behalf(client_for, open_plan):
    client = client_for("tam-duong.reviewer")
    start = reverse("submissions:start", args=[open_plan.pk, "tam-duong-ban-bo"])
    page = client.get(start)
    assert page.status_code == 200 and "Nhập thay đơn vị" in page.content.decode()
    assert not Submission.objects.filter(plan=open_plan, unit__code="tam-duong-ban-bo").exists()
    response = client.post(start, {"channel": "paper", "sender": "Văn phòng Đảng ủy xã Bản Bo",
                                   "received_on": "20/11/2026"})
    sub = Submission.objects.get(plan=open_plan, unit__code="tam-duong-ban-bo")
    assert response.status_code == 302 and response["Location"].endswith("/muc/conference/")
    assert client.get(start)["Location"] == sub.get_absolute_url()  # opening again does not duplicate
    url = reverse("submissions:section", args=[sub.pk, "conference"])
    client.post(url, section_post(sub, {"conference.count": 4, "conference.attendance": 240},
                                  rows=empty_rows("conference.rows")))
    client.post(reverse("submissions:submit", args=[sub.pk]), {"version": Submission.objects.get(pk=sub.pk).version})
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED and sub.entered_on_behalf
    assert sub.last_entered_by.username == "tam-duong.reviewer"
    assert SubmissionEvent.objects.get(submission=sub, action="submit").on_behalf
    assert ValueChange.objects.filter(submission=sub, on_behalf=True).count() == 2
    detail = client.get(sub.get_absolute_url()).content.decode()
    assert "Nhập thay bởi Lê Thị Mai" in detail
    history = client.get(reverse("submissions:history", args=[sub.pk])).content.decode()
    assert "nhập thay đơn vị" in history and "Lê Thị Mai" in history


def test_start_only_for_units_the_plan_assigns(client_for, open_plan):
    client = client_for("tam-duong.reviewer")
    village = reverse("submissions:start", args=[open_plan.pk, "tam-duong-khun-ha-ban-khun-ha"])
    assert client.get(village).status_code == 403
    assert client.post(village).status_code == 403
    assert not Submission.objects.filter(unit__code="tam-duong-khun-ha-ban-khun-ha").exists()


# --- scoping --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "history"])
def test_commune_officer_cannot_open_another_commune(client_for, binh_lu_submitted, name):
    client = client_for("tam-duong-khun-ha.entry")
    assert client.get(reverse(f"submissions:{name}", args=[binh_lu_submitted.pk])).status_code == 404


def test_commune_officer_cannot_post_to_another_commune(client_for, binh_lu_submitted, open_plan):
    client = client_for("tam-duong-khun-ha.entry")
    pk = binh_lu_submitted.pk
    assert client.get(reverse("submissions:section", args=[pk, "people"])).status_code == 404
    assert client.post(reverse("submissions:section", args=[pk, "people"]), {}).status_code == 404
    for action in ("submit", "accept", "return", "reopen"):
        assert client.post(reverse(f"submissions:{action}", args=[pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("submissions:start", args=[open_plan.pk, "tam-duong-ban-bo"])).status_code == 404


def test_other_province_reviewer_sees_no_tam_duong_submission(client_for, open_plan):
    client = client_for("ha-tinh-khoi.reviewer")
    for sub in Submission.objects.filter(unit__code__startswith="tam-duong")[:60:7]:
        for name in ("detail", "history"):
            assert client.get(reverse(f"submissions:{name}", args=[sub.pk])).status_code == 404
        assert client.get(reverse("submissions:section", args=[sub.pk, "conference"])).status_code == 404
    assert "tam-duong" not in client.get(reverse("submissions:list")).content.decode().lower()
    assert client.get(reverse("submissions:start", args=[open_plan.pk, "tam-duong-ban-bo"])).status_code == 404


def test_commune_reviewer_cannot_accept_its_own_report(client_for, khun_ha_draft, user_named):
    services.submission_submit(submission=khun_ha_draft, user=user_named("tam-duong-khun-ha.entry"))
    client = client_for("tam-duong-khun-ha.reviewer")
    assert client.post(reverse("submissions:accept", args=[khun_ha_draft.pk])).status_code == 403
    khun_ha_draft.refresh_from_db()
    assert khun_ha_draft.status == Submission.Status.SUBMITTED


# --- query counts ---------------------------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("section", ["conference", "propaganda", "documents"])
def test_entry_page_queries_do_not_grow_with_rows(client_for, khun_ha_draft, user_named, section,
                                                  django_assert_max_num_queries):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, section])
    client.get(url)  # warm caches (content types, sessions)
    few = _queries(client, url, django_assert_max_num_queries)
    user = user_named("tam-duong-khun-ha.entry")
    many_rows = [dict(CONFERENCE_ROW, attendance=n, points=1) for n in range(40)]
    docs = [{"number": f"{n}-CV/ĐU", "date": "2026-10-20", "title": f"Công văn {n}"} for n in range(40)]
    values = {f"propaganda.{c}.{m}": 3 for c in ("loudspeaker", "mass_meeting", "radio_tv", "website")
              for m in ("sessions", "reach", "items", "minutes")}
    services.submission_save_values(submission=khun_ha_draft, user=user, values=values, source="form:test",
                                    rows={"conference.rows": many_rows, "documents.rows": docs})
    many = _queries(client, url, django_assert_max_num_queries)
    assert many == few
    # 14 + the bell's unread count (every page) + every section tab's mark from the one validator over the
    # stored figures (issue 16: catalogue, values, rows, earlier periods, confirmations, sections: fixed)
    with django_assert_max_num_queries(25):
        client.get(url)


def test_overview_and_history_queries_do_not_grow(client_for, khun_ha_draft, user_named):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("tam-duong-khun-ha.entry")
    user = user_named("tam-duong-khun-ha.entry")
    counts = []
    for n in range(2):
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("submissions:detail", args=[khun_ha_draft.pk]))
            client.get(reverse("submissions:history", args=[khun_ha_draft.pk]))
            client.get(reverse("submissions:list"))
        counts.append(len(ctx.captured_queries))
        services.submission_save_values(
            submission=khun_ha_draft, user=user, source="form:test",
            values={f"propaganda.social.{m}": 10 + n for m in ("sessions", "reach", "items", "minutes")},
            rows={"documents.rows": [{"number": f"{k}-CV", "date": "2026-10-20", "title": "x"} for k in range(20)]})
    assert counts[0] == counts[1]


def test_a_list_takes_at_most_max_rows(client_for, khun_ha_draft):
    from reports.submissions.forms import MAX_ROWS

    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "documents"])
    rows = [{"number": f"{n}-CV/ĐU", "date": "2026-10-20", "title": "Công văn"} for n in range(MAX_ROWS + 1)]
    response = client.post(url, section_post(khun_ha_draft, {}, rows={"documents.rows": rows}))
    assert response.status_code == 200
    assert not SubmissionRow.objects.filter(submission=khun_ha_draft).exists()
    rows.pop()
    assert client.post(url, section_post(khun_ha_draft, {}, rows={"documents.rows": rows})).status_code == 302
    assert SubmissionRow.objects.filter(submission=khun_ha_draft).count() == MAX_ROWS


def test_history_shows_rows_readably(client_for, khun_ha_draft):
    client = client_for("tam-duong-khun-ha.entry")
    url = reverse("submissions:section", args=[khun_ha_draft.pk, "conference"])
    client.post(url, section_post(khun_ha_draft, {"conference.count": 2, "conference.attendance": 130},
                                  rows={"conference.rows": [CONFERENCE_ROW]}, confirm="on"))  # 2 held, 1 listed
    html = client.get(reverse("submissions:history", args=[khun_ha_draft.pk])).content.decode()
    assert "Ngày: 15/10/2026; Tên hội nghị: Hội nghị học tập chuyên đề; Cấp: Đơn vị tổ chức" in html
    assert "Biểu mẫu “Hội nghị học tập, quán triệt”" in html
    assert "Tẩn Văn Sơn – Đảng ủy xã Khun Há" in html


def test_personal_plan_and_inspection_sections(client_for, user_named):
    from reports.plans.models import Plan
    from units.models import Unit

    plan = Plan.objects.get(reference="222-KH/TU")
    sub = services.submission_get_or_create(plan=plan, unit=Unit.objects.get(code="tam-duong"))
    client = client_for("tam-duong.reviewer")
    url = reverse("submissions:section", args=[sub.pk, "personal_plan"])
    html = client.get(url).content.decode()
    assert html.count("data-rate-pair") == 3  # members, non-members, ethical standards
    assert "Danh sách mô hình tiêu biểu" in html and "Nhiệm vụ trọng tâm, đột phá" in html
    data = section_post(sub, {"personal_plan.members.written": 90, "personal_plan.members.required": 100,
                              "ethics_standard.issued": 3, "ethics_standard.required": 2,
                              "key_tasks.text": "Cải cách hành chính"},
                        rows={"model.rows": [{"name": "Dân vận khéo", "description": "Vận động hiến đất"}]})
    response = client.post(url, data)
    assert response.status_code == 200 and "không được lớn hơn" in response.content.decode()
    data["v-ethics_standard-issued"] = "2"
    assert client.post(url, data).status_code == 302
    assert value_of(sub, "key_tasks.text") == "Cải cách hành chính"
    assert SubmissionRow.objects.get(submission=sub, indicator__code="model.rows").data["name"] == "Dân vận khéo"
    inspection = client.get(reverse("submissions:section", args=[sub.pk, "inspection"]))
    assert inspection.status_code == 200 and "Cá nhân được khen thưởng" in inspection.content.decode()
