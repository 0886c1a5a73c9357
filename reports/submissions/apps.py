from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "reports.submissions"
    label = "submissions"
    verbose_name = "Báo cáo của đơn vị"

    def ready(self):
        from reports.submissions import home  # noqa: F401  (registers the home page panels)
        from reports.submissions.selectors import submissions_after
        from units.activity import activity_finder_register

        activity_finder_register(submissions_after)  # what a reorganisation dated before them would orphan
