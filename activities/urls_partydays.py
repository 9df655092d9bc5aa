"""Themed Party days, included by activities/urls.py under party-days/ (namespace "activities")."""

from django.urls import path

from . import views_partydays as views

urlpatterns = [
    path("", views.partyday_list, name="partyday_list"),
    path("new/", views.partyday_create, name="partyday_create"),
    path("<int:pk>/", views.partyday_detail, name="partyday_detail"),
    path("<int:pk>/edit/", views.partyday_edit, name="partyday_edit"),
    path("<int:pk>/participants/", views.partyday_participants, name="partyday_participants"),
    path("<int:pk>/cancel/", views.partyday_cancel, name="partyday_cancel"),
    path("<int:pk>/records/new/", views.partyday_contribution_add, name="partyday_contribution_add"),
    path(
        "<int:pk>/records/<int:item_pk>/delete/",
        views.partyday_contribution_delete,
        name="partyday_contribution_delete",
    ),
    path("<int:pk>/reflection/", views.partyday_reflection, name="partyday_reflection"),
    path("<int:pk>/photos/new/", views.partyday_photo_add, name="partyday_photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.partyday_photo_delete, name="partyday_photo_delete"),
    # The only way a photo leaves the server: checked against the scope rule first.
    path("photos/<int:pk>/", views.partyday_photo, name="partyday_photo"),
]
