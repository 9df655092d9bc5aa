"""Reads of suggestion forms, scoped to the user asking.

A member sees their own; a group leader their group's; the branch committee the
branch's; an administrator every suggestion (and so everything passed up).
Anyone else sees none, and a suggestion outside one's scope answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from members.models import Member, PartyGroup, User
from members.roles import get_roles
from members.selectors import group_list_for_user, records_in_scope

from ..models import Suggestion, SuggestionEntry

Status = Suggestion.Status
COUNTED = ~Q(status=Status.WITHDRAWN)


def suggestion_list_for_user(*, user: User) -> QuerySet[Suggestion]:
    return records_in_scope(Suggestion.objects.select_related("member", "branch", "group"), user=user)


def suggestion_list_of_member(*, user: User, member: Member) -> QuerySet[Suggestion]:
    """The member's own suggestions, as far as the user may see them."""
    return suggestion_list_for_user(user=user).filter(member=member)


def group_choices_for_user(*, user: User) -> QuerySet[PartyGroup]:
    """The groups to filter suggestions by: a group leader's own groups; the committee's
    and an administrator's, every group they may see."""
    roles = get_roles(user)
    groups = group_list_for_user(user=user)
    if not roles.is_admin and roles.committee_branch_id is None:
        groups = groups.filter(pk__in=roles.led_group_ids)
    return groups


def suggestion_get_for_user(*, user: User, pk: int) -> Suggestion:
    """The suggestion if the user may see it; 404 otherwise (never someone else's data)."""
    try:
        return suggestion_list_for_user(user=user).get(pk=pk)
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class SuggestionFilters:
    branch_id: int | None = None
    group_id: int | None = None
    member: str = ""  # employee number, or part of a name
    year: int | None = None
    quarter: int | None = None  # 1-4
    status: str = ""


def suggestion_filter(qs: QuerySet[Suggestion], filters: SuggestionFilters) -> QuerySet[Suggestion]:
    if filters.branch_id:
        qs = qs.filter(branch_id=filters.branch_id)
    if filters.group_id:
        qs = qs.filter(group_id=filters.group_id)
    if filters.member:
        qs = qs.filter(Q(member__employee_no=filters.member) | Q(member__name__contains=filters.member))
    if filters.year and filters.quarter:
        qs = qs.filter(quarter=f"{filters.year}Q{filters.quarter}")
    elif filters.year:
        qs = qs.filter(quarter__startswith=str(filters.year))
    elif filters.quarter:
        qs = qs.filter(quarter__endswith=f"Q{filters.quarter}")
    if filters.status == "open":
        qs = qs.filter(status__in=Suggestion.OPEN_STATES)
    elif filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    return qs


def suggestion_years(qs: QuerySet[Suggestion]) -> list[int]:
    """The years the suggestions were written in, newest first (for the year filter)."""
    codes = qs.order_by().values_list("quarter", flat=True).distinct()
    return sorted({int(code[:4]) for code in codes if code[:4].isdigit()}, reverse=True)


def suggestions_waiting_for_user(*, user: User, branch_id: int | None = None) -> QuerySet[Suggestion]:
    """Open suggestions the user is to handle, oldest first.

    The branch committee handles its branch's submitted and acknowledged ones; an
    administrator those passed up to the company (of one branch when asked).
    """
    roles = get_roles(user)
    scope = Q(pk__in=[])
    if roles.committee_branch_id is not None:
        scope |= Q(branch_id=roles.committee_branch_id, status__in=[Status.SUBMITTED, Status.ACKNOWLEDGED])
    if roles.is_admin:
        company = Q(status=Status.ESCALATED)
        if branch_id:
            company &= Q(branch_id=branch_id)
        scope |= company
    return Suggestion.objects.select_related("member", "branch", "group").filter(scope).order_by("created_at", "pk")


def suggestion_thread(suggestion: Suggestion) -> QuerySet[SuggestionEntry]:
    """Replies, notes and state changes in the order they happened."""
    return suggestion.entries.select_related("actor__member").order_by("created_at", "pk")


@dataclass(frozen=True)
class YearCount:
    year: int
    total: int
    closed: int
    open: int


def suggestion_counts_by_year(*, member_id: int) -> list[YearCount]:
    """How many suggestions the member wrote each year (withdrawn ones not counted),
    newest year first: the figure their yearly record carries. One query."""
    rows = (
        Suggestion.objects.filter(COUNTED, member_id=member_id)
        .order_by()
        .values_list("quarter", "status")
        .annotate(n=Count("pk"))
    )
    totals: dict[int, dict[str, int]] = {}
    for quarter, status, n in rows:
        year = totals.setdefault(int(quarter[:4]), {"total": 0, "closed": 0, "open": 0})
        year["total"] += n
        year["closed" if status == Status.CLOSED else "open"] += n
    return [YearCount(year=y, **totals[y]) for y in sorted(totals, reverse=True)]
