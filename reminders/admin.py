from django.contrib import admin

from .models import Notification, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "report_deadline_days", "days_before", "overdue_window_days")

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "quarter", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", "quarter")
    search_fields = ("recipient__username", "title")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    show_full_result_count = False
