"""Table-driven tests for core.formatting; expected strings come from the seed reports."""

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from core import formatting as f

UTC = dt.timezone.utc
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_module_imports_without_django_settings():
    code = (
        "import os, sys; os.environ.pop('DJANGO_SETTINGS_MODULE', None); "
        "import core.formatting; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (6287, None, "6.287"),  # seed 000: 6.287 lượt người
        (1448, None, "1.448"),
        (2419, None, "2.419"),  # seed 004
        (9010, None, "9.010"),  # seed 004: 143 buổi/9.010 lượt người
        (148140, None, "148.140"),  # seed
        (24766, None, "24.766"),
        (1234567, None, "1.234.567"),
        (1000000000, None, "1.000.000.000"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (0, None, "0"),
        (-2419, None, "-2.419"),
        (-1234567, None, "-1.234.567"),
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("93.40"), None, "93,40"),
        (1234.5, None, "1.234,5"),
        (3.0, None, "3"),
        ("6287", None, "6.287"),
        (Decimal("1234.45"), 1, "1.234,5"),  # half up
        (Decimal("1234.449"), 1, "1.234,4"),
        (1234.45, 1, "1.234,5"),  # float via repr, not binary 1234.4499999…
        (0.15, 1, "0,2"),
        (2.675, 2, "2,68"),  # round(2.675, 2) == 2.67 in float
        (Decimal("-1234.55"), 1, "-1.234,6"),  # half away from zero
        (Decimal("-0.04"), 1, "0,0"),  # no "-0,0"
        (1234567, 2, "1.234.567,00"),
        (Fraction(1, 3), 3, "0,333"),
        (None, None, ""),
    ],
)
def test_format_number(value, decimals, expected):
    assert f.format_number(value, decimals) == expected


@pytest.mark.parametrize("bad", ["abc", float("nan"), float("inf"), Decimal("NaN"), True])
def test_format_number_rejects(bad):
    with pytest.raises((TypeError, ValueError)):
        f.format_number(bad)


# --- rounding and rates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("6.25"), 1, Decimal("6.3")),  # banker's would give 6.2
        (Decimal("6.35"), 1, Decimal("6.4")),
        (Decimal("0.05"), 1, Decimal("0.1")),
        (Decimal("0.049999"), 1, Decimal("0.0")),
        (0.15, 1, Decimal("0.2")),  # float 0.15 is 0.1499999… in binary
        (2.5, 0, Decimal("3")),  # round(2.5) == 2 in Python
        ("12.5", 0, Decimal("13")),
        (Decimal("-2.25"), 1, Decimal("-2.3")),
        (Fraction(2, 3) * 100, 1, Decimal("66.7")),
        (98, 1, Decimal("98.0")),
        (Decimal("99.95"), 1, Decimal("100.0")),
    ],
)
def test_round_half_up(value, places, expected):
    result = f.round_half_up(value, places)
    assert result == expected
    assert str(result) == str(expected)  # carries exactly `places` decimals


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (2419, 2468, "98,0%"),  # seed 004: Đảng viên 2.419/2.468 người, đạt 98,0%
        (700, 735, "95,2%"),  # seed 004
        (55, 83, "66,3%"),  # xã Khun Há (66,3%)
        (2225, 2659, "83,7%"),  # seed 001
        (841, 872, "96,4%"),  # seed 001
        (1782, 1822, "97,8%"),  # seed 000
        (1789, 1790, "99,9%"),  # seed 000
        (787, 817, "96,3%"),  # seed 000
        (51, 51, "100,0%"),
        (1, 8, "12,5%"),  # exact, no rounding
        (1, 16, "6,3%"),  # 6.25 -> half up (banker's: 6,2%)
        (3, 16, "18,8%"),  # 18.75 exactly
        (5, 16, "31,3%"),  # 31.25
        (333, 2000, "16,7%"),  # 16.65 exactly; float 16.65 is 16.6499… -> 16,6 with float rounding
        (2, 3, "66,7%"),
        (1, 3, "33,3%"),
        (1, 2000, "0,1%"),  # 0.05 exactly -> 0,1
        (1, 2001, "0,0%"),
        (0, 735, "0,0%"),
        (1449, 1448, "100,1%"),  # over 100% is shown as is
        (Decimal("166.5"), 1000, "16,7%"),
        ("2419", "2468", "98,0%"),
        (2419, 0, "-"),  # zero denominator: no rate
        (0, 0, "-"),
        (None, 10, "-"),
        (10, None, "-"),
    ],
)
def test_format_rate(num, den, expected):
    assert f.format_rate(num, den) == expected


