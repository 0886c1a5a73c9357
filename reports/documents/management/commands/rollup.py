"""`manage.py rollup --plan 132-HD/BTGTU --unit tam-duong [--json] [--include-submitted]`.

Prints the consolidated figures of a unit for a plan (the unit's relay of it when there is one), as the
report would take them now: totals, rates, per-unit rows, late, missing and below-average units.
"""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.formatting import format_datetime, format_number, format_percent
from reports.plans.models import Plan
from reports.plans.selectors import plan_resolve_for_unit
from reports.rollup.rules import compare_with_earlier, rollup
from units.models import Unit


class Command(BaseCommand):
    help = "Tổng hợp số liệu của một đơn vị theo một kế hoạch (in ra màn hình hoặc JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Số, ký hiệu kế hoạch, ví dụ 132-HD/BTGTU")
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ tam-duong")
        parser.add_argument("--json", action="store_true", help="In JSON")
        parser.add_argument("--include-submitted", action="store_true",
                            help="Tính cả báo cáo đã gửi nhưng chưa tiếp nhận")
        parser.add_argument("--compare-with", metavar="PLAN",
                            help="So với cùng kỳ: kế hoạch trước cùng chuyên đề (cộng số liệu của các đơn vị tiền "
                                 "thân vào đơn vị kế thừa)")

    def handle(self, *args, **options):
        unit = Unit.objects.select_related("kind").filter(code=options["unit"].strip()).first()
        if unit is None:
            raise CommandError(_("Không có đơn vị %(unit)s.") % {"unit": options["unit"]})
        plan = plan_resolve_for_unit(reference=options["plan"], unit=unit)
        if plan is None:
            raise CommandError(_("Không có kế hoạch %(plan)s mà %(unit)s ban hành hoặc phải báo cáo.")
                               % {"unit": unit.name, "plan": options["plan"]})
        result = rollup(plan=plan, unit=unit, include_submitted=options["include_submitted"])
        if options.get("compare_with"):
            earlier = Plan.objects.filter(reference=options["compare_with"].strip()).first()
            if earlier is None:
                raise CommandError(_("Không có kế hoạch %(plan)s.") % {"plan": options["compare_with"]})
            comparison = compare_with_earlier(current=result, earlier=earlier)
            self.stdout.write(json.dumps(comparison.to_json(), ensure_ascii=False, indent=1))
            return
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{unit.name} – {result.plan.reference} (theo {result.requested_plan.reference})")
        self.stdout.write(f"Số liệu tính đến {format_datetime(result.as_of)}")
        for code, value in result.totals.items():
            if value:
                rate = result.rates.get(code)
                extra = f"  ({format_percent(rate)})" if rate is not None else ""
                self.stdout.write(f"  {code:40} {format_number(value):>10}{extra}")
        self.stdout.write(f"Đã báo cáo: {result.submitted_count}/{result.assigned_count}, "
                          f"đúng hạn {result.on_time_count}")
        self.stdout.write("Chậm: " + "; ".join(r.name for r in result.late))
        self.stdout.write("Chưa báo cáo: " + "; ".join(r.name for r in result.missing))
        self.stdout.write("Dưới mức chung: " + "; ".join(str(b) for b in result.below_average))
