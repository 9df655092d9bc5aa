"""Forms of themed Party days. They only check the input's shape; the services decide
who may do what and check it against the day."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Member
from partybuild.lib.forms import HiddenErrorsAbove, ModelMultipleChoiceField, RecordDateField, RowsFormSet
from study.forms.sessions import MeetingRuleField, combinable_rules
from study.models import MeetingRule

from ..models import PartyDay, PartyDayContribution, PartyDayParticipant
from ..selectors.partydays import PartyDayFilters
from ..services.partydays import PHOTO_MAX_BYTES, ParticipantMark, PlanInput
from .common import QUARTER_CHOICES, ListFilterForm


class MembersField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.group.name}）" if obj.group_id else obj.name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.group.name}）" if obj.group_id else obj.name


class PartyDayForm(HiddenErrorsAbove, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyDay.Kind.choices, widget=forms.RadioSelect)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    held_on = RecordDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200)
    destination_kind = forms.ChoiceField(
        label=_("Kind of destination"),
        required=False,
        choices=[("", "—"), *PartyDay.Destination.choices],
        help_text=_("Open days: walk into a benchmark team, the production front line, or a sister unit."),
    )
    destination = forms.CharField(
        label=_("Destination"),
        required=False,
        max_length=200,
        help_text=_("The team, site or unit visited."),
    )
    planned_roles = forms.MultipleChoiceField(
        label=_("Roles to take"),
        required=False,
        choices=PartyDay.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Experiential days: the roles members take for the day, to think from another's place."),
    )
    plan = forms.CharField(
        label=_("Programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happens during the day, e.g. the order of reports and talks, or the route of the visit."),
    )
    participants = MembersField(
        label=_("Participants"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    counts_for = MeetingRuleField(
        label=_("This themed Party day is also held as"),
        queryset=MeetingRule.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("三会一课: a day held together with a required meeting counts for it, where the rules allow."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, members: QuerySet[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = members
        self.fields["counts_for"].queryset = combinable_rules()

    def plan_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            kind=data["kind"],
            theme=data["theme"],
            held_on=data["held_on"],
            place=data["place"],
            destination_kind=data.get("destination_kind") or "",
            destination=data.get("destination") or "",
            planned_roles=tuple(data.get("planned_roles") or ()),
            plan=data.get("plan") or "",
        )


class ParticipantRowForm(forms.Form):
    member_id = forms.IntegerField(widget=forms.HiddenInput)
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        required=False,
        choices=PartyDayParticipant.Attendance.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role taken"), required=False, choices=[("", "—"), *PartyDay.Role.choices])
    role_detail = forms.CharField(label=_("Role in detail"), required=False, max_length=100)


ParticipantFormSet = forms.formset_factory(
    ParticipantRowForm, formset=RowsFormSet, extra=0, max_num=5000, validate_max=True
)


class RecordForm(HiddenErrorsAbove, forms.Form):
    """The parts of the participants page outside the list: the day's summary and the version."""

    summary = forms.CharField(
        label=_("Summary of the day"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the day achieved: what members saw, heard and resolved to do."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ParticipantsForm(RecordForm):
    """The participants page: a row for each participant (attendance, and on an
    experiential day the role taken) with the day's summary and version."""

    def __init__(self, data=None, *, rows: list[dict], **kwargs):
        super().__init__(data, **kwargs)
        self.formset = ParticipantFormSet(data, initial=rows, prefix="p")

    def is_valid(self) -> bool:
        return self.formset.is_valid() and super().is_valid()

    def marks(self, *, with_attendance: bool) -> list[ParticipantMark]:
        """Each row as the service takes it; before the day, no attendance."""
        return [
            ParticipantMark(
                member_id=row.cleaned_data["member_id"],
                attendance=(row.cleaned_data.get("attendance") or "") if with_attendance else "",
                reason=row.cleaned_data.get("reason") or "",
                role=row.cleaned_data.get("role") or "",
                role_detail=row.cleaned_data.get("role_detail") or "",
            )
            for row in self.formset
        ]


class CancelForm(HiddenErrorsAbove, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContributionForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("What was held"), choices=PartyDayContribution.Kind.choices)
    generation = forms.ChoiceField(
        label=_("Generation"),
        required=False,
        choices=[("", "—"), *PartyDayContribution.Generation.choices],
        help_text=_("For stories: the old, the middle-aged and the young each tell how they grew."),
    )
    talked_with = forms.CharField(
        label=_("Talked with"), required=False, max_length=100, help_text=_("For heart-to-heart talks.")
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, members: QuerySet[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ReflectionForm(HiddenErrorsAbove, forms.Form):
    text = forms.CharField(
        label=_("My reflection"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you saw or did, what you took from it, and what you will do at your post."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP image of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        return upload


class PartyDayFilterForm(ListFilterForm):
    field_order = ["branch", "group", "member", "kind", "year", "quarter", "status"]

    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *PartyDay.Kind.choices])
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), required=False, coerce=int, empty_value=None, choices=QUARTER_CHOICES
    )
    status = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *PartyDay.Status.choices]
    )

    def filters(self) -> PartyDayFilters:
        values = self.values()
        return PartyDayFilters(
            **self.scope(),
            year=values.get("year"),
            quarter=values.get("quarter"),
            status=values.get("status") or "",
            kind=values.get("kind") or "",
        )
