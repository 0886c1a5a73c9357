"""Vietnamese number, rate, count, date and document-number formatting.

This is the ONE place where figures are turned into text: web pages (through the ``vn`` template
filters in ``core/templatetags/vn.py``), the PDF report and the Excel workbook all call these
functions, so a figure reads the same everywhere. The module imports nothing from Django and needs
no settings.

Conventions (DESIGN.md §6, LAYOUT.md, checked against the five seed reports in ``shared/seeds``):

Numbers
    Thousands separator ".", decimal separator ",": ``6.287``, ``1.448``, ``148.140``, ``93,4%``.

Rates
    ``numerator / denominator * 100`` rounded to ONE decimal, HALF UP, computed exactly (integers /
    ``Fraction``/``Decimal``; floats are never used for rounding), always printed with its decimal:
    ``2.419/2.468 -> "98,0%"``, ``700/735 -> "95,2%"``, ``55/83 -> "66,3%"``,
    ``2.225/2.659 -> "83,7%"``, ``1/16 -> "6,3%"`` (banker's rounding would give 6,2%).
    A rate is always recomputed from summed numerator and denominator, never averaged.
    Denominator 0 (or a missing figure) has no rate: ``rate_value`` returns ``None`` and
    ``format_rate`` returns ``RATE_UNAVAILABLE`` (``"-"``), which can be overridden per call.
    The seeds' bare ``"100%"`` / ``"98%"`` are narrative phrases ("100% các trường học…"), not computed
    rates; every computed rate keeps its decimal (``"98,0%"``, ``"100,0%"``).

Counts
    Counts below 10 take a leading zero: ``"02 hội nghị"``, ``"09 văn bản"``, ``"01 kế hoạch"``,
    ``"08 buổi"``; 10 and more as they are with the thousands separator: ``"79 hội nghị"``,
    ``"1.448 lượt người"``. Zero is written ``"0"`` (no seed writes a zero count; ``"00"`` reads as a
    mistake). (Seed 002 has a footnote with bare "5 kế hoạch, 2 chương trình"; the design rule and the
    other 40+ occurrences use two digits, so we follow those.)

Dates (rule derived from every date in the seeds)
    * The day is always two digits: ``09/10/2023``, ``06/11/2023``, ``05/5/2022``, ``08/9/2016``.
    * Months 1 and 2 take a leading zero, months 3–9 do not (10–12 are two digits anyway):
      ``26/01/2022``, ``28/02/2022``, ``02/02/2018``, ``15/01/2024`` but ``26/8/2022``,
      ``14/9/2023``, ``22/3/2021``, ``09/5/2023``. (Month–year phrases follow the same rule:
      ``"tháng 01/2024"``, ``"tháng 6/2023"``.)
    * The date line uses the same rule: ``"ngày 30 tháng 10 năm 2023"``,
      ``"ngày 05 tháng 02 năm 2024"``, ``"ngày 18 tháng 12 năm 2023"``, ``"ngày 05 tháng 3 năm 2024"``.
    * Inside the text: ``"ngày 26/8/2022"``.

Times
    ``"17 giờ 30 ngày 25/10/2023"`` in Asia/Ho_Chi_Minh local time; hour and minute two digits
    (``"08 giờ 05"``). Aware datetimes are converted; naive datetimes are taken as already local.

Document numbers
    ``"164-BC/BTGHU"``; numbers below 10 take a leading zero like counts: ``"01-KL/TW"``,
    ``"05-CT/TW"``, ``"08-QĐ/TW"``. ``"Số 164-BC/BTGHU"`` (no colon), ``"Hướng dẫn số 132-HD/BTGTU"``,
    ``"Quy định số 124-QĐ/TW, ngày 02/02/2018"``. ``parse_doc_number`` tolerates the seeds' spaced
    forms ``"164 - BC/BTGHU"``, ``"01- KL/TW"``.

Excel
    Cells hold real numbers (``int`` / ``Decimal`` from ``rate_value``) with the number formats
    below, so that exporting and re-importing a workbook changes nothing. In an Excel number format
    "," and "." are always the *placeholders* for grouping and decimal; the viewer's Excel shows them
    with its own locale's glyphs (a Vietnamese-locale Excel shows ``6.287`` and ``98,0``; an
    English-locale Excel shows ``6,287`` and ``98.0``). The printed Vietnamese form is the PDF's job.

Empty input
    ``None`` (and ``""``) format as ``""``, except rates, which format as ``RATE_UNAVAILABLE``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational

__all__ = [
    "EXCEL_DATE_FORMAT",
    "EXCEL_INT_FORMAT",
    "EXCEL_RATE_FORMAT",
    "LOCAL_TZ",
    "RATE_UNAVAILABLE",
    "format_count",
    "format_date_in_text",
    "format_date_line",
    "format_date_short",
    "format_datetime",
    "format_doc_number",
    "format_doc_number_line",
    "format_doc_reference",
    "format_month_year",
    "format_number",
    "format_percent",
    "format_rate",
    "local_now",
    "parse_doc_number",
    "rate_value",
    "round_half_up",
]

# --------------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------------

THOUSANDS_SEP = "."
DECIMAL_SEP = ","

#: What ``format_rate`` prints when there is no rate (denominator 0 or a missing figure).
RATE_UNAVAILABLE = "-"

#: Excel number format for integer figures (counts, people). Locale glyphs: see module docstring.
EXCEL_INT_FORMAT = "#,##0"
#: Excel number format for a rate cell holding ``rate_value(...)`` (a percent number, e.g. 98.0).
EXCEL_RATE_FORMAT = "0.0"
#: Excel number format for a rate cell holding the fraction instead (0.98 -> 98,0%).
EXCEL_FRACTION_PERCENT_FORMAT = "0.0%"
#: Excel date format. Excel cannot express the "pad months 1–2 only" rule; write text where the exact
#: in-text form matters (``format_date_short``).
EXCEL_DATE_FORMAT = "dd/mm/yyyy"


def _local_tz() -> _dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # pragma: no cover - no tz database on the host
        # Vietnam has kept UTC+7 without daylight saving since 1975.
        return _dt.timezone(_dt.timedelta(hours=7), "ICT")


#: The reports' local time zone (Asia/Ho_Chi_Minh).
LOCAL_TZ = _local_tz()


# --------------------------------------------------------------------------------------------------
# Exact arithmetic helpers
# --------------------------------------------------------------------------------------------------


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_fraction(value) -> Fraction:
    """Exact value of an int / Decimal / Fraction / float / numeric string.

    Floats go through ``repr`` (shortest round-trip form), so ``0.15`` is exactly 15/100 and not the
    binary approximation 0.1499999….
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Rational):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        return _to_fraction(dec)
    raise TypeError(f"not a number: {value!r}")


