from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "reports.submissions"
    label = "submissions"
    verbose_name = "Báo cáo của đơn vị"

    def ready(self):
        from reports.submissions import home  # noqa: F401  (registers the home page panels)
