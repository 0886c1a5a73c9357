"""`manage.py verify_pdf file.pdf`: is the signature valid, who signed, when, changed since, register entry.

Exit status 0 only for a fully valid file: every signature intact, valid, chaining to a trusted root,
nothing changed after it (except the issuance recognised precisely: number, date and seal), and for
an issued file the number, date and certificates the register holds.
"""
from __future__ import annotations

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.formatting import format_date_short, format_datetime
from reports.signing.selectors import verify_upload


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số của tệp PDF (thoát với mã khác 0 khi không hợp lệ)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp PDF cần kiểm tra")
        parser.add_argument("--number", default="", help="số, ký hiệu văn bản để đối chiếu (164-BC/BTGHU)")

    def handle(self, *args, **options):
        for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s") % {"path": path})
        verification = verify_upload(data=path.read_bytes(), number=options["number"])
        result = verification.result
        out = self.stdout
        out.write(_("Tệp: %(path)s") % {"path": path})
        out.write(f"SHA-256: {result.sha256}")
        for n, sig in enumerate(result.signatures, 1):
            when = format_datetime(sig.signing_time) if sig.signing_time else "–"
            yes, no = _("có"), _("KHÔNG")
            out.write(_("Chữ ký %(n)s: %(name)s") % {"n": n, "name": sig.signer_name or "–"})
            out.write(_("  Cấp bởi: %(issuer)s") % {"issuer": sig.issuer or "–"})
            out.write(_("  Thời điểm ký: %(when)s") % {"when": when}
                      + (_(" (dấu thời gian)") if sig.timestamped else ""))
            out.write(_("  Toàn vẹn: %(intact)s; chứng thư tin cậy: %(trusted)s; sửa sau khi ký: %(changed)s") % {
                "intact": yes if sig.intact and sig.valid else no, "trusted": yes if sig.trusted else no,
                "changed": _("CÓ") if sig.changed_after else _("không")})
            if sig.chain:
                out.write(_("  Chuỗi chứng thư: %(chain)s") % {"chain": " → ".join(sig.chain)})
            out.write(_("  Thay đổi sau chữ ký này: %(after)s") % {"after": sig.after or _("không có")})
            if sig.reason:
                out.write(_("  Lý do ký: %(reason)s") % {"reason": sig.reason})
            for problem in sig.problems:
                out.write(f"  ! {problem}")
            for note in sig.notes:
                out.write(f"  * {note}")
        entry = verification.entry
        if entry is not None:
            how = {"sha256": _("khớp SHA-256"), "number": _("khớp số văn bản")}[verification.matched_by]
            if verification.exact_copy:
                how += _(", trùng từng byte với bản lưu")
            out.write(_("Sổ đăng ký: %(reference)s, ngày %(date)s, %(body)s, người ký %(signer)s (%(how)s)") % {
                "reference": entry.reference, "date": format_date_short(entry.issued_on),
                "body": entry.issuing_body.name, "signer": entry.signer_name, "how": how})
        else:
            out.write(_("Sổ đăng ký: không tìm thấy văn bản này."))
        for problem in verification.problems:
            out.write(f"! {problem}")
        if verification.ok:
            out.write(self.style.SUCCESS(_("HỢP LỆ: %(message)s") % {"message": verification.message}))
            return
        raise CommandError(_("KHÔNG HỢP LỆ: %(message)s") % {"message": verification.message})
