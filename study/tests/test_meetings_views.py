"""Criticism-meeting pages: what each role can open and do, the scope rule on every URL,
and a bounded number of queries on the meeting page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.tests.factories import MemberFactory
from study.models import Criticism, CriticismMeeting, RectificationItem, RectificationUpdate, SelfCriticism
from study.services import meetings as services

pytestmark = pytest.mark.django_db

ORG_LIFE = CriticismMeeting.Kind.ORGANISATIONAL_LIFE
DEMOCRATIC = CriticismMeeting.Kind.DEMOCRATIC_LIFE


def today() -> datetime.date:
    return timezone.localdate()


def new_meeting(org, *, branch=None, actor=None, participants=None, **overrides) -> CriticismMeeting:
    data = {
        "kind": ORG_LIFE,
        "title": "第一支部年度组织生活会",
        "held_on": today() - datetime.timedelta(days=40),
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


@pytest.fixture
def meeting(org) -> CriticismMeeting:
    return new_meeting(org)


@pytest.fixture
def meeting_b(org) -> CriticismMeeting:
    """Branch B's meeting: nobody in branch A may see it."""
    m = new_meeting(
        org,
        branch=org.branch_b,
        actor=org.other_secretary.user,
        participants=[org.other_secretary, org.member_b],
        title="第二支部机密组织生活会",
    )
    services.self_criticism_save(
        actor=org.member_b.user, meeting_id=m.pk, member_id=org.member_b.pk, content="第二支部的自我批评"
    )
    return m


def add_item(org, meeting, *, owner=None, days=30, actor=None) -> RectificationItem:
    return services.rectification_add(
        actor=actor or org.secretary.user,
        meeting_id=meeting.pk,
        owner_id=(owner or org.member).pk,
        description="每月走访联系点两次",
        deadline=today() + datetime.timedelta(days=days),
    )


def url(name, *args):
    return reverse(f"study:{name}", args=args)


