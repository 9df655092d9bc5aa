"""The forms of objections (异议): a member's filing, the committee's ruling and the
lists' filters. The services validate what they own (the reason's length, the item
scores, what an upheld ruling must change); their errors land on these fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import IdFilterField, QueryFilterForm

from ..models import Objection, Rating, RubricItem
from ..selectors.results import GROUP_LABELS, GROUPS
from ..services.objections import REASON_MAX
from .ratings import RatingForm

UPHELD, REJECTED = "upheld", "rejected"


class ObjectionFileForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the objection"),
        required=False,  # clean_reason says what is missing, as the service does
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX, "class": "form-control"}),
        help_text=_("Say which part of your result you object to and why."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that I can file only one objection to this result."),
        error_messages={"required": _("Confirm that you can file only one objection.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason.strip():  # said here too, so that a blank reason is named beside a missing confirmation
            raise ValidationError(_("Say what you object to and why."))
        return reason


class ObjectionRuleForm(RatingForm):
    """The ruling: upheld or rejected with a written reason; upheld, the organisation
    rating's item scores (the rating form's fields, applied only when ``correct_org`` is
    ticked) and the ratings to withdraw as invalid."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(UPHELD, _("Uphold the objection")), (REJECTED, _("Reject the objection"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the objection is upheld or rejected.")},
    )
    ruling = forms.CharField(
        label=_("Reason for the ruling"),
        required=False,  # clean_ruling says what is missing, as the service does
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX, "class": "form-control"}),
        help_text=_("The member reads it. Never name who gave a rating."),
    )
    correct_org = forms.BooleanField(label=_("Correct the organisation rating"), required=False)
    withdraw = forms.TypedMultipleChoiceField(
        label=_("Withdraw as invalid"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def clean_ruling(self) -> str:
        ruling = self.cleaned_data["ruling"]
        if not ruling.strip():  # said here too, so that it is named beside a missing decision
            raise ValidationError(_("Give the reason for the ruling; the member reads it."))
        return ruling

    def __init__(self, *args, items: list[RubricItem], ratings: list[Rating], **kwargs):
        super().__init__(*args, items=items, **kwargs)
        self.ratings = ratings
        self.fields["withdraw"].choices = [(r.pk, str(r.pk)) for r in ratings]

    def rating_rows(self):
        """(rating, its group's label, whether it is ticked) for the template: never a rater."""
        chosen = {str(v) for v in (self["withdraw"].value() or [])}
        order = {group: i for i, group in enumerate(GROUPS)}
        ratings = sorted(self.ratings, key=lambda r: order.get(r.rater_group, len(order)))  # stable: by total within
        return [(r, GROUP_LABELS.get(r.rater_group, r.rater_group), str(r.pk) in chosen) for r in ratings]

    def ruling_args(self) -> dict:
        data = self.cleaned_data
        upheld = data["decision"] == UPHELD
        return {
            "version": data["version"],
            "upheld": upheld,
            "ruling": data.get("ruling", ""),
            "org_scores": self.scores() if upheld and data.get("correct_org") else None,
            "withdraw": (data.get("withdraw") or []) if upheld else [],
        }


class ObjectionFilterForm(QueryFilterForm):
    """A branch and a state; a value the page does not offer is no filter."""

    branch = IdFilterField()
    state = forms.ChoiceField(required=False, choices=Objection.State.choices)
