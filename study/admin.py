from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partybuild.lib.admin_lists import BRANCH_FILTER
from partybuild.lib.admin_quarters import QuarterFilter, quarter_column

from .models import (
    Attendance,
    Criticism,
    CriticismMeeting,
    MeetingRule,
    QuarterlyReport,
    RectificationItem,
    ReportProblem,
    ReportTransition,
    SelfCriticism,
    StudySession,
    Talk,
)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ("member",)
    extra = 0

    def get_queryset(self, request):
        # Each row is named by its member(s) (__str__): one query, not one a row.
        return super().get_queryset(request).select_related("member")


@admin.register(StudySession)
class StudySessionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "branch", "starts_at", "audience", "attendance_taken_at")
    list_filter = ("kind", "content_tag", BRANCH_FILTER)
    search_fields = ("title", "branch__name")
    raw_id_fields = ("group", "assigned_members")
    # What a session also counts for (三会一课) is checked against the rules by the session's
    # own page (study.services.sessions); here it is shown, not edited.
    readonly_fields = ("also_counts_for",)
    inlines = [AttendanceInline]
    list_select_related = ("branch",)


def _frozen(report) -> bool:
    """An approved report is a record: later changes, through this door too, would change what
    was approved."""
    return report is not None and report.status == QuarterlyReport.Status.APPROVED


class ReportProblemInline(admin.TabularInline):
    model = ReportProblem
    fk_name = "report"
    raw_id_fields = ("carried_from",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    fields = ("created_at", "actor", "action", "from_status", "to_status", "comment", "sections")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    list_display = ("member", quarter_column, "branch", "group", "status", "grade")
    list_filter = (QuarterFilter, "status", "grade", BRANCH_FILTER)
    search_fields = ("member__name", "member__employee_no", "branch__name")
    raw_id_fields = ("member", "group")
    readonly_fields = ("status", "version", "submitted_figures")
    inlines = [ReportProblemInline, ReportTransitionInline]
    list_select_related = ("member", "branch", "group")

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Talk)
class TalkAdmin(SimpleHistoryAdmin):
    list_display = ("member", "branch", "source", "status", "due_on", "talked_on")
    list_filter = ("status", "source", BRANCH_FILTER)
    search_fields = ("member__name", "member__employee_no", "branch__name")
    raw_id_fields = ("member", "report")
    list_select_related = ("member", "branch")


class SelfCriticismInline(admin.StackedInline):
    model = SelfCriticism
    raw_id_fields = ("member",)
    extra = 0

    def get_queryset(self, request):
        # Each row is named by its member(s) (__str__): one query, not one a row.
        return super().get_queryset(request).select_related("member")


class CriticismInline(admin.StackedInline):
    model = Criticism
    raw_id_fields = ("from_member", "to_member")
    extra = 0

    def get_queryset(self, request):
        # Each row is named by its member(s) (__str__): one query, not one a row.
        return super().get_queryset(request).select_related("from_member", "to_member")


class RectificationItemInline(admin.TabularInline):
    model = RectificationItem
    raw_id_fields = ("owner",)
    extra = 0


@admin.register(CriticismMeeting)
class CriticismMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "branch", "held_on")
    list_filter = ("kind", BRANCH_FILTER)
    search_fields = ("branch__name",)
    raw_id_fields = ("participants",)
    inlines = [SelfCriticismInline, CriticismInline, RectificationItemInline]


@admin.register(MeetingRule)
class MeetingRuleAdmin(SimpleHistoryAdmin):
    """三会一课 requirements; the administrator's own page is study:compliance_rules. The
    model's field validators (times 1–31) hold here as there."""

    list_display = ("kind", "times", "every", "per_group", "may_combine", "is_active", "sort_order")
    list_editable = ("times", "every", "per_group", "may_combine", "is_active")
    list_display_links = ("kind",)
    ordering = ("sort_order", "pk")
