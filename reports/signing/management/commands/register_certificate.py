"""`manage.py register_certificate --cert leader.cer (--user NAME | --issuing-body CODE) [--chain ca.p7b]
[--trust-root ca.pem]`.

Registers a public certificate (PEM or DER, as exported from the token or received from the
certificate authority) for a leader or văn thư, or for an issuing body's seal. `--cert` may also be
a bundle of the certificate with its intermediate CAs (PEM, .p7b, .p7c); `--chain` brings the
intermediates in a separate file. The chain must reach a trusted root. The private key stays
on the token or in the HSM: a file holding a private key is refused. `--trust-root` first adds the
authority's root certificate to the roots that verification trusts.
"""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.formatting import format_date_short
from reports.signing.models import SigningCertificate
from reports.signing.services import certificate_register, trust_root_add
from units.models import IssuingBody


class Command(BaseCommand):
    help = "Đăng ký chứng thư số công khai của lãnh đạo, văn thư hoặc cơ quan ban hành (không nhận khóa bí mật)."

    def add_arguments(self, parser):
        parser.add_argument("--cert", required=True,
                            help="tệp chứng thư (.cer, .crt, .pem), có thể kèm chứng thư trung gian (.pem, .p7b, .p7c)")
        parser.add_argument("--chain", help="tệp các chứng thư trung gian (.pem, .p7b, .p7c)")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--user", help="tài khoản người ký (chứng thư cá nhân)")
        owner.add_argument("--issuing-body", help="mã cơ quan ban hành (chứng thư của cơ quan)")
        parser.add_argument("--trust-root", help="tệp PEM chứng thư gốc của tổ chức cấp chứng thư")

    def handle(self, *args, **options):
        path = Path(options["cert"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s") % {"path": path})
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Không có tài khoản %(user)s.") % {"user": options["user"]})
            owner = {"kind": SigningCertificate.Kind.PERSONAL, "user": user}
        else:
            body = IssuingBody.objects.filter(code=options["issuing_body"]).first()
            if body is None:
                raise CommandError(_("Không có cơ quan ban hành mã %(code)s.") % {"code": options["issuing_body"]})
            owner = {"kind": SigningCertificate.Kind.ORGANISATION, "issuing_body": body}
        try:
            if options.get("trust_root"):
                trust_root_add(certificate_pem=Path(options["trust_root"]).read_text())
            chain = None
            if options.get("chain"):
                chain_path = Path(options["chain"])
                if not chain_path.is_file():
                    raise CommandError(_("Không tìm thấy tệp %(path)s") % {"path": chain_path})
                chain = chain_path.read_bytes()
            certificate = certificate_register(certificate=path.read_bytes(), chain=chain, **owner)
        except (ValidationError, ValueError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(_("Đã đăng ký chứng thư %(subject)s (hiệu lực đến %(date)s).")
                          % {"subject": certificate.subject, "date": format_date_short(certificate.not_after.date())})
