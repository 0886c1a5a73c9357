from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị và người dùng")

    def ready(self):
        from units import access, home  # noqa: F401  (the administrators' home panel; role change records)
