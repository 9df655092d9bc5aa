import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.tests.factories import MemberFactory
from partybuild.lib.quarters import Quarter
from study.models import Attendance, StudySession
from study.selectors.reports import attendance_summary, sessions_attended
from study.services import sessions as services
from study.tests.factories import StudySessionFactory

pytestmark = pytest.mark.django_db


def session_data(org, **changes):
    data = {
        "branch_id": org.branch_a.pk,
        "kind": StudySession.Kind.ASSEMBLY,
        "title": "学习党章",
        "content_tag": StudySession.ContentTag.CONSTITUTION,
        "content": "党章第一章",
        "requirements": "做笔记",
        "starts_at": timezone.now() - datetime.timedelta(hours=3),
        "duration_minutes": 90,
        "location": "活动室",
        "audience": StudySession.Audience.BRANCH,
        "group": None,
    }
    data.update(changes)
    return data


def test_secretary_plans_a_branch_session(org):
    session = services.session_create(actor=org.secretary.user, data=session_data(org))
    assert services.expected_attendees(session).count() == 6


def test_group_leader_plans_a_group_meeting_for_their_group_only(org):
    data = session_data(
        org, kind=StudySession.Kind.GROUP_MEETING, audience=StudySession.Audience.GROUP, group=org.group_a1
    )
    session = services.session_create(actor=org.leader.user, data=data)
    assert set(services.expected_attendees(session)) == {org.secretary, org.leader, org.member, org.groupmate}
    with pytest.raises(PermissionDenied):
        services.session_create(actor=org.leader.user, data={**data, "group": org.group_a2})


def test_plain_member_cannot_plan(org):
    with pytest.raises(PermissionDenied):
        services.session_create(actor=org.member.user, data=session_data(org))


def test_secretary_of_another_branch_cannot_plan_here(org):
    with pytest.raises(PermissionDenied):
        services.session_create(actor=org.other_secretary.user, data=session_data(org))


def test_group_meeting_needs_a_group_of_the_branch(org):
    with pytest.raises(ValidationError):
        services.session_create(
            actor=org.secretary.user,
            data=session_data(org, kind=StudySession.Kind.GROUP_MEETING, audience=StudySession.Audience.BRANCH),
        )
    with pytest.raises(ValidationError):
        services.session_create(
            actor=org.secretary.user, data=session_data(org, audience=StudySession.Audience.GROUP, group=org.group_b1)
        )


def test_restudy_for_assigned_members(org):
    session = services.session_create(
        actor=org.secretary.user,
        data=session_data(org, kind=StudySession.Kind.RESTUDY, audience=StudySession.Audience.ASSIGNED),
        assigned=[org.member],
    )
    assert list(services.expected_attendees(session)) == [org.member]
    with pytest.raises(ValidationError):
        services.session_update(actor=org.secretary.user, session_id=session.pk, data={}, assigned=[org.member_b])


def marks_for(session, **overrides):
    marks = {m.pk: ("present", "") for m in services.expected_attendees(session)}
    marks.update(overrides)
    return marks


def test_attendance_for_the_whole_list(org):
    session = services.session_create(actor=org.secretary.user, data=session_data(org))
    marks = marks_for(session, **{str(org.member.pk): ("absent", "")})
    marks = marks_for(session)
    marks[org.member.pk] = ("absent", "值班")
    marks[org.groupmate.pk] = ("excused", "出差")
    services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks)
    assert Attendance.objects.filter(session=session).count() == 6
    summary = attendance_summary(member_id=org.member.pk, quarter=Quarter.current())
    assert (summary.expected, summary.present, summary.absent, summary.rate) == (1, 0, 1, 0)
    # Recording again corrects the earlier marks instead of duplicating them.
    marks[org.member.pk] = ("present", "")
    services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks)
    assert Attendance.objects.get(session=session, member=org.member).status == "present"
    assert list(sessions_attended(member_id=org.member.pk, quarter=Quarter.current())) == [session]


