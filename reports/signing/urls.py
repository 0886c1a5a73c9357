from django.urls import path

from reports.signing import views

app_name = "signing"

urlpatterns = [
    path("so-dang-ky/", views.RegisterView.as_view(), name="register"),
    path("van-ban/<int:pk>/tai-ve/", views.SignedDownloadView.as_view(), name="download"),
    path("van-ban/<int:pk>/dinh-chinh/", views.CorrectionView.as_view(), name="correct"),
    path("xac-nhan/", views.ReauthView.as_view(), name="reauth"),
    path("kiem-tra/", views.VerifyView.as_view(), name="verify"),
    path("bao-cao/<int:pk>/<slug:action>/", views.ReportActionView.as_view(), name="report_action"),
    path("cho-cap-so/<int:pk>/", views.DraftIssueView.as_view(), name="draft_issue"),
    path("ky/<str:token>/", views.RequestPageView.as_view(), name="request_page"),
    path("lien-ket/<str:token>/", views.RequestSpecView.as_view(), name="request_spec"),
    path("lien-ket/<str:token>/tep.pdf", views.RequestPdfView.as_view(), name="request_pdf"),
    path("lien-ket/<str:token>/hinh-chu-ky.pdf", views.RequestPdfView.as_view(appearance=True),
         name="request_appearance"),
    path("lien-ket/<str:token>/tai-len/", views.RequestUploadView.as_view(), name="request_upload"),
]
