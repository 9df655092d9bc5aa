"""The roster as the activities' forms offer it."""

from __future__ import annotations

from django.db.models import QuerySet

from members.models import Member


def branch_members_on_roll(*, branch_id: int) -> QuerySet[Member]:
    """The branch's members on the roll, as a choice list reads them (by group, then number)."""
    return (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .select_related("group")
        .order_by("group__sort_order", "employee_no")
    )
