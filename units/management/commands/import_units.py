"""`manage.py import_units FILE [--dry-run]`: a whole reorganisation from one CSV, XLSX or JSON file, each row
with its date: units created, renamed, moved, merged (`dissolved_on` + `successor`), split (`dissolved_on` +
`split_into`) or dissolved, and issuing bodies that continue under new values or end (`type` = "body").
The format is in docs/history.md ("A reorganisation in one file") and `units/transfer.py`.

The whole file is checked first; if any row is wrong, every error is printed with its row and nothing is
saved (exit status 1). Then the changes are applied in one transaction: every conflict the services find
(dates, subordinate units left behind, activity it would orphan) is printed with its row and nothing is
saved. `--dry-run` lists every change and every conflict and saves nothing.
"""
from __future__ import annotations

from argparse import RawDescriptionHelpFormatter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.services import units_import, units_import_try
from units.transfer import ImportFileError, import_plan, read_file

FORMAT_HELP = """\
Mỗi dòng một đơn vị (cột code, name, kind, parent, valid_from; tùy chọn short_name, dissolved_on, successor,
split_into) hoặc một cơ quan ban hành (cột type = body). Mỗi thay đổi có ngày hiệu lực của nó:
  - thành lập: dòng có mã mới; đổi tên, đổi loại, chuyển cấp trên: dòng có mã đã có, valid_from là ngày đổi;
  - sáp nhập, hợp nhất: dissolved_on = ngày, successor = mã đơn vị kế thừa (đã có hoặc dòng mới trong tệp);
  - chia tách: dissolved_on = ngày, split_into = "ma-moi-1;ma-moi-2" (mỗi mã là một dòng đơn vị mới cùng ngày,
    cùng cấp trên); các đơn vị trực thuộc ghi parent là đơn vị mới nhận chúng, valid_from là ngày chia tách;
  - giải thể: dissolved_on = ngày, không có successor;
  - cơ quan ban hành: type = body, code = mã giai đoạn mới, predecessor = mã cơ quan cũ, valid_from = ngày, và các
    giá trị thay đổi (name, unit, citation_name, superior_line, own_line, board_line, place_name, code_suffix,
    signer_authority, signer_title, signer_name, recipients: các nơi nhận cách nhau bởi "|"); hoặc
    type = body, code = mã cơ quan, dissolved_on = ngày thôi ban hành văn bản.
Văn bản đã ban hành giữ tên và số cũ (132-HD/BTGTU). Tất cả hoặc không: có một lỗi hay xung đột thì không lưu gì."""


class Command(BaseCommand):
    help = "Nhập một cuộc sắp xếp tổ chức từ tệp CSV, XLSX hoặc JSON (đơn vị và cơ quan ban hành)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        parser.epilog = FORMAT_HELP
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .csv, .xlsx hoặc .json")
        parser.add_argument("--user", help="Tên đăng nhập người thực hiện (chỉ được sửa đơn vị mình quản trị).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ kiểm tra: liệt kê mọi thay đổi và mọi xung đột, không lưu.")

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
        summary = _("%(new)s đơn vị mới, %(renamed)s đổi tên, %(moved)s chuyển cấp trên, %(split)s chia tách, "
                    "%(dissolved)s giải thể hoặc sáp nhập, %(bodies)s thay đổi cơ quan ban hành, "
                    "%(same)s giữ nguyên") % {
            "new": len(plan.creates), "renamed": len(plan.renames), "moved": len(plan.moves),
            "split": len(plan.splits), "dissolved": len(plan.dissolves), "bodies": len(plan.bodies),
            "same": plan.unchanged}
        if dry_run:
            for line in plan.describe():
                self.stdout.write("  " + line)
            conflicts = units_import_try(plan=plan, user=actor)
            for message in conflicts:
                self.stderr.write(_("Xung đột: %(message)s") % {"message": message})
            if conflicts:
                raise CommandError(_("Tệp không áp dụng được (%(n)s xung đột); chưa lưu thay đổi nào (--dry-run).")
                                   % {"n": len(conflicts)})
            self.stdout.write(_("Tệp hợp lệ (%(n)s %(word)s): sẽ có %(summary)s. Chưa lưu (--dry-run).")
                              % {"n": len(rows), "word": word, "summary": summary})
            return
        if plan.change_count == 0:
            self.stdout.write(_("0 thay đổi: %(n)s đơn vị trong tệp trùng khớp với hệ thống.") % {"n": len(rows)})
            return
        try:
            units_import(plan=plan, user=actor)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(_("Xung đột: %(message)s") % {"message": message})
            raise CommandError(_("Không nhập được (%(n)s xung đột), chưa lưu thay đổi nào.")
                               % {"n": len(exc.messages)}) from exc
        self.stdout.write(self.style.SUCCESS(_("Đã nhập: %(summary)s (%(n)s thay đổi).")
                                             % {"summary": summary, "n": plan.change_count}))
