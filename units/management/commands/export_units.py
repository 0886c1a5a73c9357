"""`manage.py export_units --root CODE --format json|csv|xlsx [--date YYYY-MM-DD] [-o FILE]`: a subtree to a file."""
from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.formatting import parse_date
from units.models import Unit
from units.transfer import FORMATS, export_rows, render


class Command(BaseCommand):
    help = "Xuất cây đơn vị (từ đơn vị gốc --root) ra JSON, CSV hoặc XLSX; nhập lại bằng import_units."

    def add_arguments(self, parser):
        parser.add_argument("--root", help="Mã đơn vị gốc của cây cần xuất (bỏ trống: toàn bộ).")
        parser.add_argument("--format", choices=FORMATS, help="json, csv hoặc xlsx (mặc định theo đuôi tệp, "
                                                              "không có thì json).")
        parser.add_argument("--date", help="Cây đơn vị như tại ngày này (YYYY-MM-DD): tên, loại và cấp trên khi đó.")
        parser.add_argument("-o", "--output", help="Tệp kết quả (bỏ trống: in ra màn hình).")

    def handle(self, *args, root=None, format=None, output=None, date=None, **options):
        fmt = format or (Path(output).suffix.lower().lstrip(".") if output else "json")
        if fmt not in FORMATS:
            raise CommandError(_("Định dạng “%(fmt)s” không hỗ trợ; chọn một trong: %(formats)s.")
                               % {"fmt": fmt, "formats": ", ".join(FORMATS)})
        root_unit = None
        if root:
            root_unit = Unit.objects.filter(code=root).first()
            if root_unit is None:
                raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": root})
        on = None
        if date:
            try:
                on = parse_date(date)
            except ValueError as exc:
                raise CommandError(_("Ngày “%(date)s” không hợp lệ (YYYY-MM-DD hoặc ngày/tháng/năm).")
                                   % {"date": date}) from exc
        data = render(export_rows(root=root_unit, on=on), fmt)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(_("Đã ghi %(path)s.") % {"path": output})
        elif fmt == "xlsx":
            self.stdout.flush()
            stream = getattr(self.stdout, "_out", sys.stdout)
            getattr(stream, "buffer", sys.stdout.buffer).write(data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
