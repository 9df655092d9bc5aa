"""Where a period stands in its publicity window (公示期), for the banners and the period's page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models import Period

register = template.Library()


@register.filter
def window_open(period: Period) -> bool:
    """Members may still object today (the window's last day included)."""
    return period.objections_open_on(timezone.localdate())
