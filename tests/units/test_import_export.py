"""import_units / export_units: whole-file validation, nothing saved on any error, round trips."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.hierarchy import seed_hierarchy
from units.models import Unit, UnitChange, UnitVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hierarchy():
    seed_hierarchy()


def export(tmp_path, fmt, root="tam-duong"):
    out = tmp_path / f"units.{fmt}"
    call_command("export_units", "--root", root, "--format", fmt, "-o", str(out))
    return out


def run_import(path, capsys):
    call_command("import_units", str(path))
    return capsys.readouterr()


def snapshot():
    return (
        list(Unit.objects.order_by("path").values_list("code", "name", "short_name", "kind_id", "path",
                                                       "dissolved_on")),
        UnitVersion.objects.count(),
        UnitChange.objects.count(),
    )


def test_export_json_to_stdout_lists_the_subtree(capsys):
    call_command("export_units", "--root", "tam-duong", "--format", "json")
    units = json.loads(capsys.readouterr().out)
    assert units[0]["code"] == "tam-duong" and units[0]["parent"] == "lai-chau"
    direct = [u for u in units if u["parent"] == "tam-duong" and not u["name"].startswith("Ban ")]
    assert len(direct) == 51
    assert len(units) == 1 + 51 + 9
    assert set(units[0]) >= {"code", "name", "kind", "parent", "valid_from", "short_name"}
    assert not any(u["code"].startswith("ha-tinh") for u in units)


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_round_trip_changes_nothing(tmp_path, capsys, fmt):
    path = export(tmp_path, fmt, root="lai-chau")
    before = snapshot()
    out = run_import(path, capsys).out
    assert "0 thay đổi" in out
    assert snapshot() == before


def test_import_creates_renames_and_moves(tmp_path, capsys):
    path = export(tmp_path, "csv")
    text = path.read_text(encoding="utf-8")
    text = text.replace("Đảng ủy xã Khun Há,dang-uy-xa,tam-duong,2020-10-01",
                        "Đảng ủy xã Khun Há (mới),dang-uy-xa,tam-duong,2024-01-01")
    text = text.replace("tam-duong-phong-y-te,Chi bộ Phòng Y tế,chi-bo-co-so,tam-duong,2020-10-01",
                        "tam-duong-phong-y-te,Chi bộ Phòng Y tế,chi-bo-co-so,tam-duong-trung-tam-y-te,2024-02-01")
    text += "tam-duong-khun-ha-ban-moi,Chi bộ bản Mới,chi-bo-truc-thuoc,tam-duong-khun-ha,2024-03-01,,\n"
    path.write_text(text, encoding="utf-8")
    out = run_import(path, capsys).out
    assert "1 đơn vị mới, 1 đổi tên, 1 chuyển cấp trên" in out
    khun_ha = Unit.objects.get(code="tam-duong-khun-ha")
    assert khun_ha.name == "Đảng ủy xã Khun Há (mới)"
    assert khun_ha.versions.get(valid_to__isnull=True).valid_from == dt.date(2024, 1, 1)
    assert Unit.objects.get(code="tam-duong-phong-y-te").get_parent().code == "tam-duong-trung-tam-y-te"
    assert Unit.objects.get(code="tam-duong-khun-ha-ban-moi").get_parent() == khun_ha
    assert UnitChange.objects.filter(kind="move", unit__code="tam-duong-phong-y-te",
                                     effective=dt.date(2024, 2, 1)).exists()
    # and the export of the new state re-imports as no change
    again = export(tmp_path, "json")
    assert "0 thay đổi" in run_import(again, capsys).out


def test_broken_file_saves_nothing_and_lists_every_error(tmp_path, capsys):
    path = tmp_path / "broken.csv"
    path.write_text(
        "code,name,kind,parent,valid_from,short_name\n"
        "xa-moi-1,Đảng ủy xã Mới 1,dang-uy-xa,tam-duong,2024-01-01,\n"   # fine on its own
        "xa-moi-2,Đảng ủy xã Mới 2,dang-uy-xa,khong-co,2024-01-01,\n"    # row 3: unknown parent
        "xa-moi-1,Đảng ủy xã Trùng,dang-uy-xa,tam-duong,2024-01-01,\n"   # row 4: duplicate code
        "xa-moi-3,Đảng ủy xã Mới 3,dang-uy-xa,tam-duong,31/02/2024,\n"   # row 5: bad date
        "xa-moi-4,Đảng ủy xã Mới 4,khong-biet,tam-duong,2024-01-01,\n"   # row 6: unknown kind
        "tam-duong-khun-ha,Đảng ủy xã Khun Há đổi tên,dang-uy-xa,tam-duong,2024-01-01,xã Khun Há\n",
        encoding="utf-8",
    )
    before = snapshot()
    with pytest.raises(CommandError, match="4 lỗi"):
        call_command("import_units", str(path))
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Dòng 3:") and "khong-co" in err[0]
    assert err[1].startswith("Dòng 4:") and "trùng với dòng 2" in err[1]
    assert err[2].startswith("Dòng 5:") and "31/02/2024" in err[2]
    assert err[3].startswith("Dòng 6:") and "khong-biet" in err[3]
    assert snapshot() == before  # neither the good new unit nor the rename was saved


def test_cycle_and_future_date_are_errors(tmp_path, capsys):
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps([
        {"code": "tam-duong", "name": "Huyện ủy Tam Đường", "kind": "huyen-uy", "parent": "tam-duong-khun-ha",
         "valid_from": "2024-01-01"},
        {"code": "x-future", "name": "Chi bộ tương lai", "kind": "chi-bo-co-so", "parent": "tam-duong",
         "valid_from": future},
    ], ensure_ascii=False), encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("import_units", str(path))
    err = capsys.readouterr().err
    assert "Mục 1:" in err and "vòng lặp" in err
    assert "Mục 2:" in err and "tương lai" in err
    assert snapshot() == before


def test_missing_column_and_unknown_extension(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("code,name\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu cột: kind, parent, valid_from"):
        call_command("import_units", str(bad))
    other = tmp_path / "x.txt"
    other.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="Chỉ nhận tệp"):
        call_command("import_units", str(other))


def test_xlsx_import_with_excel_dates(tmp_path, capsys):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "kind", "parent", "valid_from", "short_name"])
    sheet.append(["tam-duong-binh-lu-ban-moi", "Chi bộ bản Mới", "Chi bộ trực thuộc", "tam-duong-binh-lu",
                  dt.datetime(2024, 5, 6), None])
    path = tmp_path / "new.xlsx"
    workbook.save(path)
    assert "1 đơn vị mới" in run_import(path, capsys).out
    unit = Unit.objects.get(code="tam-duong-binh-lu-ban-moi")
    assert unit.valid_from == dt.date(2024, 5, 6) and unit.kind.code == "chi-bo-truc-thuoc"


def test_user_option_limits_to_admin_scope(tmp_path, capsys):
    from demo.users import seed_users

    seed_users()
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"code": "ha-tinh-khoi-01", "name": "Đổi tên", "kind": "dang-bo-co-so",
                                 "parent": "ha-tinh-khoi", "valid_from": "2024-01-01"}]), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_units", str(path), "--user", "tam-duong.admin")
    assert "ngoài phạm vi" in capsys.readouterr().err
    assert Unit.objects.get(code="ha-tinh-khoi-01").name != "Đổi tên"


def test_optional_columns_keep_what_the_file_does_not_say(tmp_path, capsys):
    """A file without short_name / dissolved_on columns neither clears short names nor trips on dissolution."""
    from units.services import unit_dissolve

    unit_dissolve(unit=Unit.objects.get(code="tam-duong-khun-ha-tram-y-te-xa"), on=dt.date(2024, 1, 1), user=None)
    path = tmp_path / "minimal.csv"
    rows = ["code,name,kind,parent,valid_from"]
    for unit in Unit.objects.filter(code__startswith="tam-duong-khun-ha").select_related("kind"):
        parent = unit.get_parent()
        rows.append(f"{unit.code},{unit.name},{unit.kind.code},{parent.code},2020-10-01")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert "0 thay đổi" in run_import(path, capsys).out
    assert Unit.objects.get(code="tam-duong-khun-ha").short_name == "xã Khun Há"


def test_export_xlsx_to_stdout_and_unknown_root(capsysbinary):
    call_command("export_units", "--root", "tam-duong-khun-ha", "--format", "xlsx")
    assert capsysbinary.readouterr().out[:2] == b"PK"
    with pytest.raises(CommandError, match="Không có đơn vị mã"):
        call_command("export_units", "--root", "khong-co")
