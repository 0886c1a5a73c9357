"""Signing in tests as people do it: the leader through the demo token (the agent's own code), the
văn thư issuing (the seal in the demo "HSM", the same SoftHSM2 token). Nothing here is mocked."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model

from agent.client import sign_spec
from agent.pkcs11token import TokenConfig, find_module
from reports.signing import hsm, pdfsign, selectors, services
from reports.signing.rendering import RenderedPdf
from units.models import Staff

TINY_BOX = (330.0, 150.0, 552.0, 235.0)


def token_sign(request, *, pin: str | None = None) -> bytes:
    """What the agent does with a one-time link: sign the handed-out PDF on the demo token."""
    hsm.use_demo_token_conf()
    config = TokenConfig(module=find_module(), token_label=settings.DEMO_TOKEN_LABEL)
    return sign_spec(selectors.request_spec(request), bytes(request.pdf), services.appearance_for(request),
                     config=config, pin=settings.DEMO_TOKEN_PIN if pin is None else pin)


def clerk_of(unit):
    return Staff.objects.filter(unit=unit, is_clerk=True).select_related("user").first().user


def leader_signs(report, leader):
    request = services.leader_request_create(report=report, user=leader)
    return services.signature_accept(token=request.token, data=token_sign(request), user=leader)


def sign_and_issue(report, leader, *, clerk=None, on: dt.date | None = None):
    """Approved report → the leader's signature → the văn thư's issuance; the SignedDocument."""
    draft = leader_signs(report, leader)
    return services.draft_issue(draft=draft, user=clerk or clerk_of(report.unit), on=on)


def tiny_pdf(text: str = "Văn bản thử") -> RenderedPdf:
    """A small real PDF with the issuance fields (number and date lines) at the top."""
    from weasyprint import HTML

    html = (f"<p style='margin-top:40pt'>Số      -CV/X</p><p>ngày … tháng … năm …</p><h1>{text}</h1>"
            "<p>Phạm Thị Hải Đường</p>")
    pdf = pdfsign.add_issuance_fields(HTML(string=html).write_pdf(), number_box=(60, 740, 260, 760),
                                      date_box=(300, 740, 540, 760))
    return RenderedPdf(pdf=pdf, page=-1, box=TINY_BOX)


def issue_tiny(body, leader, on: dt.date, *, clerk=None, kind: str = "BC", summary: str = "Báo cáo thử"):
    """A small document of `body` signed by `leader` and issued by the body's văn thư on `on`."""
    request = services.document_request_create(issuing_body=body, user=leader, kind=kind, summary=summary,
                                                rendered=tiny_pdf(summary))
    draft = services.signature_accept(token=request.token, data=token_sign(request), user=leader)
    return services.draft_issue(draft=draft, user=clerk or clerk_of(body.unit), on=on)


def user(username: str):
    return get_user_model().objects.select_related("staff__unit").get(username=username)


def simple_signer(issued, ca):
    """A pyHanko signer from an in-memory key: only for files the tests forge (attackers, strangers)."""
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    store = SimpleCertificateStore()
    store.register(translate_pyca_cryptography_cert_to_asn1(ca.certificate))
    return SimpleSigner(signing_key=translate_pyca_cryptography_key_to_asn1(issued.key),
                        signing_cert=translate_pyca_cryptography_cert_to_asn1(issued.certificate),
                        cert_registry=store)
