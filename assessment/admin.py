from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from partybuild.lib.admin_lists import BRANCH_FILTER
from partybuild.lib.admin_refusals import RefusedDeletionsAsMessages
from partybuild.lib.pagination import EstimatedCountPaginator

from .models import MassesBallot, Objection, Period, Result, Rubric, RubricArea, RubricItem
from .services.periods import period_update

# Ratings are deliberately not registered: an admin list of them would show which
# peer or masses rater gave which score, and the design forbids that to everyone.


class RubricAreaInline(admin.TabularInline):
    model = RubricArea
    extra = 0


class RubricItemInline(admin.TabularInline):
    model = RubricItem
    fields = ("code", "name", "area", "max_score", "position")
    extra = 0


def _frozen(obj) -> bool:
    return obj is not None and obj.is_frozen


class NoRevertWhereReadOnly(SimpleHistoryAdmin):
    """simple_history's "revert to this version" form saves whatever its page posts,
    asking only for the permission to view: where the record is read-only (a frozen
    rubric, a published or final period) the revert is refused as a change is."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Rubric)
class RubricAdmin(RefusedDeletionsAsMessages, NoRevertWhereReadOnly):
    """A rubric in use by a period that has opened is read-only here as in the app
    (RubricItem.clean refuses a change to one of its items through any form)."""

    list_display = ("name", "created_at")
    inlines = [RubricAreaInline, RubricItemInline]

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Period)
class PeriodAdmin(RefusedDeletionsAsMessages, NoRevertWhereReadOnly):
    """The same rules as the app's pages: Period.clean (weights add up to 1, the rubric
    fixed once open, nothing changes once published) runs on every save here, the state
    moves only through the services (the app's buttons and commands), and a published
    period opens read-only."""

    list_display = ("code", "name", "state", "rubric", "computed_at", "published_at")
    list_filter = ("state",)
    readonly_fields = ("state", "computed_at", "inputs_changed_at", "published_at", "version")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state != Period.State.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # A change is the app's own edit (period_update): the same checks, and the same
        # record that the weights moved, so that results computed before say so.
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        saved = period_update(actor=request.user, period_id=obj.pk, version=obj.version, data=data)
        obj.version, obj.inputs_changed_at = saved.version, saved.inputs_changed_at


@admin.register(Result)
class ResultAdmin(RefusedDeletionsAsMessages, admin.ModelAdmin):
    list_display = ("period", "member", "branch", "total", "rank_branch", "rank_company", "flag")
    list_filter = ("period", "flag", BRANCH_FILTER)
    search_fields = ("member__name", "member__employee_no", "branch__name")
    list_select_related = ("period", "member", "branch")
    raw_id_fields = ("member", "group")
    # Not the rater-group means or counts: a mean of fewer than three peer or masses
    # ratings is a rater's score, and the results pages withhold it from everyone.
    fields = ("period", "member", "branch", "group", "total", "rank_branch", "rank_company", "flag", "computed_at")
    show_full_result_count = False
    paginator = EstimatedCountPaginator  # a million rows: estimated, not counted

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A final period's results are kept for good (assessment/locks.py). A deletion
        # that would reach one (its member's, "delete selected") says on its confirmation
        # page that the account may not delete it, and confirming is refused.
        if obj is not None and obj.period.is_final:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    """Every branch's objections and their state, to read: a ruling is given in the
    app (services/objections.objection_rule: who may rule, its reason, the recomputed
    result), never typed in here. Nothing here names a rater: an objection has none."""

    list_display = ("period", "member", "branch", "state", "filed_at", "ruled_at")
    list_filter = ("state", "period", BRANCH_FILTER)
    search_fields = ("member__name", "member__employee_no", "branch__name")
    list_select_related = ("period", "member", "branch")
    fields = (
        "period",
        "member",
        "branch",
        "state",
        "reason",
        "filed_at",
        "total_before",
        "flag_before",
        "ruling",
        "org_corrected",
        "ratings_withdrawn",
        "total_after",
        "flag_after",
        "ruled_by",
        "ruled_at",
    )
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MassesBallot)
class MassesBallotAdmin(admin.ModelAdmin):
    # Whether a link is used up, never when: that moment is when its holder's ratings arrived.
    list_display = ("period", "rater", "code", "issued_at", "used", "revoked_at")
    list_filter = ("period",)
    fields = ("period", "rater", "code", "issued_at", "used", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
