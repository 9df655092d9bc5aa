"""The world of the objection tests (issue 17): a published period whose ratings the
tests know by heart, and the moves every test makes (file, rule, set the window's end)."""

from __future__ import annotations

from decimal import Decimal

from assessment import scoring
from assessment.models import Objection, Period, RaterGroup, Rating, Result
from assessment.services import objections as services
from assessment.services.results import results_publish
from assessment.tests.factories import PeriodFactory, closed, rate, scores_totalling
from members.models import Member

PEER, MASSES, ORG, SELF = RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG, RaterGroup.SELF


def build(org, *, publish=True) -> Period:
    """Branch A: the member (self 90, peers 80/85/75 and a paper peer ballot of 80,
    masses 70, organisation 95), the groupmate (org 86), the leader (84), the secretary
    (60); branch B: member_b (org 91), its lone secretary (org 88, given by the
    administrator)."""
    period = PeriodFactory()
    rate(period, org.member, SELF, 90)
    for rater, total in ((org.groupmate, 80), (org.leader, 85), (org.secretary, 75)):
        rate(period, org.member, PEER, total, rater_member=rater)
    Rating.objects.create(
        period=period,
        ratee=org.member,
        rater_group=PEER,
        ballot_no="2026-P07",
        source=Rating.Source.PAPER,
        scores=scores_totalling(period, Decimal(80)),
        total=Decimal(80),
    )
    rate(period, org.member, MASSES, 70, rater_masses=org.masses)
    for member, total in (
        (org.member, 95),
        (org.groupmate, 86),
        (org.leader, 84),
        (org.secretary, 60),
        (org.member_b, 91),
        (org.other_secretary, 88),
    ):
        rate(period, member, ORG, total)
    closed(period)
    if publish:
        results_publish(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    return period


def result_of(period, member) -> Result:
    return Result.objects.get(period=period, member=member)


def file(member, period, reason="组织评分偏低，请复核") -> Objection:
    return services.objection_file(actor=member.user, period_id=period.pk, reason=reason)


def rule(actor, objection, *, upheld=False, ruling="经支委会复核，维持原结果", **changes) -> Objection:
    objection.refresh_from_db()
    return services.objection_rule(
        actor=actor.user if isinstance(actor, Member) else actor,
        objection_id=objection.pk,
        version=objection.version,
        upheld=upheld,
        ruling=ruling,
        **changes,
    )


def set_window_end(period, day) -> None:
    Period.objects.filter(pk=period.pk).update(publicity_ends_on=day)
    period.refresh_from_db()


def expected_total(period, member) -> Decimal:
    """The member's total by scoring.py's arithmetic from the ratings still counted."""
    means = {}
    for group in (SELF, PEER, MASSES, ORG):
        totals = list(
            Rating.objects.filter(period=period, ratee=member, rater_group=group, withdrawn=False).values_list(
                "total", flat=True
            )
        )
        means[group] = scoring.group_mean(sum(totals, Decimal(0)), len(totals)) if totals else None
    return scoring.weighted_total(means, period.weights)
