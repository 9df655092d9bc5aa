"""The rubric editor: the rubric's name, each area's name and each area's items (added,
changed, removed) on one page, saved together by ``services.periods.rubric_update`` so that
the maxima are checked against 100 as a whole, never one item at a time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import HiddenErrorsAbove

from .. import scoring
from ..models import Rubric, RubricArea, RubricItem


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self) -> None:
        # The service says a taken name in its own words (rubric_update).
        pass


class RubricAreaForm(forms.ModelForm):
    class Meta:
        model = RubricArea
        fields = ["name"]


class RubricItemRowForm(HiddenErrorsAbove, forms.ModelForm):
    class Meta:
        model = RubricItem
        fields = ["code", "name", "max_score", "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The live total (partybuild.js) counts only values this form accepts: it reads
        # the same min, max and step.
        self.fields["max_score"].widget.attrs.update(
            {"min": "0.5", "max": "99.5", "step": "0.5", "inputmode": "decimal", "data-max-score": ""}
        )
        self.fields["code"].widget.attrs.update({"size": "4"})

    def clean_max_score(self) -> Decimal:
        value = self.cleaned_data["max_score"]
        if value <= 0:
            raise forms.ValidationError(_("The maximum must be more than 0."))
        if value >= 100:
            raise forms.ValidationError(_("The maximum must be less than 100."))
        if value % scoring.STEP:
            raise forms.ValidationError(_("The maximum must be a multiple of 0.5, so that it can be given."))
        return value

    def validate_unique(self) -> None:
        # Codes are checked across all areas at once by the service.
        pass


ItemFormSet = forms.modelformset_factory(
    RubricItem, form=RubricItemRowForm, extra=0, can_delete=True, max_num=60, validate_max=True
)


class RubricEditor:
    """The forms of one rubric's editor page: the rubric, then per area its name and a
    formset of its items (prefix ``items-<area id>``)."""

    def __init__(self, rubric: Rubric, areas: list[RubricArea], data: Any = None):
        self.rubric = rubric
        self.form = RubricForm(data, instance=rubric, prefix="rubric")
        self.areas = []
        for area in areas:
            area.name_form = RubricAreaForm(data, instance=area, prefix=f"area-{area.pk}")
            area.items_formset = ItemFormSet(
                data, queryset=area.items.order_by("position", "code"), prefix=f"items-{area.pk}"
            )
            self.areas.append(area)

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        results = [self.form.is_valid()]
        for area in self.areas:
            results += [area.name_form.is_valid(), area.items_formset.is_valid()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return self.is_bound and not self.is_valid()

    def rubric_data(self) -> dict[str, Any]:
        """What the service takes: the rubric's fields, and per area its name and items
        (``id`` None for a new one, ``delete`` for one to remove)."""
        areas = []
        for area in self.areas:
            items = []
            for form in area.items_formset.forms:
                if not form.has_changed() and form.instance.pk is None:
                    continue  # a blank row added and left empty
                data = form.cleaned_data
                items.append(
                    {
                        "id": form.instance.pk,
                        "code": data.get("code", ""),
                        "name": data.get("name", ""),
                        "guidance": data.get("guidance", ""),
                        "max_score": data.get("max_score"),
                        "delete": bool(data.get("DELETE")),
                    }
                )
            areas.append({"id": area.pk, "name": area.name_form.cleaned_data["name"], "items": items})
        return {
            "name": self.form.cleaned_data["name"],
            "description": self.form.cleaned_data["description"],
            "areas": areas,
        }
