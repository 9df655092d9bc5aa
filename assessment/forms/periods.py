"""Forms for administering periods and rubrics (the services do the writing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import HiddenErrorsAbove, RecordDateField

from ..models import MAX_PUBLICITY_DAYS, Period

WEIGHT_FIELDS = ("weight_self", "weight_peer", "weight_masses", "weight_org")
# The code goes into URLs and onto the command line (compute_results --period CODE).
CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_-]+\Z", _("Use only letters, digits, hyphens and underscores, for example 2026.")
)


class PeriodForm(HiddenErrorsAbove, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Period
        fields = ["code", "name", "starts_on", "ends_on", "rubric", *WEIGHT_FIELDS]
        field_classes = {"starts_on": RecordDateField, "ends_on": RecordDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].validators.append(CODE_VALIDATOR)
        self.fields["rubric"].empty_label = None
        for name in WEIGHT_FIELDS:
            field = self.fields[name]
            field.validators += [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
            field.widget.attrs.update({"min": "0", "max": "1", "step": "0.05", "inputmode": "decimal"})
        if self.instance.pk and self.instance.state != Period.State.DRAFT:
            self.fields["rubric"].disabled = True
            self.fields["rubric"].help_text = _("The rubric cannot change once rating has opened.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.weights_invalid = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The period cannot end before it starts."))
        return cleaned

    def _post_clean(self) -> None:
        # The model's clean() holds the rules (Period.clean: the weights add up to 1, ...),
        # for this form and the Django admin alike; here only the four inputs are marked.
        super()._post_clean()
        if any(e.code == "weights" for e in self.errors.as_data().get(NON_FIELD_ERRORS, [])):
            self.weights_invalid = True
            for name in WEIGHT_FIELDS:
                self.fields[name].widget.attrs["class"] = "is-invalid"

    def period_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RubricCopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=100)


class PublishForm(forms.Form):
    """How many working days the publicity window runs (公示期); empty: the period's own number."""

    days = forms.IntegerField(
        label=_("Publicity window (working days)"),
        required=False,
        min_value=1,
        max_value=MAX_PUBLICITY_DAYS,
        help_text=_("Members may object until the window's last working day; Saturdays and Sundays do not count."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Said when the page is shown, in the reader's language.
        out_of_range = gettext("Give a number of working days from 1 to %(max)d.") % {"max": MAX_PUBLICITY_DAYS}
        field = self.fields["days"]
        field.error_messages.update(
            {
                "invalid": gettext("Give the number of working days as a whole number, for example 5."),
                "min_value": out_of_range,
                "max_value": out_of_range,
            }
        )
        field.widget.attrs.update({"inputmode": "numeric"})


class FinalizeForm(forms.Form):
    """Finalising before the window's last day has passed needs the administrator to say
    so: members then can no longer object."""

    early = forms.BooleanField(
        label=_("End the publicity window now: I confirm that members can no longer object."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
