"""send_reminders against a real SMTP server on the loopback interface, two runs at once.

A throw-away SQLite file (migrated by a subprocess) holds 12 pending mails; two `send_reminders`
processes start together against an aiosmtpd server that answers slowly, so their runs overlap. Every
message must arrive exactly once, and the two printed counts must add up to 12.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import os
import socket
import subprocess
import sys
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from django.contrib.auth import get_user_model
from notifications.models import Kind
from notifications.services import notifications_create
User = get_user_model()
users = [User.objects.create(username=f"u{i}", email=f"u{i}@example.org", first_name="Lò Văn", last_name=f"Minh{i}")
         for i in range(12)]
nobody = User.objects.create(username="nomail")
notifications_create(users=users + [nobody], kind=Kind.OVERDUE, title="Quá hạn gửi báo cáo theo 251-CV/BTGHU",
                     body="Đảng ủy xã Khun Há chưa gửi báo cáo.", url="/ke-hoach/")
"""


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.05)  # a slow server: the two runs overlap
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_runs_at_once_send_each_mail_once(tmp_path):
    handler = Collect()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_SETTINGS_MODULE":
               "config.settings", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
        env.pop("PRODUCTION", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*manage, "shell", "-c", SETUP], env=env, cwd=ROOT, check=True)
        runs = [subprocess.Popen([*manage, "send_reminders"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120) for run in runs]
    finally:
        controller.stop()
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    counts = [int(out.strip().splitlines()[-1].split()[2]) for out, _err in outputs]
    assert all(out.strip().splitlines()[-1].startswith("Đã gửi ") for out, _err in outputs)
    recipients = sorted(r for rcpts, _content in handler.messages for r in rcpts)
    assert recipients == sorted(f"u{i}@example.org" for i in range(12))  # each once, not the one without mail
    assert sum(counts) == 12
    message = email.message_from_bytes(handler.messages[0][1], policy=email.policy.default)
    assert message["Subject"].strip() == "[Báo cáo tuyên giáo] Quá hạn gửi báo cáo theo 251-CV/BTGHU"
    assert "Kính gửi đồng chí Lò Văn Minh" in message.get_content()
    assert "http://127.0.0.1:8000/ke-hoach/" in message.get_content()
