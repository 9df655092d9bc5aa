"""三会一课 reminders in the daily run: a branch still short of a required meeting in the month
or quarter under way tells its secretary once, within the lead time before that slot ends.

Read on 25 November 2026 (November ends in 5 days, within the month's 7; the fourth quarter
in 36, outside the quarter's 15), with the usual rules: a committee meeting every month, a
group meeting every month in each group, an assembly and a Party lecture every quarter."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from members.models import Member
from members.tests.factories import BranchFactory, MemberFactory, PartyGroupFactory
from reminders import services
from reminders.models import Notification, ReminderSettings
from study.models import MeetingRule, StudySession
from study.tests.factories import StudySessionFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
TODAY = datetime.date(2026, 11, 25)


def held(branch, kind, day, *, group=None):
    """A meeting held (attendance taken) on ``day``: a group's if ``group`` is given."""
    audience = StudySession.Audience.COMMITTEE if kind == StudySession.Kind.COMMITTEE else StudySession.Audience.BRANCH
    if group is not None:
        audience = StudySession.Audience.GROUP
    starts = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 9, 0))
    return StudySessionFactory(
        branch=branch, kind=kind, audience=audience, group=group, starts_at=starts, attendance_taken_at=starts
    )


def meeting_notes(**filters):
    return Notification.objects.filter(kind=Kind.MEETINGS_BEHIND, **filters)


def label(kind):
    with translation.override(settings.LANGUAGE_CODE):
        return str(MeetingRule.objects.get(kind=kind).short_label)


def subject(branch, kind, months, group=None):
    return f"meetings:{branch.pk}:{kind}:{group.pk if group else 0}:{months}"


def test_the_job_runs_only_within_a_lead_time():
    def planned(day):
        return Kind.MEETINGS_BEHIND in {job.kind for job in services.plan(today=day)}

    assert not planned(datetime.date(2026, 11, 22))  # November ends in 8 days
    assert planned(datetime.date(2026, 11, 23))  # in 7
    assert planned(datetime.date(2026, 11, 30))
    assert not planned(datetime.date(2026, 12, 15))  # December in 16, the quarter in 16
    assert planned(datetime.date(2026, 12, 16))  # the quarter in 15
    config = ReminderSettings.get()
    config.meetings_days_before_month_end = 3
    config.save()
    assert not planned(datetime.date(2026, 11, 26)) and planned(datetime.date(2026, 11, 27))


def test_a_branch_behind_within_the_lead_time_tells_its_secretary_once(org):
    held(org.branch_a, StudySession.Kind.GROUP_MEETING, datetime.date(2026, 11, 3), group=org.group_a1)
    held(org.branch_a, StudySession.Kind.GROUP_MEETING, datetime.date(2026, 11, 4), group=org.group_a2)
    counts = services.run(today=TODAY)
    note = meeting_notes(recipient=org.secretary.user).get()
    assert counts[Kind.MEETINGS_BEHIND] == meeting_notes().count()
    assert note.subject == subject(org.branch_a, StudySession.Kind.COMMITTEE, "11-11")
    assert note.quarter == "2026Q4"
    with translation.override(settings.LANGUAGE_CODE):
        month, last_day = date_format(TODAY, "YEAR_MONTH_FORMAT"), date_format(datetime.date(2026, 11, 30))
    assert label(StudySession.Kind.COMMITTEE) in note.title and month in note.title
    assert "0" in note.title and "1" in note.title
    assert last_day in note.body and org.branch_a.name in note.body
    assert note.url == f"{reverse('study:compliance_branch')}?branch={org.branch_a.pk}&year=2026"
    # Nobody else in the branch hears of it: not the committee member, not the members.
    assert not meeting_notes().exclude(recipient__in=[org.secretary.user, org.other_secretary.user]).exists()
    # Again the same day, and the next day: nothing more.
    assert services.run(today=TODAY).get(Kind.MEETINGS_BEHIND, 0) == 0
    assert services.run(today=TODAY + datetime.timedelta(days=1)).get(Kind.MEETINGS_BEHIND, 0) == 0
    assert meeting_notes(recipient=org.secretary.user).count() == 1


