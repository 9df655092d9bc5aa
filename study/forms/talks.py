from django import forms
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import RecordDateField


class TalkRecordForm(forms.Form):
    talked_on = RecordDateField(label=_("Date of the talk"))
    talked_by = forms.CharField(label=_("Who talked"), max_length=100)
    problems = forms.CharField(
        label=_("Problems pointed out"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    response = forms.CharField(
        label=_("The member's response"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    plan = forms.CharField(label=_("Improvement plan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
