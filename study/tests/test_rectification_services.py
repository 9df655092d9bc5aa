"""Rectification items: set by the branch committee, followed up by their owner or the committee."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from members.models import Member
from study.models import Criticism, CriticismMeeting, RectificationItem, RectificationUpdate, SelfCriticism
from study.selectors import meetings as selectors
from study.services import meetings as services
from study.tests.test_meetings_services import errors_of, new_meeting, today

pytestmark = pytest.mark.django_db

ORG_LIFE = CriticismMeeting.Kind.ORGANISATIONAL_LIFE
DONE = RectificationItem.Status.DONE
IN_PROGRESS = RectificationItem.Status.IN_PROGRESS
OPEN = RectificationItem.Status.OPEN

# --- rectification_add ---------------------------------------------------------------------


def test_committee_sets_a_rectification_item(org):
    meeting = new_meeting(org)
    deadline = today() + datetime.timedelta(days=60)
    item = services.rectification_add(
        actor=org.committee.user,
        meeting_id=meeting.pk,
        owner_id=org.member.pk,
        description="制定个人学习计划",
        deadline=deadline,
    )
    assert (item.owner, item.deadline, item.status) == (org.member, deadline, OPEN)
    assert item.history.first().history_user == org.committee.user


@pytest.mark.parametrize("who", ["member", "leader", "other_secretary", "member_b", "masses"])
def test_only_the_branch_committee_sets_rectification_items(org, who):
    meeting = new_meeting(org, participants=[org.secretary, org.member, org.leader])
    with pytest.raises(PermissionDenied):
        services.rectification_add(
            actor=getattr(org, who).user,
            meeting_id=meeting.pk,
            owner_id=org.member.pk,
            description="整改",
            deadline=today(),
        )


def test_rectification_item_input_is_checked(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.rectification_add(
            actor=org.secretary.user,
            meeting_id=meeting.pk,
            owner_id=org.member_a2.pk,
            description=" ",
            deadline=meeting.held_on - datetime.timedelta(days=1),
        )
    assert errors_of(exc) == {"owner", "description", "deadline"}


def test_rectification_item_needs_a_deadline(org):
    meeting = new_meeting(org)
    with pytest.raises(ValidationError) as exc:
        services.rectification_add(
            actor=org.secretary.user, meeting_id=meeting.pk, owner_id=org.member.pk, description="整改", deadline=None
        )
    assert errors_of(exc) == {"deadline"}


# --- rectification_follow_up ------------------------------------------------------------------


@pytest.fixture
def item(org):
    meeting = new_meeting(org)
    return services.rectification_add(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        owner_id=org.member.pk,
        description="每月走访联系点两次",
        deadline=today() + datetime.timedelta(days=30),
    )


def test_owner_follows_up_their_item(org, item):
    update = services.rectification_follow_up(
        actor=org.member.user, item_id=item.pk, note="已走访两次", status=IN_PROGRESS
    )
    item.refresh_from_db()
    assert item.status == IN_PROGRESS
    assert (update.note, update.status, update.author) == ("已走访两次", IN_PROGRESS, org.member.user)
    assert item.history.first().history_user == org.member.user


def test_committee_follows_up_any_item_of_the_branch(org, item):
    services.rectification_follow_up(actor=org.committee.user, item_id=item.pk, note="经核查已完成", status=DONE)
    item.refresh_from_db()
    assert item.status == DONE


def test_a_progress_note_without_a_status_change_is_kept(org, item):
    services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note="本周未进展", status=OPEN)
    assert RectificationUpdate.objects.filter(item=item).count() == 1
    assert item.history.count() == 1  # no change to the item itself


def test_owner_cannot_reopen_a_done_item_but_the_committee_can(org, item):
    services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note="完成", status=DONE)
    with pytest.raises(ValidationError) as exc:
        services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note="重开", status=IN_PROGRESS)
    assert errors_of(exc) == {"status"}
    services.rectification_follow_up(actor=org.secretary.user, item_id=item.pk, note="复核未到位", status=IN_PROGRESS)
    item.refresh_from_db()
    assert item.status == IN_PROGRESS


@pytest.mark.parametrize("who", ["groupmate", "leader", "other_secretary", "member_b", "masses"])
def test_only_the_owner_or_committee_follows_up(org, item, who):
    with pytest.raises(PermissionDenied):
        services.rectification_follow_up(actor=getattr(org, who).user, item_id=item.pk, note="越权", status=DONE)
    item.refresh_from_db()
    assert item.status == OPEN and not item.updates.exists()


def test_follow_up_input_is_checked(org, item):
    with pytest.raises(ValidationError) as exc:
        services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note=" ", status="finished")
    assert errors_of(exc) == {"note", "status"}


# --- selectors: the scope rule ------------------------------------------------------------------


@pytest.fixture
def two_meetings(org):
    a = new_meeting(org, participants=[org.secretary, org.member])
    b = new_meeting(
        org, actor=org.other_secretary.user, branch=org.branch_b, participants=[org.other_secretary, org.member_b]
    )
    return a, b


def visible(user) -> set[int]:
    return set(selectors.meeting_list_for_user(user=user).values_list("pk", flat=True))


def test_administrator_sees_every_meeting(org, two_meetings):
    assert visible(org.admin) == {m.pk for m in two_meetings}


def test_committee_sees_its_branchs_meetings_only(org, two_meetings):
    a, b = two_meetings
    assert visible(org.committee.user) == {a.pk}
    assert visible(org.other_secretary.user) == {b.pk}


def test_member_sees_the_meetings_they_took_part_in(org, two_meetings):
    a, _b = two_meetings
    assert visible(org.member.user) == {a.pk}
    assert visible(org.groupmate.user) == set()
    assert visible(org.leader.user) == set()


def test_masses_rater_sees_no_meeting(org, two_meetings):
    assert visible(org.masses.user) == set()


def test_meeting_outside_scope_is_not_found(org, two_meetings):
    a, b = two_meetings
    assert selectors.meeting_get_for_user(user=org.member.user, pk=a.pk) == a
    with pytest.raises(Http404):
        selectors.meeting_get_for_user(user=org.member.user, pk=b.pk)
    with pytest.raises(Http404):
        selectors.meeting_get_for_user(user=org.secretary.user, pk=b.pk)


def test_open_items_are_listed_overdue_first(org):
    meeting = new_meeting(org, held_on=today() - datetime.timedelta(days=90))

    def add(owner, days, status=OPEN):
        item = services.rectification_add(
            actor=org.secretary.user,
            meeting_id=meeting.pk,
            owner_id=owner.pk,
            description=f"整改{days}",
            deadline=today() + datetime.timedelta(days=days),
        )
        if status != OPEN:
            services.rectification_follow_up(actor=org.secretary.user, item_id=item.pk, note="跟进", status=status)
        return item

    later = add(org.member, 20)
    overdue = add(org.member, -5, IN_PROGRESS)
    add(org.member, -10, DONE)
    others = add(org.groupmate, -1)
    mine = list(selectors.rectification_items_open_for_user(user=org.member.user, today=today()))
    assert mine == [overdue, later]
    assert [i.is_overdue for i in mine] == [True, False]
    branch = list(selectors.rectification_items_open_for_branch(user=org.secretary.user, today=today()))
    assert branch == [overdue, others, later]
    assert list(selectors.rectification_items_open_for_branch(user=org.other_secretary.user, today=today())) == []
    assert list(selectors.rectification_items_open_for_branch(user=org.member.user, today=today())) == []
    assert (
        len(selectors.rectification_items_open_for_branch(user=org.admin, today=today(), branch_id=org.branch_b.pk))
        == 0
    )
    assert len(selectors.rectification_items_open_for_branch(user=org.admin, today=today())) == 3


# --- demo data ----------------------------------------------------------------------------------


def test_demo_meeting_has_everything_a_recorded_meeting_has(org):
    import random

    from study.demo.meetings import build_meeting

    members = list(Member.objects.filter(branch=org.branch_a))
    meeting = build_meeting(branch=org.branch_a, members=[*members, org.member_b], today=today(), rng=random.Random(7))
    assert meeting.kind == ORG_LIFE and meeting.held_on < today()
    assert set(meeting.participants.all()) == set(members)  # members of another branch are left out
    assert SelfCriticism.objects.filter(meeting=meeting).count() == len(members)
    criticisms = Criticism.objects.filter(meeting=meeting)
    assert criticisms.count() >= 2 and all(c.from_member_id != c.to_member_id for c in criticisms)
    items = list(RectificationItem.objects.filter(meeting=meeting))
    assert {i.status for i in items} == {OPEN, IN_PROGRESS, DONE}
    assert any(i.deadline < today() and i.status != DONE for i in items)
    assert all(i.deadline >= meeting.held_on for i in items)
    assert RectificationUpdate.objects.filter(item__meeting=meeting, status=DONE).exists()
    again = build_meeting(branch=org.branch_a, members=members, today=today(), rng=random.Random(7))
    assert again.held_on == meeting.held_on and again.title == meeting.title
