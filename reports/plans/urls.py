"""Issuing and relaying plans. `config/urls.py` mounts these with the submissions app's plan pages
(`reports.submissions.urls.plan_pages`) under one namespace, `plans:` (`/ke-hoach/`)."""
from django.urls import path

from reports.plans import views

app_name = "plans"

urlpatterns = [
    path("ban-hanh/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/trien-khai/", views.PlanRelayView.as_view(), name="relay"),
]
