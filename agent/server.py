"""One click from the report page: a small HTTP listener on 127.0.0.1 (never another interface).

The page POSTs `{"request_url": …}` to http://127.0.0.1:<port>/sign; the agent asks for the PIN (a
console prompt, or the `pin_provider` given) and answers `{"ok": …, "message": …}`. Only origins
listed with --origin may call it (the browser sends Origin; CORS answers only to those).
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from agent.client import sign_request
from agent.pkcs11token import TokenConfig, TokenError


def make_handler(*, config: TokenConfig, origins: set[str], pin_provider, lock: threading.Lock):
    class Handler(BaseHTTPRequestHandler):
        server_version = "bars-sign-agent/1"

        def log_message(self, fmt, *args):  # quiet
            return

        def _origin_ok(self) -> str:
            origin = self.headers.get("Origin", "")
            return origin if origin in origins else ""

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            origin = self._origin_ok()
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_OPTIONS(self):
            if not self._origin_ok():
                return self._answer(403, {"ok": False, "message": "Trang này không được dùng trình ký."})
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", self._origin_ok())
            self.send_header("Access-Control-Allow-Methods", "POST, GET")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Private-Network", "true")
            self.end_headers()

        def do_GET(self):
            if self.path == "/status":
                return self._answer(200, {"ok": True, "agent": "bars-sign-agent", "version": 1})
            return self._answer(404, {"ok": False})

        def do_POST(self):
            if self.path != "/sign":
                return self._answer(404, {"ok": False})
            if not self._origin_ok():
                return self._answer(403, {"ok": False, "message": "Trang này không được dùng trình ký."})
            try:
                length = min(int(self.headers.get("Content-Length", "0")), 8192)
                body = json.loads(self.rfile.read(length) or b"{}")
                url = str(body.get("request_url", ""))
                if urlparse(url).scheme not in ("http", "https") or not any(
                        url.startswith(o + "/") for o in origins):
                    return self._answer(400, {"ok": False, "message": "Liên kết ký không thuộc trang được phép."})
                with lock:  # one PIN prompt at a time
                    pin = pin_provider(body)
                    if not pin:
                        return self._answer(200, {"ok": False, "message": "Đã hủy ký (không nhập PIN)."})
                    outcome = sign_request(url, config=config, pin=pin)
                return self._answer(200, {"ok": outcome.ok, "message": outcome.message})
            except TokenError as exc:
                return self._answer(200, {"ok": False, "message": str(exc)})
            except Exception as exc:  # the page shows it; the agent keeps running
                return self._answer(200, {"ok": False, "message": f"Lỗi trình ký: {type(exc).__name__}: {exc}"})

    return Handler


def serve(*, config: TokenConfig, origins: set[str], pin_provider, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(config=config, origins=origins,
                                                                   pin_provider=pin_provider, lock=threading.Lock()))
    return server
