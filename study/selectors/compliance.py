"""三会一课 compliance: each requirement against the meetings held, month by month or quarter
by quarter, for one branch or every branch, in a fixed number of queries however many branches.

What counts (study.models.MeetingRule):
- a study session counts once its attendance is taken; a themed Party day once it is marked
  held. Each counts in the month (or quarter) it took place, in the site's time zone;
- a session counts for its own kind's rule, and for each rule it is marked as also counting for
  where that rule allows it; a themed Party day for each rule it is marked as counting for;
- a rule counted per Party group wants its number from every group of the branch: a group's own
  meeting counts for that group, a meeting of the whole branch (and a themed Party day) for
  every group of it;
- a slot (month or quarter) is behind once it has ended with fewer meetings than required; the
  slot under way is open until it ends; later slots are not due yet. A figure such as
  支委会 9/11 is the meetings that count (at most the number required per slot) against the
  number required in the slots due so far, the current one included.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Count, IntegerField, Q
from django.db.models.functions import Cast, ExtractMonth
from django.utils import timezone

from members.models import Branch, PartyGroup

from ..models import MeetingRule, StudySession

# The usual rules, as the migration that creates them (study/migrations/0010): used again only if
# every requirement was deleted, so the pages never count against nothing (untick "required"
# to stop requiring a meeting).
DEFAULT_RULES = (
    # kind, times, every, per group, may be met together with another meeting
    (StudySession.Kind.ASSEMBLY, 1, MeetingRule.Every.QUARTER, False, True),
    (StudySession.Kind.COMMITTEE, 1, MeetingRule.Every.MONTH, False, False),
    (StudySession.Kind.GROUP_MEETING, 1, MeetingRule.Every.MONTH, True, True),
    (StudySession.Kind.LECTURE, 1, MeetingRule.Every.QUARTER, False, True),
)

# Who a session of each audience is, for the rules it may count for: a rule of the whole branch
# wants the whole branch (the committee meeting its committee); a rule per group takes a group's
# own meeting for that group and a meeting of the whole branch for every group.
BRANCH_WIDE = "branch"
AUDIENCES_FOR = {
    StudySession.Kind.ASSEMBLY: {StudySession.Audience.BRANCH},
    StudySession.Kind.COMMITTEE: {StudySession.Audience.COMMITTEE},
    StudySession.Kind.LECTURE: {StudySession.Audience.BRANCH, StudySession.Audience.GROUP},
    StudySession.Kind.GROUP_MEETING: {StudySession.Audience.BRANCH, StudySession.Audience.GROUP},
}


class MeetingSource(Protocol):
    """Meetings recorded outside this app that count for requirements: each is a meeting of the
    whole branch, held in a month, counting for the rules it is marked for (only rules that
    allow it, ``may_combine``). An app above this one registers its own (activities: themed
    Party days) with :func:`register_meeting_source`, since study imports no app above it."""

    def counts(
        self, year: int, branch_ids: list[int] | None, rule_ids: list[int]
    ) -> Iterable[tuple[int, int, int, int]]:
        """(branch id, rule id, month, meetings) in one grouped query, for the rules of
        ``rule_ids`` (those that may be met together with another meeting)."""

    def records(self, year: int, branch: Branch) -> Iterable[tuple[str, int, object]]:
        """(rule kind, month, the record) for one branch, in one query; the record links to itself."""


MEETING_SOURCES: list[MeetingSource] = []


def register_meeting_source(source: MeetingSource) -> None:
    """Add a source once (an app made ready twice registers nothing twice)."""
    if not any(type(known) is type(source) for known in MEETING_SOURCES):
        MEETING_SOURCES.append(source)


def rules_in_force() -> list[MeetingRule]:
    """The requirements the branches are held to, in their order (the usual ones if none exist)."""
    rules = list(MeetingRule.objects.filter(is_active=True))
    if rules or MeetingRule.objects.exists():
        return rules
    MeetingRule.objects.bulk_create(
        [
            MeetingRule(kind=k, times=t, every=e, per_group=g, may_combine=c, sort_order=n)
            for n, (k, t, e, g, c) in enumerate(DEFAULT_RULES, start=1)
        ],
        ignore_conflicts=True,
    )
    return list(MeetingRule.objects.filter(is_active=True))


def may_also_count(rule: MeetingRule, *, kind: str, audience: str) -> bool:
    """Whether a session of ``kind`` for ``audience`` may also count for ``rule``."""
    return rule.may_combine and rule.kind != kind and audience in AUDIENCES_FOR.get(rule.kind, set())


# ---------------------------------------------------------------------------
# Slots


@dataclass(frozen=True)
class Slot:
    number: int  # 1–12 for months, 1–4 for quarters
    first_month: int
    last_month: int
    starts: datetime.date
    ends: datetime.date  # the last day


@functools.lru_cache(maxsize=64)
def slots(year: int, every: str) -> tuple[Slot, ...]:
    step = 1 if every == MeetingRule.Every.MONTH else 3
    result = []
    for number, first in enumerate(range(1, 13, step), start=1):
        last = first + step - 1
        starts = datetime.date(year, first, 1)
        following = datetime.date(year + 1, 1, 1) if last == 12 else datetime.date(year, last + 1, 1)
        result.append(Slot(number, first, last, starts, following - datetime.timedelta(days=1)))
    return tuple(result)


# ---------------------------------------------------------------------------
# The meetings held: (branch, rule kind, group or whole branch, month) → meetings


def _sessions_held(year: int, branch_filter: Q):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return StudySession.objects.filter(
        branch_filter, starts_at__gte=start, starts_at__lt=end, attendance_taken_at__isnull=False
    )


class MonthCounts:
    """One branch's meetings for one rule kind by month (index 1–12): all of them, those of the
    whole branch, and each Party group's own."""

    __slots__ = ("all", "whole", "groups")

    def __init__(self) -> None:
        self.all = [0] * 13
        self.whole = [0] * 13
        self.groups: dict[int, list[int]] = {}

    def add(self, audience: str, group_id: int | None, month: int, n: int) -> None:
        self.all[month] += n
        if audience == StudySession.Audience.GROUP:
            if group_id not in self.groups:
                self.groups[group_id] = [0] * 13
            self.groups[group_id][month] += n
        elif audience == BRANCH_WIDE:
            self.whole[month] += n

    def for_group(self, group_id: int) -> list[int]:
        """A group's line of a rule per group: its own meetings and the whole branch's."""
        own = self.groups.get(group_id)
        return self.whole if own is None else [a + b for a, b in zip(self.whole, own, strict=True)]


