from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị và người dùng")

    def ready(self):
        from django.contrib.auth import get_user_model

        from units import access, home  # noqa: F401  (the administrators' home panel; role change records)

        # Users keep family and middle names in first_name and the given name in last_name (Vietnamese order,
        # core.formatting.person_name); Django's "vi" labels ("Tên", "Họ") would read them backwards.
        fields = get_user_model()._meta
        fields.get_field("first_name").verbose_name = _("họ và tên đệm")
        fields.get_field("last_name").verbose_name = _("tên")
