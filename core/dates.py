"""Dates typed by people: always dd/mm/yyyy, whatever the browser's language.

Browsers render `<input type="date">` in the language of the browser (mm/dd/yyyy in an English one),
so no form uses it: a date is a text field with the pattern dd/mm/yyyy, read by THE date parser
(`core.formatting.parse_date`).

    format_input_date(date(2023, 9, 5)) == "05/09/2023"
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formatting import parse_date

INPUT_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"
INPUT_PLACEHOLDER = "dd/mm/yyyy"


def format_input_date(value: Any) -> str:
    """How a date is shown inside an input: 05/09/2023 (zero-padded, day first)."""
    try:
        d = parse_date(value)
    except ValueError:
        return str(value)
    return d.strftime("%d/%m/%Y") if d else ""


class VnDateInput(forms.TextInput):
    """A text input for dd/mm/yyyy (numeric keyboard on phones, the pattern checked by the browser too)."""

    def __init__(self, attrs=None):
        base = {"placeholder": INPUT_PLACEHOLDER, "pattern": INPUT_PATTERN, "inputmode": "numeric",
                "autocomplete": "off", "data-date": "vn", "maxlength": "10"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        return format_input_date(value) or None


class VnDateField(forms.DateField):
    """A date typed as dd/mm/yyyy; a clear Vietnamese message otherwise."""

    widget = VnDateInput
    default_error_messages = {"invalid": _("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 30/10/2023.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except (ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
