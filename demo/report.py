"""Demo step: the Tam Đường propaganda board's report for 132-HD/BTGTU, dated as seed 004 (30/10/2023).

The report is made by the owners' service (``report_get_or_create`` as ``tam-duong.reviewer``); a new
report is planned for today, so this step dates the demo one 30/10/2023 like seed 004 (a draft prints
no number; with the demo register start, ``demo.certificates``: numbers 1..163 of 2023 given on
paper, signing gives it "Số 164-BC/BTGHU"). There is no
service to change a draft's planned date, so this demo step sets it with a queryset update; it only
touches an unsigned, unnumbered report.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from reports.documents.models import Report
from reports.documents.services import report_get_or_create
from reports.plans.models import Plan
from units.models import Unit

DEMO_REPORT = ("132-HD/BTGTU", "tam-duong", "tam-duong.reviewer", dt.date(2023, 10, 30))


def seed_demo_report(stdout=None) -> None:
    reference, unit_code, username, planned = DEMO_REPORT
    plan = Plan.objects.filter(reference=reference).first()
    unit = Unit.objects.filter(code=unit_code).first()
    user = get_user_model().objects.filter(username=username).first()
    if plan is None or unit is None or user is None:
        return
    report = report_get_or_create(plan=plan, unit=unit, user=user)
    if report.number is None and report.issued_on is None and not report.is_signed:
        Report.objects.filter(pk=report.pk).update(planned_on=planned)
    if stdout is not None:
        stdout.write(f"demo report {reference} / {unit_code}: planned {planned:%d/%m/%Y}\n")