def test_a_branch_that_has_met_its_requirements_hears_nothing(org):
    held(org.branch_a, StudySession.Kind.COMMITTEE, datetime.date(2026, 11, 2))
    held(org.branch_a, StudySession.Kind.GROUP_MEETING, datetime.date(2026, 11, 5))  # the whole branch: every group
    services.run(today=TODAY)
    assert not meeting_notes(recipient=org.secretary.user).exists()
    # The other branch held nothing: its secretary hears of the committee and its group.
    assert set(meeting_notes(recipient=org.other_secretary.user).values_list("subject", flat=True)) == {
        subject(org.branch_b, StudySession.Kind.COMMITTEE, "11-11"),
        subject(org.branch_b, StudySession.Kind.GROUP_MEETING, "11-11", org.group_b1),
    }


def test_nothing_before_the_lead_time(org):
    services.run(today=datetime.date(2026, 11, 22))
    assert not meeting_notes().exists()
    # A quarter's requirement waits for its own lead time: on 25 November only the months.
    services.run(today=TODAY)
    kinds = {s.split(":")[2] for s in meeting_notes().values_list("subject", flat=True)}
    assert kinds == {StudySession.Kind.COMMITTEE, StudySession.Kind.GROUP_MEETING}


def test_a_quarter_short_within_its_lead_time(org):
    held(org.branch_a, StudySession.Kind.ASSEMBLY, datetime.date(2026, 10, 9))
    services.run(today=datetime.date(2026, 12, 16))
    subjects = set(meeting_notes(recipient=org.secretary.user).values_list("subject", flat=True))
    assert subject(org.branch_a, StudySession.Kind.LECTURE, "10-12") in subjects
    assert subject(org.branch_a, StudySession.Kind.ASSEMBLY, "10-12") not in subjects
    with translation.override(settings.LANGUAGE_CODE):
        quarter = str(services.Quarter(2026, 4).label())
    note = meeting_notes(subject=subject(org.branch_a, StudySession.Kind.LECTURE, "10-12")).get()
    assert quarter in note.title


def test_a_group_meeting_is_reminded_per_group(org):
    held(org.branch_a, StudySession.Kind.COMMITTEE, datetime.date(2026, 11, 2))
    held(org.branch_a, StudySession.Kind.GROUP_MEETING, datetime.date(2026, 11, 3), group=org.group_a1)
    services.run(today=TODAY)
    note = meeting_notes(recipient=org.secretary.user).get()
    assert note.subject == subject(org.branch_a, StudySession.Kind.GROUP_MEETING, "11-11", org.group_a2)
    assert f"{label(StudySession.Kind.GROUP_MEETING)} · {org.group_a2.name}" in note.title


def test_a_branch_without_a_secretary_tells_its_committee(org):
    org.secretary.committee_role = Member.CommitteeRole.NONE
    org.secretary.save()
    services.run(today=TODAY)
    assert meeting_notes(recipient=org.committee.user).count() == 3  # the committee and two groups
    assert not meeting_notes(recipient=org.secretary.user).exists()
    # A secretary who cannot log in is as good as none.
    Notification.objects.all().delete()
    org.secretary.committee_role = Member.CommitteeRole.SECRETARY
    org.secretary.save()
    org.secretary.user.is_active = False
    org.secretary.user.save()
    services.run(today=TODAY)
    assert meeting_notes(recipient=org.committee.user).count() == 3
    # The other branch, with its secretary, does not tell anyone else.
    assert set(meeting_notes().values_list("recipient_id", flat=True)) == {
        org.committee.user_id,
        org.other_secretary.user_id,
    }


def test_a_dry_run_counts_without_writing(org):
    assert services.run(today=TODAY, dry_run=True)[Kind.MEETINGS_BEHIND] == 5  # 3 in branch a, 2 in b
    assert not meeting_notes().exists()


def branches(n):
    for _i in range(n):
        branch = BranchFactory()
        group = PartyGroupFactory(branch=branch)
        MemberFactory(branch=branch, group=group, committee_role=Member.CommitteeRole.SECRETARY)
        MemberFactory(branch=branch, group=group)


def run_queries():
    Notification.objects.all().delete()
    job = services.Job(Kind.MEETINGS_BEHIND, "2026Q4")
    with CaptureQueriesContext(connection) as queries:
        written = services.deliver(job, today=TODAY, lo=0, hi=10**9)
    return len(queries), written


def test_the_run_takes_as_many_queries_for_twenty_branches_as_for_one():
    ReminderSettings.get()
    branches(1)
    one, written = run_queries()
    assert written == 2  # the committee meeting and the group's
    branches(19)
    twenty, written = run_queries()
    assert written == 40
    assert twenty == one <= 12
