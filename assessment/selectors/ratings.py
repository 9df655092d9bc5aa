"""What a person has to rate, and what they have rated (their own ratings only)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from members.models import Member
from members.roles import Roles

from ..eligibility import masses_ratees, peers_of
from ..models import Period, RaterGroup, Rating


def open_periods() -> QuerySet[Period]:
    return Period.objects.filter(state=Period.State.OPEN).order_by("-code")


def current_period(code: str | None = None) -> Period | None:
    """The period named by ``code`` if given, else the newest open one."""
    qs = Period.objects.select_related("rubric")
    if code:
        return qs.filter(code=code).first()
    return qs.filter(state=Period.State.OPEN).order_by("-code").first()


def _annotate(members: QuerySet[Member], ratings: QuerySet[Rating]) -> QuerySet[Member]:
    mine = ratings.filter(ratee=OuterRef("pk"))
    return members.annotate(rated=Exists(mine), rated_total=Subquery(mine.values("total")[:1]))


def my_peer_tasks(*, roles: Roles, period: Period) -> QuerySet[Member]:
    """The peers the member rates, each with whether and how they rated them."""
    member = roles.member
    ratings = Rating.objects.filter(period=period, rater_group=RaterGroup.PEER, rater_member=member)
    return _annotate(peers_of(member).select_related("group"), ratings).order_by("employee_no")


def my_self_rating(*, roles: Roles, period: Period) -> Rating | None:
    return Rating.objects.filter(
        period=period, rater_group=RaterGroup.SELF, ratee=roles.member, rater_member=roles.member
    ).first()


def org_tasks(*, roles: Roles, period: Period) -> QuerySet[Member]:
    """The branch's members with their organisation rating (one combined rating each)."""
    ratings = Rating.objects.filter(period=period, rater_group=RaterGroup.ORG)
    members = Member.objects.filter(branch_id=roles.committee_branch_id, is_active=True).select_related("group")
    return _annotate(members, ratings).order_by("group__sort_order", "employee_no")


def masses_tasks(*, rater, period: Period) -> QuerySet[Member]:
    ratings = Rating.objects.filter(period=period, rater_group=RaterGroup.MASSES, rater_masses=rater)
    return _annotate(masses_ratees(rater), ratings)


def own_rating(*, roles: Roles, period: Period, ratee: Member, group: str, rater=None) -> Rating | None:
    """The rating this person gave (or, for the organisation, the branch's one rating)."""
    qs = Rating.objects.filter(period=period, ratee=ratee, rater_group=group)
    if group in (RaterGroup.SELF, RaterGroup.PEER):
        qs = qs.filter(rater_member=roles.member)
    elif group == RaterGroup.MASSES:
        qs = qs.filter(rater_masses=rater or roles.masses_rater)
    return qs.first()
