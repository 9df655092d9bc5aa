import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.tests.factories import MemberFactory
from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, ReportTransition
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

pytestmark = pytest.mark.django_db
S = QuarterlyReport.Status


def report_in(org, status, member=None, **kwargs):
    report = QuarterlyReportFactory(member=member or org.member, status=status, **kwargs)
    ReportProblemFactory(report=report)
    return report


@pytest.mark.parametrize(
    "who, status, code",
    [
        ("member", S.DRAFT, 200),
        ("groupmate", S.WITH_GROUP, 404),
        ("leader", S.DRAFT, 404),  # a draft is not yet submitted to the group
        ("leader", S.WITH_GROUP, 200),
        ("secretary", S.DRAFT, 200),
        ("committee", S.WITH_BRANCH, 200),
        ("other_secretary", S.WITH_BRANCH, 404),
        ("member_b", S.APPROVED, 404),
        ("masses", S.APPROVED, 404),
        ("admin", S.APPROVED, 200),
    ],
)
def test_report_page_applies_the_scope_rule(client_for, org, who, status, code):
    report = report_in(org, status)
    user = org.admin if who == "admin" else getattr(org, who)
    for name in ("study:report_detail", "study:report_print"):
        assert client_for(user).get(reverse(name, args=[report.pk])).status_code == code


