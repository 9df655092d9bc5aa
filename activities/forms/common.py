"""Forms every feature of the activities app shares: the administrator's choice of a
branch to work in, and the filters above each list."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Branch, PartyGroup


class BranchChoiceForm(forms.Form):
    """An administrator first picks the branch to work in."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())

    def __init__(self, *args, branches: QuerySet[Branch], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


QUARTER_CHOICES = [("", _("All quarters")), *((n, _("Quarter %(n)d") % {"n": n}) for n in range(1, 5))]


class ListFilterForm(forms.Form):
    """The filters every list shares (branch, group, member, year); a bad value in one
    leaves the others working. No ``branches`` (or ``groups``): the user has no choice
    of them, and the field is left out."""

    # Whether a group is named with its branch (the groups of several branches are offered).
    group_label_with_branch = True

    branch = forms.TypedChoiceField(label=_("Branch"), required=False, coerce=int, empty_value=None)
    group = forms.TypedChoiceField(label=_("Party group"), required=False, coerce=int, empty_value=None)
    member = forms.CharField(
        label=_("Member"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Name or employee number")}),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args,
        branches: QuerySet[Branch] | None,
        groups: QuerySet[PartyGroup] | None,
        years: list[int],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if branches is None:
            del self.fields["branch"]
        else:
            self.fields["branch"].choices = [("", _("All branches")), *((b.pk, b.name) for b in branches)]
        if groups is None:
            del self.fields["group"]
        else:
            with_branch = self.group_label_with_branch and branches is not None
            self.fields["group"].choices = [
                ("", _("All groups")),
                *((g.pk, f"{g.branch.name} · {g.name}" if with_branch else g.name) for g in groups),
            ]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]

    def values(self) -> dict:
        """Every field's value, None (or empty) where it was left out or refused."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields}

    def scope(self) -> dict:
        """Whose records are asked for, as the selectors' filters name it."""
        values = self.values()
        return {
            "branch_id": values.get("branch"),
            "group_id": values.get("group"),
            "member": (values.get("member") or "").strip(),
        }


class OneBranchFilterForm(ListFilterForm):
    """The filters of a list whose groups are those of one branch: an administrator picks
    the branch first (the posts' and the warmth lists)."""

    group_label_with_branch = False
