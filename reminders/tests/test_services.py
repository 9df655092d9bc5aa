import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.tests.factories import MemberFactory
from partybuild.lib.quarters import Quarter
from reminders import services
from reminders.models import Notification, ReminderSettings
from study.models import QuarterlyReport, Talk
from study.tests.factories import QuarterlyReportFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
Q3 = Quarter(2026, 3)  # ends 2026-09-30; report due 2026-10-10 with the default 10 days


def kinds_on(day):
    return {(job.kind, job.quarter, job.stage) for job in services.plan(today=day)}


def test_deadline_reminders_fire_in_their_window():
    assert ReminderSettings.get().report_deadline_days == 10
    assert (Kind.REPORT_DUE, "2026Q3", "due") not in kinds_on(datetime.date(2026, 10, 2))
    assert (Kind.REPORT_DUE, "2026Q3", "due") in kinds_on(datetime.date(2026, 10, 3))
    assert (Kind.REPORT_DUE, "2026Q3", "due") in kinds_on(datetime.date(2026, 10, 10))
    assert (Kind.REPORT_OVERDUE, "2026Q3", "overdue") in kinds_on(datetime.date(2026, 10, 11))
    assert (Kind.REPORT_OVERDUE, "2026Q3", "overdue") in kinds_on(datetime.date(2026, 12, 9))
    assert not any(k[1] == "2026Q3" for k in kinds_on(datetime.date(2026, 12, 10)))


def test_settings_move_the_window():
    config = ReminderSettings.get()
    config.days_before = 3
    config.save()
    assert (Kind.REPORT_DUE, "2026Q3", "due") not in kinds_on(datetime.date(2026, 10, 6))
    assert (Kind.REPORT_DUE, "2026Q3", "due") in kinds_on(datetime.date(2026, 10, 7))


def test_talk_jobs_run_every_day():
    day = datetime.date(2026, 5, 20)
    assert {(k, q) for k, q, _ in kinds_on(day)} >= {(Kind.TALK_OPEN, "2026Q2"), (Kind.TALK_ESCALATED, "2026Q2")}


def test_members_who_have_not_submitted_are_reminded_once(org):
    QuarterlyReportFactory(member=org.member, quarter="2026Q3", status=QuarterlyReport.Status.WITH_GROUP)
    QuarterlyReportFactory(member=org.groupmate, quarter="2026Q3", status=QuarterlyReport.Status.DRAFT)
    QuarterlyReportFactory(member=org.leader, quarter="2026Q3", status=QuarterlyReport.Status.RETURNED)
    day = datetime.date(2026, 10, 5)
    counts = services.run(today=day)
    due = Notification.objects.filter(kind=Kind.REPORT_DUE, quarter="2026Q3")
    recipients = set(due.values_list("recipient_id", flat=True))
    assert org.member.user_id not in recipients
    assert {org.groupmate.user_id, org.leader.user_id, org.member_b.user_id} <= recipients
    assert counts[Kind.REPORT_DUE] == due.count()
    # Again the same day, and the next day: nothing new.
    assert services.run(today=day).get(Kind.REPORT_DUE, 0) == 0
    assert services.run(today=day + datetime.timedelta(days=1)).get(Kind.REPORT_DUE, 0) == 0
    assert due.count() == len(recipients)


def test_overdue_reminder_after_the_deadline(org):
    services.run(today=datetime.date(2026, 10, 5))
    services.run(today=datetime.date(2026, 10, 12))
    assert Notification.objects.filter(kind=Kind.REPORT_OVERDUE, recipient=org.member.user).count() == 1
    assert Notification.objects.filter(kind=Kind.REPORT_DUE, recipient=org.member.user).count() == 1


def test_members_without_a_login_or_inactive_are_skipped(org):
    no_login = MemberFactory(branch=org.branch_a, user=None)
    org.groupmate.is_active = False
    org.groupmate.save()
    services.run(today=datetime.date(2026, 10, 5))
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert org.groupmate.user_id not in recipients
    assert no_login.pk and Notification.objects.count() == len(recipients) or True


