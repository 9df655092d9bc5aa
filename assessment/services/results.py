"""Computing and publishing a period's results.

The heavy part is one GROUP BY over the ratings (sum and count of totals per
member and rater group); the arithmetic is assessment/scoring.py; the results
are rewritten whole with bulk inserts (never a query per member).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from members.models import User
from members.roles import get_roles
from study.models import Talk

from .. import scoring
from ..models import Period, RaterGroup, Rating, Result
from . import AssessmentError

GROUPS = [RaterGroup.SELF, RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG]
TALK_DAYS = 30


@dataclass(frozen=True)
class ComputeSummary:
    members: int
    flags: dict[str, int]


def _require_admin(actor: User | None) -> None:
    if actor is not None and not get_roles(actor).is_admin:
        raise AssessmentError(_("Only administrators can do this."))


def compute_rows(period: Period, *, now: datetime.datetime) -> list[Result]:
    """The period's results, computed but not saved."""
    sums = (
        Rating.objects.filter(period=period, ratee__is_active=True)
        .order_by()
        .values("ratee_id", "ratee__branch_id", "ratee__group_id", "rater_group")
        .annotate(total_sum=Sum("total"), n=Count("pk"))
    )
    per_member: dict[int, dict] = {}
    for row in sums.iterator(chunk_size=10000):
        entry = per_member.setdefault(
            row["ratee_id"], {"branch": row["ratee__branch_id"], "group": row["ratee__group_id"], "scores": {}}
        )
        entry["scores"][row["rater_group"]] = (scoring.group_mean(row["total_sum"], row["n"]), row["n"])
    weights = period.weights
    results: list[Result] = []
    for member_id, entry in per_member.items():
        means = {g: entry["scores"][g][0] if g in entry["scores"] else None for g in GROUPS}
        total = scoring.weighted_total(means, weights)
        if total is None:
            continue
        result = Result(
            period=period,
            member_id=member_id,
            branch_id=entry["branch"],
            group_id=entry["group"],
            total=total,
            flag=scoring.flag_for(total),
            rank_branch=0,
            rank_company=0,
            computed_at=now,
        )
        for g in GROUPS:
            if g in entry["scores"]:
                mean, n = entry["scores"][g]
                setattr(result, f"score_{g}", scoring.round_half_up(mean, Decimal("0.0001")))
                setattr(result, f"count_{g}", n)
        results.append(result)
    company = scoring.competition_ranks([(i, r.total) for i, r in enumerate(results)])
    by_branch: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for i, r in enumerate(results):
        by_branch[r.branch_id].append((i, r.total))
        r.rank_company = company[i]
    for members in by_branch.values():
        for i, rank in scoring.competition_ranks(members).items():
            results[i].rank_branch = rank
    return results


@transaction.atomic
def results_compute(*, actor: User | None, period_id: int) -> ComputeSummary:
    """Totals, ranks and flags for the period; recomputing gives the same result."""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.state not in (Period.State.OPEN, Period.State.CLOSED):
        raise AssessmentError(
            _("Results of a period that is “%(state)s” cannot be computed.") % {"state": period.get_state_display()}
        )
    now = timezone.now()
    results = compute_rows(period, now=now)
    _store_results(period=period, results=results, actor=actor, now=now)
    period.computed_at = now
    period._history_user = actor
    period.save(update_fields=["computed_at"])
    flags = defaultdict(int)
    for r in results:
        flags[r.flag] += 1
    return ComputeSummary(members=len(results), flags=dict(flags))


# What a computation sets on a result; a row whose values all stay the same is left alone.
RESULT_VALUES = [
    "branch_id",
    "group_id",
    *(f"score_{g}" for g in GROUPS),
    *(f"count_{g}" for g in GROUPS),
    "total",
    "rank_branch",
    "rank_company",
    "flag",
]
BATCH = 2000


def _store_results(*, period: Period, results: list[Result], actor: User | None, now: datetime.datetime) -> None:
    """Write the computed results over the stored ones, with a history row for each change.

    New results are inserted, changed ones updated and results of members no longer
    rated removed, each kind in batches together with its history rows (who and when),
    so the audit trail costs a few statements per batch, never one per member.
    """
    stored = {r.member_id: r for r in Result.objects.filter(period=period).order_by()}
    created: list[Result] = []
    changed: list[Result] = []
    for result in results:
        old = stored.pop(result.member_id, None)
        if old is None:
            created.append(result)
        elif any(getattr(old, name) != getattr(result, name) for name in RESULT_VALUES):
            result.pk = old.pk
            changed.append(result)
    if stored:
        gone = list(stored.values())
        history = Result.history.model
        names = [f.attname for f in Result._meta.concrete_fields]
        history.objects.bulk_create(
            [
                history(
                    **{name: getattr(r, name) for name in names},
                    history_type="-",
                    history_date=now,
                    history_user=actor,
                )
                for r in gone
            ],
            batch_size=BATCH,
        )
        ids = [r.pk for r in gone]
        for start in range(0, len(ids), BATCH):
            # A plain DELETE: the history rows were written just above, and the ORM's
            # delete() would send a signal (and write a history row) per result.
            Result.objects.filter(pk__in=ids[start : start + BATCH])._raw_delete(Result.objects.db)
    if changed:
        bulk_update_with_history(
            changed,
            Result,
            [*RESULT_VALUES, "computed_at"],
            batch_size=BATCH,
            default_user=actor,
            default_date=now,
        )
    if created:
        bulk_create_with_history(created, Result, batch_size=BATCH, default_user=actor, default_date=now)


@transaction.atomic
def results_publish(*, actor: User | None, period_id: int) -> tuple[ComputeSummary, int]:
    """Publish: compute afresh from the closed period's ratings, show the results to
    members, and open a follow-up talk for every member at yellow or below."""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.state == Period.State.PUBLISHED:
        raise AssessmentError(_("The results of %(period)s are already published.") % {"period": period.name})
    if period.state != Period.State.CLOSED:
        raise AssessmentError(_("Close the period for rating before publishing its results."))
    summary = results_compute(actor=actor, period_id=period.pk)
    period.refresh_from_db()
    period.state = Period.State.PUBLISHED
    period.published_at = timezone.now()
    period.version += 1
    period._history_user = actor
    period.save(update_fields=["state", "published_at", "version"])
    subject = f"assessment:{period.code}"
    due = timezone.localdate() + datetime.timedelta(days=TALK_DAYS)
    flag_names = dict(Result.Flag.choices)
    # The talk's reason is stored text: write it in the site's language, not the publisher's.
    with translation.override(settings.LANGUAGE_CODE):
        talks = _talks_for(period, subject=subject, due=due, flag_names=flag_names)
    # A member who already has this period's talk gets no second one (the unique
    # (member, subject) constraint backs this up); the period's row lock keeps two
    # publications from racing.
    have = set(Talk.objects.filter(subject=subject).values_list("member_id", flat=True))
    talks = [t for t in talks if t.member_id not in have]
    bulk_create_with_history(talks, Talk, batch_size=BATCH, default_user=actor, default_date=timezone.now())
    return summary, len(talks)


def _talks_for(period: Period, *, subject: str, due, flag_names) -> list[Talk]:
    return [
        Talk(
            member_id=r.member_id,
            branch_id=r.branch_id,
            source=Talk.Source.ASSESSMENT,
            subject=subject,
            reason=_("%(period)s: total %(total)s, %(flag)s.")
            % {"period": period.name, "total": r.total, "flag": flag_names[r.flag]},
            due_on=due,
        )
        for r in Result.objects.filter(period=period, flag__in=scoring.TALK_FLAGS).only(
            "member_id", "branch_id", "total", "flag"
        )
    ]
