"""The Django admin (/quan-tri/): tree of units, history inlines, and unit admins limited to their subtree."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from units.models import Staff, Unit, UnitChange, UnitKind

pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def change_url(unit):
    return f"/quan-tri/units/unit/{unit.pk}/change/"


def form_data(unit, **changes):
    data = {
        "name": unit.name, "short_name": unit.short_name, "kind": unit.kind_id,
        "parent": unit.get_parent().pk if unit.get_parent() else "", "effective": timezone.localdate().isoformat(),
        "note": "",
        "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0, "changes-TOTAL_FORMS": 0, "changes-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_superuser_sees_every_unit_in_tree_order(client, demo):
    response = login(client, "admin").get("/quan-tri/units/unit/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == Unit.objects.count()
    html = response.content.decode()
    assert html.index("Tỉnh ủy Lai Châu") < html.index("Huyện ủy Tam Đường") < html.index("Tỉnh ủy Hà Tĩnh")


def test_unit_admin_sees_only_the_subtree(client, demo):
    login(client, "tam-duong.admin")
    response = client.get("/quan-tri/units/unit/")
    assert response.context["cl"].result_count == 61
    assert "Hà Tĩnh" not in response.content.decode()
    search = client.get("/quan-tri/units/unit/?q=khun")
    assert search.context["cl"].result_count == 6
    response = client.get(change_url(Unit.objects.get(code="ha-tinh-khoi")))
    assert response.status_code == 302  # "does not exist" for the admin: outside the subtree
    staff = client.get("/quan-tri/units/staff/")
    assert {s.unit.code.startswith("tam-duong") for s in staff.context["cl"].result_list} == {True}
    users = client.get("/quan-tri/auth/user/")
    usernames = {u.username for u in users.context["cl"].result_list}
    assert "admin" not in usernames and "ha-tinh.reviewer" not in usernames and "tam-duong-khun-ha.entry" in usernames
    assert client.get("/quan-tri/units/issuingbody/").context["cl"].result_count == 2


def test_non_admin_users_cannot_enter_the_admin(client, demo):
    response = login(client, "tam-duong-khun-ha.entry").get("/quan-tri/units/unit/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_rename_through_admin_records_history(client, demo):
    login(client, "tam-duong.admin")
    unit = Unit.objects.get(code="tam-duong-khun-ha")
    response = client.post(change_url(unit), form_data(unit, name="Đảng ủy xã Khun Há (mới)", effective="2024-01-01",
                                                        note="Quyết định 12-QĐ/HU"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.name == "Đảng ủy xã Khun Há (mới)" and unit.code == "tam-duong-khun-ha"
    assert unit.versions.count() == 2
    change = UnitChange.objects.get(unit=unit, kind="rename")
    assert change.effective == dt.date(2024, 1, 1) and change.created_by.username == "tam-duong.admin"
    assert change.note == "Quyết định 12-QĐ/HU"
    page = client.get(change_url(unit)).content.decode()
    assert "Đảng ủy xã Khun Há (mới)" in page and "Lịch sử tên gọi và cấp trên" in page


def test_move_through_admin_and_refusals(client, demo):
    login(client, "tam-duong.admin")
    cell = Unit.objects.get(code="tam-duong-khun-ha-ban-khun-ha")
    binh_lu = Unit.objects.get(code="tam-duong-binh-lu")
    response = client.post(change_url(cell), form_data(cell, parent=binh_lu.pk, effective="2024-02-01"))
    assert response.status_code == 302
    assert Unit.objects.get(pk=cell.pk).get_parent() == binh_lu
    # a parent outside the subtree is not a valid choice
    cell = Unit.objects.get(pk=cell.pk)
    response = client.post(change_url(cell), form_data(cell, parent=Unit.objects.get(code="ha-tinh-khoi").pk))
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    # a future date is refused with a Vietnamese message, nothing changes
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(change_url(cell), form_data(cell, name="X", effective=future))
    assert "tương lai" in str(response.context["adminform"].form.errors)
    assert Unit.objects.get(pk=cell.pk).name != "X"
    # moving the district below its own commune is refused
    tam_duong = Unit.objects.get(code="tam-duong")
    response = login(client, "admin").post(change_url(tam_duong), form_data(tam_duong, parent=binh_lu.pk))
    assert "chính nó" in str(response.context["adminform"].form.errors)


def test_add_unit_through_admin(client, demo):
    login(client, "tam-duong.admin")
    response = client.post("/quan-tri/units/unit/add/", {
        "code": "tam-duong-khun-ha-ban-moi", "name": "Chi bộ bản Mới", "short_name": "",
        "kind": UnitKind.objects.get(code="chi-bo-truc-thuoc").pk,
        "parent": Unit.objects.get(code="tam-duong-khun-ha").pk, "effective": "2024-03-01", "note": "",
        "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0, "changes-TOTAL_FORMS": 0, "changes-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = Unit.objects.get(code="tam-duong-khun-ha-ban-moi")
    assert unit.get_parent().code == "tam-duong-khun-ha" and unit.valid_from == dt.date(2024, 3, 1)
    assert unit.versions.get().parent.code == "tam-duong-khun-ha"
    assert UnitChange.objects.get(unit=unit).kind == "create"


def test_units_are_never_deleted_and_dissolve_action(client, demo):
    login(client, "tam-duong.admin")
    cell = Unit.objects.get(code="tam-duong-khun-ha-ban-khun-ha")
    assert client.get(f"/quan-tri/units/unit/{cell.pk}/delete/").status_code == 403
    page = client.post("/quan-tri/units/unit/", {"action": "dissolve_selected", "_selected_action": [cell.pk]})
    assert page.status_code == 200 and "Giải thể đơn vị" in page.content.decode()  # the intermediate form
    response = client.post("/quan-tri/units/unit/", {"action": "dissolve_selected", "_selected_action": [cell.pk],
                                                     "apply": "1", "effective": "2024-06-01"})
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.dissolved_on == dt.date(2024, 6, 1)
    khun_ha = Unit.objects.get(code="tam-duong-khun-ha")
    page = client.post("/quan-tri/units/unit/", {"action": "dissolve_selected", "_selected_action": [khun_ha.pk],
                                                 "apply": "1", "effective": "2024-06-01"})
    assert page.status_code == 200 and "đơn vị trực thuộc đang hoạt động" in page.content.decode()
    assert Unit.objects.get(pk=khun_ha.pk).dissolved_on is None  # still has active cells: refused


def test_merge_action_into_new_unit(client, demo):
    login(client, "tam-duong.admin")
    sources = [Unit.objects.get(code="tam-duong-khun-ha").pk, Unit.objects.get(code="tam-duong-ta-leng").pk]
    data = {"action": "merge_selected", "_selected_action": sources, "apply": "1", "effective": "2025-07-01",
            "new_code": "tam-duong-khun-ha-2025", "new_name": "Đảng ủy xã Khun Há", "new_short_name": "xã Khun Há",
            "new_kind": UnitKind.objects.get(code="dang-uy-xa").pk,
            "new_parent": Unit.objects.get(code="tam-duong").pk, "note": "Nghị quyết 1670/NQ-UBTVQH15"}
    incomplete = client.post("/quan-tri/units/unit/", {**data, "new_code": ""})
    assert incomplete.status_code == 200 and "Cần khi thành lập đơn vị mới" in incomplete.content.decode()
    response = client.post("/quan-tri/units/unit/", data)
    assert response.status_code == 302
    target = Unit.objects.get(code="tam-duong-khun-ha-2025")
    assert target.get_children().count() == 5
    assert set(target.predecessors.values_list("code", flat=True)) == {"tam-duong-khun-ha", "tam-duong-ta-leng"}
    assert UnitChange.objects.get(unit=target, kind="merge").created_by.username == "tam-duong.admin"


def test_user_admin_adds_user_with_staff_in_scope(client, demo):
    login(client, "tam-duong.admin")
    response = client.post("/quan-tri/auth/user/add/", {
        "username": "tam-duong-ban-hon.entry", "email": "ban-hon@example.vn",
        "staff-TOTAL_FORMS": 1, "staff-INITIAL_FORMS": 0, "staff-MIN_NUM_FORMS": 1, "staff-MAX_NUM_FORMS": 1,
        "staff-0-unit": Unit.objects.get(code="tam-duong-ban-hon").pk, "staff-0-title": "Cán bộ tuyên giáo",
        "staff-0-is_entry": "on",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    staff = Staff.objects.get(user__username="tam-duong-ban-hon.entry")
    assert staff.unit.code == "tam-duong-ban-hon" and staff.is_entry
    assert not staff.user.has_usable_password()  # set by the user through its invitation (test_invitations.py)
    superuser = get_user_model().objects.get(username="admin")
    assert client.get(f"/quan-tri/auth/user/{superuser.pk}/change/").status_code == 302


def test_drag_and_drop_move_goes_through_history_and_scope(client, demo):
    login(client, "tam-duong.admin")
    cell = Unit.objects.get(code="tam-duong-khun-ha-ban-khun-ha")
    binh_lu = Unit.objects.get(code="tam-duong-binh-lu")
    response = client.post("/quan-tri/units/unit/move/", {"node_id": cell.pk, "sibling_id": binh_lu.pk, "as_child": 1})
    assert response.status_code == 200
    cell = Unit.objects.get(pk=cell.pk)
    assert cell.get_parent() == binh_lu
    assert UnitChange.objects.filter(unit=cell, kind="move", effective=timezone.localdate()).exists()
    # reordering among siblings records nothing
    sibling = Unit.objects.get(code="tam-duong-binh-lu-ban-binh-lu")
    changes = UnitChange.objects.count()
    assert client.post("/quan-tri/units/unit/move/", {"node_id": cell.pk, "sibling_id": sibling.pk,
                                                      "as_child": 0}).status_code == 200
    assert UnitChange.objects.count() == changes
    # nothing outside the subtree, in either direction
    khoi = Unit.objects.get(code="ha-tinh-khoi")
    assert client.post("/quan-tri/units/unit/move/", {"node_id": cell.pk, "sibling_id": khoi.pk,
                                                      "as_child": 1}).status_code == 400
    assert Unit.objects.get(pk=cell.pk).get_parent() == binh_lu


def test_the_role_flag_is_enough_without_the_group(client, demo):
    user = get_user_model().objects.get(username="tam-duong.admin")
    user.groups.clear()
    user.user_permissions.clear()
    login(client, "tam-duong.admin")
    assert client.get("/quan-tri/units/unit/").context["cl"].result_count == 61
    assert client.get("/quan-tri/units/staff/").status_code == 200
    assert client.get("/quan-tri/units/unitkind/").status_code == 200
    assert client.get("/quan-tri/units/unitkind/add/").status_code == 403  # kinds: superusers only
    assert client.get("/quan-tri/units/unitchange/add/").status_code == 403
    Staff.objects.filter(user=user).update(is_unit_admin=False)
    assert client.get("/quan-tri/units/unit/").status_code == 403


def test_unit_changelist_query_count_does_not_grow(client, demo, django_assert_max_num_queries):
    login(client, "admin")
    client.get("/quan-tri/units/unit/")
    with django_assert_max_num_queries(15):
        response = client.get("/quan-tri/units/unit/")
    assert response.context["cl"].result_count == Unit.objects.count()
