from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "reports.plans"
    label = "plans"
    verbose_name = "Kế hoạch và chỉ tiêu"
