import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import MassesRater, Member


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or employee number"), method="search")
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=None, empty_label=_("All"))
    group = django_filters.ModelChoiceFilter(label=_("Party group"), queryset=None, empty_label=_("All"))
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
        fields = ["q", "branch", "group", "party_status", "is_active"]

    def __init__(self, *args, branches, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].queryset = branches
        self.filters["group"].queryset = groups
        self.filters["group"].field.label_from_instance = lambda g: f"{g.branch.name} · {g.name}"
        for name in ("branch", "group", "party_status", "is_active"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"

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
