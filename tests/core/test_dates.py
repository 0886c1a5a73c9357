"""Dates typed by people: dd/mm/yyyy whatever the browser, one parser, a clear message for a bad date."""
import datetime as dt

import pytest

from core.dates import VnDateField, format_input_date
from core.formatting import parse_date


@pytest.mark.parametrize("text", ["05/09/2023", "5/9/2023", " 5/9/2023 ", "05.09.2023", "05-09-2023", "2023-09-05"])
def test_day_first_and_iso_parse_to_the_same_date(text):
    assert parse_date(text) == dt.date(2023, 9, 5)


@pytest.mark.parametrize("text", ["31/02/2024", "09/31/2023", "2023/09/05", "hôm qua"])
def test_impossible_or_month_first_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_empty_is_none_and_inputs_show_day_first():
    assert parse_date("") is None and parse_date(None) is None
    assert format_input_date(dt.date(2023, 9, 5)) == "05/09/2023"
    assert format_input_date("2023-09-05") == "05/09/2023"


def test_field_message_is_vietnamese_and_widget_is_text():
    field = VnDateField()
    assert field.clean("30/10/2023") == dt.date(2023, 10, 30)
    with pytest.raises(Exception) as err:
        field.clean("10/30/2023")
    assert "ngày/tháng/năm" in str(err.value)
    html = field.widget.render("d", dt.date(2023, 10, 30))
    assert 'type="text"' in html and 'value="30/10/2023"' in html and 'placeholder="dd/mm/yyyy"' in html
