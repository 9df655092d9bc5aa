"""The card engine's pages. The goal plan card (5+X) and the pledge form (3+X, with
``{"kind": CardKind.PLEDGE}``) each have their own list, year, board and open-for-member
pages; the pages of one card serve every kind."""

from django.urls import path

from . import views_cards as views
from .models import CardKind

PLEDGE = {"kind": CardKind.PLEDGE}

urlpatterns = [
    # The goal plan card's own pages
    path("", views.card_list, name="card_list"),
    path("mine/<int:year>/", views.card_year, name="card_year"),
    path("board/", views.card_board, name="card_board"),
    path("board/<int:member_pk>/<int:year>/open/", views.card_for_member, name="card_for_member"),
    # The pledge form's own pages
    path("pledges/", views.card_list, PLEDGE, name="pledge_list"),
    path("pledges/mine/<int:year>/", views.card_year, PLEDGE, name="pledge_year"),
    path("pledges/board/", views.card_board, PLEDGE, name="pledge_board"),
    path("pledges/board/<int:member_pk>/<int:year>/open/", views.card_for_member, PLEDGE, name="pledge_for_member"),
    # One card, of any kind
    path("<int:pk>/", views.card_detail, name="card_detail"),
    path("<int:pk>/edit/", views.card_edit, name="card_edit"),
    path("<int:pk>/submit/", views.card_submit, name="card_submit"),
    path("<int:pk>/return/", views.card_return, name="card_return"),
    path("<int:pk>/approve/", views.card_approve, name="card_approve"),
    path("<int:pk>/tasks/", views.card_task_add, name="card_task_add"),
    path("<int:pk>/tasks/<int:item_pk>/withdraw/", views.card_task_remove, name="card_task_remove"),
    path("<int:pk>/checks/<str:checkpoint>/", views.card_check, name="card_check"),
    path("<int:pk>/checks/<str:checkpoint>/start/", views.check_start, name="card_check_start"),
    path("<int:pk>/checks/<str:checkpoint>/acknowledge/", views.check_acknowledge, name="card_check_acknowledge"),
    path("<int:pk>/checks/<str:checkpoint>/return/", views.check_return, name="card_check_return"),
]
