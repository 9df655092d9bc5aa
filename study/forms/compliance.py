"""三会一课: the administrator's requirements, one row a kind of meeting."""

from __future__ import annotations

from django import forms

from ..models import MeetingRule
from ..services.compliance import EDITABLE_FIELDS


class MeetingRuleForm(forms.ModelForm):
    """One requirement; its kind is shown, never changed (one rule a kind)."""

    class Meta:
        model = MeetingRule
        fields = EDITABLE_FIELDS
        widgets = {"times": forms.NumberInput(attrs={"min": 1, "max": 31, "class": "form-control form-control-sm"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["every"].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("per_group", "may_combine", "is_active"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


# edit_only: a tampered form count never adds a rule (the kinds are fixed; one rule a kind).
MeetingRuleFormSet = forms.modelformset_factory(
    MeetingRule, form=MeetingRuleForm, extra=0, can_delete=False, edit_only=True
)
