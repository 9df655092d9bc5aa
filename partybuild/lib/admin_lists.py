"""The Django admin's lists of tables of a group company's size."""

from __future__ import annotations

from django.contrib import admin


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
