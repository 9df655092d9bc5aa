"""Reads of pioneer posts and four-bests recognitions, scoped to the user asking.

Both records keep the branch and group the member stood in when they were made:
a member sees their own, a group leader those made in their group, the branch
committee its branch's, an administrator every one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from members.models import Member, User
from members.selectors import records_in_scope

from ..models import PioneerPost, Recognition
from .scope import member_text_q

State = PioneerPost.State


def pioneer_post_list_for_user(*, user: User) -> QuerySet[PioneerPost]:
    return records_in_scope(PioneerPost.objects.select_related("member", "branch", "group"), user=user)


def pioneer_post_get_for_user(*, user: User, pk: int) -> PioneerPost:
    """The designation if the user may see it; 404 otherwise (never someone else's data)."""
    try:
        return pioneer_post_list_for_user(user=user).select_related("designated_by__member").get(pk=pk)
    except (PioneerPost.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def state_q(state: str, *, today: datetime.date) -> Q:
    if state == State.UPCOMING:
        return Q(starts_on__gt=today)
    if state == State.ENDED:
        return Q(ends_on__lt=today)
    return Q(starts_on__lte=today, ends_on__gte=today)


def pioneer_post_filter(
    posts: QuerySet[PioneerPost],
    *,
    today: datetime.date,
    branch_id: int | None = None,
    group_id: int | None = None,
    member_id: int | None = None,
    member: str = "",
    year: int | None = None,
    kind: str | None = None,
    state: str | None = None,
) -> QuerySet[PioneerPost]:
    """Narrow a scoped list; ``year`` keeps the designations in force at any time that year."""
    if branch_id:
        posts = posts.filter(branch_id=branch_id)
    if group_id:
        posts = posts.filter(group_id=group_id)
    if member_id:
        posts = posts.filter(member_id=member_id)
    if member and member.strip():
        posts = posts.filter(member_text_q(member))
    if year:
        posts = posts.filter(starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1))
    if kind:
        posts = posts.filter(kind=kind)
    if state:
        posts = posts.filter(state_q(state, today=today))
    return posts


@dataclass(frozen=True)
class PostCounts:
    current: int = 0
    upcoming: int = 0
    ended: int = 0
    safety: int = 0
    management: int = 0
    efficiency: int = 0


def pioneer_post_counts(posts: QuerySet[PioneerPost], *, today: datetime.date) -> PostCounts:
    """How many of the posts are current, upcoming and ended, and the current ones by kind (one query)."""
    current = state_q(State.CURRENT, today=today)
    return PostCounts(
        **posts.order_by().aggregate(
            current=Count("pk", filter=current),
            upcoming=Count("pk", filter=state_q(State.UPCOMING, today=today)),
            ended=Count("pk", filter=state_q(State.ENDED, today=today)),
            safety=Count("pk", filter=current & Q(kind=PioneerPost.Kind.SAFETY)),
            management=Count("pk", filter=current & Q(kind=PioneerPost.Kind.MANAGEMENT)),
            efficiency=Count("pk", filter=current & Q(kind=PioneerPost.Kind.EFFICIENCY)),
        )
    )


def years_of(qs: QuerySet, field: str, *, today: datetime.date) -> list[int]:
    """The years the records span (for the year filter), newest first, always with this year.

    ``field`` is a date field or a year number field.
    """
    first = qs.order_by(field).values_list(field, flat=True).first()
    start = first.year if isinstance(first, datetime.date) else (first or today.year)
    return list(range(max(today.year, start), min(start, today.year) - 1, -1))


# ---------------------------------------------------------------------------
# Recognitions


def recognition_list_for_user(*, user: User) -> QuerySet[Recognition]:
    return records_in_scope(Recognition.objects.select_related("member", "branch", "group"), user=user)


def recognition_get_for_user(*, user: User, pk: int) -> Recognition:
    try:
        return recognition_list_for_user(user=user).get(pk=pk)
    except (Recognition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def recognition_filter(
    recognitions: QuerySet[Recognition],
    *,
    branch_id: int | None = None,
    group_id: int | None = None,
    member_id: int | None = None,
    member: str = "",
    year: int | None = None,
    quarter: int | None = None,
    best: str | None = None,
) -> QuerySet[Recognition]:
    """``quarter`` 0 keeps the whole-year recognitions, 1–4 that quarter's; None keeps all."""
    if branch_id:
        recognitions = recognitions.filter(branch_id=branch_id)
    if group_id:
        recognitions = recognitions.filter(group_id=group_id)
    if member_id:
        recognitions = recognitions.filter(member_id=member_id)
    if member and member.strip():
        recognitions = recognitions.filter(member_text_q(member))
    if year:
        recognitions = recognitions.filter(year=year)
    if quarter is not None:
        recognitions = recognitions.filter(quarter=quarter)
    if best:
        recognitions = recognitions.filter(best=best)
    return recognitions


def recognition_counts(recognitions: QuerySet[Recognition]) -> dict[str, int]:
    """How many of each of the four bests (one GROUP BY)."""
    counts = dict.fromkeys(Recognition.Best.values, 0)
    for best, n in recognitions.order_by().values_list("best").annotate(n=Count("pk")):
        counts[best] = n
    return counts


# ---------------------------------------------------------------------------
# A member's page


@dataclass
class MemberPosts:
    member: Member
    posts: list[PioneerPost]
    recognitions: list[Recognition]
    current: list[PioneerPost]


def member_posts(*, user: User, member: Member, today: datetime.date) -> MemberPosts:
    """The member's designations and recognitions the user may see, in two queries."""
    posts = list(pioneer_post_list_for_user(user=user).filter(member=member).order_by("-starts_on", "-pk"))
    for post in posts:
        post.state = post.state_on(today)
    recognitions = list(
        recognition_list_for_user(user=user).filter(member=member).order_by("-year", "-quarter", "best")
    )
    return MemberPosts(
        member=member,
        posts=posts,
        recognitions=recognitions,
        current=[p for p in posts if p.state == State.CURRENT],
    )
