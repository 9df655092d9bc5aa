"""Last year's period through its publicity window (公示期) to final, for the demo.

The real services do the work — results computed, three objections filed by members
and ruled by their branch secretaries (two rejected, one upheld with the organisation
rating corrected and the results recomputed), the period finalised by the nightly
task once the window had ended — and then the dates are set back to last January,
when it all happened. The window was published without its follow-up talks: those
were held long ago, and the demo opens none for last year (``results_publish`` would
open one for every member at yellow or below, tens of thousands at scale).

member1 has one of the objections (rejected), so the demo shows a member's objection
and its ruling; the upheld one is chosen to lift a member from yellow to red, so it
opens no talk either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Member
from partybuild.lib.dates import add_working_days

from .. import scoring
from ..models import Objection, Period, RaterGroup, Rating, Result
from ..services.objections import objection_file, objection_rule, results_finalize
from ..services.results import results_compute

# What the members wrote and what their committees answered (stored text: the site's language).
REJECTED = [
    (
        "同组互评分数明显偏低。本人本年度承担了班组安全攻坚任务，请支部复核评分。",
        "经支部委员会复核，互评和群众评议均按规定程序进行，评分有效，维持原结果。",
    ),
    (
        "对组织评价中“作用发挥”一项的扣分有异议。",
        "经核查，该项扣分依据为全年两次未按时参加组织生活的记录，扣分属实，不予支持。",
    ),
]
UPHELD = (
    "组织评价漏记了本人牵头完成的技术攻关项目，请予更正。",
    "经核实，该项目已通过公司验收，组织评价相应项目补记得分，考核结果重新计算。",
)
# The corrected organisation rating of the upheld objection.
CORRECTED_ORG_TOTAL = Decimal("98")


@dataclass(frozen=True)
class Window:
    published: datetime.datetime
    ends_on: datetime.date
    finalized: datetime.datetime


def window_of(today: datetime.date, days: int) -> Window:
    """Published on 20 January (or two weeks ago, early in January), open ``days``
    working days, finalised by the nightly task the night after its last day."""
    published_on = min(datetime.date(today.year, 1, 20), today - datetime.timedelta(days=14))
    ends_on = add_working_days(published_on, days)
    return Window(
        published=_at(published_on, 9),
        ends_on=ends_on,
        # The nightly task (assessment.finalize_due) runs at 00:30.
        finalized=_at(ends_on + datetime.timedelta(days=1), 0, 30),
    )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def publish_object_finalize(last: Period, *, today: datetime.date, scores_by_total) -> dict[str, int]:
    """Compute, publish, object, rule and finalise ``last`` (closed, its ratings sealed)."""
    results = results_compute(actor=None, period_id=last.pk).members
    window = window_of(today, last.publicity_days)
    stamp = timezone.now()
    # Published as results_publish leaves a period, but with the window still open today
    # (objections are filed against today's date), and without its follow-up talks.
    last.refresh_from_db()
    last.state = Period.State.PUBLISHED
    last.published_at = stamp
    last.publicity_ends_on = max(today, timezone.localdate())
    last.version += 1
    last._change_reason = "published"
    last.save(update_fields=["state", "published_at", "publicity_ends_on", "version"])

    objections = _object_and_rule(last, scores_by_total)
    # The window ended last January: the nightly task finalised the period after it.
    Period.objects.filter(pk=last.pk).update(
        computed_at=window.published - datetime.timedelta(days=5),
        published_at=window.published,
        publicity_ends_on=window.ends_on,
    )
    ruled = _set_back(last, window, objections)
    results_finalize(actor=None, period_id=last.pk)
    # The one write after the lock (docs/reliability.md): the demo's builder, in the
    # transaction that finalised the period, dates the finalisation and the history.
    Period.objects.filter(pk=last.pk).update(finalized_at=window.finalized)
    _set_back_history(last, window, ruled)
    return {
        "results": results,
        "objections": len(objections),
        "upheld": sum(o.state == Objection.State.UPHELD for o in objections),
    }


def _object_and_rule(period: Period, scores_by_total) -> list[Objection]:
    """member1's objection and one more, rejected; one upheld that lifts its member to red."""
    member1, branch = Member.objects.filter(user__username="member1").values_list("pk", "branch_id").first() or (
        None,
        Result.objects.filter(period=period).order_by("branch__sort_order").values_list("branch_id", flat=True).first(),
    )
    # member1's branch alone: its secretary rules on all three (at 100,000 members, a
    # company's results are too many to load as objects).
    results = {
        r.member_id: r
        for r in Result.objects.filter(period=period, branch_id=branch, member__user__isnull=False).select_related(
            "member__user"
        )
    }
    # Plain members only (the committee does not rule on its own).
    plain = sorted(
        (r for pk, r in results.items() if pk != member1 and r.member.committee_role == Member.CommitteeRole.NONE),
        key=lambda r: r.member.employee_no,
    )
    upheld = _one_to_uphold(period, plain)
    # Below red: a member at the top of the board has less to object to.
    others = sorted((r for r in plain if r is not upheld), key=lambda r: r.flag == "red")
    rejected = ([results[member1]] if member1 in results else []) + others
    rejected = rejected[:2]
    rulers = _secretaries({r.branch_id for r in [*rejected, upheld] if r is not None})

    objections = []
    for result, (reason, ruling) in zip(rejected, REJECTED, strict=False):
        if result.branch_id not in rulers:
            continue
        filed = objection_file(actor=result.member.user, period_id=period.pk, reason=reason)
        objections.append(
            objection_rule(
                actor=rulers[result.branch_id],
                objection_id=filed.pk,
                version=filed.version,
                upheld=False,
                ruling=ruling,
            )
        )
    if upheld is not None and upheld.branch_id in rulers:
        reason, ruling = UPHELD
        filed = objection_file(actor=upheld.member.user, period_id=period.pk, reason=reason)
        objections.append(
            objection_rule(
                actor=rulers[upheld.branch_id],
                objection_id=filed.pk,
                version=filed.version,
                upheld=True,
                ruling=ruling,
                org_scores=scores_by_total[CORRECTED_ORG_TOTAL],
            )
        )
    return objections


