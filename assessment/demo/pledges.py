"""Demo 3+X pledge forms: the first members of each of the first branches get one, in
every state (member1 gets none, so the walk-through can fill one)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from members.models import Member

from ..models.cards import Card, CardItem, CardKind

PLEDGE_TEXTS = {
    "goals": ["全年安全生产无事故，完成本岗位各项生产指标", "牵头完成一项设备技术改造"],
    "measures": ["每月开展一次岗位隐患自查", "带领班组开展技术攻关和岗位练兵"],
    "commitments": ["最难的任务我先上，最险的岗位我先守", "每季度至少提出一条合理化建议"],
}
PLEDGE_TASK = "配合支部完成年度“温暖传递”联系点走访"


@transaction.atomic
def build_pledges(*, year: int, seed: int = 2026, limit: int = 60) -> int:
    """3+X pledge forms for the first members of each of the first branches, in every state.

    member1 gets none, so the walk-through can fill one."""
    rng = random.Random(seed * 7 + 5)
    members = list(
        Member.objects.filter(is_active=True)
        .exclude(user__username="member1")
        .order_by("branch__sort_order", "employee_no")
        .values_list("pk", "branch_id", "group_id")[:limit]
    )
    states = [
        Card.Status.APPROVED,
        Card.Status.APPROVED,
        Card.Status.SUBMITTED,
        Card.Status.DRAFT,
        Card.Status.RETURNED,
    ]
    now = datetime.datetime.now(tz=datetime.UTC)
    cards = [
        Card(
            kind=CardKind.PLEDGE,
            member_id=pk,
            year=year,
            branch_id=branch,
            group_id=group,
            status=states[i % len(states)],
            role_aimed=rng.choice(Card.RoleAimed.values),
            submitted_at=None if states[i % len(states)] == Card.Status.DRAFT else now,
            approved_at=now if states[i % len(states)] == Card.Status.APPROVED else None,
        )
        for i, (pk, branch, group) in enumerate(members)
    ]
    Card.objects.bulk_create(cards, batch_size=2000)
    items = []
    for card in cards:
        for section, texts in PLEDGE_TEXTS.items():
            for position, text in enumerate(texts):
                items.append(CardItem(card=card, section=section, text=text, position=position))
        if card.status == Card.Status.APPROVED:
            items.append(CardItem(card=card, section="tasks", text=PLEDGE_TASK, position=0))
    CardItem.objects.bulk_create(items, batch_size=5000)
    return len(cards)
