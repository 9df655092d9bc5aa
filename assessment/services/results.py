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
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members.models import Member, User
from members.roles import get_roles
from partybuild.lib.bulk_sql import insert_rows, quote
from partybuild.lib.dates import add_working_days
from partybuild.lib.signals import send_on_commit
from study import signals as study_signals
from study.models import Talk

from .. import scoring, signals
from ..models import MAX_PUBLICITY_DAYS, Period, RaterGroup, Rating, Result
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


# A result's values in the order compute_values gives them and the table stores them.
VALUE_COLUMNS = (
    "member_id",
    "branch_id",
    "group_id",
    *(f"score_{g}" for g in GROUPS),
    *(f"count_{g}" for g in GROUPS),
    "total",
    "rank_branch",
    "rank_company",
    "flag",
)


def compute_values(period: Period) -> list[list]:
    """The period's results as rows of VALUE_COLUMNS, computed but not saved: one GROUP BY
    over the ratings (each member's sum and count per rater group, side by side), then
    plain arithmetic per member (assessment/scoring.py)."""
    # Sums of whole tenths (the totals' unit): exact integers on either database (SQLite
    # keeps decimals as floats), an integer sum is cheaper than a numeric one, and no
    # Decimal is made per value on the way in.
    scale = 10 ** Rating._meta.get_field("total").decimal_places
    in_units = Cast(Round(F("total") * scale), BigIntegerField())
    figures = {}
    for g in GROUPS:
        figures[f"sum_{g}"] = Sum(in_units, filter=Q(rater_group=g))
        figures[f"n_{g}"] = Count("pk", filter=Q(rater_group=g))
    sums = Rating.objects.filter(period=period, withdrawn=False).order_by().values("ratee_id").annotate(**figures)
    inner, params = sums.query.sql_with_params()
    member = Member._meta
    pk, branch_id, group_id = (quote(member.get_field(f).column) for f in ("id", "branch", "group"))
    # The active members' branch and group joined to the figures, not grouped by with them:
    # a GROUP BY of the ratings alone is the cheapest the database can do.
    sql = (
        f"SELECT m.{pk}, m.{branch_id}, m.{group_id}, {', '.join('s.' + quote(name) for name in figures)} "  # noqa: S608
        f"FROM ({inner}) s JOIN {quote(member.db_table)} m ON m.{pk} = s.{quote('ratee_id')} "
        f"WHERE m.{quote('is_active')} ORDER BY m.{pk}"
    )
    if period.state == Period.State.PUBLISHED:
        # A ruling recomputes published results (services/objections.py): the members
        # published stay, in the branch and group they were posted in, even one who has
        # left or moved since; only the objector's ratings changed.
        result = Result._meta
        member_id, branch_id, group_id, period_id = (
            quote(result.get_field(f).column) for f in ("member", "branch", "group", "period")
        )
        sql = (
            f"SELECT r.{member_id}, r.{branch_id}, r.{group_id}, "  # noqa: S608
            f"{', '.join('s.' + quote(name) for name in figures)} "
            f"FROM ({inner}) s JOIN {quote(result.db_table)} r ON r.{member_id} = s.{quote('ratee_id')} "
            f"WHERE r.{period_id} = %s ORDER BY r.{member_id}"
        )
        params = (*params, period.pk)
    scores = scoring.PeriodScorer(GROUPS, period.weights, scale=scale)
    rows: list[list] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    for member_id, branch, group, *pairs in fetched:
        total, means = scores(pairs)
        if total is None:
            continue
        rows.append([member_id, branch, group, *means, *pairs[1::2], total, 0, 0, scoring.flag_for(total)])
    total_at = VALUE_COLUMNS.index("total")
    branch_at, rank_branch_at, rank_company_at = (
        VALUE_COLUMNS.index(c) for c in ("branch_id", "rank_branch", "rank_company")
    )
    for i, rank in scoring.competition_ranks([(i, row[total_at]) for i, row in enumerate(rows)]).items():
        rows[i][rank_company_at] = rank
    by_branch: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_branch[row[branch_at]].append((i, row[total_at]))
    for members in by_branch.values():
        for i, rank in scoring.competition_ranks(members).items():
            rows[i][rank_branch_at] = rank
    return rows


