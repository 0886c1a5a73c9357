"""Home page panel for administrators: where the administration pages are, with the sizes they manage."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import register_panel
from core.scoping import user_can
from units.models import Staff, Unit


@register_panel(order=5)
def administration_panel(user):
    """Superusers and unit administrators: links to the unit tree and the administration site (3 queries)."""
    if not (user.is_superuser or user_can(user, "admin")):
        return None
    return {
        "title": _("Quản trị hệ thống"), "template": "units/panels/administration.html", "framed": True,
        "units": Unit.objects.restrict(user, "view").count(),
        "users": get_user_model().objects.filter(is_active=True).count() if user.is_superuser else None,
        "staff": Staff.objects.filter(unit__in=Unit.objects.restrict(user, "view")).count(),
        "links": [
            (reverse("units:tree"), _("Cây đơn vị (xem, tải về)")),
            (reverse("admin:units_unit_changelist"), _("Đơn vị: thêm, đổi tên, sáp nhập, giải thể")),
            (reverse("admin:units_staff_changelist"), _("Cán bộ và vai trò")),
            (reverse("admin:index"), _("Trang quản trị")),
        ],
    }
