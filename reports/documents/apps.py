from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "reports.documents"
    label = "documents"
    verbose_name = "Báo cáo tổng hợp"
