"""Two leaders signing at the same moment get consecutive numbers, never the same one (PostgreSQL).

Runs with real commits (transactional_db) and real threads, each with its own connection. SQLite is
skipped: its single writer serialises the transactions anyway, and the sequential tests cover it.
"""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from reports.signing import pki, services
from reports.signing.models import RegisterEntry, SigningCertificate
from units.models import IssuingBody, Staff, Unit, UnitKind

THREADS = 4
PER_THREAD = 3


def _leader(ca, unit, username):
    user = get_user_model().objects.create(username=username, first_name="Lãnh", last_name="Đạo")
    Staff.objects.create(user=user, unit=unit, is_leader=True, title="Trưởng Ban")
    issued = pki.issue_certificate(ca=ca, common_name=f"{username} (DEMO)", organisation="Thử")
    data = pki.to_pkcs12(issued, chain=[ca.certificate], passphrase=pki.DEMO_PASSPHRASE, name=username)
    services.certificate_import(pkcs12_data=data, passphrase=b"demo", kind=SigningCertificate.Kind.PERSONAL,
                                user=user, is_demo=True)
    return user


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent signing is tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_signing_gives_consecutive_numbers(tiny_renderer):
    kind = UnitKind.objects.create(code="huyen-uy", name="Huyện ủy", level=1)
    unit = Unit.add_root(code="thu", name="Huyện ủy Thử", kind=kind)
    body = IssuingBody.objects.create(code="thu-btg", unit=unit, name="Ban Tuyên giáo Huyện ủy Thử",
                                      citation_name="Ban Tuyên giáo Huyện ủy", own_line="HUYỆN ỦY THỬ",
                                      place_name="Thử", code_suffix="BTGHU", signer_title="TRƯỞNG BAN",
                                      signer_name="Lãnh Đạo")
    ca = pki.create_ca()
    leaders = [_leader(ca, unit, f"thu.leader{n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    got: list[int] = []
    lock = threading.Lock()

    def work(user):
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                doc = services.document_issue(issuing_body=body, kind="BC", summary="Thử đồng thời", signer=user,
                                              render=tiny_renderer(), on=dt.date(2024, 3, 1))
                with lock:
                    got.append(doc.entry.number)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(user,)) for user in leaders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert sorted(got) == list(range(1, THREADS * PER_THREAD + 1))
    stored = sorted(RegisterEntry.objects.filter(issuing_body=body).values_list("number", flat=True))
    assert stored == list(range(1, THREADS * PER_THREAD + 1))
