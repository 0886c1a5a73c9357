from django.urls import path

from reports.workbooks import views

app_name = "workbooks"

urlpatterns = [
    path("bao-cao/<int:pk>/tai-ve/", views.DownloadSubmissionView.as_view(), name="download_submission"),
    path("ke-hoach/<int:plan>/don-vi/<slug:unit>/tai-ve/", views.DownloadUnitView.as_view(), name="download_unit"),
    path("ke-hoach/<int:plan>/nhieu-don-vi/tai-ve/", views.DownloadDistrictView.as_view(), name="download_district"),
    path("nhap/", views.UploadView.as_view(), name="upload"),
    path("bao-cao/<int:pk>/nhap/", views.UploadView.as_view(), name="upload_submission"),
    path("ke-hoach/<int:plan>/nhap/", views.UploadView.as_view(), name="upload_plan"),
    path("nhap/<str:token>/xac-nhan/", views.ConfirmView.as_view(), name="confirm"),
    path("nhap/<str:token>/huy/", views.CancelView.as_view(), name="cancel"),
]
