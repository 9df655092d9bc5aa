"""The admin shows quarters as people say them (2026年第4季度) where rows keep the code."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .quarters import quarter_label


@admin.display(description=_("quarter"), ordering="quarter")
def quarter_column(obj) -> str:
    """A changelist column: ``list_display = (..., quarter_column, ...)``."""
    return quarter_label(obj.quarter)


class QuarterFilter(admin.SimpleListFilter):
    """Filter by the ``quarter`` code, each choice named as people say it."""

    title = _("quarter")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by("-quarter").values_list("quarter", flat=True).distinct()
        return [(code, quarter_label(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(quarter=self.value()) if self.value() else queryset
