from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Member, PartyGroup
from partybuild.lib.forms import (
    HiddenErrorsAbove,
    ModelMultipleChoiceField,
    QueryFilterForm,
    RecordDateTimeField,
    RowsFormSet,
)
from partybuild.lib.quarters import Quarter

from ..models import Attendance, MeetingRule, StudySession


class MeetingRuleField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: MeetingRule) -> str:
        return str(obj.short_label)


def combinable_rules():
    """The requirements (三会一课) another meeting may also count for."""
    return MeetingRule.objects.filter(is_active=True, may_combine=True)


class SessionForm(HiddenErrorsAbove, forms.ModelForm):
    # The version of the session the page was read at (an edit only): see services.session_update.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    assigned_members = ModelMultipleChoiceField(
        label=_("Members assigned individually"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("For remedial re-study, or to add people to the audience."),
    )
    also_counts_for = MeetingRuleField(
        label=_("Also counts as"),
        queryset=MeetingRule.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Where the rules allow it, one meeting counts for several requirements: a Party lecture "
            "given to the whole branch at the member assembly counts for both."
        ),
    )

    class Meta:
        model = StudySession
        fields = [
            "kind",
            "title",
            "content_tag",
            "content",
            "requirements",
            "starts_at",
            "duration_minutes",
            "location",
            "audience",
            "group",
        ]
        field_classes = {"starts_at": RecordDateTimeField}
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "content": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, branch_id: int, group_ids: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = PartyGroup.objects.filter(branch_id=branch_id)
        if group_ids is not None:
            groups = groups.filter(pk__in=group_ids)
        self.fields["group"].queryset = groups
        self.fields["assigned_members"].queryset = Member.objects.filter(branch_id=branch_id, is_active=True)
        self.fields["also_counts_for"].queryset = combinable_rules()
        if group_ids is not None:
            # A group leader plans their own group's meetings; the committee meeting is the committee's.
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != StudySession.Kind.COMMITTEE
            ]
            self.fields["audience"].choices = [
                c for c in self.fields["audience"].choices if c[0] == StudySession.Audience.GROUP
            ]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["assigned_members"].initial = list(self.instance.assigned_members.values_list("pk", flat=True))
            self.fields["also_counts_for"].initial = list(self.instance.also_counts_for.values_list("pk", flat=True))
        else:
            del self.fields["version"]
        self.fields["requirements"].required = True
        self.fields["requirements"].error_messages["required"] = _(
            "Write the study requirements: what members must do before, at and after it."
        )
        self.fields["duration_minutes"].min_value = 10
        self.fields["duration_minutes"].max_value = 600


class SessionVersionForm(HiddenErrorsAbove, forms.Form):
    """The version of the session the attendance list was read at: see services.attendance_record."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AttendanceRowForm(forms.Form):
    member_id = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Attendance.Status.choices, widget=forms.RadioSelect)
    reason = forms.CharField(required=False, max_length=200)

    def clean(self):
        # The service refuses the list as a whole (services.attendance_record); here the
        # rows that lack their reason are each marked, so the page shows which they are.
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != Attendance.Status.PRESENT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason: this member is marked excused or absent."))
        return cleaned


AttendanceFormSet = forms.formset_factory(
    AttendanceRowForm, formset=RowsFormSet, extra=0, max_num=5000, validate_max=True
)


class AttendanceForm(SessionVersionForm):
    """The attendance page as one form: the version of the session it was read at and the
    marks (``marks``, a formset of one row per expected member); valid when both are."""

    def __init__(self, data=None, *, marks: list[dict], **kwargs):
        super().__init__(data, **kwargs)
        self.marks = AttendanceFormSet(data, initial=marks, prefix="att")

    def is_valid(self) -> bool:
        marks_valid = self.marks.is_valid()  # both validated, so the page shows every error
        return super().is_valid() and marks_valid

    def marked(self) -> dict[int, tuple[str, str]]:
        """member id → (status, reason), as the service takes them."""
        return {f.cleaned_data["member_id"]: (f.cleaned_data["status"], f.cleaned_data["reason"]) for f in self.marks}


class SessionFilterForm(QueryFilterForm):
    """The session list's filters: a quarter (all of them unless one is named; one written
    wrongly is said so and is no filter) and a kind."""

    quarter = forms.CharField(required=False)
    kind = forms.ChoiceField(required=False, choices=StudySession.Kind.choices)

    def clean_quarter(self) -> Quarter | None:
        code = self.cleaned_data["quarter"]
        if not code:
            return None
        try:
            return Quarter.parse(code)
        except ValueError:
            raise ValidationError(
                _("“%(code)s” is not a quarter; write it like 2026Q4."), code="quarter", params={"code": code}
            ) from None