def _round_fraction_half_up(x: Fraction, places: int) -> int:
    """``x * 10**places`` rounded half up (half away from zero), as an integer."""
    scaled = abs(x) * (10**places)
    n = math.floor(scaled + Fraction(1, 2))
    return -n if x < 0 else n


def _decimal_from_scaled(n: int, places: int) -> Decimal:
    """The Decimal ``n / 10**places`` with exactly ``places`` decimals (``0`` never negative)."""
    return Decimal(n).scaleb(-places) if places else Decimal(n)


def round_half_up(value, places: int = 1) -> Decimal:
    """Round ``value`` to ``places`` decimals, half up (away from zero), exactly.

    ``round_half_up(6.25) == Decimal("6.3")``, ``round_half_up("0.05", 1) == Decimal("0.1")``,
    ``round_half_up(-2.25) == Decimal("-2.3")``. Accepts int, Decimal, Fraction, float (via its
    shortest repr) and numeric strings. The result always carries ``places`` decimals.
    """
    if places < 0:
        raise ValueError("places must be >= 0")
    return _decimal_from_scaled(_round_fraction_half_up(_to_fraction(value), places), places)


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------


def _group(digits: str) -> str:
    """Insert the thousands separator into a string of digits."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return THOUSANDS_SEP.join(parts)


def _format_decimal(d: Decimal) -> str:
    """Vietnamese form of a finite Decimal, keeping exactly its own decimals."""
    sign, digits, exponent = d.as_tuple()
    text = format(abs(d), "f")  # never scientific notation
    int_part, _, frac_part = text.partition(".")
    out = _group(int_part)
    if frac_part:
        out += DECIMAL_SEP + frac_part
    if sign and any(digits):
        out = "-" + out
    return out


def format_number(n, decimals: int | None = None) -> str:
    """Number with "." thousands separator and "," decimal separator.

    * ``format_number(6287) == "6.287"``, ``format_number(1234567) == "1.234.567"``,
      ``format_number(-2419) == "-2.419"``, ``format_number(0) == "0"``.
    * With ``decimals``: rounded half up to that many decimals,
      ``format_number(Decimal("1234.45"), 1) == "1.234,5"``.
    * Without ``decimals``: ints as they are; a Decimal keeps its own decimals
      (``Decimal("93.40") -> "93,40"``); a float is taken by its shortest repr and an integral float
      prints without decimals (``3.0 -> "3"``, ``1234.5 -> "1.234,5"``).
    * ``None`` / ``""`` -> ``""``.
    """
    if _is_empty(n):
        return ""
    if decimals is not None:
        return _format_decimal(round_half_up(n, decimals))
    if isinstance(n, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(n, int):
        return _format_decimal(Decimal(n))
    if isinstance(n, float):
        if not math.isfinite(n):
            raise ValueError(f"not a finite number: {n!r}")
        if n.is_integer():
            return _format_decimal(Decimal(int(n)))
        return _format_decimal(Decimal(repr(n)))
    if isinstance(n, Decimal):
        if not n.is_finite():
            raise ValueError(f"not a finite number: {n!r}")
        return _format_decimal(n)
    if isinstance(n, str):
        try:
            return _format_decimal(Decimal(n.strip()))
        except InvalidOperation:
            raise ValueError(f"not a number: {n!r}") from None
    frac = _to_fraction(n)  # Fraction and other rationals
    if frac.denominator == 1:
        return _format_decimal(Decimal(frac.numerator))
    raise ValueError("give `decimals` to format a non-decimal fraction")


# --------------------------------------------------------------------------------------------------
# Rates and percentages
# --------------------------------------------------------------------------------------------------


def rate_value(numerator, denominator, places: int = 1) -> Decimal | None:
    """The rate ``numerator / denominator * 100`` rounded half up to ``places`` decimals.

    ``rate_value(2419, 2468) == Decimal("98.0")``; ``rate_value(1, 16) == Decimal("6.3")``.
    Returns ``None`` when there is no rate: denominator 0 or either figure missing. Use this value
    for comparisons ("units whose rate is below the district's") and for Excel cells, so that every
    output compares and shows the very same rounded number.
    """
    if _is_empty(numerator) or _is_empty(denominator):
        return None
    den = _to_fraction(denominator)
    if den == 0:
        return None
    exact = _to_fraction(numerator) * 100 / den
    return _decimal_from_scaled(_round_fraction_half_up(exact, places), places)


def format_percent(value, places: int = 1) -> str:
    """A percent number as text: ``Decimal("93.4") -> "93,4%"``, ``98 -> "98,0%"``.

    The value is a percent (93.4, not 0.934), rounded half up to ``places`` decimals.
    ``None`` / ``""`` -> ``RATE_UNAVAILABLE``.
    """
    if _is_empty(value):
        return RATE_UNAVAILABLE
    return _format_decimal(round_half_up(value, places)) + "%"


def format_rate(numerator, denominator, places: int = 1, empty: str = RATE_UNAVAILABLE) -> str:
    """Rate text: ``format_rate(2419, 2468) == "98,0%"``, ``format_rate(55, 83) == "66,3%"``.

    Denominator 0 or a missing figure -> ``empty`` (default ``RATE_UNAVAILABLE``, i.e. ``"-"``);
    pass ``empty=""`` for a blank cell.
    """
    value = rate_value(numerator, denominator, places)
    if value is None:
        return empty
    return _format_decimal(value) + "%"


# --------------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------------


def _as_count(n) -> int:
    if isinstance(n, bool):
        raise TypeError("a boolean is not a count")
    if isinstance(n, int):
        value = n
    else:
        frac = _to_fraction(n)
        if frac.denominator != 1:
            raise ValueError(f"a count must be a whole number: {n!r}")
        value = frac.numerator
    if value < 0:
        raise ValueError(f"a count cannot be negative: {n!r}")
    return value


def format_count(n, unit: str | None = None) -> str:
    """A count as the seeds write it, optionally followed by its unit.

    1–9 take a leading zero (``"02 hội nghị"``, ``"09 văn bản"``); 0 is ``"0"``; 10 and more as they
    are with the thousands separator (``"79 hội nghị"``, ``"1.448 lượt người"``).
    Negative or fractional counts raise ``ValueError``; ``None`` / ``""`` -> ``""``.
    """
    if _is_empty(n):
        return ""
    value = _as_count(n)
    text = f"{value:02d}" if 0 < value < 10 else _group(str(value))
    return f"{text} {unit}" if unit else text


# --------------------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------------------


def _local_date(d) -> _dt.date:
    """A date, or the local (Asia/Ho_Chi_Minh) date of a datetime."""
    if isinstance(d, _dt.datetime):
        if d.tzinfo is not None and d.utcoffset() is not None:
            d = d.astimezone(LOCAL_TZ)
        return d.date()
    if isinstance(d, _dt.date):
        return d
    raise TypeError(f"not a date: {d!r}")


def _day(day: int) -> str:
    return f"{day:02d}"


def _month(month: int) -> str:
    """Months 1 and 2 with a leading zero, 3–12 without (rule from the seeds)."""
    return f"{month:02d}" if month <= 2 else str(month)


def format_date_line(d, place: str | None = None) -> str:
    """The date line: ``"ngày 30 tháng 10 năm 2023"``, ``"ngày 05 tháng 02 năm 2024"``.

    With ``place``: ``"Tam Đường, ngày 30 tháng 10 năm 2023"``. ``None`` -> ``""``.
    """
    if d is None:
        return ""
    d = _local_date(d)
    line = f"ngày {_day(d.day)} tháng {_month(d.month)} năm {d.year}"
    return f"{place}, {line}" if place else line


def format_date_short(d) -> str:
    """In-text date: ``"26/8/2022"``, ``"09/10/2023"``, ``"02/02/2018"``, ``"26/01/2022"``.

    ``None`` -> ``""``.
    """
    if d is None:
        return ""
    d = _local_date(d)
    return f"{_day(d.day)}/{_month(d.month)}/{d.year}"


def format_date_in_text(d) -> str:
    """``"ngày 26/8/2022"``; ``None`` -> ``""``."""
    if d is None:
        return ""
    return f"ngày {format_date_short(d)}"


def format_month_year(d) -> str:
    """Month and year as in "tháng 01/2024", "tháng 6/2023" (returns ``"01/2024"``, ``"6/2023"``)."""
    if d is None:
        return ""
    d = _local_date(d)
    return f"{_month(d.month)}/{d.year}"


def local_now() -> _dt.datetime:
    """The current aware datetime in Asia/Ho_Chi_Minh."""
    return _dt.datetime.now(LOCAL_TZ)


def format_datetime(dt) -> str:
    """The "số liệu tính đến" moment: ``"17 giờ 30 ngày 25/10/2023"`` in Asia/Ho_Chi_Minh time.

    Aware datetimes are converted to local time; naive ones are taken as already local.
    ``None`` -> ``""``.
    """
    if dt is None:
        return ""
    if not isinstance(dt, _dt.datetime):
        raise TypeError(f"not a datetime: {dt!r}")
    if dt.tzinfo is not None and dt.utcoffset() is not None:
        dt = dt.astimezone(LOCAL_TZ)
    return f"{dt.hour:02d} giờ {dt.minute:02d} ngày {format_date_short(dt.date())}"


# --------------------------------------------------------------------------------------------------
# Document numbers
# --------------------------------------------------------------------------------------------------

_CODE_RE = re.compile(r"^[^\W\d_][\w]*$")

_DOC_NUMBER_RE = re.compile(
    r"""^\s*
    (?:số\s*:?\s*)?                 # optional "Số" / "số" / "Số:"
    (?P<number>\d+)
    \s*-\s*
    (?P<kind>[^\W\d_]+)            # BC, HD, KH, CV, QĐ ...
    \s*/\s*
    (?P<suffix>[^\W_][\w-]*)       # BTGHU, HU, TU, TW, ĐUK ...
    \s*\.?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _doc_no(number) -> str:
    if isinstance(number, str):
        number = number.strip()
        if not number.isdigit():
            raise ValueError(f"not a document number: {number!r}")
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise ValueError(f"not a document number: {number!r}")
    return f"{number:02d}"


