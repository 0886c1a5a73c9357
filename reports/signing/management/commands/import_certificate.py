"""`manage.py import_certificate --p12 FILE --passphrase-env VAR (--user NAME | --issuing-body CODE)`.

Stores a real PKCS#12 signing certificate for a leader or for an issuing body's seal. The passphrase
is read from the environment variable VAR now (to check the archive opens) and at every signing;
it is never stored. `--trust-root ca.pem` adds the issuing authority's root certificate to the
roots that verification trusts.
"""
from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from units.models import IssuingBody


class Command(BaseCommand):
    help = "Nạp chứng thư ký số (PKCS#12) cho lãnh đạo hoặc cơ quan ban hành; mật khẩu lấy từ biến môi trường."

    def add_arguments(self, parser):
        parser.add_argument("--p12", required=True, help="tệp PKCS#12 (.p12, .pfx)")
        parser.add_argument("--passphrase-env", required=True, help="tên biến môi trường chứa mật khẩu")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--user", help="tài khoản lãnh đạo (chứng thư cá nhân)")
        owner.add_argument("--issuing-body", help="mã cơ quan ban hành (chứng thư của cơ quan)")
        parser.add_argument("--trust-root", help="tệp PEM chứng thư gốc của tổ chức cấp chứng thư")

    def handle(self, *args, **options):
        from reports.signing.models import SigningCertificate
        from reports.signing.services import certificate_import, trust_root_add

        path = Path(options["p12"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s") % {"path": path})
        variable = options["passphrase_env"]
        if variable not in os.environ:
            raise CommandError(_("Chưa đặt biến môi trường %(name)s.") % {"name": variable})
        kwargs = {}
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Không có tài khoản %(user)s.") % {"user": options["user"]})
            kwargs = {"kind": SigningCertificate.Kind.PERSONAL, "user": user}
        else:
            body = IssuingBody.objects.filter(code=options["issuing_body"]).first()
            if body is None:
                raise CommandError(_("Không có cơ quan ban hành mã %(code)s.") % {"code": options["issuing_body"]})
            kwargs = {"kind": SigningCertificate.Kind.ORGANISATION, "issuing_body": body}
        try:
            if options.get("trust_root"):
                trust_root_add(certificate_pem=Path(options["trust_root"]).read_text())
            certificate = certificate_import(pkcs12_data=path.read_bytes(), passphrase=os.environ[variable].encode(),
                                             passphrase_env=variable, **kwargs)
        except (ValidationError, ValueError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(_("Đã nạp chứng thư %(subject)s (hiệu lực đến %(date)s).")
                          % {"subject": certificate.subject, "date": format_date_short(certificate.not_after.date())})
