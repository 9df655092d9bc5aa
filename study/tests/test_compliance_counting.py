"""三会一课: the counting rules of study.selectors.compliance against a small world in 2025,
read on 15 November 2025 (so January–October have ended, November is under way)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import PartyDay
from activities.tests.factories import PartyDayFactory
from members.tests.factories import BranchFactory, PartyGroupFactory
from study.models import MeetingRule, StudySession
from study.selectors.compliance import compliance, may_also_count, meetings_held, rules_in_force, slots
from study.tests.factories import StudySessionFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
TODAY = datetime.date(2025, 11, 15)
Kind, Audience = StudySession.Kind, StudySession.Audience


def held(branch, kind, month, *, day=10, audience=None, group=None, also=(), taken=True):
    """A session held (attendance taken) in ``month`` of the year."""
    audience = audience or {
        Kind.COMMITTEE: Audience.COMMITTEE,
        Kind.GROUP_MEETING: Audience.GROUP,
    }.get(kind, Audience.BRANCH)
    starts = timezone.make_aware(datetime.datetime(YEAR, month, day, 9, 0))
    session = StudySessionFactory(
        branch=branch,
        kind=kind,
        audience=audience,
        group=group,
        starts_at=starts,
        attendance_taken_at=starts if taken else None,
    )
    if also:
        session.also_counts_for.set(MeetingRule.objects.filter(kind__in=also))
    return session


def line(result, kind, group=None):
    (entry,) = result
    return next(x for x in entry.lines if x.rule.kind == kind and x.group == group)


def figures(found):
    return [(c.held, c.state) for c in found.cells]


def test_the_usual_rules_are_the_defaults():
    rules = {r.kind: r for r in rules_in_force()}
    assert (rules[Kind.ASSEMBLY].times, rules[Kind.ASSEMBLY].every) == (1, MeetingRule.Every.QUARTER)
    assert (rules[Kind.COMMITTEE].times, rules[Kind.COMMITTEE].every) == (1, MeetingRule.Every.MONTH)
    assert rules[Kind.GROUP_MEETING].per_group and rules[Kind.GROUP_MEETING].every == MeetingRule.Every.MONTH
    assert (rules[Kind.LECTURE].times, rules[Kind.LECTURE].every) == (1, MeetingRule.Every.QUARTER)
    assert Kind.RESTUDY not in rules


def test_the_rules_come_back_if_every_one_was_deleted():
    MeetingRule.objects.all().delete()
    assert {r.kind for r in rules_in_force()} == {Kind.ASSEMBLY, Kind.COMMITTEE, Kind.GROUP_MEETING, Kind.LECTURE}


def test_a_month_with_none_held_is_behind_and_the_month_under_way_is_open():
    branch = BranchFactory()
    for month in range(1, 11):
        if month not in (3, 7):
            held(branch, Kind.COMMITTEE, month)
    committee = line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.COMMITTEE)
    states = [c.state for c in committee.cells]
    assert states[2] == states[6] == "behind"
    assert states[10] == "open" and states[11] == "future"
    assert states.count("met") == 8
    # 支委会 8/11: eight months met against the eleven due so far (November included).
    assert (committee.held, committee.required, committee.behind) == (8, 11, 2)


def test_two_in_one_month_do_not_make_up_for_a_month_missed():
    branch = BranchFactory()
    held(branch, Kind.COMMITTEE, 1, day=5)
    held(branch, Kind.COMMITTEE, 1, day=20)
    committee = line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.COMMITTEE)
    assert figures(committee)[:2] == [(2, "met"), (0, "behind")]
    assert committee.held == 1


def test_a_quarterly_rule_counts_by_quarter():
    branch = BranchFactory()
    held(branch, Kind.ASSEMBLY, 2)  # Q1
    held(branch, Kind.ASSEMBLY, 9)  # Q3
    assembly = line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.ASSEMBLY)
    assert figures(assembly) == [(1, "met"), (0, "behind"), (1, "met"), (0, "open")]
    assert (assembly.held, assembly.required) == (2, 4)


def test_a_session_counts_only_once_attendance_is_taken_and_only_in_its_year():
    branch = BranchFactory()
    held(branch, Kind.ASSEMBLY, 2, taken=False)
    StudySessionFactory(
        branch=branch,
        kind=Kind.ASSEMBLY,
        starts_at=timezone.make_aware(datetime.datetime(YEAR - 1, 12, 31, 20)),
        attendance_taken_at=timezone.now(),
    )
    assembly = line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.ASSEMBLY)
    assert assembly.held == 0 and assembly.cells[0].state == "behind"


def test_one_session_counts_for_two_requirements_where_allowed():
    branch = BranchFactory()
    held(branch, Kind.LECTURE, 4, also=[Kind.ASSEMBLY])
    result = compliance(year=YEAR, branches=[branch], today=TODAY)
    assert line(result, Kind.LECTURE).cells[1].held == 1
    assert line(result, Kind.ASSEMBLY).cells[1].held == 1


def test_counting_some_requirements_gives_them_the_same_figures_as_counting_all():
    """The list filtered to one requirement counts only that one, and still counts a meeting
    that also counts for it (a lecture given at the assembly, a themed Party day)."""
    branch = BranchFactory()
    group = PartyGroupFactory(branch=branch)
    held(branch, Kind.LECTURE, 4, also=[Kind.ASSEMBLY])
    held(branch, Kind.LECTURE, 7, also=[Kind.ASSEMBLY, Kind.GROUP_MEETING])  # for two others
    held(branch, Kind.ASSEMBLY, 1)
    held(branch, Kind.GROUP_MEETING, 2, group=group)
    day = PartyDayFactory(branch=branch, status=PartyDay.Status.HELD, held_on=datetime.date(YEAR, 3, 5))
    day.counts_for.set(MeetingRule.objects.filter(kind=Kind.GROUP_MEETING))
    everything = compliance(year=YEAR, branches=[branch], today=TODAY)
    for rule in rules_in_force():
        (entry,) = compliance(year=YEAR, branches=[branch], today=TODAY, rules=[rule])
        alone = [(x.group, figures(x)) for x in entry.lines]
        assert alone == [(x.group, figures(x)) for x in everything[0].lines if x.rule == rule], rule.kind
    assembly = compliance(
        year=YEAR, branches=[branch], today=TODAY, rules=list(MeetingRule.objects.filter(kind=Kind.ASSEMBLY))
    )
    assert [c.held for c in assembly[0].lines[0].cells] == [1, 1, 1, 0]
    group_line = compliance(
        year=YEAR, branches=[branch], today=TODAY, rules=list(MeetingRule.objects.filter(kind=Kind.GROUP_MEETING))
    )[0].lines[0]
    assert [c.held for c in group_line.cells[:8]] == [0, 1, 1, 0, 0, 0, 1, 0] and group_line.group == group


def test_a_rule_that_does_not_allow_it_is_not_met_by_another_meeting():
    branch = BranchFactory()
    # The committee meeting's rule does not allow combining: marking it changes nothing.
    held(branch, Kind.ASSEMBLY, 1, also=[Kind.COMMITTEE])
    assert line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.COMMITTEE).cells[0].held == 0
    assert not may_also_count(MeetingRule.objects.get(kind=Kind.COMMITTEE), kind=Kind.ASSEMBLY, audience="branch")
    # An administrator who forbids it afterwards takes back what it counted for.
    held(branch, Kind.LECTURE, 5, also=[Kind.ASSEMBLY])
    MeetingRule.objects.filter(kind=Kind.ASSEMBLY).update(may_combine=False)
    assert line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.ASSEMBLY).cells[1].held == 0


def test_group_meetings_are_counted_per_group():
    branch = BranchFactory()
    first, second = (
        PartyGroupFactory(branch=branch, name="第一党小组"),
        PartyGroupFactory(branch=branch, name="第二党小组"),
    )
    for month in range(1, 11):
        held(branch, Kind.GROUP_MEETING, month, group=first)
    held(branch, Kind.GROUP_MEETING, 1, group=second)
    result = compliance(year=YEAR, branches=[branch], today=TODAY)
    assert (line(result, Kind.GROUP_MEETING, first).held, line(result, Kind.GROUP_MEETING, first).behind) == (10, 0)
    second_line = line(result, Kind.GROUP_MEETING, second)
    assert (second_line.held, second_line.required, second_line.behind) == (1, 11, 9)
    # One line per group, none for the branch as a whole.
    assert [x.group for x in result[0].lines if x.rule.kind == Kind.GROUP_MEETING] == [first, second]


def test_a_meeting_of_the_whole_branch_counts_for_every_group_but_one_groups_for_no_other():
    branch = BranchFactory()
    first, second = PartyGroupFactory(branch=branch), PartyGroupFactory(branch=branch)
    held(branch, Kind.ASSEMBLY, 3, also=[Kind.GROUP_MEETING])
    held(branch, Kind.GROUP_MEETING, 4, group=first)
    result = compliance(year=YEAR, branches=[branch], today=TODAY)
    assert figures(line(result, Kind.GROUP_MEETING, first))[2:4] == [(1, "met"), (1, "met")]
    assert figures(line(result, Kind.GROUP_MEETING, second))[2:4] == [(1, "met"), (0, "behind")]


def test_a_themed_party_day_held_with_a_group_meeting_counts_for_every_group():
    branch = BranchFactory()
    first, second = PartyGroupFactory(branch=branch), PartyGroupFactory(branch=branch)
    day = PartyDayFactory(branch=branch, held_on=datetime.date(YEAR, 6, 1), status=PartyDay.Status.HELD)
    day.counts_for.set(MeetingRule.objects.filter(kind=Kind.GROUP_MEETING))
    planned = PartyDayFactory(branch=branch, held_on=datetime.date(YEAR, 7, 1), status=PartyDay.Status.PLANNED)
    planned.counts_for.set(MeetingRule.objects.filter(kind=Kind.GROUP_MEETING))
    result = compliance(year=YEAR, branches=[branch], today=TODAY)
    for group in (first, second):
        assert figures(line(result, Kind.GROUP_MEETING, group))[5:7] == [(1, "met"), (0, "behind")]
    assert meetings_held(year=YEAR, branch=branch)[(Kind.GROUP_MEETING, None, 6)] == [day]


def test_frequencies_are_data():
    branch = BranchFactory()
    MeetingRule.objects.filter(kind=Kind.LECTURE).update(times=2, every=MeetingRule.Every.MONTH)
    MeetingRule.objects.filter(kind=Kind.ASSEMBLY).update(is_active=False)
    held(branch, Kind.LECTURE, 1)
    held(branch, Kind.LECTURE, 2, day=3)
    held(branch, Kind.LECTURE, 2, day=17)
    result = compliance(year=YEAR, branches=[branch], today=TODAY)
    lecture = line(result, Kind.LECTURE)
    assert figures(lecture)[:2] == [(1, "behind"), (2, "met")]
    assert (lecture.held, lecture.required) == (3, 22)
    assert Kind.ASSEMBLY not in {x.rule.kind for x in result[0].lines}


def test_past_and_future_years():
    branch = BranchFactory()
    past = line(compliance(year=YEAR - 1, branches=[branch], today=TODAY), Kind.COMMITTEE)
    assert (past.held, past.required, past.behind) == (0, 12, 12)
    future = line(compliance(year=YEAR + 1, branches=[branch], today=TODAY), Kind.COMMITTEE)
    assert (future.required, future.behind) == (0, 0)
    assert {c.state for c in future.cells} == {"future"}


def test_slots_cover_the_year():
    months, quarters = slots(2024, MeetingRule.Every.MONTH), slots(2024, MeetingRule.Every.QUARTER)
    assert months[1].ends == datetime.date(2024, 2, 29) and months[11].ends == datetime.date(2024, 12, 31)
    assert [(q.first_month, q.last_month) for q in quarters] == [(1, 3), (4, 6), (7, 9), (10, 12)]


def test_a_sessions_month_is_the_local_month():
    branch = BranchFactory()
    # 31 January 23:30 in Beijing is still January there (and already February 1st nowhere).
    starts = timezone.make_aware(datetime.datetime(YEAR, 1, 31, 23, 30))
    StudySessionFactory(
        branch=branch, kind=Kind.COMMITTEE, audience=Audience.COMMITTEE, starts_at=starts, attendance_taken_at=starts
    )
    committee = line(compliance(year=YEAR, branches=[branch], today=TODAY), Kind.COMMITTEE)
    assert figures(committee)[:2] == [(1, "met"), (0, "behind")]


def test_the_number_of_queries_does_not_grow_with_branches():
    def count(branches):
        rules_in_force()
        with CaptureQueriesContext(connection) as queries:
            compliance(year=YEAR, branches=branches, today=TODAY)
        return len(queries)

    one = [BranchFactory()]
    many = [BranchFactory() for _ in range(12)]
    for branch in one + many:
        group = PartyGroupFactory(branch=branch)
        held(branch, Kind.GROUP_MEETING, 2, group=group)
        held(branch, Kind.LECTURE, 3, also=[Kind.ASSEMBLY])
    assert count(one) == count(many) <= 5
