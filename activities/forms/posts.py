"""Forms of pioneer posts and four-bests recognitions. They only check the input's
shape; the services decide who may do what, and check periods and overlaps."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Member
from partybuild.lib.forms import HiddenErrorsAbove, RecordDateField

from ..models import PioneerPost, Recognition
from .common import OneBranchFilterForm


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        label = f"{obj.name}（{obj.employee_no}）"
        if obj.group_id:
            label += f" · {obj.group.name}"
        if obj.post:
            label += f" · {obj.post}"
        return label


class PioneerPostForm(HiddenErrorsAbove, forms.ModelForm):
    """Designate (with a member to choose) or change (member fixed) a pioneer post."""

    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PioneerPost
        fields = ["member", "kind", "post_name", "starts_on", "ends_on", "standards"]
        field_classes = {"starts_on": RecordDateField, "ends_on": RecordDateField}
        widgets = {
            "kind": forms.RadioSelect,
            "standards": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "post_name": _("Leave empty to use the member's post on the roster."),
        }

    def __init__(self, *args, members: QuerySet[Member] | None = None, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post_name"].required = False
        # The model field has no default, so Django would offer (and tick) a blank "---------"
        # radio button; the kind is chosen, not defaulted.
        self.fields["kind"].choices = PioneerPost.Kind.choices
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members
        if not self.instance.pk:
            self.fields["starts_on"].initial = today
            self.fields["ends_on"].initial = datetime.date(today.year, 12, 31)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start (%(date)s).") % {"date": start.isoformat()})
        return data


class PioneerPostEndForm(forms.Form):
    ended_on = RecordDateField(label=_("Last day"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=PioneerPost._meta.get_field("end_reason").max_length,
        help_text=_("For example: the member moved to another post, or no longer meets the standards."),
    )


STATE_CHOICES = [("", _("All states")), *PioneerPost.State.choices]


class PioneerPostFilterForm(OneBranchFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *PioneerPost.Kind.choices]


class RecognitionFilterForm(OneBranchFilterForm):
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All periods")), *Recognition.QUARTER_CHOICES],
    )
    best = forms.ChoiceField(label=_("Recognition"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["best"].choices = [("", _("All four bests")), *Recognition.Best.choices]


class RecognitionForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    best = forms.ChoiceField(label=_("Recognition"), choices=Recognition.Best.choices, widget=forms.RadioSelect)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Period"), coerce=int, choices=Recognition.QUARTER_CHOICES)
    awarded_on = RecordDateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the member did to earn it."),
    )

    def __init__(self, *args, members: QuerySet[Member], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, today.year - 5, -1)]
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["awarded_on"].initial = today
