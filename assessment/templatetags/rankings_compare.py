"""The rankings download's compare choice: the earlier published or final periods."""

from __future__ import annotations

from django import template

from ..models import Period
from ..selectors.comparison import comparable_periods as _comparable

register = template.Library()

# A select, not a list of every year the company has kept: the latest few.
SHOWN = 10


@register.simple_tag
def comparable_periods(period: Period) -> list[Period]:
    """One query, for the download form."""
    return list(_comparable(period).only("pk", "code", "name")[:SHOWN])
