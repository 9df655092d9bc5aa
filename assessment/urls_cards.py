"""The card engine's pages. The goal plan card (5+X) has its list and board here; the
pledge form (3+X) adds its own two lines with ``{"kind": CardKind.PLEDGE}`` when its
pages are built. The pages of one card serve every kind."""

from django.urls import path

from . import views_cards as views

urlpatterns = [
    # The goal plan card's own pages
    path("", views.card_list, name="card_list"),
    path("mine/<int:year>/", views.card_year, name="card_year"),
    path("board/", views.card_board, name="card_board"),
    path("board/<int:member_pk>/<int:year>/open/", views.card_for_member, name="card_for_member"),
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
