from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "reports.documents"
    label = "documents"
    verbose_name = "Báo cáo tổng hợp"

    def ready(self):
        from reports.documents import home  # noqa: F401  (registers the home page panel)
        from reports.documents.plan_page import plan_report_links
        from reports.documents.reminders import owed_report_reminders
        from reports.documents.selectors import answering_reports, signed_reports
        from reports.submissions.answers import answering_reports_register
        from reports.submissions.freeze import signed_reports_register
        from reports.submissions.notices import reminders_register
        from reports.submissions.plan_pages import plan_page_extra_register

        # Imported here, not at the top: models may not be imported before the app registry is ready.
        answering_reports_register(answering_reports)
        plan_page_extra_register(plan_report_links)
        signed_reports_register(signed_reports)
        reminders_register(owed_report_reminders)