def _code(code: str, what: str) -> str:
    code = (code or "").strip()
    if not code or not _CODE_RE.match(code.replace("-", "")):
        raise ValueError(f"not a {what}: {code!r}")
    return code


def format_doc_number(number, kind_code: str, suffix: str) -> str:
    """``format_doc_number(164, "BC", "BTGHU") == "164-BC/BTGHU"``.

    Numbers below 10 take a leading zero as in the seeds (``"01-KL/TW"``). ``number`` may be an int
    or a digit string.
    """
    return f"{_doc_no(number)}-{_code(kind_code, 'kind code')}/{_code(suffix, 'issuer suffix')}"


def format_doc_number_line(number, kind_code: str, suffix: str) -> str:
    """The header line ``"Số 164-BC/BTGHU"`` (no colon after "Số")."""
    return f"Số {format_doc_number(number, kind_code, suffix)}"


def format_doc_reference(kind_label: str, number, kind_code: str, suffix: str, issued=None) -> str:
    """A citation: ``"Hướng dẫn số 132-HD/BTGTU"``, ``"Kế hoạch số 74-KH/HU"``.

    With ``issued`` (a date): ``"Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023"``.
    """
    text = f"{kind_label.strip()} số {format_doc_number(number, kind_code, suffix)}"
    if issued is not None:
        text += f", {format_date_in_text(issued)}"
    return text


