"""Reads of criticism meetings and their rectification items, scoped to the user asking.

An administrator sees every meeting; a branch's secretary or committee member the
branch's meetings; a member the meetings they took part in. Nobody else sees any.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import Member, User
from members.roles import Roles, get_roles

from ..models import Criticism, CriticismMeeting, RectificationItem, RectificationUpdate, SelfCriticism

ItemStatus = RectificationItem.Status
Participation = CriticismMeeting.participants.through


def _meeting_scope(roles: Roles) -> Q | None:
    """The Q a meeting must match to be visible; None means every meeting."""
    if roles.is_admin:
        return None
    scope = Q(pk__in=[])
    if roles.committee_branch_id is not None:
        scope |= Q(branch_id=roles.committee_branch_id)
    if roles.member is not None:
        scope |= Q(pk__in=Participation.objects.filter(member_id=roles.member.pk).values("criticismmeeting_id"))
    return scope


def meeting_list_for_user(*, user: User) -> QuerySet[CriticismMeeting]:
    qs = CriticismMeeting.objects.select_related("branch")
    scope = _meeting_scope(get_roles(user))
    return qs if scope is None else qs.filter(scope)


def meeting_get_for_user(*, user: User, pk: int) -> CriticismMeeting:
    """The meeting if the user may see it; 404 otherwise (never someone else's data)."""
    try:
        return meeting_list_for_user(user=user).get(pk=pk)
    except (CriticismMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _count(qs: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values("meeting_id").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def meeting_list_with_counts(meetings: QuerySet[CriticismMeeting], *, today: datetime.date):
    """The meetings with head counts and open / overdue rectification items, one query a page."""
    items = RectificationItem.objects.filter(meeting=OuterRef("pk")).exclude(status=ItemStatus.DONE)
    return meetings.annotate(
        participant_count=Coalesce(
            Subquery(
                Participation.objects.filter(criticismmeeting_id=OuterRef("pk"))
                .order_by()
                .values("criticismmeeting_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        open_item_count=_count(items),
        overdue_item_count=_count(items.filter(deadline__lt=today)),
    )


def meeting_years(meetings: QuerySet[CriticismMeeting]) -> list[int]:
    """The years in which the user's meetings were held, newest first (for the year filter)."""
    return [d.year for d in meetings.order_by().dates("held_on", "year", order="DESC")]


def meeting_participants(meeting: CriticismMeeting) -> QuerySet[Member]:
    return meeting.participants.select_related("group").order_by("group__sort_order", "employee_no")


def self_criticism_writer_get(
    *, user: User, meeting: CriticismMeeting, member_pk: int | None, can_manage: bool
) -> Member:
    """Whose self-criticism the user writes: their own (no member named) or, for whoever
    manages the meeting, a participant's. 404 for someone not taking part, 403 otherwise."""
    me = get_roles(user).member
    if member_pk is None:
        if me is None:
            raise PermissionDenied
        member_pk = me.pk
    member = meeting_participants(meeting).filter(pk=member_pk).first()
    if member is None:
        raise Http404
    if not (member.pk == getattr(me, "pk", None) or can_manage):
        raise PermissionDenied
    return member


def self_criticism_get(*, meeting: CriticismMeeting, member: Member) -> SelfCriticism | None:
    return SelfCriticism.objects.filter(meeting=meeting, member=member).first()


def critic_get(*, user: User, meeting: CriticismMeeting, can_manage: bool) -> Member | None:
    """Who a criticism is recorded as coming from: the participant themselves, or None when
    the user manages the meeting (the form then names the critic); 403 for anyone else."""
    if can_manage:
        return None
    me = get_roles(user).member
    critic = meeting_participants(meeting).filter(pk=me.pk).first() if me is not None else None
    if critic is None:
        raise PermissionDenied
    return critic


@dataclass
class ParticipantRow:
    member: Member
    self_criticism: SelfCriticism | None
    criticisms_given: int = 0
    criticisms_received: int = 0
    items: int = 0


@dataclass
class MeetingDetail:
    meeting: CriticismMeeting
    participants: list[ParticipantRow]
    criticisms: list[Criticism]
    items: list[RectificationItem]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return sum(1 for row in self.participants if row.self_criticism is not None)


def _with_overdue(items: QuerySet[RectificationItem], today: datetime.date) -> QuerySet[RectificationItem]:
    return items.annotate(
        is_overdue=ExpressionWrapper(Q(deadline__lt=today) & ~Q(status=ItemStatus.DONE), output_field=BooleanField())
    )


def _updates_prefetch() -> Prefetch:
    return Prefetch(
        "updates",
        queryset=RectificationUpdate.objects.select_related("author__member").order_by("created_at", "pk"),
    )


def meeting_detail(*, meeting: CriticismMeeting, today: datetime.date) -> MeetingDetail:
    """Everything the meeting page shows, in a fixed number of queries however big the meeting."""
    members = list(meeting_participants(meeting))
    self_criticisms = {s.member_id: s for s in SelfCriticism.objects.filter(meeting=meeting)}
    criticisms = list(
        Criticism.objects.filter(meeting=meeting).select_related("from_member", "to_member").order_by("pk")
    )
    items = list(
        _with_overdue(RectificationItem.objects.filter(meeting=meeting), today)
        .select_related("owner")
        .prefetch_related(_updates_prefetch())
        .order_by("deadline", "pk")
    )
    rows = {m.pk: ParticipantRow(member=m, self_criticism=self_criticisms.get(m.pk)) for m in members}
    for c in criticisms:
        if c.from_member_id in rows:
            rows[c.from_member_id].criticisms_given += 1
        if c.to_member_id in rows:
            rows[c.to_member_id].criticisms_received += 1
    for item in items:
        if item.owner_id in rows:
            rows[item.owner_id].items += 1
    counts = {status: 0 for status in ItemStatus.values}
    for item in items:
        counts[item.status] += 1
    counts["overdue"] = sum(1 for item in items if item.is_overdue)
    return MeetingDetail(
        meeting=meeting, participants=list(rows.values()), criticisms=criticisms, items=items, counts=counts
    )


def rectification_item_get(*, meeting: CriticismMeeting, pk: int, today: datetime.date) -> RectificationItem:
    """A rectification item of a meeting the user already may see; 404 if it is not that meeting's."""
    try:
        return (
            _with_overdue(RectificationItem.objects.filter(meeting=meeting), today)
            .select_related("owner", "meeting")
            .prefetch_related(_updates_prefetch())
            .get(pk=pk)
        )
    except (RectificationItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _open_items(today: datetime.date) -> QuerySet[RectificationItem]:
    return (
        _with_overdue(RectificationItem.objects.exclude(status=ItemStatus.DONE), today)
        .select_related("owner", "meeting", "meeting__branch")
        .order_by(F("is_overdue").desc(), "deadline", "pk")
    )


def rectification_items_open_for_user(*, user: User, today: datetime.date) -> QuerySet[RectificationItem]:
    """The user's own unfinished rectification items, overdue first."""
    member = get_roles(user).member
    if member is None:
        return RectificationItem.objects.none()
    return _open_items(today).filter(owner_id=member.pk)


def rectification_items_open_for_branch(
    *, user: User, today: datetime.date, branch_id: int | None = None
) -> QuerySet[RectificationItem]:
    """Unfinished rectification items of the meetings the user oversees, overdue first.

    The committee sees its branch's; an administrator every branch's, or one branch's
    when ``branch_id`` is given; anyone else sees none.
    """
    roles = get_roles(user)
    items = _open_items(today)
    if roles.is_admin:
        return items if branch_id is None else items.filter(meeting__branch_id=branch_id)
    if roles.committee_branch_id is None or branch_id not in (None, roles.committee_branch_id):
        return RectificationItem.objects.none()
    return items.filter(meeting__branch_id=roles.committee_branch_id)
