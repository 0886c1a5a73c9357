from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        # Connects the receiver that forgets a user name's failed logins after its successful login.
        from core import login_throttle  # noqa: F401
