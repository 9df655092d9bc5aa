"""Themed Party days as meetings of 三会一课: a day held with a group meeting (or an assembly, a
Party lecture) counts for that requirement where its rule allows it. Registered with study's
counting (study.selectors.compliance.register_meeting_source) when the app is ready."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, F, IntegerField
from django.db.models.functions import Cast, ExtractMonth

from members.models import Branch

from .models import PartyDay


class PartyDayMeetings:
    """The held themed Party days, by the requirements they count for."""

    @staticmethod
    def _held(year: int):
        return PartyDay.objects.filter(status=PartyDay.Status.HELD, held_on__year=year, counts_for__may_combine=True)

    def counts(
        self, year: int, branch_ids: list[int] | None, rule_ids: list[int]
    ) -> Iterable[tuple[int, int, int, int]]:
        # By the requirement's id in the link table: no join to the requirements (the caller
        # names only those that may be met together with another meeting).
        days = PartyDay.objects.filter(
            status=PartyDay.Status.HELD,
            held_on__gte=datetime.date(year, 1, 1),
            held_on__lte=datetime.date(year, 12, 31),
            counts_for__in=rule_ids,
        )
        if branch_ids is not None:
            days = days.filter(branch_id__in=list(branch_ids))
        return (
            days.annotate(month=Cast(ExtractMonth("held_on"), IntegerField()))
            .values_list("branch_id", "counts_for", "month")
            .annotate(n=Count("pk"))
            .order_by()
        )

    def records(self, year: int, branch: Branch) -> Iterable[tuple[str, int, object]]:
        # One row per day and requirement it counts for (the join), in one query.
        days = self._held(year).filter(branch=branch).annotate(rule_kind=F("counts_for__kind"))
        return [(day.rule_kind, day.held_on.month, day) for day in days.order_by("held_on", "pk")]
