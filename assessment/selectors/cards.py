"""Reads of cards and their self-checks, each scoped to the user asking.

The scope rule: a member sees their own cards; a group leader the cards of their
group once submitted; the branch committee the branch's; administrators all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy, pgettext_lazy

from members import selectors as member_selectors
from members.models import Member, User

from ..models import CARD_TEMPLATES, Card, CardItem, CardLog, Checkpoint, SectionSpec, SelfCheck, SelfCheckEntry
from ..models.cards import checkpoint_opens

CS = Card.Status
KS = SelfCheck.Status

NOT_STARTED = "not_started"
BOARD_STATES = [NOT_STARTED, *CS.values]
STATE_LABELS = {NOT_STARTED: gettext_lazy("Not started"), **dict(CS.choices)}

# What the board shows for one member at one checkpoint.
CHECK_NOT_DUE = "not_due"  # no approved card, or the checkpoint has not opened
CHECK_NOT_REPORTED = "not_reported"  # due, and not (yet, or again) with the branch
CHECK_FILTERS = {
    CHECK_NOT_REPORTED: gettext_lazy("Not reported"),
    KS.REPORTED: gettext_lazy("Waiting for review"),
    KS.ACKNOWLEDGED: pgettext_lazy("self-check state", "Reviewed"),
    KS.RETURNED: gettext_lazy("Returned for correction"),
}


def card_list_for_user(*, user: User) -> QuerySet[Card]:
    """The scope rule; a group leader sees no drafts."""
    qs = Card.objects.select_related("member", "branch", "group")
    return member_selectors.records_in_scope(qs, user=user, hidden_from_group=Q(status=CS.DRAFT))


def card_get_for_user(*, user: User, pk: int) -> Card:
    """The card if the user may see it; 404 otherwise (never someone else's data)."""
    try:
        return card_list_for_user(user=user).get(pk=pk)
    except (Card.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def self_check_get_for_user(*, user: User, card_pk: int, checkpoint: str) -> tuple[Card, SelfCheck | None]:
    """The card (scoped as above) and its self-check at the checkpoint, if one was started."""
    card = card_get_for_user(user=user, pk=card_pk)
    if checkpoint not in card.template.checkpoints:
        raise Http404
    return card, card.checks.filter(checkpoint=checkpoint).first()


def my_cards(*, member: Member, kind: str) -> QuerySet[Card]:
    return Card.objects.filter(member=member, kind=kind).order_by("-year")


# ---------------------------------------------------------------------------
# One card


@dataclass
class SectionRows:
    spec: SectionSpec
    items: list[CardItem] = field(default_factory=list)


def card_sections(*, card: Card) -> list[SectionRows]:
    """The card's items under its template's sections, in order (one query)."""
    sections = {spec.key: SectionRows(spec) for spec in card.template.sections}
    for item in card.items.select_related("assigned_by__member").order_by("position", "pk"):
        if item.section in sections:
            sections[item.section].items.append(item)
    return list(sections.values())


@dataclass(frozen=True)
class CheckpointRow:
    checkpoint: str
    label: str
    opens: datetime.date
    is_open: bool
    check: SelfCheck | None


def card_checkpoints(*, card: Card, today: datetime.date) -> list[CheckpointRow]:
    """Each checkpoint of the card's template with its self-check, if any (one query)."""
    checks = {c.checkpoint: c for c in card.checks.all()}
    labels = dict(Checkpoint.choices)
    return [
        CheckpointRow(
            checkpoint=cp,
            label=labels[cp],
            opens=checkpoint_opens(cp, card.year),
            is_open=checkpoint_opens(cp, card.year) <= today,
            check=checks.get(cp),
        )
        for cp in card.template.checkpoints
    ]


def card_logs(*, card: Card) -> QuerySet[CardLog]:
    return card.logs.select_related("actor__member", "self_check").order_by("created_at", "pk")


@dataclass(frozen=True)
class EntryRow:
    item: CardItem
    entry: SelfCheckEntry | None


def self_check_rows(*, card: Card, self_check: SelfCheck | None) -> list[tuple[SectionSpec, list[EntryRow]]]:
    """Every item of the card with its entry in the check, by section (two queries)."""
    entries = {}
    if self_check is not None:
        entries = {e.item_id: e for e in self_check.entries.all()}
    rows = []
    for section in card_sections(card=card):
        if section.items:
            rows.append((section.spec, [EntryRow(item, entries.get(item.pk)) for item in section.items]))
    return rows


def cards_for_document(cards) -> None:
    """Fetch what a card's Word document shows for every card of ``cards`` at once: the
    items (with who assigned each X task), the self-checks with their entries, and the log
    (for the branch's comments). Four queries however many cards and items."""
    prefetch_related_objects(
        list(cards),
        Prefetch("items", queryset=CardItem.objects.select_related("assigned_by__member").order_by("position", "pk")),
        Prefetch("checks", queryset=SelfCheck.objects.order_by("checkpoint")),
        Prefetch("checks__entries", queryset=SelfCheckEntry.objects.order_by()),
        Prefetch("logs", queryset=CardLog.objects.select_related("actor__member").order_by("created_at", "pk")),
    )


# ---------------------------------------------------------------------------
# The branch's board


def card_board(*, branch_id: int, year: int, kind: str) -> QuerySet[Member]:
    """Every active member of the branch with their card's id and state for the year and,
    per checkpoint of the kind, their self-check's state — in one query."""
    card = Card.objects.filter(member=OuterRef("pk"), kind=kind, year=year)
    annotations = {
        "card_id": Subquery(card.values("pk")[:1]),
        "card_status": Subquery(card.values("status")[:1]),
        "card_updated": Subquery(card.values("updated_at")[:1]),
    }
    for cp in CARD_TEMPLATES[kind].checkpoints:
        check = SelfCheck.objects.filter(
            card__member=OuterRef("pk"), card__kind=kind, card__year=year, checkpoint=cp
        ).values("status")[:1]
        annotations[f"check_{cp}"] = Subquery(check)
    return (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .select_related("group")
        .annotate(**annotations)
        .order_by("group__sort_order", "employee_no")
    )


def filter_card_board(
    members: QuerySet[Member],
    *,
    state: str | None = None,
    group_id: int | None = None,
    checkpoint: str | None = None,
    check_state: str | None = None,
    search: str = "",
) -> QuerySet[Member]:
    if group_id:
        members = members.filter(group_id=group_id)
    if search:
        members = members.filter(Q(name__icontains=search) | Q(employee_no__icontains=search))
    if state == NOT_STARTED:
        members = members.filter(card_id__isnull=True)
    elif state in CS.values:
        members = members.filter(card_status=state)
    if checkpoint and check_state in CHECK_FILTERS:
        column = f"check_{checkpoint}"
        if check_state == CHECK_NOT_REPORTED:
            members = members.filter(card_status=CS.APPROVED).filter(
                Q(**{f"{column}__isnull": True}) | Q(**{f"{column}__in": [KS.DRAFT, KS.RETURNED]})
            )
        else:
            members = members.filter(**{column: check_state})
    return members


def board_cell(*, card_status: str | None, check_status: str | None, opens: datetime.date, today: datetime.date) -> str:
    """What the board shows for one member at one checkpoint."""
    if check_status in (KS.REPORTED, KS.ACKNOWLEDGED, KS.RETURNED):
        return check_status
    if card_status != CS.APPROVED or today < opens:
        return CHECK_NOT_DUE
    return CHECK_NOT_REPORTED


def with_board_cells(members, *, kind: str, year: int, today: datetime.date) -> None:
    """Give each member of a board's page their card's state (``state``) and, per
    checkpoint of the kind, what the board shows there (``cells``: (checkpoint, cell))."""
    checkpoints = CARD_TEMPLATES[kind].checkpoints
    opens = {cp: checkpoint_opens(cp, year) for cp in checkpoints}
    for member in members:
        member.state = member.card_status or NOT_STARTED
        member.cells = [
            (
                cp,
                board_cell(
                    card_status=member.card_status,
                    check_status=getattr(member, f"check_{cp}"),
                    opens=opens[cp],
                    today=today,
                ),
            )
            for cp in checkpoints
        ]


@dataclass(frozen=True)
class CheckpointCounts:
    checkpoint: str
    label: str
    is_open: bool
    expected: int  # approved cards
    waiting: int
    acknowledged: int
    returned: int

    @property
    def reported(self) -> int:
        return self.waiting + self.acknowledged

    @property
    def not_reported(self) -> int:
        return max(self.expected - self.reported, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 0


@dataclass(frozen=True)
class BoardCounts:
    total: int
    by_state: dict[str, int]
    checkpoints: list[CheckpointCounts]


def card_board_counts(*, branch_id: int, year: int, kind: str, today: datetime.date) -> BoardCounts:
    """Head counts for the board: members per card state and, per checkpoint, how many
    approved cards have been reported and reviewed (three queries)."""
    total = Member.objects.filter(branch_id=branch_id, is_active=True).count()
    cards = Card.objects.filter(kind=kind, year=year, member__branch_id=branch_id, member__is_active=True)
    by_state = {state: 0 for state in BOARD_STATES}
    for row in cards.order_by().values("status").annotate(n=Count("pk")):
        by_state[row["status"]] = row["n"]
    by_state[NOT_STARTED] = max(total - sum(by_state.values()), 0)
    checks: dict[str, dict[str, int]] = {}
    for row in (
        SelfCheck.objects.filter(card__in=cards.filter(status=CS.APPROVED))
        .order_by()
        .values("checkpoint", "status")
        .annotate(n=Count("pk"))
    ):
        checks.setdefault(row["checkpoint"], {})[row["status"]] = row["n"]
    labels = dict(Checkpoint.choices)
    rows = []
    for cp in CARD_TEMPLATES[kind].checkpoints:
        got = checks.get(cp, {})
        rows.append(
            CheckpointCounts(
                checkpoint=cp,
                label=labels[cp],
                is_open=checkpoint_opens(cp, year) <= today,
                expected=by_state[CS.APPROVED],
                waiting=got.get(KS.REPORTED, 0),
                acknowledged=got.get(KS.ACKNOWLEDGED, 0),
                returned=got.get(KS.RETURNED, 0),
            )
        )
    return BoardCounts(total=total, by_state=by_state, checkpoints=rows)
