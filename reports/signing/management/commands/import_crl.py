"""`manage.py import_crl FILE [FILE …]`: hold a CA's certificate revocation list (PEM or DER).

The server works offline and never fetches revocation data; a deployment imports the CRLs of its
CAs (Ban Cơ yếu Chính phủ publishes them) daily, e.g. from cron. A CRL not signed by a trusted root
or a kept intermediate CA is refused and nothing is saved (exit status 1).
"""
from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.signing import pki
from reports.signing.services import crl_import


class Command(BaseCommand):
    help = "Nhập danh sách chứng thư bị thu hồi (CRL, PEM hoặc DER) của tổ chức cấp chứng thư."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="tệp CRL (.crl, PEM hoặc DER)")

    def handle(self, *args, **options):
        failed = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(_("Không tìm thấy tệp %(path)s") % {"path": path})
            try:
                held = crl_import(data=path.read_bytes())
            except ValidationError as exc:
                failed += 1
                self.stderr.write(_("%(path)s: %(why)s") % {"path": path, "why": " ".join(exc.messages)})
                continue
            state = _("đang dùng") if held.is_current else _("lưu lịch sử (đã có CRL mới hơn)")
            self.stdout.write(_("%(path)s: CRL của %(issuer)s, phát hành %(this)s, cập nhật tiếp %(next)s, "
                                "%(n)s chứng thư bị thu hồi – %(state)s.") % {
                "path": path, "issuer": held.issuer, "this": pki.revocation_moment(held.this_update),
                "next": pki.revocation_moment(held.next_update), "n": held.revoked_count, "state": state})
        if failed:
            raise CommandError(_("%(n)s tệp CRL không nhập được.") % {"n": failed})
