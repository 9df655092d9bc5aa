"""Admin pages of the activities app. Read-mostly: every state change goes through the
services, so the workflow fields, the branch snapshot, the version and who recorded a row
are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partybuild.lib.admin_lists import BRANCH_FILTER
from partybuild.lib.admin_quarters import quarter_column

from .models import (
    ContactPoint,
    HelpRecord,
    PartyDay,
    PartyDayContribution,
    PartyDayLog,
    PartyDayParticipant,
    PartyDayPhoto,
    PioneerPost,
    Recognition,
    ResponsibilityArea,
    Suggestion,
    SuggestionEntry,
)

# Suggestion forms


class SuggestionEntryInline(admin.TabularInline):
    model = SuggestionEntry
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "action", "from_status", "to_status", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "member", "branch", "status", quarter_column, "created_at", "closed_at")
    list_filter = ("status", BRANCH_FILTER)
    search_fields = ("title", "member__name", "member__employee_no", "branch__name")
    raw_id_fields = ("member", "group")
    readonly_fields = ("status", "version", "acknowledged_at", "escalated_at", "closed_at", quarter_column)
    exclude = ("quarter",)
    list_select_related = ("member", "branch")
    inlines = [SuggestionEntryInline]


# Themed Party days


class ParticipantInline(admin.TabularInline):
    model = PartyDayParticipant
    raw_id_fields = ("member",)
    fields = ("member", "attendance", "absence_reason", "role", "role_detail", "reflection")
    extra = 0


class ContributionInline(admin.TabularInline):
    model = PartyDayContribution
    raw_id_fields = ("member",)
    fields = ("member", "kind", "generation", "talked_with", "summary")
    extra = 0

    def get_queryset(self, request):
        # Each row is named by its member(s) (__str__): one query, not one a row.
        return super().get_queryset(request).select_related("member")


class PhotoInline(admin.TabularInline):
    # The file itself is only served by the scoped view; the admin shows the metadata.
    model = PartyDayPhoto
    fields = ("caption", "content_type", "size", "width", "height", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PartyDayLogInline(admin.TabularInline):
    model = PartyDayLog
    fields = ("created_at", "actor", "action", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartyDay)
class PartyDayAdmin(SimpleHistoryAdmin):
    list_display = ("theme", "kind", "branch", "held_on", "place", "status")
    list_filter = ("kind", "status", BRANCH_FILTER)
    search_fields = ("theme", "place", "destination", "branch__name")
    # counts_for (三会一课) is checked against the rules by the day's own page; shown here.
    readonly_fields = ("status", "version", "attendance_taken_at", "counts_for")
    list_select_related = ("branch",)
    inlines = [ParticipantInline, ContributionInline, PhotoInline, PartyDayLogInline]


# Pioneer posts and four-bests recognitions


@admin.register(PioneerPost)
class PioneerPostAdmin(SimpleHistoryAdmin):
    list_display = ("post_name", "kind", "member", "branch", "starts_on", "ends_on")
    list_filter = ("kind", BRANCH_FILTER)
    search_fields = ("post_name", "member__name", "member__employee_no", "branch__name")
    raw_id_fields = ("member", "group")
    readonly_fields = ("branch", "designated_by", "planned_ends_on", "version", "created_at")
    list_select_related = ("member", "branch")
    date_hierarchy = "starts_on"


@admin.register(Recognition)
class RecognitionAdmin(SimpleHistoryAdmin):
    list_display = ("member", "best", "year", "quarter", "awarded_on", "branch")
    list_filter = ("best", "year", "quarter", BRANCH_FILTER)
    search_fields = ("member__name", "member__employee_no", "branch__name")
    raw_id_fields = ("member", "group")
    readonly_fields = ("branch", "awarded_by", "created_at")
    list_select_related = ("member", "branch")


# Warmth delivery


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
    list_filter = ("kind", BRANCH_FILTER)
    search_fields = ("member__name", "member__employee_no", "content", "branch__name")
    raw_id_fields = ("member", "group", "contact_point")
    readonly_fields = ("branch", "recorded_by", "version", "created_at")
    list_select_related = ("member", "branch", "contact_point")
    date_hierarchy = "helped_on"