def test_format_rate_empty_override():
    assert f.format_rate(5, 0, empty="") == ""
    assert f.RATE_UNAVAILABLE == "-"


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (2419, 2468, Decimal("98.0")),
        (700, 735, Decimal("95.2")),
        (1, 16, Decimal("6.3")),
        (55, 83, Decimal("66.3")),
        (2419, 0, None),
        (None, 5, None),
    ],
)
def test_rate_value(num, den, expected):
    assert f.rate_value(num, den) == expected


def test_rate_value_compares_on_rounded_value():
    # 66.25% and 66.34% both print 66,3%; they must compare equal where the report compares rates.
    assert f.rate_value(265, 400) == f.rate_value(6634, 10000) == Decimal("66.3")
    assert f.rate_value(55, 83) < f.rate_value(2225, 2659)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("93.4"), "93,4%"),  # seed 000: tỷ lệ đảng viên 93,4%
        (Decimal("96.1"), "96,1%"),
        (Decimal("98"), "98,0%"),
        (Decimal("6.25"), "6,3%"),
        (96.15, "96,2%"),
        (None, "-"),
    ],
)
def test_format_percent(value, expected):
    assert f.format_percent(value) == expected


# --- counts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (2, "hội nghị", "02 hội nghị"),  # seed
        (9, "văn bản", "09 văn bản"),  # seed
        (5, "hội nghị", "05 hội nghị"),
        (1, "kế hoạch", "01 kế hoạch"),
        (8, "buổi", "08 buổi"),
        (79, "hội nghị", "79 hội nghị"),  # seed 004
        (294, "buổi sinh hoạt chi bộ", "294 buổi sinh hoạt chi bộ"),
        (1448, "lượt người", "1.448 lượt người"),
        (3119, "người", "3.119 người"),
        (10, None, "10"),
        (9, None, "09"),
        (0, None, "0"),
        (0, "văn bản", "0 văn bản"),
        (1234567, None, "1.234.567"),
        (Decimal("7"), None, "07"),
        ("3", None, "03"),
        (None, "người", ""),
    ],
)
def test_format_count(n, unit, expected):
    assert f.format_count(n, unit) == expected


@pytest.mark.parametrize("bad", [-1, 2.5, Decimal("1.5"), "x", True])
def test_format_count_rejects(bad):
    with pytest.raises((TypeError, ValueError)):
        f.format_count(bad)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "place", "expected"),
    [
        (dt.date(2023, 10, 30), None, "ngày 30 tháng 10 năm 2023"),  # seed 004
        (dt.date(2023, 12, 18), None, "ngày 18 tháng 12 năm 2023"),  # seed 003
        (dt.date(2024, 2, 5), None, "ngày 05 tháng 02 năm 2024"),  # LAYOUT.md
        (dt.date(2024, 1, 15), None, "ngày 15 tháng 01 năm 2024"),
        (dt.date(2024, 3, 5), None, "ngày 05 tháng 3 năm 2024"),
        (dt.date(2023, 9, 9), None, "ngày 09 tháng 9 năm 2023"),
        (dt.date(2023, 10, 30), "Tam Đường", "Tam Đường, ngày 30 tháng 10 năm 2023"),
        (dt.date(2023, 12, 18), "Lai Châu", "Lai Châu, ngày 18 tháng 12 năm 2023"),
        # an aware datetime late on 29/10 UTC is already 30/10 in Vietnam
        (dt.datetime(2023, 10, 29, 18, 0, tzinfo=UTC), None, "ngày 30 tháng 10 năm 2023"),
        (None, "Tam Đường", ""),
    ],
)
def test_format_date_line(d, place, expected):
    assert f.format_date_line(d, place) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (dt.date(2022, 8, 26), "26/8/2022"),  # seed 000
        (dt.date(2023, 9, 14), "14/9/2023"),  # seed 004
        (dt.date(2023, 10, 9), "09/10/2023"),  # seed 004
        (dt.date(2023, 11, 6), "06/11/2023"),  # seed 003
        (dt.date(2018, 2, 2), "02/02/2018"),  # seed 003
        (dt.date(2022, 1, 26), "26/01/2022"),  # seed 000
        (dt.date(2022, 2, 28), "28/02/2022"),  # seed 000
        (dt.date(2021, 3, 22), "22/3/2021"),  # seed 000
        (dt.date(2022, 5, 5), "05/5/2022"),  # seed 000
        (dt.date(2016, 9, 8), "08/9/2016"),  # seed 000
        (dt.date(2023, 12, 26), "26/12/2023"),  # seed 002
        (dt.datetime(2023, 10, 25, 10, 30, tzinfo=HCM), "25/10/2023"),
        (None, ""),
    ],
)
def test_format_date_short(d, expected):
    assert f.format_date_short(d) == expected


