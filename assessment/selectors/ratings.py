"""What a person has to rate, and what they have rated (their own ratings only)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from members.models import Branch, MassesRater, Member
from members.roles import Roles, committee_members

from ..anonymity import rater_keys
from ..models import MassesBallot, Period, RaterGroup, Rating, RatingChannel
from .eligibility import masses_ratees, peers_of


def current_period(code: str | None = None) -> Period | None:
    """The period named by ``code`` if given, else the newest open one."""
    qs = Period.objects.select_related("rubric")
    if code:
        return qs.filter(code=code).first()
    return qs.filter(state=Period.State.OPEN).order_by("-code").first()


def period_get_by_code(*, code: str) -> Period:
    period = Period.objects.select_related("rubric").filter(code=code).first()
    if period is None:
        raise Http404
    return period


def ratee_get(*, pk: int) -> Member | None:
    """A member to rate, whoever asks: whether they may is eligibility's question."""
    return Member.objects.select_related("branch", "group").filter(pk=pk).first()


def _annotate(members: QuerySet[Member], ratings: QuerySet[Rating]) -> QuerySet[Member]:
    mine = ratings.filter(ratee=OuterRef("pk"))
    return members.annotate(rated=Exists(mine), rated_total=Subquery(mine.values("total")[:1]))


def _given_by(period: Period, group: str, rater_id: int) -> QuerySet[Rating]:
    """The anonymous ratings this rater gave in the open period, found by their rater key."""
    if period.state != Period.State.OPEN:
        return Rating.objects.none()
    keys = rater_keys(period=period, group=group, rater_id=rater_id)
    return Rating.objects.filter(period=period, rater_group=group, rater_key__in=keys)


def my_peer_tasks(*, roles: Roles, period: Period) -> QuerySet[Member]:
    """The peers the member rates, each with whether and how they rated them."""
    member = roles.member
    ratings = _given_by(period, RaterGroup.PEER, member.pk)
    return _annotate(peers_of(member).select_related("group"), ratings).order_by("employee_no")


def my_self_rating(*, roles: Roles, period: Period) -> Rating | None:
    return Rating.objects.filter(period=period, rater_group=RaterGroup.SELF, ratee=roles.member).first()


def org_tasks(*, roles: Roles, period: Period) -> QuerySet[Member]:
    """The branch's members with their organisation rating (one combined rating each),
    less the committee member themself: the other committee members rate them."""
    ratings = Rating.objects.filter(period=period, rater_group=RaterGroup.ORG)
    members = (
        Member.objects.filter(branch_id=roles.committee_branch_id, is_active=True)
        .exclude(pk=roles.member.pk)
        .select_related("group")
    )
    return _annotate(members, ratings).order_by("group__sort_order", "employee_no")


def admin_org_tasks(*, period: Period) -> QuerySet[Member]:
    """Committee members whose branch has no other committee member: the company
    administrator gives their organisation rating."""
    colleague = committee_members(branch_id=OuterRef("branch_id"), excluding=OuterRef("pk"))
    members = (
        Member.objects.filter(is_active=True)
        .exclude(committee_role=Member.CommitteeRole.NONE)
        .filter(~Exists(colleague))
        .select_related("branch", "group")
    )
    ratings = Rating.objects.filter(period=period, rater_group=RaterGroup.ORG)
    return _annotate(members, ratings).order_by("branch__sort_order", "branch__name", "employee_no")


def masses_tasks(*, rater, period: Period) -> QuerySet[Member]:
    return _annotate(masses_ratees(rater), _given_by(period, RaterGroup.MASSES, rater.pk))


def own_rating(*, roles: Roles, period: Period, ratee: Member, group: str, rater=None) -> Rating | None:
    """The rating this person gave (or, for the organisation, the branch's one rating)."""
    if group == RaterGroup.PEER:
        qs = _given_by(period, group, roles.member.pk)
    elif group == RaterGroup.MASSES:
        qs = _given_by(period, group, (rater or roles.masses_rater).pk)
    else:
        qs = Rating.objects.filter(period=period, rater_group=group)
    return qs.filter(ratee=ratee).first()


def progress_counts(*, period: Period, branch_id: int | None = None) -> dict[str, int]:
    """How many ratings are in, per rater group (of a branch's members, or everyone's):
    counts only, never who gave them or when."""
    ratings = Rating.objects.filter(period=period)
    if branch_id is not None:
        ratings = ratings.filter(ratee__branch_id=branch_id)
    counts = dict(ratings.order_by().values_list("rater_group").annotate(n=Count("pk")))
    return {group: counts.get(group, 0) for group in RaterGroup.values}


def task_counts(tasks: QuerySet[Member]) -> dict[str, int]:
    """How many of a list of tasks (annotated ``rated``) there are, and how many are done."""
    return tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(rated=True)))


def org_rating_counts(*, period: Period, branch_id: int, excluding: int | None = None) -> dict[str, int]:
    """How many of the branch's members have their organisation rating (total, done)."""
    members = Member.objects.filter(branch_id=branch_id, is_active=True)
    if excluding is not None:
        members = members.exclude(pk=excluding)
    rated = Rating.objects.filter(period=period, rater_group=RaterGroup.ORG, ratee=OuterRef("pk"))
    return members.aggregate(total=Count("pk"), done=Count("pk", filter=Q(Exists(rated))))


def branch_member_count(*, branch: Branch) -> int:
    return Member.objects.filter(branch=branch, is_active=True).count()


def channels_of(*, period: Period, branch: Branch) -> list[tuple[str, str]]:
    """How the branch's peers and masses rate in the period: (rater group, channel)."""
    chosen = dict(RatingChannel.objects.filter(period=period, branch=branch).values_list("rater_group", "channel"))
    return [(group, chosen.get(group, RatingChannel.Channel.ONLINE)) for group in (RaterGroup.PEER, RaterGroup.MASSES)]


# ---------------------------------------------------------------------------
# The masses raters' one-time links


def masses_raters_of_branch(*, branch: Branch) -> QuerySet[MassesRater]:
    return (
        MassesRater.objects.filter(branch=branch, is_active=True)
        .annotate(ratee_count=Count("ratees", filter=Q(ratees__is_active=True), distinct=True))
        .order_by("employee_no")
    )


def ballots_of(*, period: Period, raters: list[MassesRater]) -> dict[int, MassesBallot]:
    """The raters' links in the period, by rater: whether a link is used up, never how many
    of its holder's ratings are in (progress is counted per rater group, not per rater)."""
    return {b.rater_id: b for b in MassesBallot.objects.filter(period=period, rater__in=raters)}


def printable_ballots(*, period: Period, branch: Branch | None) -> QuerySet[MassesBallot]:
    """The branch's links still to hand out: neither revoked nor used."""
    return (
        MassesBallot.objects.filter(period=period, rater__branch=branch, revoked_at__isnull=True, used=False)
        .select_related("rater")
        .order_by("rater__employee_no")
    )


def ballot_get_by_token(*, token: str) -> MassesBallot:
    """The link's ballot: the token is the only key a masses rater has (404 otherwise)."""
    ballot = MassesBallot.objects.select_related("period__rubric", "rater__branch").filter(token=token).first()
    if ballot is None:
        raise Http404
    return ballot
