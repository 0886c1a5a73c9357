"""The status board of a plan: seed 004's figures, filters, export, query counts."""
from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.plans.models import Plan, Section
from reports.submissions import services as submission_services
from reports.submissions.models import Submission
from reports.submissions.selectors import status_board
from tests.plans.conftest import make_tree

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LATE = {"Chi bộ Phòng Nội vụ", "Chi bộ Phòng Lao động – Thương binh và Xã hội", "Chi bộ Ban Quản lý Rừng phòng hộ",
        "Chi bộ Hạt Kiểm lâm", "Chi bộ Trung tâm Phát triển quỹ đất", "Chi bộ Trường PTDT Nội trú huyện"}


def _board_url(reference: str, **query) -> str:
    plan = Plan.objects.get(reference=reference)
    url = reverse("plans:status", kwargs={"pk": plan.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_demo_board_figures(demo):
    board = status_board(plan=Plan.objects.get(reference="120-CV/BTGHU"))
    assert len(board.rows) == 52
    own = board.rows[0]
    assert own.is_own and own.unit.code == "tam-duong" and own.status == "accepted"
    s = board.summary
    assert (s.total, s.reported, s.on_time, s.late, s.missing, s.pending) == (51, 51, 45, 6, 0, 0)
    assert set(s.late_units) == LATE
    assert all(row.status and row.timeliness for row in board.rows)
    # Timeliness from SQL agrees with the model's own rule for every row.
    for row in board.rows:
        assert row.timeliness == row.submission.timeliness()


def test_board_page_shows_counts_and_rows(demo, login):
    response = login("tam-duong.reviewer").get(_board_url("120-CV/BTGHU"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "51/51" in html and "chi, đảng bộ đã báo cáo" in html
    assert "45 đúng hạn, 06 chậm" in html
    assert html.count('data-timeliness="late"') == 7  # the six units and the district's own late entry
    assert "Lê Thị Mai" in html  # entered by, family name first
    assert "Chi bộ Hạt Kiểm lâm" in html


def test_board_filters(demo, login):
    client = login("tam-duong.reviewer")
    html = client.get(_board_url("120-CV/BTGHU", timeliness="late")).content.decode()
    assert html.count("<tr data-unit=") == 7
    html = client.get(_board_url("120-CV/BTGHU", status="accepted", timeliness="on_time")).content.decode()
    assert html.count("<tr data-unit=") == 45
    html = client.get(_board_url("251-CV/BTGHU", status="not_started")).content.decode()
    assert html.count("<tr data-unit=") == 50  # all but Khun Há (draft) and Bình Lư (submitted)
    assert "Chưa nhập" in html
    html = client.get(_board_url("251-CV/BTGHU", status="submitted")).content.decode()
    assert html.count("<tr data-unit=") == 1 and "Đảng ủy xã Bình Lư" in html
    # A value that is not a choice is ignored (the whole board), never an error.
    response = client.get(_board_url("120-CV/BTGHU", status="bogus"))
    assert response.status_code == 200 and response.content.decode().count("<tr data-unit=") == 52


def test_open_plan_counts_pending_and_on_behalf(demo, login):
    plan = Plan.objects.get(reference="251-CV/BTGHU")
    board = status_board(plan=plan, now=dt.datetime(2026, 11, 24, 12, tzinfo=TZ))
    s = board.summary
    assert (s.total, s.reported, s.on_time, s.pending) == (51, 1, 1, 50)
    after = status_board(plan=plan, now=dt.datetime(2026, 12, 11, 8, tzinfo=TZ)).summary
    assert (after.missing, after.on_time) == (50, 1)
    # The reviewer enters a missing unit on its behalf: shown as "nhập thay".
    from django.contrib.auth import get_user_model

    from units.models import Unit

    reviewer = get_user_model().objects.get(username="tam-duong.reviewer")
    unit = Unit.objects.get(code="tam-duong-ban-hon")
    sub = submission_services.submission_get_or_create(plan=plan, unit=unit, user=reviewer)
    submission_services.submission_save_values(submission=sub, user=reviewer, values={"conference.count": 2},
                                               source="form:conference")
    html = login("tam-duong.reviewer").get(_board_url("251-CV/BTGHU", status="draft")).content.decode()
    assert "nhập thay" in html and "Lê Thị Mai" in html


def test_export_csv_and_xlsx(demo, login):
    client = login("tam-duong.reviewer")
    plan = Plan.objects.get(reference="120-CV/BTGHU")
    response = client.get(reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "xlsx"}) + "?timeliness=late")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert "120-CV/BTGHU" in values[0][0]
    assert "51/51 chi, đảng bộ đã báo cáo; 45 đúng hạn, 06 chậm" in values[2][0]
    header_at = next(i for i, row in enumerate(values) if row[0] == "STT")
    body = values[header_at + 1:]
    assert len(body) == 7
    names = {row[2] for row in body}
    assert LATE <= names
    late_row = next(row for row in body if row[2] == "Chi bộ Phòng Nội vụ")
    assert late_row[3] == "Đã tiếp nhận" and late_row[6] == "Chậm"
    assert late_row[4].endswith("ngày 23/10/2023")  # "08 giờ 00 ngày 23/10/2023" via core.formatting

    response = client.get(reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "csv"}))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["STT", "Mã đơn vị", "Đơn vị"]
    assert len(rows) == 53
    assert sum(1 for r in rows[1:] if r[6] == "Đúng hạn") == 45
    assert client.get(reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": "pdf"})).status_code == 404


def _tree_with_plan(prefix: str, n: int):
    root, body, reviewer = make_tree(prefix, n)
    plan = Plan.objects.create(kind="CV", number=7, reference=f"07-CV/{prefix.upper()}", issuing_body=body,
                               issued_on=dt.date(2024, 1, 2), title="về học tập", period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 3, 31), deadline=dt.date(2024, 3, 20))
    plan.sections.set(Section.objects.all()[:2])
    for i, unit in enumerate(root.get_children()):
        if i % 3 == 2:
            continue  # missing
        sub = submission_services.submission_get_or_create(plan=plan, unit=unit, user=reviewer)
        if i % 3 == 0:
            submission_services.submission_submit(submission=sub, user=reviewer,
                                                  at=dt.datetime(2024, 3, 10 + i % 15, 9, tzinfo=TZ))
    return plan, reviewer


