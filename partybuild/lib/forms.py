from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A native date picker; it needs the ISO format whatever the interface language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: keyed errors on their field when the
    form has it, the rest (and unkeyed errors) above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
