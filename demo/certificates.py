"""Demo step: a demo certificate authority, demo signing certificates, the demo register start.

Everything is named "DEMO – Không có giá trị pháp lý". The PKCS#12 archives use the demo
passphrase, so `sign_report` works on the demo with no environment variable set. Idempotent: when
every demo signer already has an active demo certificate nothing is re-issued.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from core.formatting import person_name
from reports.signing import pki
from reports.signing.models import SigningCertificate
from reports.signing.services import (
    certificate_import,
    register_counter_set_start,
    register_period,
    trust_root_add,
)
from units.models import IssuingBody

# Leaders who sign, and issuing bodies that add their organisation's signature (the seal).
DEMO_SIGNERS = ["tam-duong.leader", "lai-chau.leader", "ha-tinh-khoi.leader"]
DEMO_SEALS = ["tam-duong-btg", "lai-chau-btg", "ha-tinh-khoi-duk"]
# Seed 004 is "Số 164-BC/BTGHU, ngày 30 tháng 10 năm 2023": numbers 1..163 of 2023 were given on paper.
DEMO_REGISTER_START = ("tam-duong-btg", dt.date(2023, 10, 30), 163)


def seed_certificates(stdout=None) -> None:
    User = get_user_model()
    users = list(User.objects.filter(username__in=DEMO_SIGNERS).select_related("staff__unit"))
    bodies = list(IssuingBody.objects.filter(code__in=DEMO_SEALS))
    with transaction.atomic():
        have_users = set(SigningCertificate.objects.filter(
            is_demo=True, is_active=True, user__in=users).values_list("user_id", flat=True))
        have_bodies = set(SigningCertificate.objects.filter(
            is_demo=True, is_active=True, issuing_body__in=bodies).values_list("issuing_body_id", flat=True))
        missing = [u for u in users if u.pk not in have_users] + [b for b in bodies if b.pk not in have_bodies]
        if missing:
            ca = pki.create_ca()
            trust_root_add(certificate_pem=ca.pem, is_demo=True)
            for user in users:
                staff = getattr(user, "staff", None)
                issued = pki.issue_certificate(
                    ca=ca, common_name=f"{person_name(user)} (DEMO)",
                    organisation=staff.unit.name if staff else pki.DEMO_MARK, unit=pki.DEMO_MARK,
                )
                data = pki.to_pkcs12(issued, chain=[ca.certificate], passphrase=pki.DEMO_PASSPHRASE,
                                     name=user.username)
                certificate_import(pkcs12_data=data, passphrase=pki.DEMO_PASSPHRASE.encode(),
                                   kind=SigningCertificate.Kind.PERSONAL, user=user, is_demo=True)
            for body in bodies:
                issued = pki.issue_certificate(
                    ca=ca, common_name=f"{body.name} (DEMO)", organisation=body.name, unit=pki.DEMO_MARK,
                )
                data = pki.to_pkcs12(issued, chain=[ca.certificate], passphrase=pki.DEMO_PASSPHRASE, name=body.code)
                certificate_import(pkcs12_data=data, passphrase=pki.DEMO_PASSPHRASE.encode(),
                                   kind=SigningCertificate.Kind.ORGANISATION, issuing_body=body, is_demo=True)
        code, on, start = DEMO_REGISTER_START
        body = IssuingBody.objects.filter(code=code).first()
        if body is not None:
            register_counter_set_start(
                issuing_body=body, period=register_period(on), starting_number=start,
                note="Các số 01–163 năm 2023 đã cấp trên sổ giấy trước khi dùng hệ thống (dữ liệu demo).",
            )
    if stdout is not None:
        stdout.write(f"  chứng thư demo: {len(users)} người ký, {len(bodies)} cơ quan"
                     f"{' (cấp mới)' if missing else ' (đã có)'}")