@transaction.atomic
def results_compute(*, actor: User | None, period_id: int) -> ComputeSummary:
    """Totals, ranks and flags for the period; recomputing gives the same result.

    Only once rating has closed: while it is open, two computations a rating apart
    would give that one rating away (its rater's scores). Never once published: from
    then on only a ruling on an objection changes a result (services/objections.py)."""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.state == Period.State.OPEN:
        raise AssessmentError(
            _("Rating is still open for %(period)s: results are computed once it has closed.") % {"period": period.name}
        )
    if period.state != Period.State.CLOSED:
        raise AssessmentError(
            _("Results of a period that is “%(state)s” cannot be computed.") % {"state": period.get_state_display()}
        )
    return recompute(period, actor=actor, reason="computed")


def recompute(period: Period, *, actor: User | None, reason: str) -> ComputeSummary:
    """Compute the period's results and store what changed, inside the caller's
    transaction and under its lock of the period row; ``reason`` goes into the period's
    history (see selectors.publicity.PERIOD_STEPS)."""
    if connection.vendor == "postgresql":
        # Results are derived data: a crash right after commit loses at most this
        # computation (all of it, atomically) — rerun it. Not waiting for the WAL flush
        # of a whole company's rows is a good part of the time.
        # And the whole company's sums are grouped in memory, not spilled to disk in batches.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL work_mem TO '64MB'")
    now = timezone.now()
    rows = compute_values(period)
    _store_results(period=period, rows=rows, actor=actor, now=now)
    period.computed_at = now
    period._history_user = actor
    period._change_reason = reason
    period.save(update_fields=["computed_at"])
    flags: dict[str, int] = defaultdict(int)
    flag_at = VALUE_COLUMNS.index("flag")
    for row in rows:
        flags[row[flag_at]] += 1
    return ComputeSummary(members=len(rows), flags=dict(flags))


BATCH = 2000


def _store_results(*, period: Period, rows: list[list], actor: User | None, now: datetime.datetime) -> None:
    """Write the computed results over the stored ones, with a history row for each change.

    Results that are new are inserted, changed ones replaced (same id) and those of
    members no longer rated removed; rows that stay the same are left alone, so their
    ``computed_at`` says when they last changed. Everything is written with a few
    set-based statements per batch — never an UPDATE per row (``bulk_update`` is two
    orders of magnitude slower here) — and the history rows (who and when) are copied
    from the results table by one INSERT … SELECT.
    """
    table = Result._meta.db_table
    stored = {
        row[0]: (pk, row)
        for pk, *row in Result.objects.filter(period=period).order_by().values_list("pk", *VALUE_COLUMNS)
    }
    created: list[list] = []
    changed: list[list] = []
    for row in rows:
        old = stored.pop(row[0], None)
        if old is None:
            created.append(row)
        elif old[1] != row:
            changed.append([old[0], *row])
    stamp = connection.ops.adapt_datetimefield_value(now)
    gone = [pk for pk, _row in stored.values()]
    for start in range(0, len(gone), BATCH):
        ids = gone[start : start + BATCH]
        _copy_history(
            where=f"r.{quote('id')} IN ({', '.join(['%s'] * len(ids))})", params=ids, kind="-", actor=actor, stamp=stamp
        )
    replaced = gone + [row[0] for row in changed]
    for start in range(0, len(replaced), BATCH):
        # Plain DELETEs: the ORM's delete() would send a signal (and write a history row) per result.
        Result.objects.filter(pk__in=replaced[start : start + BATCH])._raw_delete(Result.objects.db)
    insert_rows(table, ["period_id", *VALUE_COLUMNS, "computed_at"], ([period.pk, *row, stamp] for row in created))
    insert_rows(
        table,
        ["id", "period_id", *VALUE_COLUMNS, "computed_at"],
        ([row[0], period.pk, *row[1:], stamp] for row in changed),
    )
    if created or changed:
        _copy_history(
            where=f"r.{quote('period_id')} = %s AND r.{quote('computed_at')} = %s",
            params=[period.pk, stamp],
            # Only a mix needs the database to tell the new from the replaced, row by row.
            kind=None if created and changed else ("+" if created else "~"),
            actor=actor,
            stamp=stamp,
        )


