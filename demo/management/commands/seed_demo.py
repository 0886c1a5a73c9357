"""`manage.py seed_demo`: the demo hierarchy, users, plans, seed 004's figures, the 01/7/2025 reorganisation
and the open 2026 plan 168-HD/BTGDVTU (idempotent)."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import run_demo_seed
from demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (chỉ dùng cho demo; chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo bị từ chối trong môi trường production (PRODUCTION=1).")
        logins = run_demo_seed(self.stdout, reorganised=True)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản demo (mật khẩu: %s):" % DEMO_PASSWORD))
        for username, full_name, role in logins:
            self.stdout.write(f"  {username:<28} {full_name:<24} {role}")
