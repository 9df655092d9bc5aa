from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from members.forms import SignInForm

from . import views

admin.site.site_header = _("partybuild administration")
admin.site.site_title = _("partybuild")

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
    path("members/", include("members.urls")),
    path("study/", include("study.urls")),
    path("activities/", include("activities.urls")),
    path("assessment/", include("assessment.urls")),
    path("notifications/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]
