"""Forms of the suggestion form (建议说明表). They only check the input's shape; the
services decide who may do what and check it against the suggestion's state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import HiddenErrorsAbove

from ..models import Suggestion
from ..selectors.suggestions import SuggestionFilters
from .common import QUARTER_CHOICES, ListFilterForm


class SuggestionForm(HiddenErrorsAbove, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Suggestion
        fields = ["title", "situation", "problem", "suggestion"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 4}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "suggestion": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("A few words the branch can find it by, e.g. “Night-shift handover checklist”."),
            "situation": _("What you met at your post: when, where, what happened. Say it clearly and fully."),
            "problem": _("The real problem behind it, and why it matters. Say it deeply and precisely."),
            "suggestion": _("What you propose to do about it. Make it concrete and detailed."),
        }


class ThreadForm(HiddenErrorsAbove, forms.Form):
    """One move on the thread: a reply, a note, a conclusion or a reason, with the version read."""

    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


STATE_CHOICES = [("", _("All states")), ("open", _("Open (not closed)")), *Suggestion.Status.choices]


class SuggestionFilterForm(ListFilterForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), required=False, coerce=int, empty_value=None, choices=QUARTER_CHOICES
    )
    status = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, with_member: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_member:
            del self.fields["member"]

    def filters(self) -> SuggestionFilters:
        values = self.values()
        return SuggestionFilters(
            **self.scope(), year=values.get("year"), quarter=values.get("quarter"), status=values.get("status") or ""
        )
