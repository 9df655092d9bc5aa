from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("remind-reports/", views.remind_reports, name="remind_reports"),
]