def test_member_walks_the_report_through_the_web(client_for, org):
    client = client_for(org.member)
    quarter = Quarter.current().code
    response = client.get(reverse("study:report_mine", args=[quarter]))
    assert response.status_code == 200
    response = client.post(reverse("study:report_mine", args=[quarter]))
    report = QuarterlyReport.objects.get(member=org.member, quarter=quarter)
    assert response["Location"] == reverse("study:report_edit", args=[report.pk])
    data = {
        "version": report.version,
        "studied_notes": "自学党史",
        "insights": "体会很深",
        "org_life_notes": "",
        "analysis": "查找差距",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "1000",
        "problems-0-problem": "学习不系统",
        "problems-0-cause": "时间少",
        "problems-0-measure": "每周学习",
        "problems-0-status": "open",
        "submit": "1",
    }
    response = client.post(reverse("study:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP
    assert report.problems.get().problem == "学习不系统"


def test_saving_an_incomplete_report_keeps_it_as_a_draft_and_says_why(client_for, org):
    report = QuarterlyReportFactory(member=org.member, insights="", analysis="")
    data = {
        "version": report.version,
        "insights": "只写了体会",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "submit": "1",
    }
    response = client_for(org.member).post(reverse("study:report_edit", args=[report.pk]), data, follow=True)
    report.refresh_from_db()
    assert report.status == S.DRAFT and report.insights == "只写了体会"
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) >= 3


def test_stale_edit_page_is_refused(client_for, org):
    report = report_in(org, S.DRAFT)
    client = client_for(org.member)
    data = {
        "version": report.version,
        "insights": "第一次",
        "analysis": "a",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
    }
    client.post(reverse("study:report_edit", args=[report.pk]), data)
    response = client.post(reverse("study:report_edit", args=[report.pk]), {**data, "insights": "第二次"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    report.refresh_from_db()
    assert report.insights == "第一次"


def test_problem_form_errors_are_shown_and_nothing_is_saved(client_for, org):
    report = report_in(org, S.DRAFT)
    data = {
        "version": report.version,
        "insights": "改了",
        "analysis": "a",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-0-problem": "",
        "problems-0-measure": "只有措施",
        "problems-0-status": "open",
    }
    response = client_for(org.member).post(reverse("study:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].errors[0]["problem"]
    report.refresh_from_db()
    assert report.insights == "深刻体会"


def test_another_member_cannot_open_the_edit_page(client_for, org):
    report = report_in(org, S.DRAFT)
    assert client_for(org.groupmate).get(reverse("study:report_edit", args=[report.pk])).status_code == 404
    assert client_for(org.secretary).get(reverse("study:report_edit", args=[report.pk])).status_code == 403


def test_leader_forwards_from_the_page(client_for, org):
    report = report_in(org, S.WITH_GROUP)
    client = client_for(org.leader)
    page = client.get(reverse("study:report_detail", args=[report.pk]))
    assert "forward_form" in page.context and "approve_form" not in page.context
    response = client.post(reverse("study:report_forward", args=[report.pk]), {"opinion": "同意上报"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH


def test_forward_without_opinion_shows_the_error(client_for, org):
    report = report_in(org, S.WITH_GROUP)
    response = client_for(org.leader).post(reverse("study:report_forward", args=[report.pk]), {"opinion": ""})
    assert response.status_code == 200
    assert "opinion" in response.context["forward_form"].errors


def test_member_forwarding_by_post_is_refused_on_the_form(client_for, org):
    report = report_in(org, S.WITH_GROUP)
    response = client_for(org.member).post(reverse("study:report_forward", args=[report.pk]), {"opinion": "自己转"})
    assert response.status_code == 200
    refusal = response.context["forward_form"].non_field_errors()
    assert any("党小组长" in str(m) or "group" in str(m) for m in refusal)
    assert 'data-testid="forward-panel"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP


def test_approving_a_draft_by_post_changes_nothing(client_for, org):
    report = report_in(org, S.DRAFT)
    response = client_for(org.secretary).post(
        reverse("study:report_approve", args=[report.pk]),
        {
            "grade": "excellent",
            "truly_studied": "yes",
            "truly_checked": "yes",
            "truly_rectified": "yes",
            "evaluation": "好",
        },
    )
    assert response.status_code == 200
    assert response.context["approve_form"].non_field_errors()
    report.refresh_from_db()
    assert report.status == S.DRAFT and report.grade == ""


def test_secretary_of_another_branch_cannot_act(client_for, org):
    report = report_in(org, S.WITH_BRANCH)
    response = client_for(org.other_secretary).post(
        reverse("study:report_return", args=[report.pk]), {"sections": ["insights"], "comment": "x"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH


def test_secretary_returns_with_restudy_from_the_page(client_for, org):
    from study.models import StudySession
    from study.tests.factories import StudySessionFactory

    report = report_in(org, S.WITH_BRANCH)
    session = StudySessionFactory(branch=org.branch_a, kind=StudySession.Kind.RESTUDY, attendance_taken_at=None)
    response = client_for(org.secretary).post(
        reverse("study:report_return", args=[report.pk]),
        {"sections": ["insights", "analysis"], "comment": "不够深入", "restudy_session": session.pk},
    )
    assert response.status_code == 302
    transition = ReportTransition.objects.get(report=report)
    assert transition.sections == ["insights", "analysis"] and transition.restudy_session == session


def test_return_with_no_section_chosen_names_the_field(client_for, org):
    report = report_in(org, S.WITH_BRANCH)
    response = client_for(org.secretary).post(reverse("study:report_return", args=[report.pk]), {"comment": "x"})
    assert "sections" in response.context["return_form"].errors


def test_waiting_queue_lists_the_group_reports(client_for, org):
    waiting = report_in(org, S.WITH_GROUP)
    report_in(org, S.WITH_BRANCH, member=org.groupmate)
    response = client_for(org.leader).get(reverse("study:report_waiting"))
    assert [r.pk for r in response.context["page"].object_list] == [waiting.pk]
    assert client_for(org.member).get(reverse("study:report_waiting")).status_code == 403


def test_review_board_counts_every_state(client_for, org):
    report_in(org, S.DRAFT, member=org.member)
    report_in(org, S.WITH_GROUP, member=org.groupmate)
    report_in(org, S.APPROVED, member=org.member_a2)
    response = client_for(org.secretary).get(reverse("study:review_board"))
    counts = response.context["counts"]
    assert counts.total == 6
    assert counts.by_state == {
        "not_started": 3,
        "draft": 1,
        "with_group": 1,
        "with_branch": 0,
        "returned": 0,
        "approved": 1,
    }
    assert counts.approved_percent == 17
    states = {m["name"]: m["state"] for m in response.context["rows"]}
    assert states["党员甲"] == "draft" and states["书记甲"] == "not_started"
    filtered = client_for(org.secretary).get(reverse("study:review_board"), {"state": "not_started"})
    assert {m["name"] for m in filtered.context["rows"]} == {"书记甲", "支委甲", "组长甲"}


def test_review_board_is_for_the_committee_and_administrators(client_for, org):
    assert client_for(org.leader).get(reverse("study:review_board")).status_code == 403
    assert client_for(org.member).get(reverse("study:review_board")).status_code == 403
    response = client_for(org.admin).get(reverse("study:review_board"), {"branch": org.branch_b.pk})
    assert response.context["branch"] == org.branch_b


def test_review_board_ignores_bad_parameters(client_for, org):
    client = client_for(org.secretary)
    for params in ({"quarter": "2026Q9"}, {"state": "bogus"}, {"group": "x"}, {"page": "-1"}):
        assert client.get(reverse("study:review_board"), params).status_code == 200


def test_review_board_queries_do_not_grow_with_the_branch(client_for, org):
    client = client_for(org.secretary)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("study:review_board"))
    for member in MemberFactory.create_batch(30, branch=org.branch_a, group=org.group_a2):
        report_in(org, S.WITH_BRANCH, member=member)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("study:review_board"))
    assert len(large) == len(small) <= 20


def test_report_page_queries_are_bounded(client_for, org):
    report = report_in(org, S.WITH_BRANCH)
    client = client_for(org.secretary)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("study:report_detail", args=[report.pk]))
    for _ in range(10):
        ReportProblemFactory(report=report)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("study:report_detail", args=[report.pk]))
    assert len(large) == len(small) <= 20


def test_bad_quarter_code_is_not_found(client_for, org):
    assert client_for(org.member).get(reverse("study:report_mine", args=["2026Q7"])).status_code == 404


def test_report_text_is_escaped_for_the_secretary(client_for, org):
    report = report_in(org, S.WITH_BRANCH, insights="<script>alert(1)</script>")
    html = client_for(org.secretary).get(reverse("study:report_detail", args=[report.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- nobody judges themselves ------------------------------------------------------------

APPROVAL = {
    "grade": "excellent",
    "truly_studied": "yes",
    "truly_checked": "yes",
    "truly_rectified": "yes",
    "evaluation": "好",
}


def test_secretary_is_offered_nothing_on_their_own_report(client_for, org):
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    client = client_for(org.secretary)
    page = client.get(reverse("study:report_detail", args=[report.pk]))
    html = page.content.decode()
    assert "approve_form" not in page.context and "return_form" not in page.context
    assert 'data-testid="approve-panel"' not in html and 'data-testid="return-panel"' not in html
    response = client.post(reverse("study:report_approve", args=[report.pk]), APPROVAL)
    assert response.context["approve_form"].non_field_errors()
    client.post(reverse("study:report_return", args=[report.pk]), {"sections": ["insights"], "comment": "x"})
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH and report.grade == ""


def test_another_committee_member_is_offered_the_secretarys_report(client_for, org):
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    page = client_for(org.committee).get(reverse("study:report_detail", args=[report.pk]))
    assert "approve_form" in page.context and "return_form" in page.context


def test_administrator_finds_and_approves_reports_nobody_else_can_judge(client_for, org):
    org.committee.committee_role = org.committee.CommitteeRole.NONE
    org.committee.save()
    own = report_in(org, S.WITH_BRANCH, member=org.secretary)
    report_in(org, S.WITH_BRANCH, member=org.member_b)  # branch B's secretary judges this one
    client = client_for(org.admin)
    board = client.get(reverse("study:review_board"), {"branch": org.branch_b.pk})
    assert [r.pk for r in board.context["for_company"]] == [own.pk]
    assert reverse("study:report_detail", args=[own.pk]) in board.content.decode()
    page = client.get(reverse("study:report_detail", args=[own.pk]))
    assert "approve_form" in page.context
    assert client.post(reverse("study:report_approve", args=[own.pk]), APPROVAL).status_code == 302
    own.refresh_from_db()
    assert own.status == S.APPROVED


def test_administrator_is_offered_nothing_the_branch_can_judge(client_for, org):
    report = report_in(org, S.WITH_BRANCH, member=org.secretary)
    client = client_for(org.admin)
    board = client.get(reverse("study:review_board"))
    assert list(board.context["for_company"]) == []
    assert "approve_form" not in client.get(reverse("study:report_detail", args=[report.pk])).context


def test_group_leader_is_offered_nothing_on_their_own_report(client_for, org):
    report = report_in(org, S.WITH_GROUP, member=org.leader)
    client = client_for(org.leader)
    page = client.get(reverse("study:report_detail", args=[report.pk]))
    assert "forward_form" not in page.context and "return_form" not in page.context
    assert 'data-testid="forward-panel"' not in page.content.decode()
    waiting = client.get(reverse("study:report_waiting"))
    assert list(waiting.context["page"].object_list) == []
    client.post(reverse("study:report_forward", args=[report.pk]), {"opinion": "同意"})
    report.refresh_from_db()
    assert report.status == S.WITH_GROUP and report.group_opinion == ""


def test_group_leader_submits_their_own_report_to_the_branch(client_for, org):
    report = report_in(org, S.DRAFT, member=org.leader)
    client = client_for(org.leader)
    page = client.get(reverse("study:report_detail", args=[report.pk]))
    with translation.override("zh-hans"):
        assert translation.gettext("Submit to my Party group") not in page.content.decode()
    assert client.post(reverse("study:report_submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == S.WITH_BRANCH


# --- records stay as approved -------------------------------------------------------------


def attend(member, status="present", *, day):
    import datetime

    from study.models import Attendance
    from study.tests.factories import StudySessionFactory

    start, _end = Quarter.current().bounds()
    session = StudySessionFactory(
        branch=member.branch, starts_at=start + datetime.timedelta(days=day, hours=9), title=f"第{day}次学习"
    )
    Attendance.objects.create(session=session, member=member, status=status)
    return session


def test_an_approved_report_keeps_its_figures_after_a_later_absence(client_for, org):
    from study.services import reports as services

    for day in (1, 2, 3):
        attend(org.member, day=day)
    report = report_in(org, S.DRAFT, org_life_notes="无缺席")
    services.report_submit(actor=org.member.user, report_id=report.pk)
    services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="同意")
    client = client_for(org.secretary)
    client.post(reverse("study:report_approve", args=[report.pk]), APPROVAL)
    report.refresh_from_db()
    assert report.status == S.APPROVED
    attend(org.member, "absent", day=4)  # recorded after the approval
    for name in ("study:report_detail", "study:report_print"):
        page = client.get(reverse(name, args=[report.pk]))
        attendance = page.context["attendance"]
        assert (attendance.expected, attendance.present, attendance.absent, attendance.rate) == (3, 3, 0, 100)
        assert [s.title for s in page.context["sessions"]] == ["第1次学习", "第2次学习", "第3次学习"]
        html = page.content.decode()
        assert "100%" in html and "75%" not in html and "第4次学习" not in html
        assert "无缺席" in html
    # The next report shows the absence.
    assert client_for(org.member).get(reverse("home")).context["my_attendance"].absent == 1


def test_a_draft_report_page_shows_live_figures(client_for, org):
    report = report_in(org, S.DRAFT)
    attend(org.member, day=1)
    attend(org.member, "absent", day=2)
    page = client_for(org.member).get(reverse("study:report_detail", args=[report.pk]))
    assert page.context["attendance"].rate == 50


def test_an_approved_report_cannot_be_changed_in_the_django_admin(client_for, org):
    report = report_in(org, S.APPROVED, insights="原文")
    client = client_for(org.admin)
    url = reverse("admin:study_quarterlyreport_change", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    client.post(url, {"insights": "改过", "quarter": report.quarter})
    report.refresh_from_db()
    assert report.insights == "原文"
    draft = report_in(org, S.DRAFT, member=org.groupmate)
    assert client.get(reverse("admin:study_quarterlyreport_change", args=[draft.pk])).context["has_change_permission"]
