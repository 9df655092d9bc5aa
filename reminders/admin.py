from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from partybuild.lib.admin_quarters import QuarterFilter, quarter_column

from .models import Notification, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "report_deadline_days",
        "days_before",
        "overdue_window_days",
        "meetings_days_before_month_end",
        "meetings_days_before_quarter_end",
    )

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", quarter_column, "created_at", "read_at", "emailed_at")
    list_filter = ("kind", QuarterFilter)
    search_fields = ("recipient__username", "title")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    show_full_result_count = False


# django-celery-beat's admin, where the daily run's schedule is edited, names a few things
# in plain English strings no catalogue can reach (the task's "Task Name", the "scheduler"
# and "human_readable" properties): the same admin, with those named through ours.
class _TaskFilter(admin.SimpleListFilter):
    title = _("task")
    parameter_name = "task"

    def lookups(self, request, model_admin):
        tasks = model_admin.get_queryset(request).order_by("task").values_list("task", flat=True).distinct()
        return [(task, task) for task in tasks]

    def queryset(self, request, queryset):
        return queryset.filter(task=self.value()) if self.value() else queryset


class _PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=_("task"))
    def task_name(self, obj: PeriodicTask) -> str:
        return obj.task


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "interval", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", _TaskFilter, "start_time", "last_run_at"]

    @admin.display(description=_("schedule"))
    def schedule(self, obj: PeriodicTask):
        return obj.scheduler

    @admin.display(description=_("schedule in words"))
    def crontab_translation(self, obj: PeriodicTask) -> str:
        return obj.crontab.human_readable if obj.crontab else ""


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [_PeriodicTaskInline]

    @admin.display(description=_("schedule in words"))
    def human_readable(self, obj: CrontabSchedule) -> str:
        return obj.human_readable


class ScheduleAdmin(beat_admin.ScheduleAdmin):
    inlines = [_PeriodicTaskInline]


class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin):
    inlines = [_PeriodicTaskInline]


for _model, _model_admin in (
    (PeriodicTask, PeriodicTaskAdmin),
    (CrontabSchedule, CrontabScheduleAdmin),
    (ClockedSchedule, ClockedScheduleAdmin),
    (IntervalSchedule, ScheduleAdmin),
    (SolarSchedule, ScheduleAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
