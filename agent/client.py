"""The agent's side of the protocol (docs/signing.md): fetch the request, sign on the token, upload."""
from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from agent import PROTOCOL_VERSION
from agent.pdf import sign_pdf
from agent.pkcs11token import TokenConfig, TokenError, find_key_id, open_session, pyhanko_signer


@dataclass
class Outcome:
    ok: bool
    message: str


def _get(url: str, *, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "bars-sign-agent/1"}),
                                timeout=timeout) as response:
        return response.read()


def _post_pdf(url: str, data: bytes, *, timeout: float = 60) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/pdf", "User-Agent": "bars-sign-agent/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {"message": f"Máy chủ từ chối ({exc.code})."}


def fetch_request(request_url: str) -> dict:
    try:
        spec = json.loads(_get(request_url))
    except urllib.error.HTTPError as exc:
        raise TokenError("Liên kết ký đã hết hạn hoặc đã dùng; hãy bấm ký lại trên trang báo cáo.") from exc
    if spec.get("version") != PROTOCOL_VERSION:
        raise TokenError("Phiên bản trình ký không khớp với máy chủ; hãy cài lại trình ký.")
    return spec


def sign_spec(spec: dict, pdf: bytes, appearance: bytes | None, *, config: TokenConfig, pin: str) -> bytes:
    """Sign `pdf` as the request `spec` says, with the token's key of one of the accepted certificates."""
    if hashlib.sha256(pdf).hexdigest() != spec["pdf_sha256"]:
        raise TokenError("Tệp tải về không đúng tệp cần ký (sai SHA-256).")
    accepted = [base64.b64decode(c) for c in spec["certificates"]]
    chain = [base64.b64decode(c) for c in spec.get("chain", [])]
    with open_session(config, pin) as session:
        _der, key_id = find_key_id(session, accepted)
        signer = pyhanko_signer(session, key_id=key_id, extra_certificates=chain)
        timestamper = None
        if spec.get("timestamp_url"):
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(spec["timestamp_url"])
        return sign_pdf(pdf, signer=signer, field_name=spec["field_name"], box=spec["box"], page=spec["page"],
                        appearance=appearance, reason=spec.get("reason", ""), location=spec.get("location", ""),
                        name=spec.get("signer_name", ""), timestamper=timestamper)


def sign_request(request_url: str, *, config: TokenConfig, pin: str) -> Outcome:
    """The whole one-click path: request → PDF (checked against its SHA-256) → token → upload."""
    spec = fetch_request(request_url)
    pdf = _get(spec["pdf_url"])
    appearance = _get(spec["appearance_url"]) if spec.get("appearance_url") else None
    signed = sign_spec(spec, pdf, appearance, config=config, pin=pin)
    status, answer = _post_pdf(spec["upload_url"], signed)
    return Outcome(ok=status == 200 and bool(answer.get("ok")), message=answer.get("message", ""))