def test_attendance_needs_every_member_and_reasons(org):
    session = services.session_create(actor=org.secretary.user, data=session_data(org))
    marks = marks_for(session)
    del marks[org.member.pk]
    with pytest.raises(ValidationError):
        services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks)
    marks = marks_for(session)
    marks[org.member.pk] = ("absent", "  ")
    with pytest.raises(ValidationError):
        services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks)
    marks = marks_for(session)
    marks[org.member_b.pk] = ("present", "")
    with pytest.raises(ValidationError):
        services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks)
    assert not Attendance.objects.filter(session=session).exists()


def test_attendance_cannot_be_taken_before_the_session(org):
    session = services.session_create(
        actor=org.secretary.user, data=session_data(org, starts_at=timezone.now() + datetime.timedelta(days=2))
    )
    with pytest.raises(ValidationError):
        services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks_for(session))


def test_member_cannot_take_attendance(org):
    session = StudySessionFactory(branch=org.branch_a)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=org.member.user, session_id=session.pk, marks={})


# --- views ---------------------------------------------------------------------------


def test_session_pages_apply_the_scope_rule(client_for, org):
    branch_session = StudySessionFactory(branch=org.branch_a)
    group_a2_meeting = StudySessionFactory(
        branch=org.branch_a, audience=StudySession.Audience.GROUP, group=org.group_a2, kind="group"
    )
    other = StudySessionFactory(branch=org.branch_b)
    member = client_for(org.member)
    assert member.get(reverse("study:session_detail", args=[branch_session.pk])).status_code == 200
    assert member.get(reverse("study:session_detail", args=[group_a2_meeting.pk])).status_code == 404
    assert member.get(reverse("study:session_detail", args=[other.pk])).status_code == 404
    assert member.get(reverse("study:session_attendance", args=[branch_session.pk])).status_code == 403
    secretary = client_for(org.secretary)
    assert secretary.get(reverse("study:session_detail", args=[other.pk])).status_code == 404
    assert secretary.get(reverse("study:session_attendance", args=[other.pk])).status_code == 404


