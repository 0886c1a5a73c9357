"""Small synthetic hierarchies with plans and submissions, built through the real services."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from reports.plans.models import Plan, Section
from reports.submissions import services
from units.models import IssuingBody, Staff, Unit, UnitKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECTIONS = ["conference", "people", "propaganda", "documents", "narrative"]
ON_TIME = dt.datetime(2023, 10, 10, 9, 0, tzinfo=TZ)


def kind(code: str, name: str, level: int, prefix: str = "") -> UnitKind:
    obj, _ = UnitKind.objects.get_or_create(code=code, defaults={"name": name, "level": level, "text_prefix": prefix})
    return obj


def add_unit(code: str, name: str, kind_code: str, parent: Unit | None, short_name: str = "") -> Unit:
    kinds = {"tinh-uy": ("Tỉnh ủy", 0), "huyen-uy": ("Huyện ủy", 1), "dang-uy-xa": ("Đảng ủy xã", 2),
             "chi-bo-co-so": ("Chi bộ cơ sở", 2), "chi-bo-truc-thuoc": ("Chi bộ trực thuộc", 3)}
    label, level = kinds[kind_code]
    fields = dict(code=code, name=name, short_name=short_name, kind=kind(kind_code, label, level),
                  valid_from=dt.date(2020, 1, 1))
    if parent is None:
        return Unit.add_root(**fields)
    parent = Unit.objects.get(pk=parent.pk)
    return parent.add_child(**fields)


def body_for(unit: Unit, suffix: str = "BTGHU", citation: str = "Ban Tuyên giáo Huyện ủy") -> IssuingBody:
    return IssuingBody.objects.create(
        code=f"{unit.code}-btg", unit=unit, name=f"Ban Tuyên giáo {unit.name}", citation_name=citation,
        own_line=unit.name.upper(), board_line="BAN TUYÊN GIÁO", place_name=unit.code.title(), code_suffix=suffix,
        signer_title="TRƯỞNG BAN", signer_name="Nguyễn Văn A", recipients="- Lưu.", is_default=True,
    )


def reviewer_for(unit: Unit):
    user = get_user_model().objects.create_user(f"{unit.code}.reviewer", password="demo12345!")
    Staff.objects.create(user=user, unit=unit, is_reviewer=True, is_entry=True)
    return user


def make_plan(reference: str, body: IssuingBody, *, relays: Plan | None = None, include_own: bool = True,
              scope: str = Plan.Scope.DIRECT, deadline: dt.date = dt.date(2023, 10, 20)) -> Plan:
    number, rest = reference.split("-", 1)
    plan = Plan.objects.create(
        kind=rest.split("/")[0], number=int(number), reference=reference, issuing_body=body,
        issued_on=dt.date(2023, 9, 14), title="về tổ chức học tập, quán triệt các văn bản mới",
        period_start=dt.date(2023, 7, 1), period_end=dt.date(2023, 10, 31), deadline=deadline, scope=scope,
        include_own=include_own, relays=relays,
    )
    plan.sections.set(Section.objects.filter(code__in=SECTIONS))
    return plan


def submit(plan: Plan, unit: Unit, values: dict, *, user, at: dt.datetime = ON_TIME, accept: bool = True,
           rows: dict | None = None):
    sub = services.submission_get_or_create(plan=plan, unit=unit, user=user)
    services.submission_save_values(submission=sub, user=user, values=values, rows=rows, source="form:test")
    services.submission_submit(submission=sub, user=user, at=at)
    if accept:
        services.submission_accept(submission=sub, user=user, at=at)
    return sub


def district(prefix: str, figures: list[dict], *, parent: Unit | None = None, own: dict | None = None,
             relays: Plan | None = None, accept: bool = True):
    """A district with one party cell per entry of `figures`, each submitting those values on its plan.

    Returns (district unit, its plan, its reviewer, the cells).
    """
    root = add_unit(prefix, f"Huyện ủy {prefix.title()}", "huyen-uy", parent, f"huyện {prefix.title()}")
    body = body_for(root)
    user = reviewer_for(root)
    plan = make_plan(f"{100 + len(prefix)}-CV/BTGHU-{prefix}", body, relays=relays)
    cells = []
    for n, values in enumerate(figures):
        cell = add_unit(f"{prefix}-{n:03d}", f"Chi bộ {prefix} {n:03d}", "chi-bo-co-so", root)
        cells.append(cell)
        submit(plan, cell, values, user=user, accept=accept)
    if own:
        submit(plan, Unit.objects.get(pk=root.pk), own, user=user)
    return Unit.objects.get(pk=root.pk), plan, user, cells
