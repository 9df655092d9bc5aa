"""Period administration and results pages (mounted in the "assessment" namespace)."""

from django.urls import path

from . import views_periods, views_results

urlpatterns = [
    # Period and rubric administration (administrators)
    path("periods/", views_periods.period_list, name="period_list"),
    path("periods/new/", views_periods.period_create, name="period_create"),
    path("periods/<int:pk>/", views_periods.period_detail, name="period_detail"),
    path("periods/<int:pk>/edit/", views_periods.period_edit, name="period_edit"),
    path("periods/<int:pk>/open/", views_periods.period_open, name="period_open"),
    path("periods/<int:pk>/close/", views_periods.period_close, name="period_close"),
    path("periods/<int:pk>/compute/", views_periods.period_compute, name="period_compute"),
    path("periods/<int:pk>/publish/", views_periods.period_publish, name="period_publish"),
    path("rubrics/", views_periods.rubric_list, name="rubric_list"),
    path("rubrics/<int:pk>/", views_periods.rubric_detail, name="rubric_detail"),
    path("rubrics/<int:pk>/copy/", views_periods.rubric_copy, name="rubric_copy"),
    path("rubrics/items/<int:pk>/edit/", views_periods.rubric_item_edit, name="rubric_item_edit"),
    # Results
    path("results/", views_results.result_index, name="result_index"),
    path("results/<str:code>/mine/", views_results.result_mine, name="result_mine"),
    path("results/<str:code>/members/<int:pk>/", views_results.result_member, name="result_member"),
    path("results/<str:code>/team/", views_results.result_team, name="result_team"),
    path("results/<str:code>/teams/<int:pk>/", views_results.result_team_group, name="result_team_group"),
    path("results/<str:code>/branches/<int:pk>/", views_results.result_branch, name="result_branch"),
    path("results/<str:code>/company/", views_results.result_company, name="result_company"),
    path("results/<str:code>/ranking/", views_results.result_company_ranking, name="result_company_ranking"),
    path("results/<str:code>/flags/<int:pk>/", views_results.flagboard, name="flagboard"),
    path("results/<str:code>/flags/<int:pk>/wall/", views_results.flagboard_wall, name="flagboard_wall"),
]
