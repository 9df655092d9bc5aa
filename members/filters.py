import django_filters
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from .models import MassesRater, Member

# More branches than this in a person's view and the roster's branch is found by its name: a
# group company has tens of thousands, more than anyone reads through in a list (and more than
# the page should send).
BRANCH_CHOICES_MAX = 50


def _id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MemberFilter(django_filters.FilterSet):
    """The roster's filter. The branch is picked from a list while the person sees few;
    otherwise it is found by name (``branch_name`` lists the members of every branch whose name
    contains it and offers the first of those branches to pick). The Party group is picked
    among the groups of one branch: the one chosen (or the chosen group's), or the only one
    the person sees; none before that."""

    q = django_filters.CharFilter(label=_("Name or employee number"), method="search")
    branch_name = django_filters.CharFilter(label=_("Branch name"), field_name="branch__name", lookup_expr="icontains")
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=None, empty_label=_("All"))
    group = django_filters.ModelChoiceFilter(
        label=_("Party group"),
        queryset=None,
        empty_label=_("All"),
        error_messages={"invalid_choice": _("That Party group is not in the chosen branch, so it was not applied.")},
    )
    party_status = django_filters.ChoiceFilter(
        label=_("Party status"), choices=Member.PartyStatus.choices, empty_label=_("All")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("On the roll"),
        choices=[("1", _("On the roll")), ("0", _("Off the roll"))],
        method="filter_active",
        empty_label=_("All"),
    )

    class Meta:
        model = Member
        fields = ["q", "branch_name", "branch", "group", "party_status", "is_active"]

    def __init__(self, data=None, *args, branches, groups, **kwargs):
        super().__init__(data, *args, **kwargs)
        branches = branches.order_by("sort_order", "name")
        first = list(branches.values_list("pk", flat=True)[: BRANCH_CHOICES_MAX + 1])
        self.branches_by_name = len(first) > BRANCH_CHOICES_MAX
        chosen_branch, chosen_group = _id(self.data.get("branch")), _id(self.data.get("group"))
        self.branch_offered = True
        if self.branches_by_name:
            name = (self.data.get("branch_name") or "").strip()
            shown = Q(pk=chosen_branch) if chosen_branch is not None else Q(pk__in=[])
            if name:
                shown |= Q(pk__in=branches.filter(name__icontains=name).values("pk")[:BRANCH_CHOICES_MAX])
            branches = branches.filter(shown)
            self.branch_offered = chosen_branch is not None or bool(name)
        else:
            del self.filters["branch_name"]
        self.filters["branch"].queryset = branches

        if chosen_branch is not None:
            groups = groups.filter(branch_id=chosen_branch)
        elif chosen_group is not None:
            groups = groups.filter(branch_id=Subquery(groups.filter(pk=chosen_group).values("branch_id")[:1]))
        elif len(first) != 1:
            groups = groups.none()
        self.group_offered = chosen_branch is not None or chosen_group is not None or len(first) == 1
        group = self.filters["group"]
        group.queryset = groups.order_by("sort_order", "name")
        if not self.group_offered:
            group.extra["empty_label"] = _("Choose a branch first")
        fields = self.form.fields
        for name in ("branch", "group", "party_status", "is_active"):
            fields[name].widget.attrs["class"] = "form-select form-select-sm"
        if self.branches_by_name:
            fields["branch_name"].widget.input_type = "search"
            fields["branch_name"].widget.attrs.update(
                {"class": "form-control form-control-sm", "placeholder": _("Part of a branch name")}
            )
        if not self.group_offered:
            fields["group"].disabled = True

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(employee_no__icontains=value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "1"))


class MassesRaterFilter(django_filters.FilterSet):
    """The masses-rater list's search box and active filter (the branch is the page's)."""

    q = django_filters.CharFilter(label=_("Name or employee number"), method="search")
    is_active = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[("1", _("Active")), ("0", _("Deactivated"))],
        method="filter_active",
        empty_label=_("All"),
    )

    class Meta:
        model = MassesRater
        fields = ["q", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["is_active"].widget.attrs["class"] = "form-select form-select-sm"

    search = MemberFilter.search
    filter_active = MemberFilter.filter_active
