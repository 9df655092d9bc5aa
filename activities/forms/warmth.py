"""Forms of warmth delivery. Members log help on their phones: the kind of help is a
set of large buttons, the date defaults to today, and the contact point is one tap.
The forms check the input's shape; the services decide who may do what."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import HiddenErrorsAbove, IdFilterField, QuarterFilterField, QueryFilterForm, RecordDateField
from partybuild.lib.quarters import Quarter

from ..models import ContactPoint, HelpRecord, ResponsibilityArea
from ..services.warmth import AREA_TEXT_FIELDS
from .common import OneBranchFilterForm


class ResponsibilityAreaForm(HiddenErrorsAbove, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ResponsibilityArea
        fields = list(AREA_TEXT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "fixed_duty": forms.Textarea(attrs={"rows": 2}),
            "fixed_targets": forms.Textarea(attrs={"rows": 2}),
            "guarantee_tasks": forms.Textarea(attrs={"rows": 2}),
            "guarantee_safety": forms.Textarea(attrs={"rows": 2}),
            "guarantee_management": forms.Textarea(attrs={"rows": 2}),
            "guarantee_stability": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "fixed_post": _("The post the member holds; leave empty to use the roster's."),
            "fixed_duty": _("What the post answers for."),
            "fixed_targets": _("This year's targets for the post, as measurable as possible."),
            "guarantee_tasks": _("How the member sees that the area's tasks are carried out."),
            "guarantee_safety": _("How the member keeps the area safe: no violations, no accidents."),
            "guarantee_management": _("What the member improves in the way the area is run."),
            "guarantee_stability": _("How the member keeps the colleagues' morale steady."),
        }


class ContactPointForm(HiddenErrorsAbove, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactPoint
        fields = ["name", "employee_no", "post", "note", "is_active"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"employee_no": _("Optional; the colleague's employee number if known.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["is_active"]
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def validate_unique(self):
        # The service checks the employee number against the member's other contact points.
        pass


class ContactPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ContactPoint) -> str:
        return f"{obj.name} · {obj.post}" if obj.post else obj.name


class HelpRecordForm(HiddenErrorsAbove, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of help"),
        choices=HelpRecord.Kind.choices,
        widget=forms.RadioSelect(attrs={"autocomplete": "off"}),
    )
    helped_on = RecordDateField(label=_("Date"))
    contact_point = ContactPointChoiceField(
        label=_("Who was helped"),
        queryset=ContactPoint.objects.none(),
        required=False,
        empty_label=_("Not one of my contact points"),
    )
    content = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: talked through the worries about the shift change; taught the new valve procedure."),
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, contacts: QuerySet[ContactPoint], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["contact_point"].queryset = contacts
        self.fields["helped_on"].initial = today
        self.fields["helped_on"].widget.attrs["max"] = today.isoformat()

    def clean_helped_on(self):
        day = self.cleaned_data["helped_on"]
        if day and day > self.today:
            raise forms.ValidationError(_("Help is logged after it is given; the date cannot be in the future."))
        return day


class HelpFilterForm(OneBranchFilterForm):
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    kind = forms.ChoiceField(label=_("Kind of help"), required=False)

    def __init__(self, *args, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("All quarters")), *((q.code, q.code) for q in quarters)]
        self.fields["kind"].choices = [("", _("All kinds")), *HelpRecord.Kind.choices]

    def values(self) -> dict:
        values = super().values()
        try:
            values["quarter"] = Quarter.parse(values.get("quarter") or "")
        except ValueError:
            values["quarter"] = None
        return values


CONTACT_STATE_CHOICES = [("", _("All")), ("active", _("Still looked after")), ("retired", _("No longer looked after"))]


class ContactFilterForm(OneBranchFilterForm):
    state = forms.ChoiceField(label=_("State"), required=False, choices=CONTACT_STATE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, years=[], **kwargs)
        del self.fields["year"]


class WarmthBoardFilterForm(QueryFilterForm):
    """The warmth board's filters: a quarter (this one unless one is named), who is shown
    (those who logged no help, or everyone with their help by kind) and a group."""

    quarter = QuarterFilterField(required=False)
    view = forms.ChoiceField(required=False, choices=[("missing", "missing"), ("all", "all")], initial="missing")
    group = IdFilterField()
