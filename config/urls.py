"""URL configuration: one include per domain app.

`/ke-hoach/` (namespace `plans`) joins the plans app's pages that write plans (issue, relay) with the
submissions app's pages that follow their answers (list, detail, status board, my requests): the
latter show submissions, so they live in the app above plans.
"""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from core.health import healthz
from reports.plans import urls as plans_urls
from reports.submissions import urls as submissions_urls
from units import views as unit_views

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Everyone changes their own password here (recorded by units/access.py; other sessions end).
    path("doi-mat-khau/", unit_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/",
         auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
         name="password_change_done"),
    # The one-time link of an invitation mailed to a new user (units/invitations.py): no public "forgot password".
    path("dat-mat-khau/<uidb64>/<token>/", unit_views.PasswordSetView.as_view(), name="password_set"),
    path("dat-mat-khau/xong/", unit_views.PasswordSetDoneView.as_view(), name="password_set_done"),
    path("don-vi/", include("units.urls")),
    path("ke-hoach/", include((plans_urls.urlpatterns + submissions_urls.plan_pages_urlpatterns, "plans"))),
    path("bao-cao-don-vi/", include("reports.submissions.urls")),
    path("bao-cao/", include("reports.documents.urls")),
    path("excel/", include("reports.workbooks.urls")),
    path("ky-so/", include("reports.signing.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("quan-tri/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
