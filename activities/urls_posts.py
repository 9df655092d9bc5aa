"""Pioneer posts and four-bests recognitions, included by activities/urls.py under
pioneer-posts/ (namespace "activities")."""

from django.urls import path

from . import views_posts as views

urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("mine/", views.post_mine, name="post_mine"),
    path("new/", views.post_create, name="post_create"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("<int:pk>/end/", views.post_end, name="post_end"),
    path("members/<int:member_pk>/", views.post_member, name="post_member"),
    path("recognitions/", views.post_recognition_list, name="post_recognition_list"),
    path("recognitions/new/", views.post_recognition_create, name="post_recognition_create"),
    path("recognitions/<int:pk>/withdraw/", views.post_recognition_withdraw, name="post_recognition_withdraw"),
]
