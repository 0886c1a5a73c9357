"""`manage.py import_units FILE [--dry-run]`: create, rename, move and dissolve units (a whole reorganisation,
each row with its date) as a CSV, XLSX or JSON file says; `--dry-run` lists every change and the conflicts.

The whole file is checked first; if any row is wrong, every error is printed with its row and
nothing is saved (exit status 1).
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.services import units_import, units_import_try
from units.transfer import ImportFileError, import_plan, read_file


class Command(BaseCommand):
    help = ("Nhập đơn vị từ tệp CSV, XLSX hoặc JSON (cột: code, name, kind, parent, valid_from, short_name). "
            "Kiểm tra toàn bộ tệp trước; có lỗi thì không lưu gì.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .csv, .xlsx hoặc .json")
        parser.add_argument("--user", help="Tên đăng nhập người thực hiện (chỉ được sửa đơn vị mình quản trị).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu.")

    def handle(self, *args, file, user=None, dry_run=False, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("Không có người dùng “%(user)s”.") % {"user": user})
        try:
            word, rows = read_file(file)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        plan, errors = import_plan(rows, word=word, user=actor)
        if errors:
            for message in errors:
                self.stderr.write(message)
            raise CommandError(_("Tệp có %(n)s lỗi; chưa lưu thay đổi nào.") % {"n": len(errors)})
        summary = _("%(new)s đơn vị mới, %(renamed)s đổi tên, %(moved)s chuyển cấp trên, %(dissolved)s giải thể, "
                    "%(same)s giữ nguyên") % {
            "new": len(plan.creates), "renamed": len(plan.renames), "moved": len(plan.moves),
            "dissolved": len(plan.dissolves), "same": plan.unchanged}
        if dry_run:
            for line in plan.describe():
                self.stdout.write("  " + line)
            conflicts = units_import_try(plan=plan, user=actor)
            for message in conflicts:
                self.stderr.write(_("Xung đột: %(message)s") % {"message": message})
            if conflicts:
                raise CommandError(_("Tệp không áp dụng được; chưa lưu thay đổi nào (--dry-run)."))
            self.stdout.write(_("Tệp hợp lệ (%(n)s %(word)s): sẽ có %(summary)s. Chưa lưu (--dry-run).")
                              % {"n": len(rows), "word": word, "summary": summary})
            return
        if plan.change_count == 0:
            self.stdout.write(_("0 thay đổi: %(n)s đơn vị trong tệp trùng khớp với hệ thống.") % {"n": len(rows)})
            return
        try:
            units_import(plan=plan, user=actor)
        except ValidationError as exc:
            raise CommandError(_("Không nhập được, chưa lưu thay đổi nào: %(errors)s")
                               % {"errors": "; ".join(exc.messages)}) from exc
        self.stdout.write(self.style.SUCCESS(_("Đã nhập: %(summary)s (%(n)s thay đổi).")
                                             % {"summary": summary, "n": plan.change_count}))
