from django.urls import path

from reports.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("ban-hanh/", views.PlanCreateView.as_view(), name="create"),
    path("viec-cua-toi/", views.MyRequestsView.as_view(), name="my_requests"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/trien-khai/", views.PlanRelayView.as_view(), name="relay"),
    path("<int:pk>/tinh-hinh/", views.StatusBoardView.as_view(), name="status"),
    path("<int:pk>/tinh-hinh/xuat.<str:fmt>", views.StatusExportView.as_view(), name="status_export"),
]
