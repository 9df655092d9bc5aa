"""Warmth delivery, included by activities/urls.py under warmth/ (namespace "activities")."""

from django.urls import path

from . import views_warmth as views

urlpatterns = [
    path("", views.warmth_board, name="warmth_board"),
    path("mine/", views.warmth_mine, name="warmth_mine"),
    path("members/<int:member_pk>/", views.warmth_member, name="warmth_member"),
    path("members/<int:member_pk>/area/", views.warmth_area_edit, name="warmth_area_edit"),
    path("members/<int:member_pk>/contacts/new/", views.warmth_contact_create, name="warmth_contact_create"),
    path("members/<int:member_pk>/help/new/", views.warmth_help_create, name="warmth_help_create"),
    path("contacts/", views.warmth_contact_list, name="warmth_contact_list"),
    path("contacts/<int:pk>/edit/", views.warmth_contact_edit, name="warmth_contact_edit"),
    path("help/", views.warmth_help_list, name="warmth_help_list"),
    path("help/<int:pk>/edit/", views.warmth_help_edit, name="warmth_help_edit"),
    path("help/<int:pk>/delete/", views.warmth_help_delete, name="warmth_help_delete"),
]
