from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (`manage.py seed_demo`): the top layer, it may use every app below it."""

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
