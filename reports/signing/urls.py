from django.urls import path

from reports.signing import views

app_name = "signing"

urlpatterns = [
    path("so-dang-ky/", views.RegisterView.as_view(), name="register"),
    path("van-ban/<int:pk>/tai-ve/", views.SignedDownloadView.as_view(), name="download"),
    path("van-ban/<int:pk>/dinh-chinh/", views.CorrectionView.as_view(), name="correct"),
    path("kiem-tra/", views.VerifyView.as_view(), name="verify"),
    path("bao-cao/<int:pk>/<slug:action>/", views.ReportActionView.as_view(), name="report_action"),
]
