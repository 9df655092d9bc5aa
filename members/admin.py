from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from partybuild.lib.admin_lists import BRANCH_FILTER
from partybuild.lib.admin_refusals import RefusedDeletionsAsMessages
from partybuild.lib.pagination import EstimatedCountPaginator
from partybuild.lib.xlsx import CheckedXLSX, WorkbookError

from .models import Branch, MassesRater, Member, PartyGroup, User
from .resources import MemberResource
from .services import ROSTER_WEB_LIMITS


class RosterXLSX(CheckedXLSX):
    limits = ROSTER_WEB_LIMITS


@admin.register(User)
class PartybuildUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_staff", "is_active", "last_login")


class PartyGroupInline(admin.TabularInline):
    model = PartyGroup
    fields = ("name", "leader", "sort_order")
    raw_id_fields = ("leader",)
    extra = 0


@admin.register(Branch)
class BranchAdmin(RefusedDeletionsAsMessages, SimpleHistoryAdmin):
    list_display = ("name", "sort_order")
    search_fields = ("name",)
    inlines = [PartyGroupInline]


@admin.register(PartyGroup)
class PartyGroupAdmin(RefusedDeletionsAsMessages, SimpleHistoryAdmin):
    list_display = ("name", "branch", "leader")
    list_filter = (BRANCH_FILTER,)
    search_fields = ("name", "branch__name")
    raw_id_fields = ("leader",)
    list_select_related = ("branch", "leader")


@admin.register(Member)
class MemberAdmin(RefusedDeletionsAsMessages, ImportExportMixin, SimpleHistoryAdmin):
    """A deletion a cascade cannot make (a member's records of a final assessment period
    are locked for good) is refused with its message, not a server error; deactivate
    such a member instead."""

    resource_classes = [MemberResource]
    formats = [RosterXLSX]
    list_display = ("employee_no", "name", "branch", "group", "party_status", "committee_role", "is_active")
    list_filter = ("party_status", "committee_role", "is_active", BRANCH_FILTER)
    search_fields = ("employee_no", "name", "branch__name")
    raw_id_fields = ("user", "group")
    list_select_related = ("branch", "group")
    show_full_result_count = False
    paginator = EstimatedCountPaginator  # a million rows: estimated, not counted

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, WorkbookError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


class MassesRaterAdminForm(forms.ModelForm):
    """The admin's door keeps the app's rule: links go to members on the roll of the
    rater's branch (MassesRater.clean_ratees)."""

    class Meta:
        model = MassesRater
        fields = ["user", "employee_no", "name", "branch", "ratees", "is_active"]

    def clean(self):
        data = super().clean()
        if data.get("branch") is not None and data.get("ratees") is not None:
            self.instance.branch = data["branch"]
            try:
                self.instance.clean_ratees([member.pk for member in data["ratees"]])
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@admin.register(MassesRater)
class MassesRaterAdmin(SimpleHistoryAdmin):
    form = MassesRaterAdminForm
    list_display = ("employee_no", "name", "branch", "is_active")
    list_filter = (BRANCH_FILTER, "is_active")
    search_fields = ("employee_no", "name", "branch__name")
    raw_id_fields = ("user", "ratees")
    list_select_related = ("branch",)


# django-axes (the login lock-out) names the attempts' "status" column after its method, in
# English no catalogue reaches: the same admin, the column named through ours.
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("state"))
    def status(self, obj: AccessAttempt):
        return super().status(obj)

    @admin.display(description=_("Expires At"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
