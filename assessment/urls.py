"""The assessment app's pages (the "assessment" namespace), feature by feature.

The goal plan card (5+X) and the pledge form (3+X, with ``{"kind": CardKind.PLEDGE}``)
each have their own list, year, board and open-for-member pages; the pages of one card
serve every kind."""

from django.urls import path

from .models import CardKind
from .views import cards, excel, objections, periods, ratings, results, trends

app_name = "assessment"

PLEDGE = {"kind": CardKind.PLEDGE}

urlpatterns = [
    # Rating in the browser
    path("rate/", ratings.rate_home, name="rate_home"),
    path("rate/<str:code>/<int:ratee_pk>/<str:group>/", ratings.rate_form, name="rate_form"),
    path("rate/progress/", ratings.rating_progress, name="rating_progress"),
    path("ballots/", ratings.ballot_list, name="ballot_list"),
    path("ballots/<str:code>/issue/", ratings.ballot_issue, name="ballot_issue"),
    path("ballots/<str:code>/print/", ratings.ballot_print, name="ballot_print"),
    # The masses rater's one-time link: no login, only the token.
    path("r/<str:token>/", ratings.ballot_entry, name="ballot_entry"),
    path("r/<str:token>/<int:ratee_pk>/", ratings.ballot_rate, name="ballot_rate"),
    # The goal plan card's own pages
    path("cards/", cards.card_list, name="card_list"),
    path("cards/mine/<int:year>/", cards.card_year, name="card_year"),
    path("cards/board/", cards.card_board, name="card_board"),
    path("cards/board/<int:member_pk>/<int:year>/open/", cards.card_for_member, name="card_for_member"),
    # The pledge form's own pages
    path("cards/pledges/", cards.card_list, PLEDGE, name="pledge_list"),
    path("cards/pledges/mine/<int:year>/", cards.card_year, PLEDGE, name="pledge_year"),
    path("cards/pledges/board/", cards.card_board, PLEDGE, name="pledge_board"),
    path(
        "cards/pledges/board/<int:member_pk>/<int:year>/open/", cards.card_for_member, PLEDGE, name="pledge_for_member"
    ),
    # One card, of any kind
    path("cards/<int:pk>/", cards.card_detail, name="card_detail"),
    path("cards/<int:pk>/docx/", cards.card_docx, name="card_docx"),
    path("cards/<int:pk>/edit/", cards.card_edit, name="card_edit"),
    path("cards/<int:pk>/submit/", cards.card_submit, name="card_submit"),
    path("cards/<int:pk>/return/", cards.card_return, name="card_return"),
    path("cards/<int:pk>/approve/", cards.card_approve, name="card_approve"),
    path("cards/<int:pk>/tasks/", cards.card_task_add, name="card_task_add"),
    path("cards/<int:pk>/tasks/<int:item_pk>/withdraw/", cards.card_task_remove, name="card_task_remove"),
    path("cards/<int:pk>/checks/<str:checkpoint>/", cards.card_check, name="card_check"),
    path("cards/<int:pk>/checks/<str:checkpoint>/start/", cards.check_start, name="card_check_start"),
    path("cards/<int:pk>/checks/<str:checkpoint>/acknowledge/", cards.check_acknowledge, name="card_check_acknowledge"),
    path("cards/<int:pk>/checks/<str:checkpoint>/return/", cards.check_return, name="card_check_return"),
    # Excel: the paper-ballot template and its import, the rankings workbook
    path("ratings/paper/", excel.paper_ballots, name="paper_ballots"),
    path("ratings/<str:code>/template/", excel.rating_template_download, name="rating_template_download"),
    path("ratings/<str:code>/import/", excel.ratings_import, name="ratings_import"),
    path("ratings/<str:code>/import/confirm/", excel.ratings_import_confirm, name="ratings_import_confirm"),
    path("results/<str:code>/rankings.xlsx", excel.rankings_download, name="rankings_download"),
    path("results/<str:code>/rankings-by-branch.zip", excel.rankings_zip_download, name="rankings_zip_download"),
    # Period and rubric administration (administrators)
    path("periods/", periods.period_list, name="period_list"),
    path("periods/new/", periods.period_create, name="period_create"),
    path("periods/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periods/<int:pk>/edit/", periods.period_edit, name="period_edit"),
    path("periods/<int:pk>/open/", periods.period_open, name="period_open"),
    path("periods/<int:pk>/close/", periods.period_close, name="period_close"),
    path("periods/<int:pk>/compute/", periods.period_compute, name="period_compute"),
    path("periods/<int:pk>/publish/", periods.period_publish, name="period_publish"),
    path("periods/<int:pk>/finalize/", periods.period_finalize, name="period_finalize"),
    path("periods/<int:pk>/history/", periods.period_history, name="period_history"),
    path("rubrics/", periods.rubric_list, name="rubric_list"),
    path("rubrics/<int:pk>/", periods.rubric_detail, name="rubric_detail"),
    path("rubrics/<int:pk>/copy/", periods.rubric_copy, name="rubric_copy"),
    path("rubrics/<int:pk>/edit/", periods.rubric_edit, name="rubric_edit"),
    # Results
    path("results/", results.result_index, name="result_index"),
    path("results/trends/", trends.trends_company, name="trends_company"),
    path("results/trends/branches/<int:pk>/", trends.trends_branch, name="trends_branch"),
    path("results/<str:code>/mine/", results.result_mine, name="result_mine"),
    path("results/<str:code>/members/<int:pk>/", results.result_member, name="result_member"),
    path("results/<str:code>/team/", results.result_team, name="result_team"),
    path("results/<str:code>/teams/<int:pk>/", results.result_team_group, name="result_team_group"),
    path("results/<str:code>/branches/<int:pk>/", results.result_branch, name="result_branch"),
    path("results/<str:code>/company/", results.result_company, name="result_company"),
    path("results/<str:code>/ranking/", results.result_company_ranking, name="result_company_ranking"),
    path("results/<str:code>/flags/<int:pk>/", results.flagboard, name="flagboard"),
    path("results/<str:code>/flags/<int:pk>/wall/", results.flagboard_wall, name="flagboard_wall"),
    # Objections (异议) in the publicity window
    path("results/<str:code>/objection/", objections.objection_file, name="objection_file"),
    path("objections/", objections.objection_list, name="objection_list"),
    path("objections/<int:pk>/", objections.objection_detail, name="objection_detail"),
]
