"""Suggestion forms, included by activities/urls.py under suggestions/ (namespace "activities")."""

from django.urls import path

from . import views_suggestions as views

urlpatterns = [
    path("", views.suggestion_list, name="suggestion_list"),
    path("mine/", views.suggestion_mine, name="suggestion_mine"),
    path("open/", views.suggestion_queue, name="suggestion_queue"),
    path("new/", views.suggestion_create, name="suggestion_create"),
    path("<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="suggestion_edit"),
    path("<int:pk>/<slug:action>/", views.suggestion_action, name="suggestion_action"),
]
