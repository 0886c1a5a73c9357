"""Two văn thư issuing at the same moment get consecutive numbers, never the same one (PostgreSQL).

Runs with real commits (transactional_db) and real threads, each with its own connection; the
leaders sign on the demo SoftHSM2 token first, the seal is made in the same token acting as the HSM.
SQLite is skipped: its single writer serialises the transactions anyway, and the sequential tests cover it.
"""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections

from reports.signing import pki, services
from reports.signing.models import RegisterEntry, SigningCertificate
from tests.signing.helpers import tiny_pdf, token_sign
from units.models import IssuingBody, Staff, Unit, UnitKind

THREADS = 4
PER_THREAD = 3


def _enrol(ca, *, label: str, common_name: str, **owner):
    """A key generated on the demo token, its certificate stored next to it and registered."""
    from agent.pkcs11token import TokenConfig, find_module, generate_rsa_key, open_session, store_certificate
    from demo.certificates import ensure_demo_token

    ensure_demo_token()
    config = TokenConfig(module=find_module(), token_label=settings.DEMO_TOKEN_LABEL)
    with open_session(config, settings.DEMO_TOKEN_PIN, rw=True) as session:
        key_id, n, e = generate_rsa_key(session, label=label)
        cert = pki.issue_certificate(ca=ca, common_name=common_name, organisation="Thử",
                                     public_key=pki.rsa_public_key(n, e)).certificate
        store_certificate(session, label=label, key_id=key_id, der=pki.der_of(cert))
    services.certificate_register(certificate=pki.der_of(cert), is_demo=True, **owner)


def _person(unit, username, **roles):
    user = get_user_model().objects.create(username=username, first_name="Cán", last_name="Bộ")
    Staff.objects.create(user=user, unit=unit, title="Thử", **roles)
    return user


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent issuing is tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_consecutive_numbers(transactional_db):
    # The kinds are data: the transactional_db fixture (tests/conftest.py) reloads them after an earlier flush.
    kind = UnitKind.objects.get(code="huyen-uy")
    unit = Unit.add_root(code="thu", name="Huyện ủy Thử", kind=kind)
    body = IssuingBody.objects.create(code="thu-btg", unit=unit, name="Ban Tuyên giáo Huyện ủy Thử",
                                      citation_name="Ban Tuyên giáo Huyện ủy", own_line="HUYỆN ỦY THỬ",
                                      place_name="Thử", code_suffix="BTGHU", signer_title="TRƯỞNG BAN",
                                      signer_name="Lãnh Đạo")
    ca = pki.create_ca()
    services.trust_root_add(certificate_pem=ca.pem, is_demo=True)
    leader = _person(unit, "thu.leader", is_leader=True)
    _enrol(ca, label="thu.leader", common_name="thu.leader (DEMO)", kind=SigningCertificate.Kind.PERSONAL,
           user=leader)
    _enrol(ca, label="thu-btg", common_name="Ban Tuyên giáo Thử (DEMO)", kind=SigningCertificate.Kind.ORGANISATION,
           issuing_body=body)
    clerks = [_person(unit, f"thu.clerk{n}", is_clerk=True) for n in range(THREADS)]
    drafts = []
    for _ in range(THREADS * PER_THREAD):
        request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                    rendered=tiny_pdf())
        drafts.append(services.signature_accept(token=request.token, data=token_sign(request), user=leader))
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    got: list[int] = []
    lock = threading.Lock()

    def work(clerk, mine):
        try:
            barrier.wait()
            for draft in mine:
                doc = services.draft_issue(draft=draft, user=clerk, on=dt.date(2024, 3, 1))
                with lock:
                    got.append(doc.entry.number)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(clerk, drafts[n::THREADS])) for n, clerk in enumerate(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert sorted(got) == list(range(1, THREADS * PER_THREAD + 1))
    stored = sorted(RegisterEntry.objects.filter(issuing_body=body).values_list("number", flat=True))
    assert stored == list(range(1, THREADS * PER_THREAD + 1))
