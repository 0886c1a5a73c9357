from django.urls import path

from reports.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.ListPage.as_view(), name="list"),
]
