from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "reports.plans"
    label = "plans"
    verbose_name = "Kế hoạch và chỉ tiêu"

    def ready(self):
        from reports.plans.selectors import plans_issued_after
        from units.activity import activity_finder_register

        activity_finder_register(plans_issued_after)  # what a reorganisation dated before them would orphan