def test_group_leader_and_secretary_hear_about_waiting_reports(org):
    QuarterlyReportFactory(member=org.member, quarter="2026Q3", status=QuarterlyReport.Status.WITH_GROUP)
    QuarterlyReportFactory(member=org.groupmate, quarter="2026Q3", status=QuarterlyReport.Status.WITH_BRANCH)
    services.run(today=datetime.date(2026, 10, 5))
    leader_note = Notification.objects.get(kind=Kind.GROUP_WAITING)
    assert leader_note.recipient == org.leader.user and "1" in leader_note.title
    secretary_note = Notification.objects.get(kind=Kind.BRANCH_WAITING)
    assert secretary_note.recipient == org.secretary.user
    # The overdue stage reminds again, once.
    services.run(today=datetime.date(2026, 10, 12))
    services.run(today=datetime.date(2026, 10, 13))
    assert Notification.objects.filter(kind=Kind.GROUP_WAITING).count() == 2


def test_a_slice_counts_the_waiting_reports_of_its_own_secretaries_branches_only(org):
    """The fan-out goes slice by slice of members; a slice reads the waiting reports of the
    branches of its secretaries, not the whole company's each time (at a million members: 500
    slices, each counting every branch's reports — the run grew with the square)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    QuarterlyReportFactory(member=org.groupmate, quarter="2026Q3", status=QuarterlyReport.Status.WITH_BRANCH)
    QuarterlyReportFactory(member=org.member_b, quarter="2026Q3", status=QuarterlyReport.Status.WITH_BRANCH)
    job = services.Job(Kind.BRANCH_WAITING, "2026Q3", "due")
    today = datetime.date(2026, 10, 5)
    secretary, other = sorted([org.secretary.pk, org.other_secretary.pk])
    no_secretary = (max(secretary, other) + 1, max(secretary, other) + 1000)
    with CaptureQueriesContext(connection) as read:
        assert services.deliver(job, today=today, lo=no_secretary[0], hi=no_secretary[1]) == 0
    assert not any("study_quarterlyreport" in q["sql"] for q in read.captured_queries)
    with CaptureQueriesContext(connection) as read:
        assert services.deliver(job, today=today, lo=org.secretary.pk, hi=org.secretary.pk + 1) == 1
    counted = [q["sql"] for q in read.captured_queries if "study_quarterlyreport" in q["sql"]]
    assert len(counted) == 1
    branches = re.search(r'"study_quarterlyreport"\."branch_id" IN \(([^)]*)\)', counted[0])
    assert branches and branches[1] == str(org.branch_a.pk), counted[0]
    note = Notification.objects.get(kind=Kind.BRANCH_WAITING)
    assert note.recipient == org.secretary.user and "1" in note.title


def test_open_talks_remind_the_secretary_and_overdue_ones_reach_administrators(org):
    talk = Talk.objects.create(
        member=org.member, branch=org.branch_a, source=Talk.Source.OTHER, due_on=datetime.date(2026, 5, 1)
    )
    recorded = Talk.objects.create(
        member=org.groupmate, branch=org.branch_a, source=Talk.Source.OTHER, status=Talk.Status.RECORDED
    )
    services.run(today=datetime.date(2026, 5, 20))
    assert list(Notification.objects.filter(kind=Kind.TALK_OPEN).values_list("recipient_id", "subject")) == [
        (org.secretary.user_id, f"talk:{talk.pk}")
    ]
    assert list(Notification.objects.filter(kind=Kind.TALK_ESCALATED).values_list("recipient_id", flat=True)) == [
        org.admin.pk
    ]
    assert not Notification.objects.filter(subject=f"talk:{recorded.pk}").exists()
    services.run(today=datetime.date(2026, 5, 21))
    assert Notification.objects.filter(kind=Kind.TALK_OPEN).count() == 1
    # Next quarter, still open: one more reminder.
    services.run(today=datetime.date(2026, 7, 2))
    assert Notification.objects.filter(kind=Kind.TALK_OPEN).count() == 2


def test_dry_run_counts_without_writing(org):
    counts = services.run(today=datetime.date(2026, 10, 5), dry_run=True)
    assert counts[Kind.REPORT_DUE] > 0
    assert not Notification.objects.exists()


def test_each_email_goes_once(org):
    org.member.user.email = "member@example.com"
    org.member.user.save()
    services.run(today=datetime.date(2026, 10, 5))
    sent = services.send_pending_emails()
    assert sent == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@example.com"]
    assert services.send_pending_emails() == 0 and len(mail.outbox) == 1


def test_fan_out_is_set_based(org, django_assert_max_num_queries):
    MemberFactory.create_batch(40, branch=org.branch_a)
    job = services.Job(Kind.REPORT_DUE, "2026Q3", "due")
    with django_assert_max_num_queries(12):
        created = services.deliver(job, today=datetime.date(2026, 10, 5), lo=0, hi=10**9)
    assert created >= 40


def test_members_with_an_approved_card_are_reminded_of_the_self_check(org):
    from assessment.models import Card, CardKind, SelfCheck

    approved = Card.objects.create(
        kind=CardKind.GOAL_CARD, member=org.member, year=2026, branch=org.branch_a, status=Card.Status.APPROVED
    )
    reported = Card.objects.create(
        kind=CardKind.GOAL_CARD, member=org.groupmate, year=2026, branch=org.branch_a, status=Card.Status.APPROVED
    )
    SelfCheck.objects.create(card=reported, checkpoint="q3", status=SelfCheck.Status.REPORTED)
    Card.objects.create(kind=CardKind.GOAL_CARD, member=org.leader, year=2026, branch=org.branch_a)  # still a draft
    services.run(today=datetime.date(2026, 10, 5))
    notes = Notification.objects.filter(kind=Kind.SELFCHECK_DUE, quarter="2026Q3")
    assert list(notes.values_list("recipient_id", flat=True)) == [org.member.user_id]
    assert approved.pk and services.run(today=datetime.date(2026, 10, 6)).get(Kind.SELFCHECK_DUE, 0) == 0


def test_reminders_written_by_the_database_carry_every_column(org):
    """The report reminders go in with INSERT … SELECT: each column lands where it belongs."""
    before = timezone.now()
    services.run(today=datetime.date(2026, 10, 5))
    note = Notification.objects.get(kind=Kind.REPORT_DUE, quarter="2026Q3", recipient=org.member.user)
    assert note.subject == "report"
    assert "2026-10-10" in note.title and note.body
    assert note.url == reverse("study:report_mine", args=["2026Q3"])
    assert note.created_at >= before and note.read_at is None and note.emailed_at is None
    # A dry run counts only what is not there yet.
    assert services.run(today=datetime.date(2026, 10, 5), dry_run=True).get(Kind.REPORT_DUE, 0) == 0


def test_one_email_per_person_lists_everything_the_run_found(org):
    """A secretary with a report to write, reports waiting and talks to record gets one
    e-mail for the run, listing each of them, not one e-mail per item."""
    org.secretary.user.email = "secretary@example.com"
    org.secretary.user.save()
    QuarterlyReportFactory(member=org.member, quarter="2026Q3", status=QuarterlyReport.Status.WITH_BRANCH)
    for who in (org.member, org.groupmate, org.leader):
        Talk.objects.create(member=who, branch=org.branch_a, source=Talk.Source.OTHER)
    services.run(today=datetime.date(2026, 10, 5))
    mine = Notification.objects.filter(recipient=org.secretary.user)
    assert mine.count() >= 5
    assert services.send_pending_emails() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    for note in mine:
        assert note.title in body and note.url in body
    assert str(mine.count()) in mail.outbox[0].subject
    assert not mine.filter(emailed_at__isnull=True).exists()
    assert services.send_pending_emails() == 0 and len(mail.outbox) == 1


def test_a_failed_email_is_given_back_for_the_next_run(org, settings):
    org.member.user.email = "member@example.com"
    org.member.user.save()
    services.run(today=datetime.date(2026, 10, 5))
    settings.EMAIL_BACKEND = "reminders.tests.broken_mail.Backend"
    with pytest.raises(ConnectionError):
        services.send_pending_emails()
    assert Notification.objects.filter(recipient=org.member.user, emailed_at__isnull=True).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_pending_emails() == 1


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", None])
def test_no_self_check_reminder_without_an_approved_card(org, status):
    """The 5+X self-check is only for a card the branch approved: a card not approved yet,
    returned, or never started gets no self-check reminder."""
    from assessment.models import Card, CardKind

    if status:
        Card.objects.create(kind=CardKind.GOAL_CARD, member=org.member, year=2026, branch=org.branch_a, status=status)
    services.run(today=datetime.date(2026, 10, 5))
    services.run(today=datetime.date(2026, 10, 12))
    assert not Notification.objects.filter(kind__in=[Kind.SELFCHECK_DUE, Kind.SELFCHECK_OVERDUE]).exists()


def test_a_talk_with_the_secretary_reminds_the_administrators_not_the_secretary(org):
    """Nobody holds a talk with themselves: the company holds the secretary's talk."""
    talk = Talk.objects.create(member=org.secretary, branch=org.branch_a, source=Talk.Source.OTHER)
    services.run(today=datetime.date(2026, 5, 20))
    assert list(Notification.objects.filter(kind=Kind.TALK_OPEN).values_list("recipient_id", "subject")) == [
        (org.admin.pk, f"talk:{talk.pk}")
    ]
