"""URLs of consolidated reports (namespace "documents")."""
from django.urls import include, path

from reports.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.ListPage.as_view(), name="list"),
    path("lap/", views.ReportCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/cap-nhat-so-lieu/", views.ReportRefreshView.as_view(), name="refresh"),
    path("<int:pk>/sua/", views.ReportEditView.as_view(), name="edit"),
    path("<int:pk>/so-go-tay/", views.TypedNumberView.as_view(), name="typed_number"),
    path("<int:pk>/tiep-nhan/", views.ReportReceiveView.as_view(), name="receive"),
    path("<int:pk>/lap-bao-cao-thay-the/", views.ReportCorrectView.as_view(), name="correct"),
    path("<int:pk>/pdf/", views.ReportPdfView.as_view(), name="pdf"),  # inline; report_pdf downloads it
    path("", include("reports.documents.pdf.urls")),  # report_pdf (cached), report_xlsx, plan_pdf
    path("so-lieu.json", views.RollupJsonView.as_view(), name="rollup_json"),
    path("bang-dieu-khien/<int:plan>/", views.DashboardView.as_view(), name="dashboard"),
    path("so-voi-cung-ky/<int:plan>/", views.ComparisonView.as_view(), name="comparison"),
]
