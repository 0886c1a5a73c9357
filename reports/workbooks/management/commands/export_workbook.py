"""manage.py export_workbook --plan 132-HD/BTGTU --unit tam-duong-khun-ha -o f.xlsx [--district]"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.plans.selectors import plan_assigned_units, plan_for_unit, plan_unit_answers
from reports.workbooks.export import (
    build_district_workbook,
    build_unit_workbook,
    district_workbook_filename,
    unit_workbook_filename,
)
from units.models import Unit


class Command(BaseCommand):
    help = ("Xuất tệp Excel của một đơn vị cho một kế hoạch (hoặc, với --district, tệp nhập nhiều đơn vị "
            "của các đơn vị trực thuộc). Mã kế hoạch được hiểu là kế hoạch mà đơn vị thực sự báo cáo "
            "(ví dụ công văn triển khai của huyện).")

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Số, ký hiệu kế hoạch, ví dụ 132-HD/BTGTU")
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ tam-duong-khun-ha")
        parser.add_argument("--district", action="store_true",
                            help="Tệp nhập nhiều đơn vị: một dòng cho mỗi đơn vị phải báo cáo theo kế hoạch của "
                                 "đơn vị này")
        parser.add_argument("-o", "--output", help="Tên tệp ghi ra (mặc định theo kế hoạch và đơn vị)")

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{options['unit']}”.")
        if options["district"]:
            # The district file is for the plan the unit issued (its relay) to its own units.
            plan = plan_for_unit(reference=options["plan"], unit=unit) or plan_unit_answers(
                reference=options["plan"], unit=unit)
            if plan is None:
                raise CommandError(f"Đơn vị “{unit.name}” không có kế hoạch nào ứng với {options['plan']}.")
            units = [u for u in plan_assigned_units(plan) if u.path.startswith(unit.path)]
            data = build_district_workbook(plan=plan, units=units, root=unit)
            name = options["output"] or district_workbook_filename(plan, unit)
            what = f"{len(units)} đơn vị"
        else:
            plan = plan_unit_answers(reference=options["plan"], unit=unit)
            if plan is None:
                raise CommandError(f"“{unit.name}” không phải báo cáo theo {options['plan']}.")
            data = build_unit_workbook(plan=plan, unit=unit)
            name = options["output"] or unit_workbook_filename(plan, unit)
            what = unit.name
        Path(name).write_bytes(data)
        self.stdout.write(f"Đã ghi {name}: {plan} – {what} ({len(data)} byte)")