def test_format_date_in_text_and_month_year():
    assert f.format_date_in_text(dt.date(2022, 8, 26)) == "ngày 26/8/2022"
    assert f.format_date_in_text(dt.date(2023, 10, 9)) == "ngày 09/10/2023"
    assert f.format_date_in_text(None) == ""
    assert f.format_month_year(dt.date(2024, 1, 1)) == "01/2024"  # seed 003: tháng 01/2024
    assert f.format_month_year(dt.date(2023, 6, 30)) == "6/2023"  # seed 002: tháng 6/2023


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2023, 10, 25, 17, 30, tzinfo=HCM), "17 giờ 30 ngày 25/10/2023"),
        (dt.datetime(2023, 10, 25, 10, 30, tzinfo=UTC), "17 giờ 30 ngày 25/10/2023"),
        (dt.datetime(2023, 10, 25, 20, 5, tzinfo=UTC), "03 giờ 05 ngày 26/10/2023"),
        (dt.datetime(2024, 2, 5, 8, 0, tzinfo=HCM), "08 giờ 00 ngày 05/02/2024"),
        (dt.datetime(2023, 10, 25, 17, 30), "17 giờ 30 ngày 25/10/2023"),  # naive = local
        (None, ""),
    ],
)
def test_format_datetime(value, expected):
    assert f.format_datetime(value) == expected


def test_local_now_is_aware_in_vietnam():
    now = f.local_now()
    assert now.utcoffset() == dt.timedelta(hours=7)


# --- document numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((164, "BC", "BTGHU"), "164-BC/BTGHU"),  # seed 004
        ((222, "KH", "TU"), "222-KH/TU"),  # seed 003
        ((1036, "CV", "TU"), "1036-CV/TU"),
        ((1, "KL", "TW"), "01-KL/TW"),  # seeds pad numbers below 10
        ((8, "QĐ", "TW"), "08-QĐ/TW"),
        (("74", "KH", "HU"), "74-KH/HU"),
        ((25, "KH", "ĐUK"), "25-KH/ĐUK"),
    ],
)
def test_format_doc_number(args, expected):
    assert f.format_doc_number(*args) == expected


def test_format_doc_number_line_and_reference():
    assert f.format_doc_number_line(164, "BC", "BTGHU") == "Số 164-BC/BTGHU"
    assert f.format_doc_reference("Hướng dẫn", 132, "HD", "BTGTU") == "Hướng dẫn số 132-HD/BTGTU"
    assert f.format_doc_reference("Kế hoạch", 74, "KH", "HU") == "Kế hoạch số 74-KH/HU"
    assert f.format_doc_reference("Công văn", 1036, "CV", "TU") == "Công văn số 1036-CV/TU"
    assert (
        f.format_doc_reference("Hướng dẫn", 132, "HD", "BTGTU", issued=dt.date(2023, 9, 14))
        == "Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023"
    )
    assert (
        f.format_doc_reference("Quy định", 124, "QĐ", "TW", issued=dt.date(2018, 2, 2))
        == "Quy định số 124-QĐ/TW, ngày 02/02/2018"
    )


@pytest.mark.parametrize(
    "bad", [(0, "BC", "HU"), (-3, "BC", "HU"), ("1a", "BC", "HU"), (5, "", "HU"), (5, "BC", " ")]
)
def test_format_doc_number_rejects(bad):
    with pytest.raises(ValueError):
        f.format_doc_number(*bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("132-HD/BTGTU", (132, "HD", "BTGTU")),
        ("164 - BC/BTGHU", (164, "BC", "BTGHU")),  # seed 004 header spacing
        ("Số 164 - BC/BTGHU", (164, "BC", "BTGHU")),
        ("120 - CV/BTGHU", (120, "CV", "BTGHU")),  # seed
        ("01- KL/TW", (1, "KL", "TW")),  # seed
        ("553 - CV/ĐTN", (553, "CV", "ĐTN")),  # seed
        ("22-QĐ/TW", (22, "QĐ", "TW")),
        ("  74-kh/hu. ", (74, "KH", "HU")),
    ],
)
def test_parse_doc_number(text, expected):
    assert f.parse_doc_number(text) == expected


