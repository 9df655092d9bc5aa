"""Forms of criticism meetings. They only check the input's shape; the services decide
who may do what and check it against the meeting."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Member
from partybuild.lib.forms import HiddenErrorsAbove, ModelMultipleChoiceField, RecordDateField

from ..models import CriticismMeeting, RectificationItem


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.group.name}）" if obj.group_id else obj.name


class ParticipantsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.group.name}）" if obj.group_id else obj.name


def _ordered(members: QuerySet[Member]) -> QuerySet[Member]:
    return members.select_related("group").order_by("group__sort_order", "employee_no")


class MeetingForm(HiddenErrorsAbove, forms.ModelForm):
    """The meeting and who took part; participants are the branch's members only."""

    participants = ParticipantsField(
        label=_("Participants"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Members of the branch who take part; at least two."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CriticismMeeting
        fields = ["kind", "title", "held_on", "location", "topic", "participants"]
        field_classes = {"held_on": RecordDateField}
        widgets = {
            "topic": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _("Democratic life meetings are the leadership's; branches hold organisational life meetings."),
            "topic": _("The theme set for the meeting, e.g. the problems to be examined."),
        }

    def __init__(self, *args, branch: Branch, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        members = Q(branch=branch, is_active=True)
        if self.instance.pk:
            # People already on the meeting stay choosable even if they moved or left the roll.
            members |= Q(pk__in=self.instance.participants.values("pk"))
        self.fields["participants"].queryset = _ordered(Member.objects.filter(members))
        self.fields["version"].initial = version
        if not self.instance.pk:
            self.fields["kind"].initial = CriticismMeeting.Kind.ORGANISATIONAL_LIFE


class BranchChoiceForm(forms.Form):
    """An administrator first picks the branch whose meeting is recorded."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())

    def __init__(self, *args, branches: QuerySet[Branch], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *CriticismMeeting.Kind.choices]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class SelfCriticismForm(HiddenErrorsAbove, forms.Form):
    content = forms.CharField(
        label=_("Self-criticism"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Examine yourself against the meeting's theme: the problems found, their causes, "
            "and what you will do about them."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CriticismForm(forms.Form):
    from_member = MemberChoiceField(label=_("Criticism from"), queryset=Member.objects.none())
    to_member = MemberChoiceField(label=_("Criticism of"), queryset=Member.objects.none())
    matter = forms.CharField(
        label=_("The matter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is criticised: the problem, as it was put at the meeting."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facts that show it: when, where, what happened."),
    )

    def __init__(self, *args, participants: QuerySet[Member], critic: Member | None = None, **kwargs):
        """``critic`` fixes who gives the criticism (a participant recording their own)."""
        super().__init__(*args, **kwargs)
        participants = _ordered(participants)
        self.critic = critic
        if critic is not None:
            del self.fields["from_member"]
            self.fields["to_member"].queryset = participants.exclude(pk=critic.pk)
        else:
            self.fields["from_member"].queryset = participants
            self.fields["to_member"].queryset = participants

    def clean(self):
        data = super().clean()
        critic = self.critic or data.get("from_member")
        target = data.get("to_member")
        if critic is not None and target is not None and critic.pk == target.pk:
            self.add_error(
                "to_member", _("A criticism is given to someone else; write your own faults in the self-criticism.")
            )
        return data


class RectificationItemForm(forms.Form):
    owner = MemberChoiceField(label=_("Owner"), queryset=Member.objects.none())
    description = forms.CharField(
        label=_("Rectification item"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The problem to correct and the concrete measure."),
    )
    deadline = RecordDateField(label=_("Deadline"))

    def __init__(self, *args, participants: QuerySet[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _ordered(participants)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status after this follow-up"),
        choices=RectificationItem.Status.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Follow-up"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has been done since the last follow-up, and what remains."),
    )
