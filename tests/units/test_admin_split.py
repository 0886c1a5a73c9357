"""The admin's split action (/quan-tri/ → Đơn vị → "Chia tách đơn vị đã chọn"): one unit into new units."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from units.models import Unit, UnitChange, UnitKind, UnitVersion
from units.selectors import units_as_of

pytestmark = pytest.mark.django_db

CHANGELIST = "/quan-tri/units/unit/"


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def unit(code):
    return Unit.objects.get(code=code)


def khun_ha_cells() -> list[str]:
    """The codes of the five village cells of Khun Há, in tree order."""
    return list(unit("tam-duong-khun-ha").get_children().order_by("path").values_list("code", flat=True))


def split_data(source, *, assign=None, **changes):
    """A complete post of the split page for `source`: two new communes, the cells alternating between them."""
    kind = UnitKind.objects.get(code="dang-uy-xa").pk
    cells = list(source.get_children().filter(dissolved_on__isnull=True).order_by("path"))
    data = {
        "action": "split_selected", "_selected_action": [source.pk], "apply": "1", "effective": "2025-07-01",
        "parent": source.get_parent().pk, "note": "Nghị quyết 99/NQ-UBTVQH15",
        "part1_code": "tam-duong-khun-ha-a", "part1_name": "Đảng ủy xã Khun Há A", "part1_short_name": "xã Khun Há A",
        "part1_kind": kind,
        "part2_code": "tam-duong-khun-ha-b", "part2_name": "Đảng ủy xã Khun Há B", "part2_short_name": "",
        "part2_kind": kind,
        "part3_code": "", "part3_name": "", "part3_short_name": "", "part3_kind": kind,
        "part4_code": "", "part4_name": "", "part4_short_name": "", "part4_kind": kind,
    }
    for n, cell in enumerate(cells):
        data[f"child_{cell.pk}"] = (assign or {}).get(cell.code, "1" if n % 2 == 0 else "2")
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_split_page_renders_for_one_selected_unit(client, demo):
    login(client, "tam-duong.admin")
    khun_ha = unit("tam-duong-khun-ha")
    page = client.post(CHANGELIST, {"action": "split_selected", "_selected_action": [khun_ha.pk]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chia tách đơn vị" in html and "Đảng ủy xã Khun Há" in html and "Các đơn vị mới" in html
    form = page.context["form"]
    assert form.source == khun_ha
    assert form["parent"].value() == unit("tam-duong").pk  # the source's parent by default
    assert [c.code for c in form.children] == khun_ha_cells() and len(form.children) == 5
    assert all(f'name="child_{unit(code).pk}"' in html for code in khun_ha_cells())
    assert 'name="part4_code"' in html
    # the parent choices: active units of the admin's subtree, never the source or below it
    parents = set(form.fields["parent"].queryset.values_list("code", flat=True))
    assert "tam-duong" in parents and "tam-duong-binh-lu" in parents
    assert "tam-duong-khun-ha" not in parents and "tam-duong-khun-ha-ban-khun-ha" not in parents
    assert "than-uyen" not in parents and "lai-chau" not in parents
    assert "Chia tách đơn vị đã chọn" in client.get(CHANGELIST).content.decode()  # listed among the actions


def test_split_needs_exactly_one_selected_unit(client, demo):
    login(client, "tam-duong.admin")
    units_before = Unit.objects.count()
    selected = [unit("tam-duong-khun-ha").pk, unit("tam-duong-ta-leng").pk]
    response = client.post(CHANGELIST, {"action": "split_selected", "_selected_action": selected})
    assert response.status_code == 302
    assert "Hãy chọn đúng một đơn vị để chia tách." in messages_of(response)
    # the same when the page is posted with two units
    data = split_data(unit("tam-duong-khun-ha"), _selected_action=selected)
    response = client.post(CHANGELIST, data)
    assert response.status_code == 302 and "Hãy chọn đúng một đơn vị để chia tách." in messages_of(response)
    assert Unit.objects.count() == units_before and not UnitChange.objects.filter(kind="split").exists()


def test_split_creates_units_moves_children_and_records_history(client, demo):
    login(client, "tam-duong.admin")
    khun_ha = unit("tam-duong-khun-ha")
    cells = khun_ha_cells()
    response = client.post(CHANGELIST, split_data(khun_ha))
    assert response.status_code == 302, response.context["form"].errors
    assert "Đã chia tách “Đảng ủy xã Khun Há” thành 2 đơn vị từ ngày 01/7/2025." in messages_of(response)

    a, b = unit("tam-duong-khun-ha-a"), unit("tam-duong-khun-ha-b")
    assert a.get_parent().code == b.get_parent().code == "tam-duong"
    assert (a.name, a.short_name, a.kind.code, a.valid_from) == (
        "Đảng ủy xã Khun Há A", "xã Khun Há A", "dang-uy-xa", dt.date(2025, 7, 1))
    assert [c.code for c in a.get_children().order_by("path")] == cells[0::2]
    assert [c.code for c in b.get_children().order_by("path")] == cells[1::2]
    khun_ha = unit("tam-duong-khun-ha")
    assert khun_ha.dissolved_on == dt.date(2025, 7, 1) and khun_ha.get_children().count() == 0

    change = UnitChange.objects.get(kind="split", unit=khun_ha)
    assert change.effective == dt.date(2025, 7, 1) and change.note == "Nghị quyết 99/NQ-UBTVQH15"
    assert change.created_by.username == "tam-duong.admin"
    assert set(change.related_units.values_list("code", flat=True)) == {a.code, b.code}
    assert set(khun_ha.split_into.values_list("code", flat=True)) == {a.code, b.code}  # the lineage, as data
    assert UnitVersion.objects.get(unit=khun_ha, valid_to=dt.date(2025, 7, 1))
    moved = UnitVersion.objects.get(unit__code=cells[1], valid_to__isnull=True)
    assert moved.parent == b and moved.valid_from == dt.date(2025, 7, 1)

    def children_on(day):
        return {n.code: [c.code for c in n.children] for n in units_as_of(on=day, root=unit("tam-duong"))[0].children}

    before, after = children_on(dt.date(2025, 6, 30)), children_on(dt.date(2025, 7, 1))
    assert sorted(before["tam-duong-khun-ha"]) == sorted(cells) and "tam-duong-khun-ha-a" not in before
    assert "tam-duong-khun-ha" not in after and sorted(after["tam-duong-khun-ha-a"]) == sorted(cells[0::2])


def test_split_under_another_parent_with_four_parts(client, demo):
    login(client, "admin")
    khun_ha = unit("tam-duong-khun-ha")
    cells = khun_ha_cells()
    kind = UnitKind.objects.get(code="dang-uy-xa").pk
    data = split_data(khun_ha, parent=unit("than-uyen").pk, assign={cells[0]: "3", cells[1]: "4"},
                      part3_code="tam-duong-khun-ha-c", part3_name="Đảng ủy xã Khun Há C", part3_kind=kind,
                      part4_code="tam-duong-khun-ha-d", part4_name="Đảng ủy xã Khun Há D", part4_kind=kind)
    response = client.post(CHANGELIST, data)
    assert response.status_code == 302, response.context["form"].errors
    assert "thành 4 đơn vị" in messages_of(response)[0]
    parts = [unit(f"tam-duong-khun-ha-{x}") for x in "abcd"]
    assert {p.get_parent().code for p in parts} == {"than-uyen"}
    assert [p.get_children().count() for p in parts] == [2, 1, 1, 1]
    assert unit(cells[0]).get_parent().code == "tam-duong-khun-ha-c"
    assert unit(cells[1]).get_parent().code == "tam-duong-khun-ha-d"


@pytest.mark.parametrize("case, changes, message", [
    ("one part only", {"part2_code": "", "part2_name": "", "children": "1"}, "Chia tách cần ít nhất hai đơn vị mới."),
    ("a child not assigned", {"child": ""}, "Hãy chọn đơn vị mới tiếp nhận đơn vị này."),
    ("a child sent to an empty row", {"child": "3"}, "Chưa khai báo đơn vị mới 3."),
    ("a code already used", {"part2_code": "tam-duong-ta-leng"}, "Mã đơn vị “tam-duong-ta-leng” đã có."),
    ("the same code twice", {"part2_code": "tam-duong-khun-ha-a"}, "Các đơn vị mới phải có mã khác nhau."),
    ("a row without a name", {"part2_name": ""}, "Cần khi thành lập đơn vị mới."),
    ("a date in the future", {"effective": "2999-01-01"}, "Ngày hiệu lực ở tương lai"),
    ("a parent outside the subtree", {"parent": "than-uyen"}, "Hãy chọn một lựa chọn hợp lệ"),
])
def test_invalid_split_shows_the_error_and_changes_nothing(client, demo, case, changes, message):
    login(client, "tam-duong.admin")
    khun_ha = unit("tam-duong-khun-ha")
    data = split_data(khun_ha)
    if "child" in changes:  # the first cell only
        data[f"child_{unit(khun_ha_cells()[0]).pk}"] = changes.pop("child")
    if "children" in changes:  # all of them
        data.update({f"child_{unit(code).pk}": changes["children"] for code in khun_ha_cells()})
        del changes["children"]
    if changes.get("parent") == "than-uyen":
        changes["parent"] = unit("than-uyen").pk
    data.update(changes)
    units_before, versions_before, changes_before = Unit.objects.count(), UnitVersion.objects.count(), \
        UnitChange.objects.count()
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200, case
    html = page.content.decode()
    assert message in html, case
    assert 'class="errorlist' in html
    assert "Chia tách đơn vị" in html and 'value="split_selected"' in html  # still the split page, filled in
    assert page.context["form"]["part1_code"].value() == "tam-duong-khun-ha-a"
    assert (Unit.objects.count(), UnitVersion.objects.count(), UnitChange.objects.count()) == (
        units_before, versions_before, changes_before)
    assert unit("tam-duong-khun-ha").dissolved_on is None
    assert unit(khun_ha_cells()[0]).get_parent().code == "tam-duong-khun-ha"


def test_unit_admin_cannot_split_outside_the_subtree(client, demo):
    login(client, "tam-duong.admin")
    outside = unit("ha-tinh-khoi")
    assert outside not in client.get(CHANGELIST).context["cl"].result_list
    units_before = Unit.objects.count()
    page = client.post(CHANGELIST, {"action": "split_selected", "_selected_action": [outside.pk]})
    assert page.status_code == 302  # no split page: for this admin the selection is empty
    assert "Hãy chọn đúng một đơn vị để chia tách." in messages_of(page)
    data = split_data(unit("tam-duong-khun-ha"), _selected_action=[outside.pk], parent=unit("ha-tinh").pk)
    data.update({f"child_{c.pk}": "1" for c in outside.get_children()})
    response = client.post(CHANGELIST, data)
    assert response.status_code == 302 and "Hãy chọn đúng một đơn vị để chia tách." in messages_of(response)
    assert Unit.objects.count() == units_before
    outside.refresh_from_db()
    assert outside.dissolved_on is None and not UnitChange.objects.filter(kind="split").exists()
    # the commune's own admin cannot split it either: no parent in their scope lies outside it
    login(client, "tam-duong-khun-ha.admin")
    khun_ha = unit("tam-duong-khun-ha")
    page = client.post(CHANGELIST, {"action": "split_selected", "_selected_action": [khun_ha.pk]})
    assert page.status_code == 200 and not page.context["form"].fields["parent"].queryset.exists()
    assert "việc chia tách do cấp trên thực hiện" in page.content.decode()
    response = client.post(CHANGELIST, split_data(khun_ha))
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert unit("tam-duong-khun-ha").dissolved_on is None and Unit.objects.count() == units_before
