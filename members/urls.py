from django.urls import path

from . import views

app_name = "members"

# A member's history (members:history) gathers records of every app: the composition root
# adds it to these pages (partybuild/urls.py).

urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("organisation/", views.organisation, name="organisation"),
    path("import/", views.roster_import, name="import"),
    path("import/confirm/", views.roster_import_confirm, name="import_confirm"),
    path("export/", views.roster_export, name="export"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/login/", views.member_login, name="login"),
    path("masses/", views.masses_list, name="masses_list"),
    path("masses/new/", views.masses_create, name="masses_create"),
    path("masses/<int:pk>/edit/", views.masses_edit, name="masses_edit"),
    path("masses/<int:pk>/login/", views.masses_login, name="masses_login"),
    path("masses/<int:pk>/deactivate/", views.masses_deactivate, name="masses_deactivate"),
    path("masses/<int:pk>/reactivate/", views.masses_reactivate, name="masses_reactivate"),
]