# --- list ------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, meeting):
    response = client.get(url("meeting_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def titles(response) -> set[str]:
    return {m.title for m in response.context["page"].object_list}


def test_secretary_lists_their_branchs_meetings(client_for, org, meeting, meeting_b):
    response = client_for(org.secretary).get(url("meeting_list"))
    assert response.status_code == 200
    assert titles(response) == {meeting.title}
    assert response.context["can_create"]
    assert "第二支部机密组织生活会" not in response.content.decode()


def test_member_lists_the_meetings_they_took_part_in(client_for, org, meeting, meeting_b):
    assert titles(client_for(org.member).get(url("meeting_list"))) == {meeting.title}


def test_member_who_took_part_in_none_sees_the_empty_state(client_for, org, meeting):
    response = client_for(org.member_a2).get(url("meeting_list"))
    assert titles(response) == set()
    assert not response.context["can_create"]
    assert 'data-testid="meeting-empty"' in response.content.decode()


def test_masses_rater_has_no_meeting_list(client_for, org, meeting):
    assert client_for(org.masses).get(url("meeting_list")).status_code == 403


def test_administrator_lists_every_meeting(client_for, org, meeting, meeting_b):
    assert titles(client_for(org.admin).get(url("meeting_list"))) == {meeting.title, meeting_b.title}


def test_list_filters_by_kind_and_year(client_for, org, meeting):
    old = new_meeting(org, title="往年民主生活会", kind=DEMOCRATIC, held_on=datetime.date(2020, 1, 10), actor=org.admin)
    client = client_for(org.secretary)
    assert titles(client.get(url("meeting_list"), {"kind": DEMOCRATIC})) == {old.title}
    assert titles(client.get(url("meeting_list"), {"year": 2020})) == {old.title}
    assert titles(client.get(url("meeting_list"), {"kind": ORG_LIFE, "year": 2020})) == set()
    response = client.get(url("meeting_list"), {"kind": ORG_LIFE, "year": 2020})
    assert 'data-testid="meeting-empty"' in response.content.decode()
    assert titles(client.get(url("meeting_list"), {"year": meeting.held_on.year})) == {meeting.title}


def test_bad_filter_values_do_not_break_the_list(client_for, org, meeting):
    response = client_for(org.secretary).get(url("meeting_list"), {"kind": "x", "year": "abc", "page": "zz"})
    assert response.status_code == 200 and titles(response) == {meeting.title}
    response = client_for(org.secretary).get(url("meeting_list"), {"kind": DEMOCRATIC, "year": "1999"})
    assert titles(response) == set()


def test_list_is_paginated(client_for, org):
    for n in range(27):
        new_meeting(org, title=f"组织生活会{n:02d}", participants=[org.secretary, org.member])
    client = client_for(org.secretary)
    first = client.get(url("meeting_list"))
    second = client.get(url("meeting_list"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2


def test_list_counts_participants_and_overdue_items(client_for, org, meeting):
    add_item(org, meeting, days=-3)
    add_item(org, meeting, days=10)
    row = client_for(org.secretary).get(url("meeting_list")).context["page"].object_list[0]
    assert (row.participant_count, row.open_item_count, row.overdue_item_count) == (3, 2, 1)


def test_list_shows_my_open_items_and_the_branchs(client_for, org, meeting):
    item = add_item(org, meeting, days=-3)
    member_page = client_for(org.member).get(url("meeting_list"))
    assert list(member_page.context["my_items"]) == [item]
    assert list(member_page.context["branch_items"]) == []
    secretary_page = client_for(org.secretary).get(url("meeting_list"))
    assert list(secretary_page.context["branch_items"]) == [item]


# --- create ------------------------------------------------------------------------------


def test_secretary_chooses_participants_from_their_branch_only(client_for, org):
    response = client_for(org.secretary).get(url("meeting_create"))
    assert response.status_code == 200
    choices = set(response.context["form"].fields["participants"].queryset)
    assert org.member in choices and org.member_b not in choices and org.other_secretary not in choices


def test_secretary_records_a_meeting(client_for, org):
    response = client_for(org.secretary).post(
        url("meeting_create"),
        {
            "kind": ORG_LIFE,
            "title": "2025年度组织生活会",
            "held_on": (today() - datetime.timedelta(days=3)).isoformat(),
            "location": "会议室",
            "topic": "查摆问题",
            "participants": [org.secretary.pk, org.member.pk, org.member_a2.pk],
        },
    )
    meeting = CriticismMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url("meeting_detail", meeting.pk)
    assert meeting.branch == org.branch_a
    assert set(meeting.participants.all()) == {org.secretary, org.member, org.member_a2}


def test_a_member_of_another_branch_cannot_be_posted_as_participant(client_for, org):
    response = client_for(org.secretary).post(
        url("meeting_create"),
        {"kind": ORG_LIFE, "title": "会", "held_on": "2026-01-10", "participants": [org.secretary.pk, org.member_b.pk]},
    )
    assert response.status_code == 200
    assert "participants" in response.context["form"].errors
    assert not CriticismMeeting.objects.exists()


def test_missing_fields_are_shown_on_the_form(client_for, org):
    response = client_for(org.secretary).post(url("meeting_create"), {"kind": "", "title": ""})
    assert response.status_code == 200
    assert {"kind", "title", "held_on", "participants"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("who", ["member", "leader", "masses"])
def test_only_the_committee_or_administrator_may_record_a_meeting(client_for, org, who):
    assert client_for(getattr(org, who)).get(url("meeting_create")).status_code == 403


def test_administrator_first_chooses_the_branch(client_for, org):
    client = client_for(org.admin)
    response = client.get(url("meeting_create"))
    assert response.status_code == 200
    assert "study/meeting_branch_choice.html" in [t.name for t in response.templates]
    response = client.get(url("meeting_create"), {"branch": org.branch_b.pk})
    assert set(response.context["form"].fields["participants"].queryset) == {org.other_secretary, org.member_b}
    assert client.get(url("meeting_create"), {"branch": 999999}).status_code == 404


def test_administrator_records_a_meeting_for_the_chosen_branch(client_for, org):
    response = client_for(org.admin).post(
        url("meeting_create") + f"?branch={org.branch_b.pk}",
        {
            "kind": DEMOCRATIC,
            "title": "领导班子民主生活会",
            "held_on": "2026-01-20",
            "participants": [org.other_secretary.pk, org.member_b.pk],
        },
    )
    assert response.status_code == 302
    assert CriticismMeeting.objects.get().branch == org.branch_b


# --- detail ----------------------------------------------------------------------------------


def test_participant_opens_the_meeting_with_everything_recorded(client_for, org, meeting):
    services.self_criticism_save(
        actor=org.member.user, meeting_id=meeting.pk, member_id=org.member.pk, content="理论学习不够系统"
    )
    services.criticism_add(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        from_member_id=org.groupmate.pk,
        to_member_id=org.member.pk,
        matter="发言偏少",
        evidence="四次活动两次未发言",
    )
    item = add_item(org, meeting, days=-2)
    services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note="已走访一次", status="in_progress")
    response = client_for(org.member).get(url("meeting_detail", meeting.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "理论学习不够系统",
        "发言偏少",
        "四次活动两次未发言",
        "每月走访联系点两次",
        "已走访一次",
        org.groupmate.name,
    ):
        assert text in html
    assert 'class="table-danger"' in html and 'data-testid="item-overdue"' in html
    assert not response.context["can_manage"] and response.context["is_participant"]
    assert url("meeting_edit", meeting.pk) not in html
    assert url("meeting_item_update", meeting.pk, item.pk) in html  # the owner follows up


def test_a_meeting_with_nothing_recorded_shows_empty_states(client_for, org, meeting):
    html = client_for(org.secretary).get(url("meeting_detail", meeting.pk)).content.decode()
    for testid in ("criticisms-empty", "items-empty", "self-criticisms-empty"):
        assert f'data-testid="{testid}"' in html
    assert url("meeting_edit", meeting.pk) in html and url("meeting_item_add", meeting.pk) in html


def test_detail_query_count_does_not_grow_with_the_meeting(client_for, org, meeting):
    def fill(people):
        for m in people:
            services.self_criticism_save(
                actor=org.secretary.user, meeting_id=meeting.pk, member_id=m.pk, content=f"{m.name}的检查"
            )
        for a, b in zip(people, people[1:], strict=False):
            services.criticism_add(
                actor=org.secretary.user, meeting_id=meeting.pk, from_member_id=a.pk, to_member_id=b.pk, matter="问题"
            )
            item = add_item(org, meeting, owner=a, days=-1)
            services.rectification_follow_up(
                actor=org.secretary.user, item_id=item.pk, note="跟进", status="in_progress"
            )

    client = client_for(org.secretary)
    fill([org.secretary, org.member])
    client.get(url("meeting_detail", meeting.pk))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("meeting_detail", meeting.pk)).status_code == 200
    extra = MemberFactory.create_batch(12, branch=org.branch_a, group=org.group_a2)
    services.meeting_update(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        kind=meeting.kind,
        title=meeting.title,
        held_on=meeting.held_on,
        participants=[*meeting.participants.all(), *extra],
    )
    fill(extra)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url("meeting_detail", meeting.pk)).status_code == 200
    assert SelfCriticism.objects.filter(meeting=meeting).count() == 14
    assert Criticism.objects.filter(meeting=meeting).count() == 12
    assert RectificationUpdate.objects.filter(item__meeting=meeting).count() == 12
    assert len(large) == len(small) <= 20


# --- the scope rule on every URL ------------------------------------------------------------------


def every_url(meeting, item=None, member=None):
    urls = [
        url("meeting_detail", meeting.pk),
        url("meeting_edit", meeting.pk),
        url("meeting_self_criticism", meeting.pk),
        url("meeting_criticism", meeting.pk),
        url("meeting_item_add", meeting.pk),
    ]
    if member is not None:
        urls.append(url("meeting_self_criticism", meeting.pk, member.pk))
    if item is not None:
        urls.append(url("meeting_item_update", meeting.pk, item.pk))
    return urls


@pytest.mark.parametrize("who", ["secretary", "committee", "member", "member_a2", "leader", "masses"])
def test_another_branchs_meeting_is_not_found_on_any_url(client_for, org, meeting_b, who):
    item = add_item(org, meeting_b, owner=org.member_b, actor=org.other_secretary.user)
    client = client_for(getattr(org, who))
    for address in every_url(meeting_b, item=item, member=org.member_b):
        for method in (client.get, client.post):
            response = method(address, {"content": "x", "matter": "x", "note": "x", "status": "done"})
            assert response.status_code == 404, (who, address)
            assert "第二支部" not in response.content.decode()
    assert SelfCriticism.objects.filter(meeting=meeting_b).get().content == "第二支部的自我批评"
    assert not item.updates.exists() and not Criticism.objects.exists()


def test_a_branch_member_who_did_not_take_part_gets_404_everywhere(client_for, org, meeting):
    item = add_item(org, meeting)
    client = client_for(org.member_a2)
    for address in every_url(meeting, item=item, member=org.member):
        assert client.get(address).status_code == 404, address


def test_an_item_of_another_meeting_is_not_found_under_this_one(client_for, org, meeting, meeting_b):
    item_b = add_item(org, meeting_b, owner=org.member_b, actor=org.other_secretary.user)
    response = client_for(org.secretary).get(url("meeting_item_update", meeting.pk, item_b.pk))
    assert response.status_code == 404


def test_a_non_participant_self_criticism_url_is_not_found(client_for, org, meeting):
    response = client_for(org.secretary).get(url("meeting_self_criticism", meeting.pk, org.member_a2.pk))
    assert response.status_code == 404


def test_administrator_opens_every_page_of_any_meeting(client_for, org, meeting_b):
    item = add_item(org, meeting_b, owner=org.member_b, actor=org.other_secretary.user)
    client = client_for(org.admin)
    for address in every_url(meeting_b, item=item, member=org.member_b):
        if address == url("meeting_self_criticism", meeting_b.pk):
            continue  # the administrator is not a member: no self-criticism of their own
        assert client.get(address).status_code == 200, address


# --- edit ----------------------------------------------------------------------------------------


def edit_post(meeting, **overrides):
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on.isoformat(),
        "location": meeting.location,
        "topic": meeting.topic,
        "participants": [m.pk for m in meeting.participants.all()],
        "version": services.meeting_version(meeting),
    }
    data.update(overrides)
    return data


def test_committee_member_edits_the_meeting(client_for, org, meeting):
    client = client_for(org.committee)
    assert client.get(url("meeting_edit", meeting.pk)).status_code == 200
    response = client.post(url("meeting_edit", meeting.pk), edit_post(meeting, title="改后的标题"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "改后的标题"


def test_a_stale_edit_form_is_refused_with_a_message(client_for, org, meeting):
    stale = edit_post(meeting, title="后来者")
    services.meeting_update(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        kind=meeting.kind,
        title="先来者",
        held_on=meeting.held_on,
        participants=list(meeting.participants.all()),
    )
    response = client_for(org.committee).post(url("meeting_edit", meeting.pk), stale)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    meeting.refresh_from_db()
    assert meeting.title == "先来者"


@pytest.mark.parametrize("who", ["member", "groupmate"])
def test_participants_cannot_edit_the_meeting(client_for, org, meeting, who):
    client = client_for(getattr(org, who))
    assert client.get(url("meeting_edit", meeting.pk)).status_code == 403
    assert client.post(url("meeting_edit", meeting.pk), edit_post(meeting, title="x")).status_code == 403


# --- self-criticism --------------------------------------------------------------------------------


def test_participant_writes_their_self_criticism(client_for, org, meeting):
    client = client_for(org.member)
    page = client.get(url("meeting_self_criticism", meeting.pk))
    assert page.status_code == 200 and page.context["member"] == org.member
    response = client.post(url("meeting_self_criticism", meeting.pk), {"content": "作风不够扎实", "version": 0})
    assert response.status_code == 302
    assert response["Location"].startswith(url("meeting_detail", meeting.pk))
    assert SelfCriticism.objects.get(meeting=meeting, member=org.member).content == "作风不够扎实"


def test_the_self_criticism_form_shows_the_saved_text(client_for, org, meeting):
    services.self_criticism_save(actor=org.member.user, meeting_id=meeting.pk, member_id=org.member.pk, content="初稿")
    form = client_for(org.member).get(url("meeting_self_criticism", meeting.pk)).context["form"]
    assert form.initial["content"] == "初稿" and form.initial["version"] > 0


def test_secretary_writes_a_participants_self_criticism(client_for, org, meeting):
    response = client_for(org.secretary).post(
        url("meeting_self_criticism", meeting.pk, org.groupmate.pk), {"content": "代为记录", "version": 0}
    )
    assert response.status_code == 302
    assert SelfCriticism.objects.get(meeting=meeting, member=org.groupmate).content == "代为记录"


def test_participant_cannot_open_someone_elses_self_criticism_form(client_for, org, meeting):
    client = client_for(org.member)
    assert client.get(url("meeting_self_criticism", meeting.pk, org.groupmate.pk)).status_code == 403
    assert client.post(url("meeting_self_criticism", meeting.pk, org.groupmate.pk), {"content": "x"}).status_code == 403


def test_empty_self_criticism_is_refused_on_the_form(client_for, org, meeting):
    response = client_for(org.member).post(url("meeting_self_criticism", meeting.pk), {"content": "  ", "version": 0})
    assert response.status_code == 200 and "content" in response.context["form"].errors


def test_stale_self_criticism_form_shows_a_message(client_for, org, meeting):
    services.self_criticism_save(
        actor=org.secretary.user, meeting_id=meeting.pk, member_id=org.member.pk, content="书记先写"
    )
    response = client_for(org.member).post(url("meeting_self_criticism", meeting.pk), {"content": "本人", "version": 0})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert SelfCriticism.objects.get(meeting=meeting, member=org.member).content == "书记先写"


# --- criticism ----------------------------------------------------------------------------------


def test_participant_records_a_criticism_they_gave(client_for, org, meeting):
    client = client_for(org.member)
    form = client.get(url("meeting_criticism", meeting.pk)).context["form"]
    assert "from_member" not in form.fields
    assert set(form.fields["to_member"].queryset) == {org.secretary, org.groupmate}
    response = client.post(
        url("meeting_criticism", meeting.pk),
        {"to_member": org.groupmate.pk, "matter": "谈心偏少", "evidence": "无记录"},
    )
    assert response.status_code == 302
    criticism = Criticism.objects.get()
    assert (criticism.from_member, criticism.to_member, criticism.evidence) == (org.member, org.groupmate, "无记录")


def test_participant_cannot_criticise_themself_through_the_form(client_for, org, meeting):
    response = client_for(org.member).post(
        url("meeting_criticism", meeting.pk), {"to_member": org.member.pk, "matter": "x"}
    )
    assert response.status_code == 200 and "to_member" in response.context["form"].errors
    assert not Criticism.objects.exists()


def test_secretary_records_criticisms_and_adds_another(client_for, org, meeting):
    response = client_for(org.secretary).post(
        url("meeting_criticism", meeting.pk),
        {"from_member": org.groupmate.pk, "to_member": org.member.pk, "matter": "发言少", "another": "1"},
    )
    assert response["Location"] == url("meeting_criticism", meeting.pk)
    assert Criticism.objects.get().from_member == org.groupmate


def test_secretary_cannot_pick_the_same_person_twice(client_for, org, meeting):
    response = client_for(org.secretary).post(
        url("meeting_criticism", meeting.pk), {"from_member": org.member.pk, "to_member": org.member.pk, "matter": "x"}
    )
    assert "to_member" in response.context["form"].errors


# --- rectification items ------------------------------------------------------------------------


def test_secretary_adds_a_rectification_item(client_for, org, meeting):
    deadline = today() + datetime.timedelta(days=45)
    response = client_for(org.secretary).post(
        url("meeting_item_add", meeting.pk),
        {"owner": org.member.pk, "description": "制定学习计划", "deadline": deadline.isoformat()},
    )
    assert response.status_code == 302
    item = RectificationItem.objects.get()
    assert (item.owner, item.deadline, item.status) == (org.member, deadline, "open")


def test_a_deadline_before_the_meeting_is_refused_on_the_form(client_for, org, meeting):
    response = client_for(org.secretary).post(
        url("meeting_item_add", meeting.pk),
        {
            "owner": org.member.pk,
            "description": "x",
            "deadline": (meeting.held_on - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200 and "deadline" in response.context["form"].errors
    assert not RectificationItem.objects.exists()


def test_participant_cannot_add_rectification_items(client_for, org, meeting):
    client = client_for(org.member)
    assert client.get(url("meeting_item_add", meeting.pk)).status_code == 403
    response = client.post(
        url("meeting_item_add", meeting.pk), {"owner": org.member.pk, "description": "x", "deadline": "2030-01-01"}
    )
    assert response.status_code == 403 and not RectificationItem.objects.exists()


def test_owner_follows_up_their_item(client_for, org, meeting):
    item = add_item(org, meeting, days=-5)
    client = client_for(org.member)
    page = client.get(url("meeting_item_update", meeting.pk, item.pk))
    assert page.status_code == 200 and page.context["item"].is_overdue
    response = client.post(url("meeting_item_update", meeting.pk, item.pk), {"status": "done", "note": "已全部完成"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.updates.get().note == "已全部完成"


def test_another_participant_cannot_follow_up_the_item(client_for, org, meeting):
    item = add_item(org, meeting)
    client = client_for(org.groupmate)
    assert client.get(url("meeting_item_update", meeting.pk, item.pk)).status_code == 403
    assert (
        client.post(url("meeting_item_update", meeting.pk, item.pk), {"status": "done", "note": "x"}).status_code == 403
    )


def test_follow_up_without_a_note_is_refused(client_for, org, meeting):
    item = add_item(org, meeting)
    response = client_for(org.member).post(
        url("meeting_item_update", meeting.pk, item.pk), {"status": "done", "note": ""}
    )
    assert response.status_code == 200 and "note" in response.context["form"].errors


def test_owner_reopening_a_done_item_sees_why_not(client_for, org, meeting):
    item = add_item(org, meeting)
    services.rectification_follow_up(actor=org.secretary.user, item_id=item.pk, note="完成", status="done")
    response = client_for(org.member).post(
        url("meeting_item_update", meeting.pk, item.pk), {"status": "in_progress", "note": "重开"}
    )
    assert response.status_code == 200 and "status" in response.context["form"].errors
