"""The demo builder: every state occurs, the rows hang together, and it is set-based."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from assessment.demo.cards import build_cards, reset_cards
from assessment.models import Card, CardItem, CardLog, SelfCheck, SelfCheckEntry
from members import demo

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


def test_demo_cards_in_every_state_with_past_quarters_checked():
    demo.build(members=90, seed=3)
    year = 2026
    today = datetime.date(year, 8, 15)  # Q1 and Q2 are over
    with CaptureQueriesContext(connection) as ctx:
        summary = build_cards(year=year, today=today, rng=random.Random(1))
    assert len(ctx.captured_queries) < 40  # a constant number of statements, whatever the company size

    cards = Card.objects.filter(year=year, kind="goal_card")
    assert summary["cards"] == cards.count() > 70
    assert set(cards.values_list("status", flat=True)) == set(S.values)
    assert not cards.filter(member__user__username="member1").exists()  # member1 fills theirs in the demo

    # Cards that went to the branch have all five sections; drafts are half written; most have X tasks.
    for card in cards.exclude(status=S.DRAFT).prefetch_related("items")[:20]:
        assert {i.section for i in card.items.all()} >= {"goals", "measures", "commitments", "study", "masses"}
    assert not CardItem.objects.filter(card__status=S.DRAFT, section="study").exists()
    tasks = CardItem.objects.filter(section="tasks", card__in=cards)
    assert tasks.exists() and not tasks.filter(assigned_by__isnull=True).exists()
    assert summary["items"] == CardItem.objects.count()

    # Self-checks only on approved cards, only for the quarters that are over, in every state.
    checks = SelfCheck.objects.filter(card__in=cards)
    assert set(checks.values_list("checkpoint", flat=True)) == {"q1", "q2"}
    assert not checks.exclude(card__status=S.APPROVED).exists()
    assert set(checks.values_list("status", flat=True)) == set(K.values)
    per_check = checks.annotate(n=Count("entries", distinct=True), items=Count("card__items", distinct=True))
    assert all(c.n == c.items for c in per_check)
    assert summary["entries"] == SelfCheckEntry.objects.count()
    reported = SelfCheckEntry.objects.filter(self_check__status__in=[K.REPORTED, K.ACKNOWLEDGED])
    assert not reported.filter(result="").exists()
    assert not reported.filter(result="not_done", note="").exists()

    # History: every card was started by its member; every move has a row, in time order.
    assert CardLog.objects.filter(action="start").count() == cards.count()
    assert CardLog.objects.filter(action="approve").count() == cards.filter(status=S.APPROVED).count()
    assert CardLog.objects.filter(action="report").count() == checks.exclude(status=K.DRAFT).count()
    assert CardLog.objects.filter(action="assign_task").count() == tasks.count()
    returned_on_the_way = cards.filter(status=S.APPROVED, version=5)
    assert returned_on_the_way.exists()
    for card in [*returned_on_the_way[:10], *cards.filter(status=S.RETURNED)[:10]]:
        moves = list(
            card.logs.filter(self_check__isnull=True).exclude(action="assign_task").order_by("created_at", "pk")
        )
        assert [m.to_status for m in moves][-1] == card.status
        assert all(a.to_status == b.from_status for a, b in zip(moves, moves[1:], strict=False))
        times = [m.created_at for m in moves]
        assert times == sorted(times) and times[-1].date() <= today

    # A second run adds nothing; the reset removes it all.
    assert build_cards(year=year, today=today, rng=random.Random(1))["cards"] == 0
    reset_cards()
    assert not Card.objects.exists() and not CardLog.objects.exists()


def test_no_self_checks_before_the_first_quarter_is_over():
    demo.build(members=30, seed=4)
    summary = build_cards(year=2026, today=datetime.date(2026, 2, 1), rng=random.Random(2))
    assert summary["cards"] > 0 and summary["self_checks"] == 0 and summary["entries"] == 0
