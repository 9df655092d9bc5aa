"""Forms of the suggestion form (建议说明表). They only check the input's shape; the
services decide who may do what and check it against the suggestion's state."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Branch, PartyGroup
from partybuild.lib.forms import HiddenErrorsAbove

from ..models import Suggestion
from ..selectors.suggestions import SuggestionFilters


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


class SuggestionFilterForm(forms.Form):
    branch = forms.TypedChoiceField(label=_("Branch"), required=False, coerce=int, empty_value=None)
    group = forms.TypedChoiceField(label=_("Party group"), required=False, coerce=int, empty_value=None)
    member = forms.CharField(
        label=_("Member"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Name or employee number")}),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All quarters")), *((n, _("Quarter %(n)d") % {"n": n}) for n in range(1, 5))],
    )
    status = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)

    def __init__(
        self,
        *args,
        branches: QuerySet[Branch] | None,
        groups: QuerySet[PartyGroup] | None,
        years: list[int],
        with_member: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if branches is None:
            del self.fields["branch"]
        else:
            self.fields["branch"].choices = [("", _("All branches")), *((b.pk, b.name) for b in branches)]
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].choices = [
                ("", _("All groups")),
                *((g.pk, f"{g.branch.name} · {g.name}" if branches is not None else g.name) for g in groups),
            ]
        if not with_member:
            del self.fields["member"]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
        for name, field in self.fields.items():
            css = "form-control form-control-sm" if name == "member" else "form-select form-select-sm"
            field.widget.attrs["class"] = css

    def filters(self) -> SuggestionFilters:
        """What was asked for; a bad value in one filter leaves the others working."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SuggestionFilters(
            branch_id=data.get("branch"),
            group_id=data.get("group"),
            member=(data.get("member") or "").strip(),
            year=data.get("year"),
            quarter=data.get("quarter"),
            status=data.get("status") or "",
        )
