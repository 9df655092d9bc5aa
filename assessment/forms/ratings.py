from django import forms

from partybuild.lib.forms import HiddenErrorsAbove

from ..models import RubricItem


class RatingForm(HiddenErrorsAbove, forms.Form):
    """One field per rubric item; the service does the validation (one rule for web,
    link and paper), and its errors are attached to the item's field."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items: list[RubricItem], initial_scores: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.code] = forms.CharField(
                label=f"{item.code} {item.name}",
                required=False,
                max_length=8,
                initial=(initial_scores or {}).get(item.code, ""),
                help_text=item.guidance,
                widget=forms.NumberInput(
                    attrs={
                        "min": "0",
                        "max": str(item.max_score),
                        "step": "0.5",
                        "inputmode": "decimal",
                        "class": "form-control pb-score",
                        "aria-describedby": f"max-{item.code}",
                    }
                ),
            )

    def scores(self) -> dict[str, str]:
        return {item.code: self.cleaned_data.get(item.code, "") for item in self.items}

    def rows(self):
        """(area, [(item, bound field)]) for the template, grouped by area."""
        grouped: list[tuple[object, list]] = []
        for item in self.items:
            if not grouped or grouped[-1][0] != item.area:
                grouped.append((item.area, []))
            grouped[-1][1].append((item, self[item.code]))
        return grouped
