from django.urls import include, path

from .views import reports, sessions, talks

app_name = "study"

urlpatterns = [
    # Study sessions and attendance
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/attendance/", sessions.session_attendance, name="session_attendance"),
    path("record/", sessions.study_record, name="my_record"),
    path("record/<int:member_pk>/", sessions.study_record, name="member_record"),
    # Quarterly Party-spirit reports
    path("reports/", reports.report_list, name="report_list"),
    path("reports/mine/<str:quarter>/", reports.report_mine, name="report_mine"),
    path("reports/waiting/", reports.report_waiting, name="report_waiting"),
    path("reports/review/", reports.review_board, name="review_board"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/forward/", reports.report_forward, name="report_forward"),
    path("reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("reports/<int:pk>/approve/", reports.report_approve, name="report_approve"),
    path("reports/<int:pk>/print/", reports.report_print, name="report_print"),
    # Individual talks
    path("talks/", talks.talk_list, name="talk_list"),
    path("talks/<int:pk>/", talks.talk_detail, name="talk_detail"),
    # Criticism meetings
    path("meetings/", include("study.urls_meetings")),
]
