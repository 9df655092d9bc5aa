"""Reads of themed Party days, scoped to the user asking.

A Party day is the branch's: the branch's members (committee included) see its days,
a participant keeps seeing a day they took part in after moving, an administrator
sees every day. Nobody else sees any, and the photos follow the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import Member, PartyGroup, User
from members.roles import Roles, get_roles

from ..models import PartyDay, PartyDayContribution, PartyDayParticipant, PartyDayPhoto

Attendance = PartyDayParticipant.Attendance


def _scope(roles: Roles) -> Q | None:
    if roles.is_admin:
        return None
    if roles.member is None:
        return Q(pk__in=[])
    return Q(branch_id=roles.member.branch_id) | Q(
        pk__in=PartyDayParticipant.objects.filter(member_id=roles.member.pk).values("party_day_id")
    )


def partyday_list_for_user(*, user: User) -> QuerySet[PartyDay]:
    qs = PartyDay.objects.select_related("branch")
    scope = _scope(get_roles(user))
    return qs if scope is None else qs.filter(scope)


def partyday_get_for_user(*, user: User, pk: int) -> PartyDay:
    """The day if the user may see it; 404 otherwise (never someone else's data)."""
    try:
        return partyday_list_for_user(user=user).get(pk=pk)
    except (PartyDay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def photo_get_for_user(*, user: User, pk: int) -> PartyDayPhoto:
    """A photo of a day the user may see; 404 otherwise."""
    try:
        return PartyDayPhoto.objects.select_related("party_day").get(
            pk=pk, party_day__in=partyday_list_for_user(user=user).values("pk")
        )
    except (PartyDayPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class PartyDayFilters:
    branch_id: int | None = None
    group_id: int | None = None
    member: str = ""
    year: int | None = None
    quarter: int | None = None
    status: str = ""
    kind: str = ""


def partyday_filter(qs: QuerySet[PartyDay], filters: PartyDayFilters) -> QuerySet[PartyDay]:
    """Days of a branch, kind, state and period; a group or a member: the days they took part in."""
    if filters.branch_id:
        qs = qs.filter(branch_id=filters.branch_id)
    if filters.group_id:
        qs = qs.filter(
            pk__in=PartyDayParticipant.objects.filter(member__group_id=filters.group_id).values("party_day_id")
        )
    if filters.member:
        who = Q(member__employee_no=filters.member) | Q(member__name__contains=filters.member)
        qs = qs.filter(pk__in=PartyDayParticipant.objects.filter(who).values("party_day_id"))
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    if filters.quarter:
        months = range(3 * filters.quarter - 2, 3 * filters.quarter + 1)
        qs = qs.filter(held_on__month__in=months)
    if filters.status in PartyDay.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.kind in PartyDay.Kind.values:
        qs = qs.filter(kind=filters.kind)
    return qs


def _count(qs: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values("party_day_id").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def partyday_list_with_counts(days: QuerySet[PartyDay]) -> QuerySet[PartyDay]:
    """Head counts, attendance, reflections and photos of each day: one query a page."""
    participants = PartyDayParticipant.objects.filter(party_day=OuterRef("pk"))
    return days.annotate(
        participant_count=_count(participants),
        present_count=_count(participants.filter(attendance=Attendance.PRESENT)),
        reflection_count=_count(participants.exclude(reflection="")),
        photo_count=_count(PartyDayPhoto.objects.filter(party_day=OuterRef("pk"))),
    )


def partyday_years(days: QuerySet[PartyDay]) -> list[int]:
    return [d.year for d in days.order_by().dates("held_on", "year", order="DESC")]


def partyday_participants(day: PartyDay) -> QuerySet[PartyDayParticipant]:
    return day.participants.select_related("member", "member__group").order_by(
        "member__group__sort_order", "member__employee_no"
    )


def partyday_contributions(day: PartyDay) -> QuerySet[PartyDayContribution]:
    return day.contributions.select_related("member").order_by("created_at", "pk")


def partyday_photos(day: PartyDay) -> QuerySet[PartyDayPhoto]:
    return day.photos.order_by("uploaded_at", "pk")


def participation_of(*, user: User, day: PartyDay) -> PartyDayParticipant | None:
    member = get_roles(user).member
    if member is None:
        return None
    return PartyDayParticipant.objects.filter(party_day=day, member=member).first()


def reflections_to_write(*, user: User) -> QuerySet[PartyDayParticipant]:
    """Days held that the user attended and has not written a reflection for, newest first."""
    member = get_roles(user).member
    if member is None:
        return PartyDayParticipant.objects.none()
    return (
        PartyDayParticipant.objects.filter(
            member=member, attendance=Attendance.PRESENT, reflection="", party_day__status=PartyDay.Status.HELD
        )
        .select_related("party_day")
        .order_by("-party_day__held_on")
    )


def member_choices_for_day(*, day: PartyDay) -> QuerySet[Member]:
    """Who may be put on the day: the branch's active members, and anyone already on it."""
    on_day = PartyDayParticipant.objects.filter(party_day=day).values("member_id")
    return (
        Member.objects.filter(Q(branch_id=day.branch_id, is_active=True) | Q(pk__in=on_day))
        .select_related("group")
        .order_by("group__sort_order", "employee_no")
    )


def participant_members(*, day: PartyDay) -> QuerySet[Member]:
    on_day = PartyDayParticipant.objects.filter(party_day=day).values("member_id")
    return Member.objects.filter(pk__in=on_day).select_related("group").order_by("group__sort_order", "employee_no")


def group_choices_for_user(*, user: User) -> QuerySet[PartyGroup]:
    """The groups to filter days by: every group for an administrator, the own branch's otherwise."""
    roles = get_roles(user)
    groups = PartyGroup.objects.select_related("branch").order_by("branch__sort_order", "sort_order", "name")
    if roles.is_admin:
        return groups
    if roles.member is None:
        return groups.none()
    return groups.filter(branch_id=roles.member.branch_id)
