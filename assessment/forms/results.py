"""The filters of the results' lists (the branch and company rankings, the flag board)."""

from __future__ import annotations

from django import forms

from partybuild.lib.forms import IdFilterField, QueryFilterForm

from ..selectors.results import FLAGS


class ResultFilterForm(QueryFilterForm):
    """A branch, a group and a flag; a value the page does not offer is no filter."""

    branch = IdFilterField()
    group = IdFilterField()
    flag = forms.ChoiceField(required=False, choices=[(flag, flag) for flag in FLAGS])
