from django.urls import path

from .views import compliance, meetings, report_documents, reports, sessions, talks

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
    # 三会一课 compliance
    path("compliance/", compliance.compliance_branch, name="compliance_branch"),
    path("compliance/company/", compliance.compliance_company, name="compliance_company"),
    path("compliance/company/xlsx/", compliance.compliance_company_xlsx, name="compliance_company_xlsx"),
    path("compliance/rules/", compliance.compliance_rules, name="compliance_rules"),
    # Quarterly Party-spirit reports
    path("reports/", reports.report_list, name="report_list"),
    path("reports/mine/<str:quarter>/", reports.report_mine, name="report_mine"),
    path("reports/waiting/", reports.report_waiting, name="report_waiting"),
    path("reports/review/", reports.review_board, name="review_board"),
    path("reports/review/docx/", report_documents.review_board_docx, name="review_board_docx"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/forward/", reports.report_forward, name="report_forward"),
    path("reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("reports/<int:pk>/approve/", reports.report_approve, name="report_approve"),
    path("reports/<int:pk>/print/", reports.report_print, name="report_print"),
    path("reports/<int:pk>/docx/", report_documents.report_docx, name="report_docx"),
    # Individual talks
    path("talks/", talks.talk_list, name="talk_list"),
    path("talks/<int:pk>/", talks.talk_detail, name="talk_detail"),
    # Criticism meetings
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/docx/", meetings.meeting_docx, name="meeting_docx"),
    # One's own self-criticism, or (for the committee) a named participant's.
    path("meetings/<int:pk>/self-criticism/", meetings.meeting_self_criticism, name="meeting_self_criticism"),
    path(
        "meetings/<int:pk>/self-criticism/<int:member_pk>/",
        meetings.meeting_self_criticism,
        name="meeting_self_criticism",
    ),
    path("meetings/<int:pk>/criticisms/new/", meetings.meeting_criticism, name="meeting_criticism"),
    path("meetings/<int:pk>/items/new/", meetings.meeting_item_add, name="meeting_item_add"),
    path("meetings/<int:pk>/items/<int:item_pk>/", meetings.meeting_item_update, name="meeting_item_update"),
]
