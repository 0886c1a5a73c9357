from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "reports.signing"
    label = "signing"
    verbose_name = "Duyệt, ký số và sổ đăng ký văn bản"

    def ready(self) -> None:
        from reports.signing import extensions, home  # noqa: F401  (register the home and report panels)
