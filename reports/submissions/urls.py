from django.urls import path

from reports.submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.ListPage.as_view(), name="list"),
]
