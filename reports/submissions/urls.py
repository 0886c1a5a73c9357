from django.urls import path

from reports.submissions import plan_pages, views

app_name = "submissions"

urlpatterns = [
    path("", views.SubmissionListView.as_view(), name="list"),
    # A unit's submission for a plan: opens it, or offers to create it (reviewers: on the unit's behalf).
    path("ke-hoach/<int:plan>/don-vi/<slug:unit>/", views.StartView.as_view(), name="start"),
    path("<int:pk>/", views.SubmissionDetailView.as_view(), name="detail"),
    path("<int:pk>/muc/<slug:section>/", views.SectionView.as_view(), name="section"),
    path("<int:pk>/lich-su/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/gui/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/tiep-nhan/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/tra-lai/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/mo-lai/", views.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/nguon-nhap-thay/", views.BehalfSourceView.as_view(), name="behalf_source"),
]

# The pages that follow a plan's answers, in the `plans:` namespace next to issuing and relaying
# (see config/urls.py).
plan_pages_urlpatterns = [
    path("", plan_pages.PlanListView.as_view(), name="list"),
    path("viec-cua-toi/", plan_pages.MyRequestsView.as_view(), name="my_requests"),
    path("<int:pk>/", plan_pages.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/tinh-hinh/", plan_pages.StatusBoardView.as_view(), name="status"),
    path("<int:pk>/tinh-hinh/hang-loat/", plan_pages.BoardBulkView.as_view(), name="status_bulk"),
    path("<int:pk>/tinh-hinh/xuat.<str:fmt>", plan_pages.StatusExportView.as_view(), name="status_export"),
]