def _copy_history(*, where: str, params: list, kind: str | None, actor: User | None, stamp) -> None:
    """One history row per result matching ``where``, copied by the database: of ``kind``,
    or "~" where the result has history already and "+" where it has none."""
    history = Result.history.model
    fields = [f.column for f in Result._meta.concrete_fields]
    table, history_table = quote(Result._meta.db_table), quote(history._meta.db_table)
    if kind is None:
        pk = quote("id")
        kind_sql = f"CASE WHEN EXISTS (SELECT 1 FROM {history_table} h WHERE h.{pk} = r.{pk}) THEN '~' ELSE '+' END"  # noqa: S608
        kind_params = []
    else:
        kind_sql, kind_params = "%s", [kind]
    columns = ", ".join(quote(c) for c in [*fields, "history_date", "history_type", "history_user_id"])
    selected = ", ".join("r." + quote(c) for c in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history_table} ({columns}) "  # noqa: S608 - names from the models
            f"SELECT {selected}, %s, {kind_sql}, %s FROM {table} r WHERE {where}",
            [stamp, *kind_params, actor.pk if actor else None, *params],
        )


@transaction.atomic
def results_publish(*, actor: User | None, period_id: int, days: int | None = None) -> tuple[ComputeSummary, int]:
    """Publish into the publicity window (公示期): compute afresh from the closed period's
    ratings, show the results to members until the window's last working day (``days``,
    the period's own number when not given), during which each may object, and open a
    follow-up talk for every member at yellow or below."""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.is_published:
        raise AssessmentError(_("The results of %(period)s are already published.") % {"period": period.name})
    if period.state != Period.State.CLOSED:
        raise AssessmentError(_("Close the period for rating before publishing its results."))
    days = period.publicity_days if days is None else days
    if not 1 <= days <= MAX_PUBLICITY_DAYS:
        raise AssessmentError(
            _("The publicity window is 1 to %(max)d working days; %(days)d was asked for.")
            % {"max": MAX_PUBLICITY_DAYS, "days": days}
        )
    summary = recompute(period, actor=actor, reason="computed")
    period.refresh_from_db()
    period.state = Period.State.PUBLISHED
    period.published_at = timezone.now()
    period.publicity_days = days
    period.publicity_ends_on = add_working_days(timezone.localdate(), days)
    period.version += 1
    period._history_user = actor
    period._change_reason = "published"
    period.save(update_fields=["state", "published_at", "publicity_days", "publicity_ends_on", "version"])
    subject = talk_subject(period)
    due = timezone.localdate() + datetime.timedelta(days=TALK_DAYS)
    talks = _talks_for(period, subject=subject, due=due)
    # A member who already has this period's talk gets no second one (the unique
    # (member, subject) constraint backs this up); the period's row lock keeps two
    # publications from racing.
    have = set(Talk.objects.filter(subject=subject).values_list("member_id", flat=True))
    talks = [t for t in talks if t.member_id not in have]
    bulk_create_with_history(talks, Talk, batch_size=BATCH, default_user=actor, default_date=timezone.now())
    send_on_commit(signals.results_published, Period, period=period)
    # The talks of this publication (a period is published once): member and holder hear of each.
    opened = Talk.objects.filter(subject=subject, status=Talk.Status.OPEN)
    send_on_commit(study_signals.talks_opened, Talk, talks=opened)
    return summary, len(talks)


def talk_subject(period: Period) -> str:
    """The subject of the period's follow-up talks (assessment/receivers.py reads it back)."""
    return f"assessment:{period.code}"


def talk_reason(period: Period, total: Decimal, flag: str) -> str:
    """A follow-up talk's reason, in the site's language (it is stored text)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(period)s: total %(total)s, %(flag)s.") % {
            "period": period.name,
            "total": total,
            "flag": Result.Flag(flag).label,
        }


def _talks_for(period: Period, *, subject: str, due) -> list[Talk]:
    # The talk's reason is stored text: written in the site's language, not the publisher's.
    return [
        Talk(
            member_id=r.member_id,
            branch_id=r.branch_id,
            source=Talk.Source.ASSESSMENT,
            subject=subject,
            reason=talk_reason(period, r.total, r.flag),
            due_on=due,
        )
        for r in Result.objects.filter(period=period, flag__in=scoring.TALK_FLAGS).only(
            "member_id", "branch_id", "total", "flag"
        )
    ]
