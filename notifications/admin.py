from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at", "mail_state"]
    list_filter = ["kind", "mail_state"]
    search_fields = ["title", "user__username"]
