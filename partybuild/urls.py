from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from members import urls as member_urls
from members.forms import SignInForm

from . import views

admin.site.site_header = _("partybuild administration")
admin.site.site_title = _("partybuild")

# The roster's pages, and among them a member's history: it gathers records of every app, so
# its view lives here in the composition root, but it keeps its place and name (members:history).
member_pages = [*member_urls.urlpatterns, path("<int:pk>/history/", views.member_history, name="history")]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include((member_pages, member_urls.app_name))),
    path("study/", include("study.urls")),
    path("activities/", include("activities.urls")),
    path("assessment/", include("assessment.urls")),
    path("notifications/", include("reminders.urls")),
    path("help/", views.help_page, name="help"),
    path("admin/", admin.site.urls),
]
