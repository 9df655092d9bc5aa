"""Every transition of the quarterly report: happy path, each illegal source
state, and each wrong role."""

import pytest
from django.core.exceptions import ValidationError

from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, ReportProblem, ReportTransition, StudySession, Talk
from study.services import StudyError
from study.services import reports as services
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory, StudySessionFactory

pytestmark = pytest.mark.django_db
S = QuarterlyReport.Status
ALL_STATES = list(S.values)


def report_in(org, status, member=None, **kwargs):
    report = QuarterlyReportFactory(member=member or org.member, status=status, **kwargs)
    ReportProblemFactory(report=report)
    return report


def last_transition(report):
    return ReportTransition.objects.filter(report=report).last()


# --- start and carry-over ---------------------------------------------------------


def test_member_starts_their_report_with_branch_and_group_fixed(org):
    report = services.report_start(actor=org.member.user, quarter=Quarter.current())
    assert (report.member, report.branch, report.group, report.status) == (
        org.member,
        org.branch_a,
        org.group_a1,
        S.DRAFT,
    )
    assert services.report_start(actor=org.member.user, quarter=Quarter.current()) == report


def test_open_measures_carry_over_to_the_next_quarter(org):
    previous = QuarterlyReportFactory(member=org.member, quarter=Quarter.current().previous().code)
    open_one = ReportProblemFactory(report=previous, problem="未完成", status=ReportProblem.Status.IN_PROGRESS)
    ReportProblemFactory(report=previous, problem="已完成", status=ReportProblem.Status.DONE)
    report = services.report_start(actor=org.member.user, quarter=Quarter.current())
    carried = list(report.problems.all())
    assert [(p.problem, p.status, p.carried_from) for p in carried] == [
        ("未完成", ReportProblem.Status.IN_PROGRESS, open_one)
    ]


def test_no_report_for_a_future_quarter(org):
    with pytest.raises(StudyError):
        services.report_start(actor=org.member.user, quarter=Quarter.current().next())


def test_masses_rater_writes_no_report(org):
    with pytest.raises(StudyError):
        services.report_start(actor=org.masses.user, quarter=Quarter.current())


# --- save ---------------------------------------------------------------------------


def test_member_saves_their_draft(org):
    report = report_in(org, S.DRAFT)
    saved = services.report_save(
        actor=org.member.user, report_id=report.pk, version=report.version, texts={"insights": "新体会"}
    )
    assert saved.insights == "新体会" and saved.version == report.version + 1


def test_second_save_from_a_stale_page_is_refused(org):
    report = report_in(org, S.DRAFT)
    services.report_save(actor=org.member.user, report_id=report.pk, version=report.version, texts={"insights": "甲"})
    with pytest.raises(services.ConcurrentEditError):
        services.report_save(
            actor=org.member.user, report_id=report.pk, version=report.version, texts={"insights": "乙"}
        )
    report.refresh_from_db()
    assert report.insights == "甲"


@pytest.mark.parametrize("who", ["groupmate", "leader", "secretary", "admin"])
def test_nobody_else_edits_a_members_report(org, who):
    report = report_in(org, S.DRAFT)
    actor = org.admin if who == "admin" else getattr(org, who).user
    with pytest.raises(StudyError):
        services.report_save(actor=actor, report_id=report.pk, version=report.version, texts={"insights": "x"})


@pytest.mark.parametrize("status", [S.WITH_GROUP, S.WITH_BRANCH, S.APPROVED])
def test_report_out_of_the_members_hands_cannot_be_edited(org, status):
    report = report_in(org, status)
    with pytest.raises(StudyError):
        services.report_save(actor=org.member.user, report_id=report.pk, version=report.version, texts={})


def test_returned_report_opens_only_the_returned_sections(org):
    report = report_in(org, S.RETURNED, returned_sections=["analysis"], insights="原体会")
    services.report_save(
        actor=org.member.user,
        report_id=report.pk,
        version=report.version,
        texts={"insights": "偷改", "analysis": "重写的分析"},
        problems=[],
    )
    report.refresh_from_db()
    assert report.insights == "原体会"
    assert report.analysis == "重写的分析"
    assert report.problems.count() == 1  # the problems section was not returned


