"""Which earlier period a rankings workbook may set beside the one exported
(``export_rankings --compare``, the download's compare choice): a published or final one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ..models import Period

COMPARABLE_STATES = (Period.State.PUBLISHED, Period.State.FINAL)


def comparable_periods(period: Period) -> QuerySet[Period]:
    """The published or final periods before ``period``, the latest first."""
    return (
        Period.objects.filter(state__in=COMPARABLE_STATES, starts_on__lt=period.starts_on)
        .exclude(pk=period.pk)
        .order_by("-starts_on", "-code")
    )


def compare_period_for(period: Period, code: str) -> Period | None:
    """The period the download's ``compare`` parameter names (none when empty), or 404
    for one that is not among ``comparable_periods``."""
    code = (code or "").strip()
    if not code:
        return None
    found = comparable_periods(period).filter(code=code).first()
    if found is None:
        raise Http404
    return found
