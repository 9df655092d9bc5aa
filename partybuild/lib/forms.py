from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .dates import record_years, validate_record_year
from .quarters import Quarter


class DateInput(forms.DateInput):
    """A native date picker; it needs the ISO format whatever the interface language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _RecordYears:
    """A record's date: between 2000 and a few years ahead (the picker offers no other)."""

    default_validators = [validate_record_year]
    first_time = last_time = ""

    def _bounds(self) -> dict[str, str]:
        first, last = record_years()
        return {"min": f"{first}-01-01{self.first_time}", "max": f"{last}-12-31{self.last_time}"}

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | self._bounds()

    def __deepcopy__(self, memo):
        # Each form gets a copy of its class's fields: the bounds are this year's, not those
        # of the year the process started in.
        field = super().__deepcopy__(memo)
        field.widget.attrs.update(self._bounds())
        return field


class RecordDateField(_RecordYears, forms.DateField):
    widget = DateInput


class RecordDateTimeField(_RecordYears, forms.DateTimeField):
    first_time, last_time = "T00:00", "T23:59"


class HiddenErrorsAbove:
    """Shows a refused hidden field (the version a page was read at) above the form.

    The page shows no hidden field, so its own error would refuse the post without saying
    why; only a stale or altered page sends a bad one, and reloading is the remedy."""

    def full_clean(self):
        super().full_clean()
        hidden = [name for name in self._errors if name in self.fields and self.fields[name].widget.is_hidden]
        if hidden:
            for name in hidden:
                del self._errors[name]
            self.add_error(
                None, _("The form on this page is out of date or was altered: reload the page and try again.")
            )


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: keyed errors on their field when the
    form has it, the rest (and unkeyed errors) above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# The range of a 64-bit primary key: SQLite raises OverflowError (a server error) for an id
# outside it in an IN query, which a tampered multiple choice would otherwise reach.
_MIN_ID, _MAX_ID = -(2**63), 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database row can have before they reach the query."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent reports a value that is not a number
            if not _MIN_ID <= number <= _MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class RowsFormSet(forms.BaseFormSet):
    """A formset with one row per listed person (attendance and the like): every row is
    validated. Django skips unchanged "extra" rows, so a post whose INITIAL_FORMS was
    lowered reached the view with rows lacking cleaned data (a server error)."""

    def _construct_form(self, i, **kwargs):
        return super()._construct_form(i, empty_permitted=False, **kwargs)

    def clean(self):
        """As many rows as the page listed: the page pairs each row with a person, so a row
        more or less (the list changed meanwhile, or a tampered form count) would be lost or
        unreadable; say so above the list instead."""
        super().clean()
        if self.initial is not None and self.total_form_count() != len(self.initial):
            raise ValidationError(
                _("The list has changed since the page was opened: check it and save again."), code="rows"
            )


class QueryFilterForm(forms.Form):
    """The filters above a list page, bound to its query string (``request.GET``).

    ``values`` holds each field's cleaned value, or the field's ``initial`` (its default,
    None unless given) where the query names none or one the page does not offer: a bad
    value in one filter leaves the others working and is never an error."""

    @cached_property
    def values(self) -> dict:
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            values[name] = field.initial if value in (None, "") else value
        return values


class QuarterFilterField(forms.CharField):
    """A quarter a list's query names (``?quarter=2026Q4``): this quarter where it names
    none or something that is not a quarter."""

    def clean(self, value) -> Quarter:
        return Quarter.from_query(super().clean(value))


class IdFilterField(forms.IntegerField):
    """A record's id in a list's query (a branch, a group): none where it is not a
    positive whole number a database row can have."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=_MAX_ID, **kwargs)