def test_problems_are_replaced_in_order(org):
    report = report_in(org, S.DRAFT)
    kept = report.problems.get()
    services.report_save(
        actor=org.member.user,
        report_id=report.pk,
        version=report.version,
        texts={},
        problems=[
            services.ProblemInput(id=None, problem="新问题", cause="", measure="新措施", status="open"),
            services.ProblemInput(id=kept.pk, problem="改过的", cause="c", measure="m", status="done"),
        ],
    )
    assert list(report.problems.values_list("problem", "status")) == [("新问题", "open"), ("改过的", "done")]


def test_a_problem_of_another_report_cannot_be_smuggled_in(org):
    report = report_in(org, S.DRAFT)
    foreign = ReportProblemFactory(report=QuarterlyReportFactory(member=org.groupmate))
    with pytest.raises(StudyError):
        services.report_save(
            actor=org.member.user,
            report_id=report.pk,
            version=report.version,
            texts={},
            problems=[services.ProblemInput(id=foreign.pk, problem="x", cause="", measure="y", status="open")],
        )
    foreign.refresh_from_db()
    assert foreign.problem == "理论学习不够系统"


# --- submit / resubmit -------------------------------------------------------------------


def test_submit_goes_to_the_group(org):
    report = report_in(org, S.DRAFT)
    services.report_submit(actor=org.member.user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP and report.submitted_at is not None
    t = last_transition(report)
    assert (t.actor, t.action, t.from_status, t.to_status) == (org.member.user, "submit", S.DRAFT, S.WITH_GROUP)


def test_submit_goes_straight_to_the_branch_when_the_group_has_no_leader(org):
    report = report_in(org, S.DRAFT, member=org.member_a2)
    services.report_submit(actor=org.member_a2.user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH


def test_incomplete_report_cannot_be_submitted(org):
    report = QuarterlyReportFactory(member=org.member, analysis="")
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=org.member.user, report_id=report.pk)
    assert set(exc.value.message_dict) == {"analysis", "problems"}
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_resubmit_clears_the_returned_sections(org):
    report = report_in(org, S.RETURNED, returned_sections=["insights"])
    services.report_submit(actor=org.member.user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP and report.returned_sections == []
    assert last_transition(report).action == "resubmit"


@pytest.mark.parametrize("status", [S.WITH_GROUP, S.WITH_BRANCH, S.APPROVED])
def test_submit_from_an_illegal_state_changes_nothing(org, status):
    report = report_in(org, status)
    with pytest.raises(StudyError):
        services.report_submit(actor=org.member.user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == status
    assert not ReportTransition.objects.filter(report=report).exists()


@pytest.mark.parametrize("who", ["leader", "secretary", "groupmate"])
def test_only_the_author_submits(org, who):
    report = report_in(org, S.DRAFT)
    with pytest.raises(StudyError):
        services.report_submit(actor=getattr(org, who).user, report_id=report.pk)


# --- forward ------------------------------------------------------------------------------


def test_group_leader_forwards_with_an_opinion(org):
    report = report_in(org, S.WITH_GROUP)
    services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="小组讨论通过")
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH and report.group_opinion == "小组讨论通过"
    assert last_transition(report).comment == "小组讨论通过"


def test_forward_needs_an_opinion(org):
    report = report_in(org, S.WITH_GROUP)
    with pytest.raises(ValidationError):
        services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="  ")


@pytest.mark.parametrize("status", [S.DRAFT, S.WITH_BRANCH, S.RETURNED, S.APPROVED])
def test_forward_from_an_illegal_state(org, status):
    report = report_in(org, status)
    with pytest.raises(StudyError):
        services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="x")


@pytest.mark.parametrize("who", ["member", "secretary", "committee", "other_secretary"])
def test_only_the_groups_leader_forwards(org, who):
    report = report_in(org, S.WITH_GROUP)
    with pytest.raises(StudyError):
        services.report_forward(actor=getattr(org, who).user, report_id=report.pk, opinion="x")
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP


def test_leader_of_another_group_cannot_forward(org):
    org.group_a2.leader = org.member_a2
    org.group_a2.save()
    report = report_in(org, S.WITH_GROUP)
    with pytest.raises(StudyError):
        services.report_forward(actor=org.member_a2.user, report_id=report.pk, opinion="x")


# --- return ------------------------------------------------------------------------------


def test_group_returns_named_sections(org):
    report = report_in(org, S.WITH_GROUP)
    services.report_return(actor=org.leader.user, report_id=report.pk, sections=["insights"], comment="太简单")
    report.refresh_from_db()
    assert report.status == S.RETURNED and report.returned_sections == ["insights"]
    t = last_transition(report)
    assert (t.action, t.sections, t.comment) == ("return_group", ["insights"], "太简单")


def test_branch_returns_with_restudy_and_a_talk(org):
    report = report_in(org, S.WITH_BRANCH)
    session = StudySessionFactory(branch=org.branch_a, kind=StudySession.Kind.RESTUDY)
    services.report_return(
        actor=org.secretary.user,
        report_id=report.pk,
        sections=["analysis", "problems"],
        comment="分析不深刻",
        restudy_session_id=session.pk,
        open_talk=True,
    )
    report.refresh_from_db()
    assert report.returned_sections == ["analysis", "problems"]
    assert org.member in session.assigned_members.all()
    talk = Talk.objects.get(report=report)
    assert (talk.member, talk.status, talk.source) == (org.member, Talk.Status.OPEN, Talk.Source.REPORT_RETURN)
    t = last_transition(report)
    assert t.restudy_session == session and t.talk == talk


def test_committee_member_may_return_too(org):
    report = report_in(org, S.WITH_BRANCH)
    services.report_return(actor=org.committee.user, report_id=report.pk, sections=["insights"], comment="重写")
    report.refresh_from_db()
    assert report.status == S.RETURNED


def test_return_needs_sections_and_a_comment(org):
    report = report_in(org, S.WITH_BRANCH)
    with pytest.raises(ValidationError):
        services.report_return(actor=org.secretary.user, report_id=report.pk, sections=[], comment="x")
    with pytest.raises(ValidationError):
        services.report_return(actor=org.secretary.user, report_id=report.pk, sections=["bogus"], comment="x")
    with pytest.raises(ValidationError):
        services.report_return(actor=org.secretary.user, report_id=report.pk, sections=["insights"], comment="")
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH


def test_restudy_must_be_a_restudy_session_of_the_branch(org):
    report = report_in(org, S.WITH_BRANCH)
    other_branch = StudySessionFactory(branch=org.branch_b, kind=StudySession.Kind.RESTUDY)
    assembly = StudySessionFactory(branch=org.branch_a, kind=StudySession.Kind.ASSEMBLY)
    for session in (other_branch, assembly):
        with pytest.raises(ValidationError):
            services.report_return(
                actor=org.secretary.user,
                report_id=report.pk,
                sections=["insights"],
                comment="x",
                restudy_session_id=session.pk,
            )
    assert not Talk.objects.exists()
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH


def test_group_cannot_assign_restudy(org):
    report = report_in(org, S.WITH_GROUP)
    with pytest.raises(StudyError):
        services.report_return(
            actor=org.leader.user, report_id=report.pk, sections=["insights"], comment="x", open_talk=True
        )


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.APPROVED])
def test_return_from_an_illegal_state(org, status):
    report = report_in(org, status)
    for actor in (org.leader.user, org.secretary.user):
        with pytest.raises(StudyError):
            services.report_return(actor=actor, report_id=report.pk, sections=["insights"], comment="x")


@pytest.mark.parametrize("who", ["member", "leader", "other_secretary"])
def test_wrong_role_cannot_return_from_the_branch(org, who):
    report = report_in(org, S.WITH_BRANCH)
    with pytest.raises(StudyError):
        services.report_return(actor=getattr(org, who).user, report_id=report.pk, sections=["insights"], comment="x")


def test_secretary_cannot_return_while_with_the_group(org):
    report = report_in(org, S.WITH_GROUP)
    with pytest.raises(StudyError):
        services.report_return(actor=org.secretary.user, report_id=report.pk, sections=["insights"], comment="x")


# --- approve -----------------------------------------------------------------------------


def approve(org, report, grade="excellent", actor=None, **kwargs):
    return services.report_approve(
        actor=actor or org.secretary.user,
        report_id=report.pk,
        grade=grade,
        truly_studied=True,
        truly_checked=True,
        truly_rectified=False,
        evaluation="认真",
        **kwargs,
    )


def test_branch_approves_with_a_grade(org):
    report = report_in(org, S.WITH_BRANCH)
    approve(org, report)
    report.refresh_from_db()
    assert report.status == S.APPROVED and report.grade == "excellent"
    assert (report.truly_studied, report.truly_checked, report.truly_rectified) == (True, True, False)
    assert report.approved_at is not None
    assert last_transition(report).action == "approve"


def test_unqualified_always_returns(org):
    report = report_in(org, S.WITH_BRANCH)
    approve(org, report, grade="unqualified", open_talk=True)
    report.refresh_from_db()
    assert report.status == S.RETURNED and report.grade == "unqualified"
    assert report.returned_sections == list(QuarterlyReport.Section.values)
    assert report.approved_at is None
    assert Talk.objects.filter(report=report).exists()


def test_unqualified_returns_only_the_named_sections_when_given(org):
    report = report_in(org, S.WITH_BRANCH)
    approve(org, report, grade="unqualified", sections=["analysis"])
    report.refresh_from_db()
    assert report.returned_sections == ["analysis"]


def test_approve_needs_a_known_grade_and_an_evaluation(org):
    report = report_in(org, S.WITH_BRANCH)
    with pytest.raises(ValidationError):
        approve(org, report, grade="perfect")
    with pytest.raises(ValidationError):
        services.report_approve(
            actor=org.secretary.user,
            report_id=report.pk,
            grade="qualified",
            truly_studied=True,
            truly_checked=True,
            truly_rectified=True,
            evaluation="",
        )
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH and report.grade == ""


@pytest.mark.parametrize("status", [S.DRAFT, S.WITH_GROUP, S.RETURNED, S.APPROVED])
def test_approve_from_an_illegal_state(org, status):
    report = report_in(org, status)
    with pytest.raises(StudyError):
        approve(org, report)
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.parametrize("who", ["member", "leader", "other_secretary", "masses"])
def test_wrong_role_cannot_approve(org, who):
    report = report_in(org, S.WITH_BRANCH)
    with pytest.raises(StudyError):
        approve(org, report, actor=getattr(org, who).user)


def test_administrator_does_not_act_for_the_branch(org):
    report = report_in(org, S.WITH_BRANCH)
    with pytest.raises(StudyError):
        approve(org, report, actor=org.admin)


def test_allowed_actions_match_the_transition_table(org):
    report = report_in(org, S.WITH_GROUP)
    assert services.allowed_actions(actor=org.leader.user, report=report) == {"forward", "return_group"}
    assert services.allowed_actions(actor=org.secretary.user, report=report) == set()
    assert services.allowed_actions(actor=org.member.user, report=report) == set()


def test_every_move_is_recorded_in_the_history(org):
    report = report_in(org, S.DRAFT)
    services.report_submit(actor=org.member.user, report_id=report.pk)
    services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="同意")
    services.report_return(actor=org.secretary.user, report_id=report.pk, sections=["insights"], comment="补充")
    services.report_submit(actor=org.member.user, report_id=report.pk)
    services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="已补充")
    approve(org, report, grade="qualified")
    moves = list(ReportTransition.objects.filter(report=report).values_list("action", "from_status", "to_status"))
    assert moves == [
        ("submit", S.DRAFT, S.WITH_GROUP),
        ("forward", S.WITH_GROUP, S.WITH_BRANCH),
        ("return_branch", S.WITH_BRANCH, S.RETURNED),
        ("resubmit", S.RETURNED, S.WITH_GROUP),
        ("forward", S.WITH_GROUP, S.WITH_BRANCH),
        ("approve", S.WITH_BRANCH, S.APPROVED),
    ]
    assert report.history.count() >= 6
