from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("da-doc/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("chon-thu/", views.MailPreferencesView.as_view(), name="preferences"),
]
