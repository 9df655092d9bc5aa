from django.urls import path

from . import views_ratings as views

urlpatterns = [
    path("rate/", views.rate_home, name="rate_home"),
    path("rate/<str:code>/<int:ratee_pk>/<str:group>/", views.rate_form, name="rate_form"),
    path("rate/progress/", views.rating_progress, name="rating_progress"),
    path("ballots/", views.ballot_list, name="ballot_list"),
    path("ballots/<str:code>/issue/", views.ballot_issue, name="ballot_issue"),
    path("ballots/<str:code>/print/", views.ballot_print, name="ballot_print"),
    # The masses rater's one-time link: no login, only the token.
    path("r/<str:token>/", views.ballot_entry, name="ballot_entry"),
    path("r/<str:token>/<int:ratee_pk>/", views.ballot_rate, name="ballot_rate"),
]
