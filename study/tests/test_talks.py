import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from study.models import Talk
from study.services import StudyError
from study.services import talks as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(org):
    return Talk.objects.create(member=org.member, branch=org.branch_a, source=Talk.Source.OTHER, reason="谈心")


def record(actor, talk, **changes):
    data = {
        "talked_on": timezone.localdate(),
        "talked_by": "书记甲",
        "problems": "学习不够",
        "response": "接受",
        "plan": "加强学习",
    }
    data.update(changes)
    return services.talk_record(actor=actor, talk_id=talk.pk, **data)


def test_secretary_records_a_talk(org, talk):
    record(org.secretary.user, talk)
    talk.refresh_from_db()
    assert talk.status == Talk.Status.RECORDED and talk.recorded_by == org.secretary.user


def test_a_recorded_talk_cannot_be_recorded_again(org, talk):
    record(org.secretary.user, talk)
    with pytest.raises(StudyError):
        record(org.secretary.user, talk, plan="改写")


@pytest.mark.parametrize("who", ["member", "leader", "other_secretary"])
def test_wrong_role_cannot_record(org, talk, who):
    with pytest.raises(PermissionDenied):
        record(getattr(org, who).user, talk)


def test_talk_record_needs_its_fields(org, talk):
    with pytest.raises(ValidationError) as exc:
        record(
            org.secretary.user,
            talk,
            talked_by="",
            plan="",
            talked_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"talked_by", "plan", "talked_on"}
    talk.refresh_from_db()
    assert talk.status == Talk.Status.OPEN


def test_talk_pages_follow_the_scope_rule(client_for, org, talk):
    assert client_for(org.member).get(reverse("study:talk_detail", args=[talk.pk])).status_code == 200
    assert client_for(org.groupmate).get(reverse("study:talk_detail", args=[talk.pk])).status_code == 404
    assert client_for(org.other_secretary).get(reverse("study:talk_detail", args=[talk.pk])).status_code == 404
    response = client_for(org.member).get(reverse("study:talk_detail", args=[talk.pk]))
    assert response.context["form"] is None


def test_secretary_records_through_the_page(client_for, org, talk):
    response = client_for(org.secretary).post(
        reverse("study:talk_detail", args=[talk.pk]),
        {"talked_on": "2026-01-05", "talked_by": "书记甲", "problems": "p", "response": "", "plan": "q"},
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.status == Talk.Status.RECORDED
    open_list = client_for(org.secretary).get(reverse("study:talk_list"))
    assert list(open_list.context["page"].object_list) == []


# --- nobody records a talk about themselves ---------------------------------------------


def talk_with(org, member, source=Talk.Source.ASSESSMENT):
    return Talk.objects.create(member=member, branch=member.branch, source=source, reason="黄旗")


def test_secretarys_own_talk_falls_to_the_administrator(org):
    talk = talk_with(org, org.secretary)
    for member in (org.secretary, org.committee):
        assert not services.talk_can_record(actor=member.user, talk=talk)
        with pytest.raises(PermissionDenied):
            record(member.user, talk)
    assert services.talk_can_record(actor=org.admin, talk=talk)
    record(org.admin, talk, talked_by="党委组织部")
    talk.refresh_from_db()
    assert talk.status == Talk.Status.RECORDED and talk.recorded_by == org.admin


def test_committee_member_does_not_record_their_own_talk(org):
    talk = talk_with(org, org.committee)
    with pytest.raises(PermissionDenied):
        record(org.committee.user, talk)
    record(org.secretary.user, talk)
    talk.refresh_from_db()
    assert talk.recorded_by == org.secretary.user


def test_a_talk_opened_when_the_secretarys_report_is_returned_falls_to_the_administrator(org):
    from study.services import reports as report_services
    from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

    report = QuarterlyReportFactory(member=org.secretary, status="with_branch")
    ReportProblemFactory(report=report)
    report_services.report_return(
        actor=org.committee.user, report_id=report.pk, sections=["analysis"], comment="不深刻", open_talk=True
    )
    talk = Talk.objects.get(report=report)
    assert not services.talk_can_record(actor=org.secretary.user, talk=talk)
    assert services.talk_can_record(actor=org.admin, talk=talk)


def test_the_administrator_finds_the_talks_that_fall_to_them(client_for, org, talk):
    own = talk_with(org, org.secretary)
    response = client_for(org.admin).get(reverse("study:talk_list"), {"status": "open", "holder": "company"})
    assert list(response.context["page"].object_list) == [own]


def test_secretary_is_offered_no_record_form_for_their_own_talk(client_for, org):
    own = talk_with(org, org.secretary)
    client = client_for(org.secretary)
    page = client.get(reverse("study:talk_detail", args=[own.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    assert "talk-record-form" not in page.content.decode()
    client.post(
        reverse("study:talk_detail", args=[own.pk]),
        {"talked_on": "2026-01-05", "talked_by": "书记甲", "problems": "p", "response": "", "plan": "q"},
    )
    own.refresh_from_db()
    assert own.status == Talk.Status.OPEN
    assert client_for(org.admin).get(reverse("study:talk_detail", args=[own.pk])).context["form"] is not None
