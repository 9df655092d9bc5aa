"""Criticism meetings: every service's happy path, each wrong role, bad input; and the
selectors' scope rule."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.models import Member
from members.tests.factories import MemberFactory
from study.models import Criticism, CriticismMeeting, RectificationItem, SelfCriticism
from study.services import StudyError
from study.services import meetings as services

pytestmark = pytest.mark.django_db

ORG_LIFE = CriticismMeeting.Kind.ORGANISATIONAL_LIFE
DONE = RectificationItem.Status.DONE
IN_PROGRESS = RectificationItem.Status.IN_PROGRESS
OPEN = RectificationItem.Status.OPEN


def today() -> datetime.date:
    return timezone.localdate()


def new_meeting(org, *, actor=None, participants=None, branch=None, **overrides) -> CriticismMeeting:
    data = {
        "kind": ORG_LIFE,
        "title": "2025年度组织生活会",
        "held_on": today() - datetime.timedelta(days=30),
        "location": "党员活动室",
        "topic": "对照党员标准查找差距",
    }
    data.update(overrides)
    return services.meeting_create(
        actor=actor or org.secretary.user,
        branch_id=(branch or org.branch_a).pk,
        participants=participants if participants is not None else [org.secretary, org.member, org.groupmate],
        **data,
    )


def update_data(meeting: CriticismMeeting, **overrides) -> dict:
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "location": meeting.location,
        "topic": meeting.topic,
        "participants": list(meeting.participants.all()),
    }
    data.update(overrides)
    return data


def errors_of(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


# --- meeting_create ------------------------------------------------------------------


def test_secretary_records_a_meeting_of_their_branch(org):
    meeting = new_meeting(org)
    assert meeting.branch == org.branch_a
    assert set(meeting.participants.all()) == {org.secretary, org.member, org.groupmate}
    assert meeting.created_by == org.secretary.user
    assert meeting.history.order_by("history_id").first().history_user == org.secretary.user


def test_committee_member_records_a_meeting_of_their_branch(org):
    meeting = new_meeting(org, actor=org.committee.user)
    assert meeting.branch == org.branch_a


def test_administrator_records_a_democratic_life_meeting_for_any_branch(org):
    meeting = new_meeting(
        org,
        actor=org.admin,
        branch=org.branch_b,
        participants=[org.other_secretary, org.member_b],
        kind=CriticismMeeting.Kind.DEMOCRATIC_LIFE,
    )
    assert meeting.branch == org.branch_b and meeting.kind == "democratic"


def test_text_is_trimmed(org):
    meeting = new_meeting(org, title="  年度组织生活会 ", location=" 会议室 ")
    assert (meeting.title, meeting.location) == ("年度组织生活会", "会议室")


@pytest.mark.parametrize("who", ["other_secretary", "member_b", "member", "leader"])
def test_only_the_branch_committee_records_its_meetings(org, who):
    with pytest.raises(PermissionDenied):
        new_meeting(org, actor=getattr(org, who).user)
    assert not CriticismMeeting.objects.exists()


def test_masses_rater_cannot_record_a_meeting(org):
    with pytest.raises(PermissionDenied):
        new_meeting(org, actor=org.masses.user)


def test_secretary_cannot_record_a_meeting_of_another_branch(org):
    with pytest.raises(PermissionDenied):
        new_meeting(org, branch=org.branch_b, participants=[org.other_secretary, org.member_b])


def test_participants_must_belong_to_the_meetings_branch(org):
    with pytest.raises(ValidationError) as exc:
        new_meeting(org, participants=[org.secretary, org.member, org.member_b])
    assert errors_of(exc) == {"participants"}
    assert org.member_b.name in exc.value.message_dict["participants"][0]
    assert not CriticismMeeting.objects.exists()


def test_members_off_the_roll_cannot_be_added(org):
    gone = MemberFactory(branch=org.branch_a, is_active=False)
    with pytest.raises(ValidationError) as exc:
        new_meeting(org, participants=[org.secretary, gone])
    assert errors_of(exc) == {"participants"}


def test_a_meeting_needs_two_participants(org):
    with pytest.raises(ValidationError) as exc:
        new_meeting(org, participants=[org.secretary])
    assert errors_of(exc) == {"participants"}


def test_unknown_participant_ids_are_refused(org):
    with pytest.raises(ValidationError) as exc:
        new_meeting(org, participants=[org.secretary.pk, 999999])
    assert errors_of(exc) == {"participants"}


def test_bad_fields_are_named(org):
    with pytest.raises(ValidationError) as exc:
        new_meeting(org, kind="party", title="  ", held_on=None, location="x" * 201)
    assert errors_of(exc) == {"kind", "title", "held_on", "location"}


# --- meeting_update ------------------------------------------------------------------


def test_secretary_edits_the_meeting_and_its_participants(org):
    meeting = new_meeting(org)
    version = services.meeting_version(meeting)
    services.meeting_update(
        actor=org.committee.user,
        meeting_id=meeting.pk,
        version=version,
        **update_data(meeting, title="第一党支部组织生活会", participants=[org.secretary, org.member, org.member_a2]),
    )
    meeting.refresh_from_db()
    assert meeting.title == "第一党支部组织生活会"
    assert set(meeting.participants.all()) == {org.secretary, org.member, org.member_a2}
    assert meeting.history.order_by("-history_id").first().history_user == org.committee.user
    assert services.meeting_version(meeting) != version


def test_an_edit_read_before_someone_elses_save_is_refused(org):
    meeting = new_meeting(org)
    stale = services.meeting_version(meeting)
    services.meeting_update(actor=org.secretary.user, meeting_id=meeting.pk, **update_data(meeting, title="先保存"))
    with pytest.raises(StudyError):
        services.meeting_update(
            actor=org.committee.user, meeting_id=meeting.pk, version=stale, **update_data(meeting, title="后保存")
        )
    meeting.refresh_from_db()
    assert meeting.title == "先保存"


@pytest.mark.parametrize("who", ["other_secretary", "member", "leader"])
def test_only_the_branch_committee_edits_a_meeting(org, who):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.meeting_update(
            actor=getattr(org, who).user, meeting_id=meeting.pk, **update_data(meeting, title="改了")
        )


def test_masses_rater_cannot_edit_a_meeting(org):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=org.masses.user, meeting_id=meeting.pk, **update_data(meeting))


def test_edit_cannot_add_a_member_of_another_branch(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(
            actor=org.secretary.user,
            meeting_id=meeting.pk,
            **update_data(meeting, participants=[org.secretary, org.member, org.member_b]),
        )
    assert errors_of(exc) == {"participants"}


def test_a_participant_who_moved_away_stays_on_the_meeting(org):
    meeting = new_meeting(org)
    Member.objects.filter(pk=org.groupmate.pk).update(branch=org.branch_b, group=None)
    services.meeting_update(actor=org.secretary.user, meeting_id=meeting.pk, **update_data(meeting, title="改题"))
    assert org.groupmate in meeting.participants.all()


def test_a_participant_with_a_record_cannot_be_taken_off(org):
    meeting = new_meeting(org)
    services.self_criticism_save(actor=org.member.user, meeting_id=meeting.pk, member_id=org.member.pk, content="检查")
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(
            actor=org.secretary.user,
            meeting_id=meeting.pk,
            **update_data(meeting, participants=[org.secretary, org.groupmate]),
        )
    assert org.member.name in exc.value.message_dict["participants"][0]
    assert org.member in meeting.participants.all()


def test_a_participant_without_a_record_can_be_taken_off(org):
    meeting = new_meeting(org)
    services.meeting_update(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        **update_data(meeting, participants=[org.secretary, org.member]),
    )
    assert set(meeting.participants.all()) == {org.secretary, org.member}


# --- self_criticism_save ----------------------------------------------------------------


def test_participant_writes_their_own_self_criticism(org):
    meeting = new_meeting(org)
    row = services.self_criticism_save(
        actor=org.member.user,
        meeting_id=meeting.pk,
        member_id=org.member.pk,
        content="  理论学习不够系统。 ",
        version=0,
    )
    assert row.content == "理论学习不够系统。"
    assert row.history.first().history_user == org.member.user


def test_rewriting_keeps_one_self_criticism_per_participant(org):
    meeting = new_meeting(org)
    first = services.self_criticism_save(
        actor=org.member.user, meeting_id=meeting.pk, member_id=org.member.pk, content="第一稿"
    )
    services.self_criticism_save(
        actor=org.member.user,
        meeting_id=meeting.pk,
        member_id=org.member.pk,
        content="第二稿",
        version=services.self_criticism_version(first),
    )
    rows = SelfCriticism.objects.filter(meeting=meeting, member=org.member)
    assert [r.content for r in rows] == ["第二稿"]


def test_committee_writes_a_participants_self_criticism(org):
    meeting = new_meeting(org)
    row = services.self_criticism_save(
        actor=org.committee.user, meeting_id=meeting.pk, member_id=org.groupmate.pk, content="由支委代为记录"
    )
    assert row.member == org.groupmate
    assert row.history.first().history_user == org.committee.user


def test_a_stale_self_criticism_form_does_not_overwrite(org):
    meeting = new_meeting(org)
    services.self_criticism_save(
        actor=org.member.user, meeting_id=meeting.pk, member_id=org.member.pk, content="本人稿"
    )
    with pytest.raises(StudyError):
        services.self_criticism_save(
            actor=org.secretary.user, meeting_id=meeting.pk, member_id=org.member.pk, content="书记稿", version=0
        )
    assert SelfCriticism.objects.get(meeting=meeting, member=org.member).content == "本人稿"


def test_participant_cannot_write_someone_elses_self_criticism(org):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.self_criticism_save(
            actor=org.member.user, meeting_id=meeting.pk, member_id=org.groupmate.pk, content="代写"
        )


def test_member_who_did_not_take_part_has_no_self_criticism(org):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.self_criticism_save(
            actor=org.member_a2.user, meeting_id=meeting.pk, member_id=org.member_a2.pk, content="我也写"
        )


@pytest.mark.parametrize("who", ["other_secretary", "member_b"])
def test_another_branch_cannot_write_self_criticisms(org, who):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.self_criticism_save(
            actor=getattr(org, who).user, meeting_id=meeting.pk, member_id=org.member.pk, content="越权"
        )


def test_masses_rater_cannot_write_self_criticisms(org):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.self_criticism_save(actor=org.masses.user, meeting_id=meeting.pk, member_id=org.member.pk, content="x")


def test_committee_cannot_write_for_a_non_participant(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.self_criticism_save(
            actor=org.secretary.user, meeting_id=meeting.pk, member_id=org.member_a2.pk, content="x"
        )
    assert errors_of(exc) == {"member"}


def test_an_empty_self_criticism_is_refused(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.self_criticism_save(actor=org.member.user, meeting_id=meeting.pk, member_id=org.member.pk, content=" ")
    assert errors_of(exc) == {"content"}


# --- criticism_add -----------------------------------------------------------------------


def test_committee_records_a_criticism_between_participants(org):
    meeting = new_meeting(org)
    criticism = services.criticism_add(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        from_member_id=org.member.pk,
        to_member_id=org.groupmate.pk,
        matter="班组安全学习发言偏少",
        evidence="三季度四次安全活动有两次未发言",
    )
    assert (criticism.from_member, criticism.to_member) == (org.member, org.groupmate)
    assert criticism.evidence == "三季度四次安全活动有两次未发言"
    assert criticism.history.first().history_user == org.secretary.user


def test_participant_records_a_criticism_they_gave(org):
    meeting = new_meeting(org)
    criticism = services.criticism_add(
        actor=org.member.user,
        meeting_id=meeting.pk,
        from_member_id=org.member.pk,
        to_member_id=org.secretary.pk,
        matter="与职工谈心谈话偏少",
    )
    assert criticism.to_member == org.secretary and criticism.evidence == ""


def test_participant_cannot_record_a_criticism_in_someone_elses_name(org):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.criticism_add(
            actor=org.member.user,
            meeting_id=meeting.pk,
            from_member_id=org.groupmate.pk,
            to_member_id=org.secretary.pk,
            matter="冒名",
        )


def test_member_who_did_not_take_part_cannot_record_a_criticism(org):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.criticism_add(
            actor=org.member_a2.user,
            meeting_id=meeting.pk,
            from_member_id=org.member_a2.pk,
            to_member_id=org.member.pk,
            matter="旁观",
        )


@pytest.mark.parametrize("who", ["other_secretary", "masses"])
def test_outsiders_cannot_record_criticisms(org, who):
    meeting = new_meeting(org)
    with pytest.raises(PermissionDenied):
        services.criticism_add(
            actor=getattr(org, who).user,
            meeting_id=meeting.pk,
            from_member_id=org.member.pk,
            to_member_id=org.groupmate.pk,
            matter="越权",
        )


def test_a_criticism_is_never_of_oneself(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.criticism_add(
            actor=org.member.user,
            meeting_id=meeting.pk,
            from_member_id=org.member.pk,
            to_member_id=org.member.pk,
            matter="自己批评自己",
        )
    assert errors_of(exc) == {"to_member"}


def test_a_criticism_is_between_participants_and_names_the_matter(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.criticism_add(
            actor=org.secretary.user,
            meeting_id=meeting.pk,
            from_member_id=org.member_a2.pk,
            to_member_id=org.member_b.pk,
            matter="  ",
        )
    assert errors_of(exc) == {"from_member", "to_member", "matter"}
    assert not Criticism.objects.exists()
