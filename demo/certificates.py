"""Demo step: a SoftHSM2 token with the demo signers' keys, a demo CA, their public certificates.

The token lives in DEMO_TOKEN_DIR (var/softhsm: its own softhsm2.conf and token directory, never
/etc) with label DEMO_TOKEN_LABEL and PIN DEMO_TOKEN_PIN. Keys are generated on the token (not
extractable): the leaders', the văn thư's and the seals' (the seals are what the server's "HSM"
uses in the demo). The database gets only the public certificates, named "DEMO – Không có giá trị
pháp lý". Idempotent: a holder whose active demo certificate has its key on the token is skipped.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from agent.pkcs11token import (
    TokenConfig,
    certificate_ids,
    find_module,
    generate_rsa_key,
    open_session,
    store_certificate,
)
from core.formatting import person_name
from reports.signing import hsm, pki
from reports.signing.models import SigningCertificate
from reports.signing.services import (
    certificate_register,
    register_counter_set_start,
    register_period,
    trust_root_add,
)
from units.models import IssuingBody

# Leaders who sign, văn thư who issue (both on their own token in real life), and issuing bodies
# whose organisation signature (the seal) is made in the HSM.
DEMO_SIGNERS = ["tam-duong.leader", "lai-chau.leader", "ha-tinh-khoi.leader",
                "tam-duong.clerk", "lai-chau.clerk", "ha-tinh-khoi.clerk"]
DEMO_SEALS = ["tam-duong-btg", "lai-chau-btg", "ha-tinh-khoi-duk"]
# Seed 004 is "Số 164-BC/BTGHU, ngày 30 tháng 10 năm 2023": numbers 1..163 of 2023 were given on paper.
DEMO_REGISTER_START = ("tam-duong-btg", dt.date(2023, 10, 30), 163)
SO_PIN = "12345678"  # the demo token's security officer PIN


class DemoTokenError(RuntimeError):
    pass


def ensure_demo_token() -> Path:
    """Create the demo SoftHSM2 token when missing; return its softhsm2.conf (SOFTHSM2_CONF set)."""
    if shutil.which("softhsm2-util") is None:
        raise DemoTokenError("softhsm2-util is missing: install Debian's softhsm2 (scripts/setup.sh does)")
    base = Path(settings.DEMO_TOKEN_DIR)
    tokens = base / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = hsm.demo_token_conf()
    if not conf.exists():
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
                        "slots.removable = false\n")
    hsm.use_demo_token_conf()
    env = {"SOFTHSM2_CONF": str(conf), "PATH": "/usr/bin:/bin"}
    ready = base / "token-ready"  # written once the token exists: never initialise a second one
    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            slots = subprocess.run(["softhsm2-util", "--show-slots"], capture_output=True, text=True, env=env)
            labels = [line.split(":", 1)[1].strip() for line in slots.stdout.splitlines()
                      if line.strip().startswith("Label:")]
            if slots.returncode != 0:
                raise DemoTokenError(f"softhsm2-util --show-slots failed: {slots.stderr.strip()}")
            if settings.DEMO_TOKEN_LABEL not in labels:
                done = subprocess.run(["softhsm2-util", "--init-token", "--free", "--label",
                                       settings.DEMO_TOKEN_LABEL, "--pin", settings.DEMO_TOKEN_PIN, "--so-pin", SO_PIN],
                                      capture_output=True, text=True, env=env)
                if done.returncode != 0:
                    raise DemoTokenError(f"softhsm2-util --init-token failed: {done.stderr.strip()}")
            ready.write_text(settings.DEMO_TOKEN_LABEL + "\n")
    return conf


def seed_certificates(stdout=None) -> None:
    ensure_demo_token()
    User = get_user_model()
    users = list(User.objects.filter(username__in=DEMO_SIGNERS).select_related("staff__unit"))
    bodies = list(IssuingBody.objects.filter(code__in=DEMO_SEALS))
    config = TokenConfig(module=find_module(), token_label=settings.DEMO_TOKEN_LABEL)
    issued = 0
    with open_session(config, settings.DEMO_TOKEN_PIN, rw=True) as session, transaction.atomic():
        on_token = set(certificate_ids(session))
        active = {(c.user_id, c.issuing_body_id): c for c in SigningCertificate.objects.filter(is_demo=True,
                                                                                              is_active=True)}

        def has_key(owner) -> bool:
            cert = active.get(owner)
            return cert is not None and pki.der_of(pki.load_pem(cert.certificate_pem)) in on_token

        missing = [u for u in users if not has_key((u.pk, None))] + [b for b in bodies if not has_key((None, b.pk))]
        if missing:
            ca = pki.create_ca()
            trust_root_add(certificate_pem=ca.pem, is_demo=True)
            for holder in missing:
                if isinstance(holder, IssuingBody):
                    label, common, organisation = holder.code, f"{holder.name} (DEMO)", holder.name
                else:
                    staff = getattr(holder, "staff", None)
                    label, common = holder.username, f"{person_name(holder)} (DEMO)"
                    organisation = staff.unit.name if staff else pki.DEMO_MARK
                key_id, modulus, exponent = generate_rsa_key(session, label=label)
                cert = pki.issue_certificate(ca=ca, common_name=common, organisation=organisation, unit=pki.DEMO_MARK,
                                             public_key=pki.rsa_public_key(modulus, exponent)).certificate
                store_certificate(session, label=label, key_id=key_id, der=pki.der_of(cert))
                if isinstance(holder, IssuingBody):
                    SigningCertificate.objects.filter(issuing_body=holder, is_demo=True).update(is_active=False)
                    certificate_register(certificate=pki.der_of(cert), kind=SigningCertificate.Kind.ORGANISATION,
                                         issuing_body=holder, is_demo=True)
                else:
                    SigningCertificate.objects.filter(user=holder, is_demo=True).update(is_active=False)
                    certificate_register(certificate=pki.der_of(cert), kind=SigningCertificate.Kind.PERSONAL,
                                         user=holder, is_demo=True)
                issued += 1
        code, on, start = DEMO_REGISTER_START
        body = IssuingBody.objects.filter(code=code).first()
        if body is not None:
            register_counter_set_start(
                issuing_body=body, period=register_period(on), starting_number=start,
                note="Các số 01–163 năm 2023 đã cấp trên sổ giấy trước khi dùng hệ thống (dữ liệu demo).",
            )
    if stdout is not None:
        stdout.write(f"  token demo {settings.DEMO_TOKEN_LABEL} (SoftHSM2, {settings.DEMO_TOKEN_DIR}): "
                     f"{len(users)} người ký, {len(bodies)} cơ quan ({issued} khóa mới)")
