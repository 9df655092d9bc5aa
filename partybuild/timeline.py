"""One member's history in one timeline, for administrators.

It gathers the records of every app (the roster, study, the evaluation), so it lives in
the composition root, where the apps come together; members itself imports no other app.

The audit history is spread over the historical tables of each kind of record:
the roster row, the member's quarterly reports, talks, results (with their flags),
cards, and the ratings the member received. The page shows them newest first in
one paginated list, built in a bounded number of queries whatever the length of
the history: one UNION of (kind, history id, date) rows is counted and sliced for
the page, then each kind's records on the page are read, with the records before them
(to show what changed), in one query.

Anonymity: peer and masses ratings have no history (it would say when each arrived
and, by its author, who gave it); the page counts them per period and rater group
instead (``anonymous_ratings_received``), at the resolution of the period. Ratings
the member gave are not part of their record and are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Count, OuterRef, Q, Subquery, Value
from django.db.models.query import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import ANONYMOUS_GROUPS, Card, Objection, Period, RaterGroup, Rating, Result
from members.forms import MEMBER_FIELDS
from members.models import Branch, Member, PartyGroup
from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, Talk

# A filter value no historical row has: keeps "read this kind's rows on the page"
# one real query even when the page has none of them, so the count stays flat.
_NONE = [0]

ACTIONS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    model: type
    member_field: str
    # Fields whose changes are listed, in order; on a creation, ``on_create`` ones are shown.
    fields: tuple[str, ...]
    on_create: tuple[str, ...] = ()
    labels: dict[str, Promise] | None = None

    @property
    def history(self):
        return self.model.history.model


# The roster row's changes are those of the fields people edit on it.
ROSTER_FIELDS = tuple(MEMBER_FIELDS)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("roster", gettext_lazy("Roster"), Member, "id", ROSTER_FIELDS),
        Kind(
            "report",
            gettext_lazy("Quarterly report"),
            QuarterlyReport,
            "member_id",
            (
                "status",
                "studied_notes",
                "insights",
                "org_life_notes",
                "analysis",
                "returned_sections",
                "group_opinion",
                "grade",
                "truly_studied",
                "truly_checked",
                "truly_rectified",
                "evaluation",
            ),
        ),
        Kind(
            "talk",
            gettext_lazy("Talk"),
            Talk,
            "member_id",
            ("status", "due_on", "talked_on", "talked_by", "problems", "response", "plan"),
            on_create=("reason", "due_on"),
        ),
        Kind(
            "result",
            gettext_lazy("Assessment result"),
            Result,
            "member_id",
            ("total", "flag", "rank_branch", "rank_company"),
            on_create=("total", "flag", "rank_branch", "rank_company"),
        ),
        Kind(
            "objection",
            gettext_lazy("Objection to a result"),
            Objection,
            "member_id",
            ("state", "ruling", "org_corrected", "ratings_withdrawn", "total_after", "flag_after"),
            on_create=("reason", "total_before", "flag_before"),
        ),
        Kind("card", gettext_lazy("Card"), Card, "member_id", ("status", "role_aimed")),
        Kind(
            "rating",
            gettext_lazy("Rating received"),
            Rating,
            "ratee_id",
            ("total",),
            on_create=("total",),
            labels={"total": gettext_lazy("total")},
        ),
    )
}


def anonymous_ratings_received(*, member: Member) -> list[tuple[Period, str, int]]:
    """(period, rater group label, how many) for each period in which the member received
    peer or masses ratings, newest period first: counts only, never who or when."""
    counts = (
        Rating.objects.filter(ratee=member, rater_group__in=ANONYMOUS_GROUPS)
        .order_by()
        .values_list("period_id", "rater_group")
        .annotate(n=Count("pk"))
    )
    periods = Period.objects.in_bulk({period_id for period_id, _group, _n in counts})
    rows = sorted(
        ((periods[period_id], str(RaterGroup(group).label), n) for period_id, group, n in counts),
        key=lambda row: row[1],
    )
    return sorted(rows, key=lambda row: (row[0].starts_on, row[0].code), reverse=True)


@dataclass(frozen=True)
class TimelineRow:
    kind: str
    kind_label: str
    subject: str
    when: object
    action: str  # "+", "~" or "-"
    who: str  # a name, the rater group of an anonymous rating, or "" for the system
    anonymous: bool
    changes: list[tuple[str, str, str]]  # (field label, old, new), values as people read them
    # The historical record itself; None for anonymous ratings, so not even the
    # page's context holds who gave them.
    record: object | None

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


def member_timeline(*, member: Member) -> QuerySet:
    """(timeline_kind, history_id, history_date) of everything in the member's history, newest first."""
    parts = [
        kind.history.objects.filter(**{kind.member_field: member.pk})
        .order_by()
        .annotate(timeline_kind=Value(kind.key, output_field=CharField()))
        .values("timeline_kind", "history_id", "history_date")
        for kind in KINDS.values()
    ]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id", "timeline_kind")


