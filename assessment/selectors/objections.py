"""Reads of objections (异议) to published results."""

from __future__ import annotations

from django.db.models import Count

from ..models import Objection, Period


def objection_counts(*, period: Period) -> dict[str, int]:
    """How many of the period's objections are in each state (every state, 0 when none):
    one GROUP BY, for the period's page and its finalise button."""
    counts = dict.fromkeys(Objection.State.values, 0)
    rows = Objection.objects.filter(period=period).order_by().values_list("state").annotate(n=Count("pk"))
    for state, n in rows:
        counts[state] = n
    return counts
