"""Cards in any state, for the card tests (and a check that the helpers build what they say).

They live here rather than in ``factories.py`` only because that module belongs to
the rating work; they can move there as they are.
"""

from __future__ import annotations

import factory
import pytest
from django.utils import timezone

from assessment.models import GOAL_CARD, Card, CardItem, CardLog, CheckResult, SelfCheck, SelfCheckEntry
from assessment.services import cards as services
from members.models import Member

THIS_YEAR = timezone.localdate().year
PERSONAS = ["member", "groupmate", "leader", "secretary", "committee", "other_secretary", "member_b", "masses", "admin"]


def user_of(org, who: str):
    return org.admin if who == "admin" else getattr(org, who).user


def others(*allowed: str) -> list[str]:
    return [p for p in PERSONAS if p not in allowed]


def assert_unchanged(card: Card, *, logs: int | None = None) -> None:
    """An illegal move leaves the card (and its log) as it was."""
    before = (card.status, card.version)
    card.refresh_from_db()
    assert (card.status, card.version) == before
    if logs is not None:
        assert CardLog.objects.filter(card=card).count() == logs


def last_log(card: Card) -> CardLog:
    return CardLog.objects.filter(card=card).last()


def entries_of(self_check, result=CheckResult.DONE, note="完成"):
    return {e.item_id: services.EntryInput(result=result, note=note) for e in self_check.entries.all()}


def items_input(**sections: list[str]) -> dict[str, list[services.ItemInput]]:
    return {key: [services.ItemInput(id=None, text=t) for t in texts] for key, texts in sections.items()}


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    kind = GOAL_CARD.kind
    year = THIS_YEAR
    branch = factory.SelfAttribute("member.branch")
    group = factory.SelfAttribute("member.group")


class CardItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CardItem

    section = "goals"
    text = factory.Sequence(lambda n: f"目标{n}")
    position = factory.Sequence(lambda n: n)


def card_in(
    member: Member,
    status: str = Card.Status.DRAFT,
    *,
    kind: str = GOAL_CARD.kind,
    year: int = THIS_YEAR,
    tasks: int = 0,
    assigned_by=None,
    **fields,
) -> Card:
    """A card with one item in every section the member writes, and ``tasks`` X tasks."""
    card = CardFactory(member=member, status=status, kind=kind, year=year, **fields)
    for position, spec in enumerate(card.template.member_sections):
        CardItemFactory(card=card, section=spec.key, text=f"{spec.key}-1", position=position)
    for n in range(tasks):
        CardItemFactory(card=card, section="tasks", text=f"任务{n + 1}", position=n, assigned_by=assigned_by)
    return card


def check_in(
    card: Card, status: str = SelfCheck.Status.DRAFT, *, checkpoint: str = "q1", filled: bool = False
) -> SelfCheck:
    """A self-check with one entry per item; ``filled`` marks every item done."""
    self_check = SelfCheck.objects.create(card=card, checkpoint=checkpoint, status=status)
    SelfCheckEntry.objects.bulk_create(
        [
            SelfCheckEntry(
                self_check=self_check,
                item=item,
                result=CheckResult.DONE if filled else "",
                note="按计划完成" if filled else "",
            )
            for item in card.items.all()
        ]
    )
    return self_check


@pytest.mark.django_db
def test_card_in_fills_every_member_section(org):
    card = card_in(org.member, Card.Status.APPROVED, tasks=2)
    sections = sorted(card.items.values_list("section", flat=True))
    assert sections == sorted(["goals", "measures", "commitments", "study", "masses", "tasks", "tasks"])
    assert (card.branch, card.group) == (org.branch_a, org.group_a1)


@pytest.mark.django_db
def test_check_in_gives_every_item_an_entry(org):
    card = card_in(org.member, Card.Status.APPROVED, tasks=1)
    self_check = check_in(card, filled=True)
    assert self_check.entries.count() == 6
    assert set(self_check.entries.values_list("result", flat=True)) == {CheckResult.DONE}