def parse_doc_number(text: str) -> tuple[int, str, str]:
    """``"132-HD/BTGTU" -> (132, "HD", "BTGTU")``.

    Tolerates the seeds' spacing (``"164 - BC/BTGHU"``, ``"01- KL/TW"``), a leading "Số" and a
    trailing full stop. Codes are returned upper-cased. Raises ``ValueError`` otherwise (including
    state-style numbers such as ``"04/HD-HĐTĐKT"``, which are not party document numbers).
    """
    if not isinstance(text, str):
        raise ValueError(f"not a document number: {text!r}")
    m = _DOC_NUMBER_RE.match(text)
    if not m:
        raise ValueError(f"not a document number: {text!r}")
    number = int(m.group("number"))
    if number <= 0:
        raise ValueError(f"not a document number: {text!r}")
    return number, m.group("kind").upper(), m.group("suffix").upper()


# -- header lines ----------------------------------------------------------------------------------------

NBSP = "\u00a0"
HEADER_PART_MAX = 26  # characters of capitals that fit on one line of the header column (LAYOUT.md)
# Where a long header line may break: before "VÀ" (BAN TUYÊN GIÁO / VÀ DÂN VẬN, ĐẢNG ỦY KHỐI CÁC CƠ QUAN /
# VÀ DOANH NGHIỆP TỈNH) and after a comma; never inside a name ("…VÀ DÂN / VẬN").
_HEADER_BREAK = re.compile(r"(?:(?<=,)|(?=\bVÀ\b))", re.IGNORECASE)


def header_line(text: str) -> str:
    """A header line whose words are held together by no-break spaces except at the sensible breaks."""
    text = " ".join((text or "").split())
    parts = [p.strip() for p in _HEADER_BREAK.split(text) if p.strip()]
    # A part too long for the header column keeps its ordinary spaces (better a break than an overflow).
    return " ".join(p.replace(" ", NBSP) if len(p) <= HEADER_PART_MAX else p for p in parts)


def person_name(user) -> str:
    """A person's name as printed on pages, PDFs, signatures and mail: family name first ("Lê Thị Mai"),
    else the login; "" for no user.

    Users keep family and middle names in `first_name` and the given name in `last_name` (see
    demo/users.py), so Django's `get_full_name()` reads in Vietnamese order.
    """
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


# Written dates a person types: ISO first (what date pickers and files send), then the Vietnamese
# day/month/year with "/", "-" or "." ("21/9/2023", "21-09-2023", "21.9.2023").
DATE_INPUT_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(value) -> _dt.date | None:
    """THE date parser of forms, imports and commands: a date (a date-time's day), an ISO "2023-09-21"
    or a Vietnamese "21/9/2023" (see DATE_INPUT_FORMATS); None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)
