"""The Django admin's lists of tables of a group company's size."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext as _


class FewChoicesRelatedFilter(admin.RelatedFieldListFilter):
    """A foreign key's list filter (a list's branch) that lists the choices while there are at
    most ``max_choices`` of them. A group company has tens of thousands of branches: no one
    reads through them in the sidebar, and they cost the page more than its rows. With more,
    it shows only the one chosen (so it can be seen and cleared); the list's search finds
    rows by the branch's name instead (``search_fields`` "branch__name")."""

    max_choices = 50

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model._default_manager.complex_filter(field.get_limit_choices_to())
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        first = [(obj.pk, str(obj)) for obj in related[: self.max_choices + 1]]
        if len(first) <= self.max_choices:
            return first
        chosen = [value for value in self.lookup_val or () if value.isdigit()]
        return [(obj.pk, str(obj)) for obj in related.filter(pk__in=chosen)] if chosen else []

    def has_output(self):
        return bool(self.lookup_val) or super().has_output()


# A list's filter by its branch, for ``list_filter``.
BRANCH_FILTER = ("branch", FewChoicesRelatedFilter)


class PlainActionCheckbox:
    """A ModelAdmin mixin: each row's checkbox for the actions written as the markup it is,
    the same as Django's (``ModelAdmin.action_checkbox``), which renders a form widget
    through the template engine for every row: a third of a 100-row list of members."""

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )
