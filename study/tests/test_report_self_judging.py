"""Nobody judges their own report: the secretary's, a committee member's and a group
leader's own reports go to someone else."""

import datetime

import pytest

from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, ReportTransition, Talk
from study.selectors import reports as selectors
from study.services import StudyError
from study.services import reports as services
from study.tests.factories import StudySessionFactory
from study.tests.test_report_services import approve, last_transition, report_in

pytestmark = pytest.mark.django_db
S = QuarterlyReport.Status
ALL_STATES = list(S.values)

# --- nobody judges themselves ------------------------------------------------------------


def leave_the_committee(member):
    member.committee_role = member.CommitteeRole.NONE
    member.save()


def test_secretary_cannot_approve_or_return_their_own_report(org):
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    assert services.allowed_actions(actor=org.secretary.user, report=report) == set()
    for grade in ("excellent", "unqualified"):
        with pytest.raises(StudyError):
            approve(org, report, grade=grade, actor=org.secretary.user)
    with pytest.raises(StudyError):
        services.report_return(actor=org.secretary.user, report_id=report.pk, sections=["insights"], comment="x")
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH and report.grade == ""
    assert not ReportTransition.objects.filter(report=report).exists()


def test_another_committee_member_approves_the_secretarys_report(org):
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    assert services.allowed_actions(actor=org.committee.user, report=report) == {"approve", "return_branch"}
    approve(org, report, actor=org.committee.user)
    report.refresh_from_db()
    assert report.status == S.APPROVED
    assert last_transition(report).actor == org.committee.user


def test_committee_member_cannot_approve_their_own_report_either(org):
    report = report_in(org, S.WITH_BRANCH, member=org.committee)
    with pytest.raises(StudyError):
        approve(org, report, actor=org.committee.user)
    approve(org, report, actor=org.secretary.user)
    report.refresh_from_db()
    assert report.status == S.APPROVED


def test_administrator_does_not_judge_a_secretary_another_committee_member_can_judge(org):
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    assert services.allowed_actions(actor=org.admin, report=report) == set()
    with pytest.raises(StudyError):
        approve(org, report, actor=org.admin)


def test_administrator_judges_the_secretary_when_nobody_else_sits_on_the_committee(org):
    leave_the_committee(org.committee)
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    assert services.allowed_actions(actor=org.secretary.user, report=report) == set()
    assert services.allowed_actions(actor=org.admin, report=report) == {"approve", "return_branch"}
    approve(org, report, actor=org.admin)
    report.refresh_from_db()
    assert report.status == S.APPROVED and last_transition(report).actor == org.admin


def test_administrator_returns_the_secretarys_report_with_a_talk(org):
    leave_the_committee(org.committee)
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    services.report_return(
        actor=org.admin, report_id=report.pk, sections=["analysis"], comment="再深入", open_talk=True
    )
    report.refresh_from_db()
    assert report.status == S.RETURNED
    assert Talk.objects.get(report=report).member == org.secretary


def test_an_inactive_committee_member_does_not_count_as_another_judge(org):
    org.committee.is_active = False
    org.committee.save()
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    assert services.allowed_actions(actor=org.admin, report=report) == {"approve", "return_branch"}


def test_group_leaders_own_report_goes_straight_to_the_branch(org):
    report = report_in(org, S.DRAFT, member=org.leader)
    services.report_submit(actor=org.leader.user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH
    t = last_transition(report)
    assert (t.action, t.from_status, t.to_status) == ("submit", S.DRAFT, S.WITH_BRANCH)
    assert t.comment  # says why it skipped the group


def test_group_leaders_resubmitted_report_goes_straight_to_the_branch(org):
    report = report_in(org, S.RETURNED, member=org.leader, returned_sections=["insights"])
    services.report_submit(actor=org.leader.user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH
    assert last_transition(report).action == "resubmit"


def test_group_leader_cannot_forward_or_return_their_own_report(org):
    # A report that reached the group before its author became the group's leader.
    report = report_in(org, S.WITH_GROUP, member=org.leader)
    assert services.allowed_actions(actor=org.leader.user, report=report) == set()
    with pytest.raises(StudyError):
        services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="我同意我自己")
    with pytest.raises(StudyError):
        services.report_return(actor=org.leader.user, report_id=report.pk, sections=["insights"], comment="x")
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP and report.group_opinion == ""


# --- records stay as submitted ------------------------------------------------------------


def attend(member, status="present", *, day, title=None):
    """A session of the report's quarter on its ``day``-th day, with the member's attendance."""
    from study.models import Attendance

    start, _end = Quarter.current().bounds()
    session = StudySessionFactory(
        branch=member.branch, starts_at=start + datetime.timedelta(days=day, hours=9), title=title or f"第{day}次学习"
    )
    Attendance.objects.create(session=session, member=member, status=status)
    return session


def test_submit_keeps_the_attendance_the_report_was_submitted_with(org):
    sessions = [attend(org.member, day=d) for d in (1, 2, 3)]
    report = report_in(org, S.DRAFT)
    services.report_submit(actor=org.member.user, report_id=report.pk)
    attend(org.member, "absent", day=4)
    report.refresh_from_db()
    figures = selectors.report_figures(report)
    assert figures.as_submitted
    assert (figures.attendance.expected, figures.attendance.present, figures.attendance.rate) == (3, 3, 100)
    assert [s.title for s in figures.sessions] == [s.title for s in sessions]


def test_resubmit_takes_the_figures_afresh(org):
    attend(org.member, day=1)
    report = report_in(org, S.DRAFT)
    services.report_submit(actor=org.member.user, report_id=report.pk)
    services.report_return(actor=org.leader.user, report_id=report.pk, sections=["org_life"], comment="补充")
    attend(org.member, "absent", day=2)
    report.refresh_from_db()
    assert selectors.report_figures(report).attendance.expected == 2  # returned: the member sees what they resubmit
    services.report_submit(actor=org.member.user, report_id=report.pk)
    attend(org.member, "absent", day=3)
    report.refresh_from_db()
    figures = selectors.report_figures(report)
    assert (figures.attendance.expected, figures.attendance.absent) == (2, 1)


def test_a_draft_shows_live_figures(org):
    report = report_in(org, S.DRAFT)
    attend(org.member, day=1)
    figures = selectors.report_figures(report)
    assert not figures.as_submitted and figures.attendance.expected == 1


def test_submit_keeps_the_members_particulars_as_they_were(org):
    org.member.post = "调度员"
    org.member.save()
    report = report_in(org, S.DRAFT)
    services.report_submit(actor=org.member.user, report_id=report.pk)
    org.member.post = "值班长"
    org.member.party_status = org.member.PartyStatus.FULL
    org.member.save()
    report.refresh_from_db()
    assert selectors.report_figures(report).particulars.post == "调度员"


def test_migration_keeps_the_figures_existing_submitted_reports_show_now(org):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("study.migrations.0007_report_submitted_figures")
    attend(org.member, day=1, title="党章学习")
    attend(org.member, "excused", day=2)
    approved = report_in(org, S.APPROVED)
    draft = report_in(org, S.DRAFT, member=org.groupmate)
    QuarterlyReport.objects.update(submitted_figures=None)
    migration.keep_figures_of_submitted_reports(apps, None)
    approved.refresh_from_db()
    draft.refresh_from_db()
    assert draft.submitted_figures is None
    assert approved.submitted_figures == selectors.report_figures_to_keep(approved)
    attend(org.member, "absent", day=3)
    figures = selectors.report_figures(approved)
    assert (figures.attendance.expected, figures.attendance.excused) == (2, 1)
    assert [s.title for s in figures.sessions] == ["党章学习"]
