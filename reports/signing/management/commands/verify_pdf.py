"""`manage.py verify_pdf file.pdf`: is the signature valid, who signed, when, changed since, register entry.

Exit status 0 only when every signature is intact, valid and chains to a trusted root.
"""
from __future__ import annotations

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.formatting import format_date_short, format_datetime


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số của tệp PDF (thoát với mã khác 0 khi không hợp lệ)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp PDF cần kiểm tra")
        parser.add_argument("--number", default="", help="số, ký hiệu văn bản để đối chiếu (164-BC/BTGHU)")

    def handle(self, *args, **options):
        from reports.signing.selectors import verify_upload

        for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        verification = verify_upload(data=path.read_bytes(), number=options["number"])
        result = verification.result
        out = self.stdout
        out.write(f"Tệp: {path}")
        out.write(f"SHA-256: {result.sha256}")
        for n, sig in enumerate(result.signatures, 1):
            when = format_datetime(sig.signing_time) if sig.signing_time else "–"
            out.write(f"Chữ ký {n}: {sig.signer_name or '–'}")
            out.write(f"  Cấp bởi: {sig.issuer or '–'}")
            out.write(f"  Thời điểm ký: {when}{' (dấu thời gian)' if sig.timestamped else ''}")
            out.write(f"  Toàn vẹn: {'có' if sig.intact and sig.valid else 'KHÔNG'}; "
                      f"chứng thư tin cậy: {'có' if sig.trusted else 'KHÔNG'}; "
                      f"sửa sau khi ký: {'CÓ' if sig.changed_after else 'không'}")
            if sig.reason:
                out.write(f"  Lý do ký: {sig.reason}")
            for problem in sig.problems:
                out.write(f"  ! {problem}")
        entry = verification.entry
        if entry is not None:
            how = {"sha256": "khớp SHA-256", "number": "khớp số văn bản"}[verification.matched_by]
            out.write(f"Sổ đăng ký: {entry.reference}, ngày {format_date_short(entry.issued_on)}, "
                      f"{entry.issuing_body.name}, người ký {entry.signer_name} ({how}"
                      f"{', trùng từng byte với bản lưu' if verification.exact_copy else ''})")
        else:
            out.write("Sổ đăng ký: không tìm thấy văn bản này.")
        if result.ok:
            out.write(self.style.SUCCESS(f"HỢP LỆ: {result.message}"))
            return
        raise CommandError(f"KHÔNG HỢP LỆ: {result.message}")
