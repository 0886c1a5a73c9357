"""Template filters for Vietnamese figures: ``{% load vn %}``.

Thin wrappers over ``core.formatting`` (the one formatting module shared with the PDF and Excel
outputs). Filters never raise: a value they cannot format renders as ``""`` (rates as ``"-"``).

    {{ 6287|vn_number }}                  -> 6.287
    {{ value|vn_number:1 }}               -> 1.234,5
    {{ num|vn_rate:den }}                 -> 98,0%      (den 0 -> "-")
    {{ rate|vn_percent }}                 -> 93,4%
    {{ 2|vn_count }}                      -> 02
    {{ 2|vn_count:"hội nghị" }}           -> 02 hội nghị
    {{ report.date|vn_date_line }}        -> ngày 30 tháng 10 năm 2023
    {{ report.date|vn_date_line:"Tam Đường" }} -> Tam Đường, ngày 30 tháng 10 năm 2023
    {{ plan.issued|vn_date }}             -> 26/8/2022
    {{ generated_at|vn_datetime }}        -> 17 giờ 30 ngày 25/10/2023
    {{ user|vn_person }}                  -> Lê Thị Mai   (family name first, else the login)
"""

from __future__ import annotations

from decimal import InvalidOperation

from django import template

from core import formatting

register = template.Library()

_ERRORS = (TypeError, ValueError, InvalidOperation, OverflowError)


@register.filter
def vn_number(value, decimals=None):
    try:
        places = None if decimals in (None, "") else int(decimals)
        return formatting.format_number(value, places)
    except _ERRORS:
        return ""


@register.filter
def vn_rate(numerator, denominator):
    try:
        return formatting.format_rate(numerator, denominator)
    except _ERRORS:
        return formatting.RATE_UNAVAILABLE


@register.filter
def vn_percent(value):
    try:
        return formatting.format_percent(value)
    except _ERRORS:
        return formatting.RATE_UNAVAILABLE


@register.filter
def vn_count(value, unit=None):
    try:
        return formatting.format_count(value, unit or None)
    except _ERRORS:
        return ""


@register.filter
def vn_date_line(value, place=None):
    try:
        return formatting.format_date_line(value, place or None)
    except _ERRORS:
        return ""


@register.filter
def vn_date(value):
    try:
        return formatting.format_date_short(value)
    except _ERRORS:
        return ""


@register.filter
def vn_datetime(value):
    try:
        return formatting.format_datetime(value)
    except _ERRORS:
        return ""


@register.filter
def vn_header(value):
    """A header line broken only at sensible places (`core.formatting.header_line`)."""
    return formatting.header_line(value)


@register.filter
def vn_person(user) -> str:
    return formatting.person_name(user)
