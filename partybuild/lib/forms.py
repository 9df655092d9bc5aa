from django import forms


class DateInput(forms.DateInput):
    """A native date picker; it needs the ISO format whatever the interface language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
