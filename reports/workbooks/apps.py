from django.apps import AppConfig


class WorkbooksConfig(AppConfig):
    name = "reports.workbooks"
    label = "workbooks"
    verbose_name = "Tệp Excel báo cáo"
