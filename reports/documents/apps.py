from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "reports.documents"
    label = "documents"
    verbose_name = "Báo cáo tổng hợp"

    def ready(self):
        from reports.documents import home  # noqa: F401  (registers the home page panel)
