"""Numbering periods of a body's document register (one rule for plans, reports and the register).

A document number ("120-CV/BTGHU") is unique within its issuing body's register and numbering period,
not across the country: every district board numbers from 1 again, and so does each body every year
(or every party term, with ``REGISTER_RESET = "term"``).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings

TERM_YEARS = 5


def register_period(on: dt.date) -> str:
    """The numbering period of a date: its year ("2023"), or its term ("2020-2025") by REGISTER_RESET."""
    if getattr(settings, "REGISTER_RESET", "year") == "term":
        first = int(getattr(settings, "REGISTER_TERM_FIRST_YEAR", 2020))
        start = first + TERM_YEARS * ((on.year - first) // TERM_YEARS)
        return f"{start}-{start + TERM_YEARS}"
    return str(on.year)


def period_label(period: str) -> str:
    """How a message names a period: "năm 2023", "nhiệm kỳ 2020-2025"."""
    return f"nhiệm kỳ {period}" if "-" in period else f"năm {period}"
