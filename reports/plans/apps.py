from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "reports.plans"
    label = "plans"
    verbose_name = "Kế hoạch và chỉ tiêu"

    def ready(self):
        from reports.plans import home  # noqa: F401  (registers the home page panels)