NO_MEETINGS = MonthCounts()


def held_counts(
    year: int, branch_ids: Iterable[int] | None, rules: list[MeetingRule]
) -> dict[tuple[int, str], MonthCounts]:
    """The meetings that count for ``rules``, in three grouped queries at most: sessions by
    their own kind; sessions by the rules they also count for (only where a rule allows it,
    by the rule's id: no join beyond the link table); each other source's meetings (themed
    Party days) by what they count for. (branch id, rule kind) → the meetings by month;
    another source's meeting is one of the whole branch."""
    branch_filter = Q() if branch_ids is None else Q(branch_id__in=list(branch_ids))
    kinds = {rule.kind for rule in rules}
    combinable = {rule.pk: rule.kind for rule in rules if rule.may_combine}
    counts: dict[tuple[int, str], MonthCounts] = defaultdict(MonthCounts)
    # EXTRACT gives a numeric on PostgreSQL (a Decimal for each row): a month is an integer.
    sessions = _sessions_held(year, branch_filter).annotate(month=Cast(ExtractMonth("starts_at"), IntegerField()))
    own = (
        sessions.filter(kind__in=kinds)
        .values_list("branch_id", "kind", "audience", "group_id", "month")
        .annotate(n=Count("pk"))
    )
    for branch_id, kind, audience, group_id, month, n in own:
        counts[(branch_id, kind)].add(audience, group_id, month, n)
    if combinable:
        also = (
            sessions.filter(also_counts_for__in=list(combinable))
            .values_list("branch_id", "also_counts_for", "audience", "group_id", "month")
            .annotate(n=Count("pk"))
        )
        for branch_id, rule_id, audience, group_id, month, n in also:
            counts[(branch_id, combinable[rule_id])].add(audience, group_id, month, n)
    if combinable:
        for source in MEETING_SOURCES:
            for branch_id, rule_id, month, n in source.counts(year, branch_ids, list(combinable)):
                counts[(branch_id, combinable[rule_id])].add(BRANCH_WIDE, None, month, n)
    return counts


# ---------------------------------------------------------------------------
# The figures


@dataclass
class Cell:
    slot: Slot
    held: int
    required: int
    state: str  # "met", "behind", "open" (under way, not met yet), "future"


class Line:
    """One requirement for a branch (or for one of its groups) over the year: the meetings
    held in each slot, and the totals worked out once (the every-branch list reads only
    those; the cells are made when a page shows them)."""

    def __init__(self, rule: MeetingRule, slots_: tuple[Slot, ...], held: list[int], today, group=None):
        self.rule, self.slots, self.held_by_slot, self.today, self.group = rule, slots_, held, today, group
        times = rule.times
        due, ended = _due_and_ended(slots_[0].starts.year, rule.every, today)
        self.held = sum(n if n < times else times for n in held[:due])
        self.required = times * due
        self.behind = sum(1 for n in held[:ended] if n < times)  # the slots that ended short

    @functools.cached_property
    def cells(self) -> list[Cell]:
        times = self.rule.times
        pairs = zip(self.slots, self.held_by_slot, strict=True)
        return [Cell(s, n, times, _state(s, n, times, self.today)) for s, n in pairs]

    @property
    def open_short(self) -> Cell | None:
        """The slot under way, if it still wants meetings."""
        return next((c for c in self.cells if c.state == "open"), None)