def _records(kind: Kind, ids: list[int]) -> dict[int, object]:
    """The kind's records with these history ids and the records before them (to show what
    changed), in one query, each with ``previous_id``: the history id of the record before it."""
    history = kind.history
    earlier = (
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    on_page = history.objects.filter(history_id__in=ids or _NONE).order_by()
    before = on_page.annotate(previous_id=Subquery(earlier)).filter(previous_id__isnull=False).values("previous_id")
    qs = (
        history.objects.filter(history_id__in=on_page.values("history_id").union(before, all=True))
        .select_related("history_user__member")
        .annotate(previous_id=Subquery(earlier))
    )
    return {record.history_id: record for record in qs}


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return ""
    member = getattr(user, "member", None)
    return member.name if member is not None else user.username


class _Names:
    """Branch, group and period names, read once for the page."""

    def __init__(self, pairs: list[tuple[object, object]], periods: set[int]):
        branches, groups = set(), set()
        for old, new in pairs:
            for record in (old, new):
                if record is None:
                    continue
                if getattr(record, "branch_id", None):
                    branches.add(record.branch_id)
                if getattr(record, "group_id", None):
                    groups.add(record.group_id)
        self.branch = dict(Branch.objects.filter(pk__in=branches or _NONE).values_list("pk", "name"))
        self.group = dict(PartyGroup.objects.filter(pk__in=groups or _NONE).values_list("pk", "name"))
        self.period = dict(Period.objects.filter(pk__in=periods or _NONE).values_list("pk", "name"))


def _readable(field, value, names: _Names) -> str:
    if value in (None, "", []):
        return ""
    if field.is_relation:
        return getattr(names, field.name, {}).get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if field.name == "returned_sections":
        sections = dict(QuarterlyReport.Section.choices)
        return "、".join(str(sections.get(s, s)) for s in value)
    return str(value)


def _changes(kind: Kind, record, previous, names: _Names) -> list[tuple[str, str, str]]:
    fields = {f.name: f for f in kind.model._meta.concrete_fields}
    if record.history_type == "+" or previous is None:
        wanted, previous = kind.on_create, None
    elif record.history_type == "-":
        return []
    else:
        wanted = kind.fields
    labels = kind.labels or {}
    changes = []
    for name in wanted:
        field = fields[name]
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, "", []):
            continue
        label = str(labels.get(name) or field.verbose_name)
        changes.append((label, _readable(field, old, names), _readable(field, new, names)))
    return changes


def _subject(kind: Kind, record, names: _Names) -> str:
    subjects: dict[str, Callable[[], str]] = {
        "roster": lambda: "",
        "report": lambda: Quarter.parse(record.quarter).label(),
        "talk": lambda: str(record.get_source_display()),
        "result": lambda: names.period.get(record.period_id, ""),
        "objection": lambda: names.period.get(record.period_id, ""),
        "card": lambda: f"{record.year} · {record.get_kind_display()}",
        "rating": lambda: f"{names.period.get(record.period_id, '')} · {RaterGroup(record.rater_group).label}",
    }
    return subjects[kind.key]()


def timeline_rows(entries: list[dict]) -> list[TimelineRow]:
    """The page's entries as rows people read, in the page's order."""
    by_kind: dict[str, list[int]] = {key: [] for key in KINDS}
    for entry in entries:
        by_kind[entry["timeline_kind"]].append(entry["history_id"])
    # Each kind's records on the page and, among the same rows, the records before them.
    previous = {key: _records(kind, by_kind[key]) for key, kind in KINDS.items()}
    records = {key: {i: previous[key][i] for i in by_kind[key] if i in previous[key]} for key in KINDS}
    pairs, periods = [], set()
    for key in KINDS:
        for record in records[key].values():
            pairs.append((previous[key].get(record.previous_id), record))
            if getattr(record, "period_id", None):
                periods.add(record.period_id)
    names = _Names(pairs, periods)
    rows = []
    for entry in entries:
        kind = KINDS[entry["timeline_kind"]]
        record = records[kind.key].get(entry["history_id"])
        if record is None:
            continue
        before = previous[kind.key].get(record.previous_id)
        anonymous = kind.key == "rating" and record.rater_group in ANONYMOUS_GROUPS
        rows.append(
            TimelineRow(
                kind=kind.key,
                kind_label=str(kind.label),
                subject=_subject(kind, record, names),
                when=record.history_date,
                action=record.history_type,
                who=str(RaterGroup(record.rater_group).label) if anonymous else _who(record),
                anonymous=anonymous,
                # Not even the score: one masses rating's score is that rater's own.
                changes=[] if anonymous else _changes(kind, record, before, names),
                record=None if anonymous else record,
            )
        )
    return rows
