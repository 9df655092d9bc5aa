"""Criticism meetings, included by study/urls.py under meetings/ (namespace "study")."""

from django.urls import path

from .views import meetings

urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("new/", meetings.meeting_create, name="meeting_create"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    # One's own self-criticism, or (for the committee) a named participant's.
    path("<int:pk>/self-criticism/", meetings.meeting_self_criticism, name="meeting_self_criticism"),
    path("<int:pk>/self-criticism/<int:member_pk>/", meetings.meeting_self_criticism, name="meeting_self_criticism"),
    path("<int:pk>/criticisms/new/", meetings.meeting_criticism, name="meeting_criticism"),
    path("<int:pk>/items/new/", meetings.meeting_item_add, name="meeting_item_add"),
    path("<int:pk>/items/<int:item_pk>/", meetings.meeting_item_update, name="meeting_item_update"),
]
