from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MassesBallot, Period, Result, Rubric, RubricArea, RubricItem

# Ratings are deliberately not registered: an admin list of them would show which
# peer or masses rater gave which score, and the design forbids that to everyone.


class RubricAreaInline(admin.TabularInline):
    model = RubricArea
    extra = 0


class RubricItemInline(admin.TabularInline):
    model = RubricItem
    fields = ("code", "name", "area", "max_score", "position")
    extra = 0


@admin.register(Rubric)
class RubricAdmin(SimpleHistoryAdmin):
    list_display = ("name", "created_at")
    inlines = [RubricAreaInline, RubricItemInline]


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "state", "rubric", "computed_at", "published_at")
    list_filter = ("state",)
    readonly_fields = ("state", "computed_at", "published_at", "version")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("period", "member", "branch", "total", "rank_branch", "rank_company", "flag")
    list_filter = ("period", "flag", "branch")
    search_fields = ("member__name", "member__employee_no")
    list_select_related = ("period", "member", "branch")
    raw_id_fields = ("member", "group")
    # Not the rater-group means or counts: a mean of fewer than three peer or masses
    # ratings is a rater's score, and the results pages withhold it from everyone.
    fields = ("period", "member", "branch", "group", "total", "rank_branch", "rank_company", "flag", "computed_at")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MassesBallot)
class MassesBallotAdmin(admin.ModelAdmin):
    list_display = ("period", "rater", "code", "issued_at", "used_at", "revoked_at")
    list_filter = ("period",)
    fields = ("period", "rater", "code", "issued_at", "used_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