def test_secretary_takes_attendance_on_one_page(client_for, org):
    session = StudySessionFactory(branch=org.branch_a)
    client = client_for(org.secretary)
    page = client.get(reverse("study:session_attendance", args=[session.pk]))
    rows = page.context["rows"]
    assert len(rows) == 6
    version = page.context["version_form"]["version"].value()
    data = {"att-TOTAL_FORMS": "6", "att-INITIAL_FORMS": "6", "version": version}
    for i, (member, _form) in enumerate(rows):
        data[f"att-{i}-member_id"] = member.pk
        data[f"att-{i}-status"] = "absent" if member == org.member else "present"
        data[f"att-{i}-reason"] = "病假" if member == org.member else ""
    response = client.post(reverse("study:session_attendance", args=[session.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.get(session=session, member=org.member).reason == "病假"


def test_secretary_plans_a_session_through_the_form(client_for, org):
    response = client_for(org.secretary).post(
        reverse("study:session_create"),
        {
            "kind": "lecture",
            "title": "专题党课",
            "content_tag": "higher",
            "content": "上级精神",
            "requirements": "会前自学",
            "starts_at": "2026-12-01T14:30",
            "duration_minutes": "90",
            "location": "",
            "audience": "branch",
        },
    )
    assert response.status_code == 302
    assert StudySession.objects.get(title="专题党课").branch == org.branch_a


def test_bad_session_input_names_the_fields(client_for, org):
    response = client_for(org.secretary).post(
        reverse("study:session_create"),
        {"kind": "party", "title": "", "starts_at": "tomorrow", "duration_minutes": "-5", "audience": "branch"},
    )
    assert response.status_code == 200
    assert {"kind", "title", "starts_at", "duration_minutes", "content_tag", "content"} <= set(
        response.context["form"].errors
    )


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "1999-12-31T23:00", "9999-12-31T23:59"])
def test_a_start_in_an_impossible_year_is_refused_on_its_field(client_for, org, starts_at):
    data = {
        "kind": "lecture",
        "title": "专题党课",
        "content_tag": "higher",
        "content": "上级精神",
        "requirements": "会前自学",
        "starts_at": starts_at,
        "duration_minutes": "90",
        "audience": "branch",
    }
    response = client_for(org.secretary).post(reverse("study:session_create"), data)
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert not StudySession.objects.filter(title="专题党课").exists()
    # next year is a plan, not a slip
    next_year = timezone.localdate().year + 1
    response = client_for(org.secretary).post(
        reverse("study:session_create"), {**data, "starts_at": f"{next_year}-12-31T20:00"}
    )
    assert response.status_code == 302


def test_study_record_per_quarter(client_for, org):
    session = StudySessionFactory(branch=org.branch_a)
    Attendance.objects.create(session=session, member=org.member, status="present")
    response = client_for(org.member).get(reverse("study:my_record"))
    totals = response.context["totals"]
    assert (totals["expected"], totals["present"], totals["rate"]) == (1, 1, 100)
    assert client_for(org.member).get(reverse("study:member_record", args=[org.groupmate.pk])).status_code == 404
    assert client_for(org.secretary).get(reverse("study:member_record", args=[org.member.pk])).status_code == 200


def test_session_list_filters(client_for, org):
    StudySessionFactory(branch=org.branch_a, kind="lecture", title="党课甲")
    StudySessionFactory(branch=org.branch_a, kind="assembly", title="大会乙")
    response = client_for(org.secretary).get(reverse("study:session_list"), {"kind": "lecture"})
    assert [s.title for s in response.context["page"].object_list] == ["党课甲"]
    response = client_for(org.secretary).get(reverse("study:session_list"), {"quarter": "bad"})
    assert response.status_code == 200


def test_a_quarter_written_wrongly_is_said_and_filters_nothing(client_for, org):
    StudySessionFactory(branch=org.branch_a, kind="lecture", title="党课甲")
    response = client_for(org.secretary).get(reverse("study:session_list"), {"quarter": "2026Q9", "kind": "nonsense"})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        str(_("“%(code)s” is not a quarter; write it like 2026Q4.") % {"code": "2026Q9"})
    ]
    assert [s.title for s in response.context["page"].object_list] == ["党课甲"]
    assert response.context["quarter"] is None


def test_attendance_marks_keep_who_recorded_them(org):
    session = services.session_create(actor=org.secretary.user, data=session_data(org))
    marks = marks_for(session)
    services.attendance_record(actor=org.secretary.user, session_id=session.pk, marks=marks)
    first = Attendance.history.filter(session_id=session.pk)
    assert first.count() == 6
    assert set(first.values_list("history_type", "history_user")) == {("+", org.secretary.user.pk)}
    marks[org.member.pk] = ("excused", "出差")
    services.attendance_record(actor=org.committee.user, session_id=session.pk, marks=marks)
    change = Attendance.history.filter(session_id=session.pk, history_type="~").get()
    assert (change.member_id, change.status, change.history_user) == (org.member.pk, "excused", org.committee.user)


def test_a_session_whose_planner_was_deleted_can_still_be_edited(client_for, org):
    planner = MemberFactory(branch=org.branch_a)
    session = StudySession.objects.create(
        branch=org.branch_a,
        kind="lecture",
        title="专题党课",
        content_tag="higher",
        content="上级精神",
        requirements="会前自学",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        audience="branch",
        created_by=planner.user,
    )
    planner.user.delete()
    session.refresh_from_db()
    assert session.created_by is None
    client = client_for(org.secretary)
    form = client.get(reverse("study:session_edit", args=[session.pk])).context["form"]
    unchanged = {name: form[name].value() for name in form.fields}
    unchanged["starts_at"] = timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M")
    unchanged = {k: ("" if v is None else v) for k, v in unchanged.items()}
    response = client.post(reverse("study:session_edit", args=[session.pk]), unchanged)
    assert response.status_code == 302, response.context["form"].errors


