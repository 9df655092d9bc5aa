"""Admin pages of suggestion forms and themed Party days. Read-mostly: every state
change goes through the services, so the workflow fields are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    PartyDay,
    PartyDayContribution,
    PartyDayLog,
    PartyDayParticipant,
    PartyDayPhoto,
    Suggestion,
    SuggestionEntry,
)


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
    list_display = ("title", "member", "branch", "status", "quarter", "created_at", "closed_at")
    list_filter = ("status", "branch")
    search_fields = ("title", "member__name", "member__employee_no")
    raw_id_fields = ("member", "group")
    readonly_fields = ("status", "version", "acknowledged_at", "escalated_at", "closed_at", "quarter")
    list_select_related = ("member", "branch")
    inlines = [SuggestionEntryInline]


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
    list_filter = ("kind", "status", "branch")
    search_fields = ("theme", "place", "destination")
    readonly_fields = ("status", "version", "attendance_taken_at")
    list_select_related = ("branch",)
    inlines = [ParticipantInline, ContributionInline, PhotoInline, PartyDayLogInline]