def _one_to_uphold(period: Period, plain: list[Result]) -> Result | None:
    """A yellow member whom the corrected organisation rating lifts to red (so no talk
    follows the ruling); failing one, the red member it lifts furthest."""
    weight = period.weights[RaterGroup.ORG]
    org = dict(
        Rating.objects.filter(
            period=period, rater_group=RaterGroup.ORG, withdrawn=False, ratee_id__in=[r.member_id for r in plain]
        ).values_list("ratee_id", "total")
    )
    best, best_gain = None, Decimal("-1")
    for result in plain:
        if result.member_id not in org:
            continue
        after = result.total + weight * (CORRECTED_ORG_TOTAL - org[result.member_id])
        if result.flag == "yellow" and scoring.flag_for(after) == "red":
            return result
        gain = after - result.total
        if result.flag == "red" and gain > best_gain:
            best, best_gain = result, gain
    return best


def _secretaries(branch_ids: set[int]) -> dict[int, object]:
    return {
        m.branch_id: m.user
        for m in Member.objects.filter(
            branch_id__in=branch_ids,
            committee_role=Member.CommitteeRole.SECRETARY,
            is_active=True,
            user__isnull=False,
        ).select_related("user")
    }


def _set_back(period: Period, window: Window, objections: list[Objection]) -> datetime.datetime:
    """The objections filed on the window's first days and ruled on its last (the period
    is not final yet: nothing here goes past the lock); when the upheld one was ruled."""
    upheld_at = _at(window.ends_on, 15)
    for i, objection in enumerate(objections):
        filed = window.published + datetime.timedelta(days=1 + i % 2, hours=i)
        ruled = _at(window.ends_on, 15) + datetime.timedelta(minutes=10 * i)
        Objection.objects.filter(pk=objection.pk).update(filed_at=filed, ruled_at=ruled)
        history = Objection.history.filter(id=objection.pk)
        history.filter(history_type="+").update(history_date=filed)
        history.filter(history_type="~").update(history_date=ruled)
        if objection.org_corrected:
            upheld_at = ruled
            # The corrected organisation rating's history row, written by the ruling.
            Rating.history.filter(
                period_id=period.pk, ratee_id=objection.member_id, rater_group=RaterGroup.ORG, history_type="~"
            ).update(history_date=ruled)
    return upheld_at


def _set_back_history(period: Period, window: Window, ruled: datetime.datetime) -> None:
    """Each step of the period's history on the day it happened."""
    when = {
        None: _at(period.starts_on, 8),
        "computed": window.published - datetime.timedelta(days=5),
        "published": window.published,
        "ruled": ruled,
        "finalized": window.finalized,
    }
    for reason, date in when.items():
        Period.history.filter(id=period.pk, history_change_reason=reason).update(history_date=date)
