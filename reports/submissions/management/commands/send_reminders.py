"""Send what is due: new reminders (deadline coming, overdue, reviews waiting) and the pending e-mails.

Safe from cron every few minutes: a reminder has a unique key (created once ever, also when two runs
overlap) and each e-mail is claimed by one run before it is sent. The last line is the count:
"Đã gửi N thông báo" (e-mails sent, plus new reminders for users who get no e-mail).
"""
from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.models import Notification
from notifications.services import notifications_send_mail
from reports.submissions.notices import reminders_due


class Command(BaseCommand):
    help = "Tạo các nhắc nhở đến hạn và gửi thư thông báo đang chờ."

    def handle(self, *args, **options):
        created = reminders_due()
        in_app_only = sum(1 for n in created if n.mail_state == Notification.MailState.NONE)
        mailed = notifications_send_mail()
        self.stdout.write(f"Nhắc nhở mới: {len(created)}; thư đã gửi: {mailed}")
        self.stdout.write(f"Đã gửi {mailed + in_app_only} thông báo")