@pytest.mark.parametrize("bad", ["", "BC/BTGHU", "04/HD-HĐTĐKT", "164-BC", "abc", None])
def test_parse_doc_number_rejects(bad):
    with pytest.raises(ValueError):
        f.parse_doc_number(bad)


def test_parse_then_format_round_trips():
    for text in ["164-BC/BTGHU", "01-KL/TW", "1036-CV/TU", "25-KH/ĐUK"]:
        assert f.format_doc_number(*f.parse_doc_number(text)) == text


# --- Excel constants -----------------------------------------------------------------------------


def test_excel_formats():
    assert f.EXCEL_INT_FORMAT == "#,##0"
    assert f.EXCEL_RATE_FORMAT == "0.0"


# --- template filters ----------------------------------------------------------------------------


def test_filters_directly():
    from core.templatetags import vn

    assert vn.vn_number(6287) == "6.287"
    assert vn.vn_number(Decimal("1234.45"), 1) == "1.234,5"
    assert vn.vn_number("not a number") == ""
    assert vn.vn_rate(2419, 2468) == "98,0%"
    assert vn.vn_rate(5, 0) == "-"
    assert vn.vn_rate("x", 3) == "-"
    assert vn.vn_percent(Decimal("93.4")) == "93,4%"
    assert vn.vn_count(2, "hội nghị") == "02 hội nghị"
    assert vn.vn_count(-1) == ""
    assert vn.vn_date_line(dt.date(2023, 10, 30), "Tam Đường") == "Tam Đường, ngày 30 tháng 10 năm 2023"
    assert vn.vn_date(dt.date(2022, 8, 26)) == "26/8/2022"
    assert vn.vn_date("2022-08-26") == ""
    assert vn.vn_datetime(dt.datetime(2023, 10, 25, 10, 30, tzinfo=UTC)) == "17 giờ 30 ngày 25/10/2023"


def test_filters_in_template():
    from django.template import Context, Engine

    engine = Engine(libraries={"vn": "core.templatetags.vn"})
    tpl = engine.from_string(
        "{% load vn %}{{ a|vn_number }}|{{ num|vn_rate:den }}|{{ zero|vn_rate:0 }}|{{ r|vn_percent }}|"
        '{{ c|vn_count:"hội nghị" }}|{{ d|vn_date_line:"Tam Đường" }}|{{ d|vn_date }}|{{ t|vn_datetime }}'
    )
    out = tpl.render(
        Context(
            {
                "a": 1234567,
                "num": 700,
                "den": 735,
                "zero": 3,
                "r": Decimal("93.4"),
                "c": 5,
                "d": dt.date(2023, 10, 30),
                "t": dt.datetime(2023, 10, 25, 10, 30, tzinfo=UTC),
            }
        )
    )
    assert out == (
        "1.234.567|95,2%|-|93,4%|05 hội nghị|Tam Đường, ngày 30 tháng 10 năm 2023|30/10/2023|"
        "17 giờ 30 ngày 25/10/2023"
    )


def test_person_name_family_name_first_else_login():
    from django.contrib.auth.models import User

    from core.formatting import person_name

    assert person_name(User(username="kh.entry", first_name="Lê Thị", last_name="Mai")) == "Lê Thị Mai"
    assert person_name(User(username="kh.entry")) == "kh.entry"
    assert person_name(None) == ""


@pytest.mark.parametrize("text", ["2023-09-21", "21/9/2023", "21/09/2023", "21-09-2023", "21.9.2023", " 21/9/2023 "])
def test_parse_date_one_parser_for_forms_imports_and_commands(text):
    assert f.parse_date(text) == dt.date(2023, 9, 21)


def test_parse_date_empty_dates_and_garbage():
    assert f.parse_date("") is None and f.parse_date(None) is None and f.parse_date("  ") is None
    assert f.parse_date(dt.date(2023, 9, 21)) == dt.date(2023, 9, 21)
    assert f.parse_date(dt.datetime(2023, 9, 21, 17, 30)) == dt.date(2023, 9, 21)
    for bad in ("32/13/2023", "21/9", "hôm qua", "2023-02-30"):
        with pytest.raises(ValueError):
            f.parse_date(bad)