def test_an_attendance_list_that_changed_meanwhile_is_refused_with_a_message(client_for, org):
    session = StudySessionFactory(branch=org.branch_a)
    client = client_for(org.secretary)
    url = reverse("study:session_attendance", args=[session.pk])
    page = client.get(url)
    formset = page.context["formset"]
    rows = len(formset.forms)
    version = page.context["version_form"]["version"].value()
    data = {"att-TOTAL_FORMS": str(rows + 1), "att-INITIAL_FORMS": str(rows), "version": version}
    for i, form in enumerate(formset.forms):
        data[f"att-{i}-member_id"] = form.initial["member_id"]
        data[f"att-{i}-status"] = "present"
    for posted in (rows + 1, rows - 1):
        data["att-TOTAL_FORMS"] = str(posted)
        response = client.post(url, data)
        assert response.status_code == 200
        assert "名单已有变化" in response.content.decode()
    assert not Attendance.objects.filter(session=session).exists()


# ---------------------------------------------------------------------------
# Requirements (学习要求): one of the four rigid constraints, so required


@pytest.mark.parametrize("requirements", ["", "   "])
def test_a_session_without_requirements_is_refused(org, requirements):
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=org.secretary.user, data=session_data(org, requirements=requirements))
    assert "requirements" in exc.value.message_dict
    assert not StudySession.objects.exists()


def test_the_session_form_says_requirements_are_missing_on_their_field(client_for, org):
    page = client_for(org.secretary).get(reverse("study:session_create"))
    assert page.context["form"].fields["requirements"].required
    data = {
        "kind": "assembly",
        "content_tag": "prescribed",
        "title": "学习党章",
        "content": "第一章",
        "requirements": "",
        "starts_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "audience": "branch",
    }
    response = client_for(org.secretary).post(reverse("study:session_create"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["requirements"]
    assert len(response.context["form"].errors["requirements"]) == 1
    assert not StudySession.objects.exists()


def test_members_assigned_individually_are_picked_with_checkboxes(client_for, org):
    content = client_for(org.secretary).get(reverse("study:session_create")).content.decode()
    assert '<select name="assigned_members"' not in content
    boxes = content.count('type="checkbox" name="assigned_members"')
    assert boxes == org.branch_a.members.filter(is_active=True).count() > 0
    assert 'data-testid="assigned-members"' in content and 'data-pb-check="all"' in content


def test_a_session_for_members_picked_by_checkbox_is_saved(client_for, org):
    data = {
        "kind": "restudy",
        "content_tag": "prescribed",
        "title": "补学",
        "content": "党章",
        "requirements": "会前自学",
        "starts_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "audience": "assigned",
        "assigned_members": [str(org.member.pk), str(org.groupmate.pk)],
    }
    response = client_for(org.secretary).post(reverse("study:session_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(StudySession.objects.get(title="补学").assigned_members.all()) == {org.member, org.groupmate}


def test_attendance_page_marks_the_rows_that_lack_a_reason(client_for, org):
    session = StudySessionFactory(branch=org.branch_a)
    client = client_for(org.secretary)
    page = client.get(reverse("study:session_attendance", args=[session.pk]))
    rows = page.context["rows"]
    data = {"att-TOTAL_FORMS": str(len(rows)), "att-INITIAL_FORMS": str(len(rows))}
    data["version"] = page.context["version_form"]["version"].value()
    lacking = {org.member.pk, org.groupmate.pk}
    for i, (member, _form) in enumerate(rows):
        data[f"att-{i}-member_id"] = member.pk
        data[f"att-{i}-status"] = "excused" if member.pk in lacking else "present"
        data[f"att-{i}-reason"] = ""
        if member.pk == org.leader.pk:
            data[f"att-{i}-status"], data[f"att-{i}-reason"] = "absent", "出差"
    response = client.post(reverse("study:session_attendance", args=[session.pk]), data)
    assert response.status_code == 200
    marked = {member.pk for member, form in response.context["rows"] if "reason" in form.errors}
    assert marked == lacking
    assert response.content.decode().count("data-lacks-reason") == 2
    assert not Attendance.objects.filter(session=session).exists()
