"""`python -m agent serve --origin https://baocao.example.vn` (one click) or `python -m agent sign URL`.

The PIN is asked on the console (getpass); `--pin-env NAME` reads it from an environment variable
instead (unattended demo and tests only: a real token's PIN is typed by its holder).
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from agent import DEFAULT_PORT
from agent.client import sign_request
from agent.pkcs11token import TokenConfig, TokenError, find_module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agent", description="Trình ký số bằng USB token (PKCS#11).")
    parser.add_argument("--module", default="", help="thư viện PKCS#11 của token (mặc định: tự tìm, PKCS11_MODULE)")
    parser.add_argument("--token", default=os.environ.get("PKCS11_TOKEN_LABEL", ""), help="nhãn token")
    parser.add_argument("--pin-env", default="", help="lấy PIN từ biến môi trường này (chỉ cho demo, kiểm thử)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve_p = sub.add_parser("serve", help="chờ lệnh ký từ trang báo cáo (127.0.0.1)")
    serve_p.add_argument("--origin", action="append", required=True, help="địa chỉ trang, vd https://baocao.vn")
    serve_p.add_argument("--port", type=int, default=DEFAULT_PORT)
    sign_p = sub.add_parser("sign", help="ký theo một liên kết ký")
    sign_p.add_argument("request_url")
    args = parser.parse_args(argv)

    try:
        config = TokenConfig(module=find_module(args.module), token_label=args.token)
    except TokenError as exc:
        print(exc, file=sys.stderr)
        return 2

    def pin_provider(_body=None) -> str:
        if args.pin_env:
            return os.environ.get(args.pin_env, "")
        return getpass.getpass("Nhập mã PIN của USB token: ")

    if args.command == "sign":
        try:
            outcome = sign_request(args.request_url, config=config, pin=pin_provider())
        except TokenError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(outcome.message)
        return 0 if outcome.ok else 1

    from agent.server import serve

    origins = {o.rstrip("/") for o in args.origin}
    server = serve(config=config, origins=origins, pin_provider=pin_provider, port=args.port)
    print(f"Trình ký đang chờ tại http://127.0.0.1:{args.port} (Ctrl+C để dừng)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
