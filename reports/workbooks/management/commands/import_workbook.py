"""manage.py import_workbook f.xlsx --user NAME [--dry-run]

Prints the changes (or every error); the LAST line starts with the number of values changed
(or that would change): "0 giá trị thay đổi". Exits 1 when the file has errors (nothing saved).
"""
from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.workbooks.services import workbook_import


class Command(BaseCommand):
    help = "Nhập tệp Excel báo cáo (kiểm tra toàn bộ tệp trước; có lỗi thì không lưu gì)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="Tên đăng nhập của người nhập")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và liệt kê thay đổi, không lưu")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{options['user']}”.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        analysis = workbook_import(data=path.read_bytes(), filename=path.name, user=user,
                                   dry_run=options["dry_run"])
        out = self.stdout
        if analysis.plan is not None:
            who = analysis.unit.name if analysis.unit else ""
            out.write(f"Tệp {path.name}: {analysis.plan} – {who} ({analysis.units_read} đơn vị)")
        for warning in analysis.warnings:
            out.write(f"Cảnh báo: {warning}")
        if not analysis.ok:
            for error in analysis.errors:
                out.write(f"Lỗi: {error}")
            out.write(f"0 giá trị thay đổi – tệp có {len(analysis.errors)} lỗi, không lưu gì.")
            out.flush()
            sys.exit(1)
        for change in analysis.changes:
            out.write(f"{change.unit_name} | {change.sheet}!{change.cell} | {change.label}: "
                      f"{change.old} → {change.new}")
        count = analysis.changed_count
        if options["dry_run"]:
            out.write(f"{count} giá trị sẽ thay đổi (chạy thử, chưa lưu).")
        else:
            out.write(f"{count} giá trị thay đổi" + (" – đã lưu." if count else "."))
