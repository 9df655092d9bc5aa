"""Admin pages of pioneer posts, four-bests recognitions and warmth delivery. The
branch snapshot, the version and who recorded a row are kept by the services, so
they are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactPoint, HelpRecord, PioneerPost, Recognition, ResponsibilityArea


@admin.register(PioneerPost)
class PioneerPostAdmin(SimpleHistoryAdmin):
    list_display = ("post_name", "kind", "member", "branch", "starts_on", "ends_on")
    list_filter = ("kind", "branch")
    search_fields = ("post_name", "member__name", "member__employee_no")
    raw_id_fields = ("member", "group")
    readonly_fields = ("branch", "designated_by", "planned_ends_on", "version", "created_at")
    list_select_related = ("member", "branch")
    date_hierarchy = "starts_on"


@admin.register(Recognition)
class RecognitionAdmin(SimpleHistoryAdmin):
    list_display = ("member", "best", "year", "quarter", "awarded_on", "branch")
    list_filter = ("best", "year", "quarter", "branch")
    search_fields = ("member__name", "member__employee_no")
    raw_id_fields = ("member", "group")
    readonly_fields = ("branch", "awarded_by", "created_at")
    list_select_related = ("member", "branch")


@admin.register(ResponsibilityArea)
class ResponsibilityAreaAdmin(SimpleHistoryAdmin):
    list_display = ("member", "fixed_post", "updated_at")
    search_fields = ("member__name", "member__employee_no", "description")
    raw_id_fields = ("member",)
    readonly_fields = ("version", "updated_by", "updated_at")
    list_select_related = ("member",)


@admin.register(ContactPoint)
class ContactPointAdmin(SimpleHistoryAdmin):
    list_display = ("name", "employee_no", "post", "member", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "employee_no", "member__name", "member__employee_no")
    raw_id_fields = ("member",)
    readonly_fields = ("version", "created_at")
    list_select_related = ("member",)


@admin.register(HelpRecord)
class HelpRecordAdmin(SimpleHistoryAdmin):
    list_display = ("helped_on", "kind", "member", "contact_point", "branch")
    list_filter = ("kind", "branch")
    search_fields = ("member__name", "member__employee_no", "content")
    raw_id_fields = ("member", "group", "contact_point")
    readonly_fields = ("branch", "recorded_by", "version", "created_at")
    list_select_related = ("member", "branch", "contact_point")
    date_hierarchy = "helped_on"
