"""The upload form of the paper-ballot import (the view is in views/excel.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partybuild.lib.xlsx import WEB_BALLOTS_MAX_BYTES


class RatingsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled rating template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_("The sheet “ratings” is read; the first row holds the column headers."),
    )

    MAX_BYTES = WEB_BALLOTS_MAX_BYTES

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file saved from Excel."))
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return file