@pytest.mark.parametrize("fmt", ["page", "xlsx"])
def test_board_query_count_does_not_grow_with_units(client, django_assert_max_num_queries, fmt):
    counts = {}
    for n in (5, 50):
        plan, reviewer = _tree_with_plan(f"q{fmt}{n}", n)
        client.force_login(reviewer)
        url = (reverse("plans:status", kwargs={"pk": plan.pk}) if fmt == "page"
               else reverse("plans:status_export", kwargs={"pk": plan.pk, "fmt": fmt}))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts[n] = len(ctx.captured_queries)
        with django_assert_max_num_queries(counts[5]):
            assert client.get(url).status_code == 200
    assert counts[50] == counts[5], counts


def test_board_rows_of_small_tree(client):
    plan, reviewer = _tree_with_plan("small", 6)
    board = status_board(plan=plan, now=dt.datetime(2024, 4, 1, tzinfo=TZ))
    s = board.summary
    # units 0 and 3 submitted (10/3 and 13/3: on time); 1 and 4 drafts; 2 and 5 never started
    assert (s.total, s.reported, s.on_time, s.late, s.missing) == (6, 2, 2, 0, 4)
    assert board.rows[0].is_own and board.rows[0].status == "not_started"
    assert [r.status for r in board.rows[1:]] == ["submitted", "draft", "not_started"] * 2
    assert Submission.objects.filter(plan=plan).count() == 4


def test_province_board_shows_relays_and_consolidated_reports(demo, login):
    from reports.documents.models import Report
    from units.models import IssuingBody, Unit

    p132, p120 = Plan.objects.get(reference="132-HD/BTGTU"), Plan.objects.get(reference="120-CV/BTGHU")
    client = login("lai-chau.reviewer")
    html = client.get(_board_url("132-HD/BTGTU")).content.decode()
    assert "đã triển khai bằng" in html and p120.get_absolute_url() in html
    assert "0/02" in html  # nothing sent to the province yet
    assert "Đã triển khai, chưa có báo cáo" in html
    Report.objects.create(
        plan=p132, source_plan=p120, unit=Unit.objects.get(code="tam-duong"),
        issuing_body=IssuingBody.objects.get(code="tam-duong-btg"), status="signed", number=164,
        issued_on=dt.date(2023, 10, 30), as_of=dt.datetime(2023, 10, 25, 17, tzinfo=TZ),
        signed_at=dt.datetime(2023, 10, 30, 10, tzinfo=TZ), summary="Kết quả học tập", signer_title="TRƯỞNG BAN",
        signer_name="Phạm Thị Hải Đường",
    )
    board = status_board(plan=p132)
    row = board.rows[0]
    assert row.unit.code == "tam-duong" and row.status == "report_signed" and row.timeliness == "on_time"
    assert row.relay == p120
    assert (board.summary.reported, board.summary.total, board.summary.missing) == (1, 2, 1)
    html = client.get(_board_url("132-HD/BTGTU")).content.decode()
    assert "01/02" in html and "Đã gửi báo cáo, chờ tiếp nhận" in html


def test_deadline_is_the_end_of_the_local_day():
    plan, reviewer = _tree_with_plan("edge", 3)  # deadline 20/3/2024
    units = list(plan.issuing_body.unit.get_children())
    Submission.objects.filter(plan=plan).delete()
    for unit, at in zip(units, (dt.datetime(2024, 3, 20, 23, 59, 59, tzinfo=TZ),
                                dt.datetime(2024, 3, 21, 0, 0, 0, tzinfo=TZ)), strict=False):
        sub = submission_services.submission_get_or_create(plan=plan, unit=unit, user=reviewer)
        submission_services.submission_submit(submission=sub, user=reviewer, at=at)
    rows = {r.unit.code: r.timeliness for r in status_board(plan=plan).rows if not r.is_own}
    assert rows == {"edge-000": "on_time", "edge-001": "late", "edge-002": "missing"}
