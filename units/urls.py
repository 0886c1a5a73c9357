from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("", views.UnitTreeView.as_view(), name="tree"),
    path("tai-ve.<str:fmt>", views.UnitExportView.as_view(), name="export"),
    path("<slug:code>/", views.UnitDetailView.as_view(), name="detail"),
]
