"""Reads of objections (异议) to published results, each scoped to the user asking.

Who sees which objection: a member their own (on their result page); the branch
committee those of its branch; administrators every branch's. Nothing here reads who
gave a rating: the ratings a ruling may withdraw come from
``services.objections.ratings_to_rule_on`` (group, total and scores only).
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404

from members.models import User
from members.roles import Roles, get_roles

from ..models import Objection, Period, RaterGroup, Rating


def may_see_list(roles: Roles) -> bool:
    return roles.is_admin or roles.committee_branch_id is not None


def objection_periods() -> QuerySet[Period]:
    """The periods that may have objections: published (in the window) or final, newest first."""
    return Period.objects.filter(state__in=[Period.State.PUBLISHED, Period.State.FINAL]).order_by("-starts_on", "-code")


def objection_period(*, code: str | None) -> Period | None:
    """The period a list's query names, else the newest that may have objections."""
    periods = objection_periods()
    if code and len(code) <= 16 and "\x00" not in code:
        period = periods.filter(code=code).first()
        if period is not None:
            return period
    return periods.first()


def objection_list(*, period: Period, branch_id: int | None = None, state: str | None = None) -> QuerySet[Objection]:
    """A period's objections (of one branch, in one state), those awaiting a ruling first."""
    qs = Objection.objects.filter(period=period).select_related("member", "branch", "member__group")
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    if state:
        qs = qs.filter(state=state)
    waiting_first = Case(When(state=Objection.State.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.order_by(waiting_first, "-filed_at", "-pk")


def objection_counts(*, period: Period, branch_id: int | None = None) -> dict[str, int]:
    """How many of the period's objections (of one branch) are in each state (every state,
    0 when none): one GROUP BY, for the period's page, its finalise button and the lists."""
    qs = Objection.objects.filter(period=period)
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    counts = dict.fromkeys(Objection.State.values, 0)
    for state, n in qs.order_by().values_list("state").annotate(n=Count("pk")):
        counts[state] = n
    return counts


def objection_get_for_user(*, user: User, pk: int) -> Objection:
    """An objection the user may open: administrators any, the branch committee its
    branch's; 404 for everyone else (a member reads their own on their result page)."""
    roles = get_roles(user)
    qs = Objection.objects.select_related("member", "branch", "period", "period__rubric")
    if not roles.is_admin:
        if roles.committee_branch_id is None:
            raise Http404
        qs = qs.filter(branch_id=roles.committee_branch_id)
    objection = qs.filter(pk=pk).first()
    if objection is None:
        raise Http404
    return objection


def objection_of_member(*, period: Period, member_id: int) -> Objection | None:
    return Objection.objects.filter(period=period, member_id=member_id).first()


def org_rating_scores(*, objection: Objection) -> dict[str, str]:
    """The objector's current organisation rating's item scores (empty where there is none)."""
    rating = (
        Rating.objects.filter(
            period_id=objection.period_id, ratee_id=objection.member_id, rater_group=RaterGroup.ORG, withdrawn=False
        )
        .only("scores")
        .first()
    )
    return dict(rating.scores) if rating is not None else {}
