"""`manage.py render_report --plan 132-HD/BTGTU --unit tam-duong -o report.pdf [--xlsx bieu.xlsx]`.

Gets (or creates, as a reviewer of the unit, from the roll-up) the unit's consolidated report for the
plan and writes it as a PDF in the official layout (through the PDF cache) and, with ``--xlsx``, its
attached tables (Biểu) as an Excel workbook. ``--plan-pdf`` renders the plan itself (seed 003) instead.
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.documents.pdf.adapters import plan_print
from reports.documents.pdf.cache import cached_render
from reports.documents.pdf.render import PrintError
from reports.documents.pdf.xlsx import tables_xlsx
from reports.documents.printing import report_print_document
from reports.documents.selectors import report_for_plan
from reports.documents.services import report_get_or_create
from reports.plans.models import Plan
from reports.plans.selectors import plan_resolve_for_unit
from units.models import Staff, Unit


def _reviewer(unit):
    staff = Staff.objects.filter(unit=unit, is_reviewer=True).select_related("user").order_by("pk").first()
    if staff is None:
        raise CommandError(_("Đơn vị %(unit)s không có cán bộ tổng hợp để lập báo cáo.") % {"unit": unit.name})
    return staff.user


def report_get_or_create_for(*, plan_reference: str, unit_code: str):
    """The report of the unit for the plan, created by the unit's first reviewer when there is none."""
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise CommandError(_("Không có đơn vị mã %(code)s.") % {"code": unit_code})
    plan = plan_resolve_for_unit(reference=plan_reference, unit=unit)
    if plan is None:
        raise CommandError(_("Không có văn bản %(ref)s mà %(unit)s ban hành hoặc phải báo cáo.")
                           % {"unit": unit.name, "ref": plan_reference})
    report = report_for_plan(plan=plan, unit=unit)
    if report is not None:
        return report
    try:
        return report_get_or_create(plan=plan, unit=unit, user=_reviewer(unit))
    except Exception as exc:  # ValidationError / PermissionDenied with a Vietnamese message
        message = getattr(exc, "messages", None) or [str(exc)]
        raise CommandError("; ".join(str(m) for m in message)) from exc


class Command(BaseCommand):
    help = "Tạo tệp PDF (và tệp Excel các biểu) của báo cáo tổng hợp của một đơn vị theo một văn bản."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="số, ký hiệu văn bản (132-HD/BTGTU)")
        parser.add_argument("--unit", help="mã đơn vị (tam-duong); không cần với --plan-pdf")
        parser.add_argument("-o", "--output", help="tệp PDF ghi ra")
        parser.add_argument("--xlsx", help="tệp Excel các biểu ghi ra")
        parser.add_argument("--plan-pdf", action="store_true", help="in chính văn bản kế hoạch (không phải báo cáo)")

    def handle(self, *args, **options):
        if not options.get("output") and not options.get("xlsx"):
            raise CommandError(_("Cần -o tệp.pdf và/hoặc --xlsx tệp.xlsx."))
        if options["plan_pdf"]:
            if options.get("unit"):
                # The reference among the plans the unit sends or answers (every district has a 120-CV/BTGHU).
                unit = Unit.objects.filter(code=options["unit"]).first()
                plan = plan_resolve_for_unit(reference=options["plan"], unit=unit) if unit else None
            else:
                found = list(Plan.objects.filter(reference=options["plan"].strip()).select_related("issuing_body")
                             .order_by("-issued_on", "-pk")[:2])
                if len(found) > 1:
                    raise CommandError(_("Có nhiều văn bản số %(ref)s (của các cơ quan khác nhau); hãy cho biết "
                                         "--unit mã đơn vị ban hành.") % {"ref": options["plan"]})
                plan = found[0] if found else None
            if plan is None:
                raise CommandError(_("Không có văn bản %(ref)s.") % {"ref": options["plan"]})
            doc = plan_print(plan)
        else:
            if not options.get("unit"):
                raise CommandError(_("Cần --unit mã đơn vị."))
            report = report_get_or_create_for(plan_reference=options["plan"], unit_code=options["unit"])
            doc = report_print_document(report)
        try:
            if options.get("output"):
                cached = cached_render(doc)
                Path(options["output"]).write_bytes(cached.read_bytes())
                state = _("bộ nhớ đệm") if cached.hit else _("vừa tạo")
                self.stdout.write(_("%(file)s: %(pages)s trang (%(state)s)")
                                  % {"file": options["output"], "pages": cached.pages, "state": state})
            if options.get("xlsx"):
                Path(options["xlsx"]).write_bytes(tables_xlsx(doc))
                self.stdout.write(_("%(file)s: %(n)s biểu") % {"file": options["xlsx"], "n": len(doc.tables)})
        except PrintError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(_("Không ghi được tệp: %(err)s") % {"err": exc}) from exc
