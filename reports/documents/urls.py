from django.urls import path

from reports.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.ListPage.as_view(), name="list"),
]