@dataclass
class BranchCompliance:
    branch: Branch
    lines: list[Line] = field(default_factory=list)

    @property
    def held(self) -> int:
        return sum(line.held for line in self.lines)

    @property
    def required(self) -> int:
        return sum(line.required for line in self.lines)

    @property
    def behind(self) -> int:
        return sum(line.behind for line in self.lines)


def _state(slot: Slot, held: int, required: int, today: datetime.date) -> str:
    if slot.starts > today:
        return "future"
    if held >= required:
        return "met"
    return "behind" if slot.ends < today else "open"


def counts_for_group(rule: MeetingRule, audience: str, group_id: int | None, line_group_id: int | None) -> bool:
    """Whether meetings of ``audience`` (for ``group_id``) count on a line: on a branch's line
    all do; on a group's line its own group's meetings and the whole branch's."""
    if not rule.per_group:
        return True
    if audience == StudySession.Audience.GROUP:
        return group_id == line_group_id
    return audience == BRANCH_WIDE


@functools.lru_cache(maxsize=64)
def _due_and_ended(year: int, every: str, today: datetime.date) -> tuple[int, int]:
    """How many of the year's slots have begun by ``today``, and how many have ended before it."""
    year_slots = slots(year, every)
    return sum(1 for s in year_slots if s.starts <= today), sum(1 for s in year_slots if s.ends < today)


def _line(rule, by_month: list[int], group, year, today) -> Line:
    """One rule's line for a branch, or for one of its groups (``group``), from the meetings
    that count on it by month (index 1–12)."""
    year_slots = slots(year, rule.every)
    if rule.every == MeetingRule.Every.MONTH:
        held = by_month[1:]
    else:
        held = [sum(by_month[s.first_month : s.last_month + 1]) for s in year_slots]
    return Line(rule, year_slots, held, today, group)


def compliance(
    *,
    year: int,
    branches: Iterable[Branch],
    today: datetime.date | None = None,
    rules: list[MeetingRule] | None = None,
) -> list[BranchCompliance]:
    """Each branch's lines for the year: one per rule (``rules``, else those in force), or one
    per group for a rule per group. Five queries whatever the number of branches (the rules,
    the groups, the meetings in three)."""
    today = today or timezone.localdate()
    branches = list(branches)
    rules = rules_in_force() if rules is None else rules
    ids = [b.pk for b in branches]
    counts = held_counts(year, ids, rules)
    groups: dict[int, list[PartyGroup]] = defaultdict(list)
    if any(rule.per_group for rule in rules):
        for group in PartyGroup.objects.filter(branch_id__in=ids).order_by("sort_order", "name"):
            groups[group.branch_id].append(group)
    result = []
    for branch in branches:
        entry = BranchCompliance(branch)
        for rule in rules:
            months = counts.get((branch.pk, rule.kind), NO_MEETINGS)
            if rule.per_group:
                entry.lines.extend(_line(rule, months.for_group(g.pk), g, year, today) for g in groups[branch.pk])
            else:
                entry.lines.append(_line(rule, months.all, None, year, today))
        result.append(entry)
    return result


def meetings_held(*, year: int, branch: Branch) -> dict[tuple[str, int | None, int], list]:
    """For one branch's page: the meetings behind each figure, to link to them, keyed by
    (rule kind, group id or None, month); a branch-wide meeting under None. A query for the
    sessions and one for each other source."""
    found: dict[tuple[str, int | None, int], list] = defaultdict(list)
    rules = {rule.kind: rule for rule in rules_in_force()}
    sessions = _sessions_held(year, Q(branch=branch)).prefetch_related("also_counts_for").order_by("starts_at")
    for session in sessions:
        month = timezone.localtime(session.starts_at).month
        group_id = session.group_id if session.audience == StudySession.Audience.GROUP else None
        kinds = [session.kind] + [r.kind for r in session.also_counts_for.all() if r.may_combine]
        for kind in kinds:
            if kind in rules:
                found[(kind, group_id, month)].append(session)
    for source in MEETING_SOURCES:
        for kind, month, record in source.records(year, branch):
            if kind in rules:
                found[(kind, None, month)].append(record)
    return found
