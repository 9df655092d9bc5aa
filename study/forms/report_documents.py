from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partybuild.lib.quarters import Quarter


class ReportBundleForm(forms.Form):
    """What a branch's quarter of approved reports is downloaded as, from the review board's
    query: the quarter (this one where none is named) and one Word document or a ZIP."""

    DOCX, ZIP = "docx", "zip"

    quarter = forms.CharField(label=_("Quarter"), required=False, max_length=20)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[(DOCX, _("One Word document")), (ZIP, _("ZIP of Word documents"))]
    )

    def clean_quarter(self) -> Quarter:
        value = self.cleaned_data["quarter"]
        if not value:
            return Quarter.current()
        try:
            return Quarter.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or self.DOCX

    def problems(self) -> str:
        """Each refused value with its field's name, for a message on the board."""
        return " ".join(f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items())
