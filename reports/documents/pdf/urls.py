"""Download URLs of the print layer, included (without a namespace of their own) into "documents"."""
from django.urls import path

from reports.documents.pdf import views

urlpatterns = [
    path("<int:pk>/tai-pdf/", views.ReportPdfDownload.as_view(), name="report_pdf"),
    path("<int:pk>/tai-excel/", views.ReportXlsxDownload.as_view(), name="report_xlsx"),
    path("ke-hoach/<int:pk>/pdf/", views.PlanPdfDownload.as_view(), name="plan_pdf"),
]
