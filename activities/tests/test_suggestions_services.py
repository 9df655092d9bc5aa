"""The suggestion form's workflow: every move's happy path, every illegal source state,
every wrong role, and a concurrent edit refused; none of the refusals changes anything."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import Suggestion, SuggestionEntry
from activities.services import ActivityError, ConcurrentEditError
from activities.services import suggestions as services
from activities.tests.factories import SuggestionFactory
from partybuild.lib.quarters import Quarter

S = Suggestion.Status
SERVICES = {
    "edit": lambda **kw: services.suggestion_edit(
        **{k: v for k, v in kw.items() if k != "text"},
        title="修改后的主题",
        situation="情况",
        problem="问题",
        suggestion="建议",
    ),
    **{name: fn for name, fn in services.THREAD_SERVICES.items()},
}


def actor_for(org, role):
    return {
        services.AUTHOR: org.member.user,
        services.BRANCH: org.secretary.user,
        services.COMPANY: org.admin,
    }[role]


def snapshot(suggestion):
    suggestion.refresh_from_db()
    return (suggestion.status, suggestion.version, suggestion.title, suggestion.entries.count())


# ---------------------------------------------------------------------------
# Submitting


def test_member_submits_a_suggestion_to_their_branch(org):
    s = services.suggestion_submit(
        actor=org.member.user, title=" 交接班清单 ", situation="夜班交接遗漏", problem="口头交接", suggestion="清单化"
    )
    assert (s.status, s.branch_id, s.group_id, s.title) == (S.SUBMITTED, org.branch_a.pk, org.group_a1.pk, "交接班清单")
    assert s.quarter == Quarter.current().code
    entry = s.entries.get()
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
        "submit",
        "",
        S.SUBMITTED,
        org.member.user,
    )
    assert s.history.first().history_user == org.member.user


def test_only_members_submit_suggestions(org):
    with pytest.raises(ActivityError):
        services.suggestion_submit(actor=org.admin, title="t", situation="s", problem="p", suggestion="x")
    with pytest.raises(ActivityError):
        services.suggestion_submit(actor=org.masses.user, title="t", situation="s", problem="p", suggestion="x")
    assert not Suggestion.objects.exists()


def test_a_suggestion_needs_every_part(org):
    with pytest.raises(ValidationError) as exc:
        services.suggestion_submit(actor=org.member.user, title=" ", situation="", problem="p", suggestion="  ")
    assert set(exc.value.message_dict) == {"title", "situation", "suggestion"}
    assert not Suggestion.objects.exists()


# ---------------------------------------------------------------------------
# Every legal move


@pytest.mark.parametrize(("action", "source"), sorted(services.TRANSITIONS))
def test_each_transition_happy_path(org, action, source):
    move = services.TRANSITIONS[(action, source)]
    s = SuggestionFactory(member=org.member, status=source)
    actor = actor_for(org, move.role)
    SERVICES[action](actor=actor, suggestion_id=s.pk, version=s.version, text="处理意见：已安排落实。")
    s.refresh_from_db()
    assert s.status == move.to_status
    assert s.version == 2
    entry = s.entries.get()
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (action, source, move.to_status, actor)
    assert s.history.first().history_user == actor


def test_first_reply_acknowledges_and_stamps_the_time(org):
    s = SuggestionFactory(member=org.member)
    services.suggestion_reply(actor=org.committee.user, suggestion_id=s.pk, version=1, text="已收到，正在研究。")
    s.refresh_from_db()
    assert s.status == S.ACKNOWLEDGED and s.acknowledged_at is not None


def test_escalated_suggestion_is_closed_by_the_company_with_every_step_in_the_thread(org):
    s = SuggestionFactory(member=org.member)
    services.suggestion_acknowledge(actor=org.secretary.user, suggestion_id=s.pk, version=1)
    services.suggestion_escalate(actor=org.secretary.user, suggestion_id=s.pk, version=2, text="涉及公司层面制度。")
    services.suggestion_comment(actor=org.member.user, suggestion_id=s.pk, version=3, text="补充：其他班组也有。")
    services.suggestion_reply(actor=org.admin, suggestion_id=s.pk, version=4, text="组织部已转生产部研究。")
    services.suggestion_close(actor=org.admin, suggestion_id=s.pk, version=5, text="已纳入公司交接班制度修订。")
    s.refresh_from_db()
    assert s.status == S.CLOSED
    assert s.acknowledged_at and s.escalated_at and s.closed_at
    assert list(s.entries.values_list("action", flat=True)) == ["acknowledge", "escalate", "comment", "reply", "close"]


# ---------------------------------------------------------------------------
# Illegal source states


ILLEGAL = [
    (action, source)
    for action in services.ACTIONS
    for source in S.values
    if (action, source) not in services.TRANSITIONS
]


@pytest.mark.parametrize(("action", "source"), ILLEGAL)
def test_each_illegal_source_state_is_refused_and_changes_nothing(org, action, source):
    s = SuggestionFactory(member=org.member, status=source)
    before = snapshot(s)
    # Try it as everyone who might ever make this move.
    for actor in (org.member.user, org.secretary.user, org.admin):
        with pytest.raises(ActivityError) as exc:
            SERVICES[action](actor=actor, suggestion_id=s.pk, version=s.version, text="文字")
        assert str(s.get_status_display()) in str(exc.value.message)
    assert snapshot(s) == before


# ---------------------------------------------------------------------------
# Wrong roles


def wrong_actors(org, role):
    everyone = {
        "member": org.member.user,
        "groupmate": org.groupmate.user,
        "leader": org.leader.user,
        "secretary": org.secretary.user,
        "committee": org.committee.user,
        "other_secretary": org.other_secretary.user,
        "member_b": org.member_b.user,
        "masses": org.masses.user,
        "admin": org.admin,
    }
    holders = {
        services.AUTHOR: {"member"},
        services.BRANCH: {"secretary", "committee"},
        services.COMPANY: {"admin"},
    }[role]
    return [(name, user) for name, user in everyone.items() if name not in holders]


@pytest.mark.parametrize(("action", "source"), sorted(services.TRANSITIONS))
def test_each_transition_refuses_every_wrong_role(org, action, source):
    move = services.TRANSITIONS[(action, source)]
    s = SuggestionFactory(member=org.member, status=source)
    before = snapshot(s)
    for name, actor in wrong_actors(org, move.role):
        with pytest.raises(ActivityError) as exc:
            SERVICES[action](actor=actor, suggestion_id=s.pk, version=s.version, text="文字")
        assert exc.value.message == services.ROLE_REFUSALS[move.role], name
    assert snapshot(s) == before


def test_the_branch_cannot_act_once_the_suggestion_is_passed_up(org):
    s = SuggestionFactory(member=org.member, status=S.ESCALATED)
    with pytest.raises(ActivityError) as exc:
        services.suggestion_close(actor=org.secretary.user, suggestion_id=s.pk, version=1, text="结论")
    assert exc.value.message == services.ROLE_REFUSALS[services.COMPANY]


# ---------------------------------------------------------------------------
# Text, versions


@pytest.mark.parametrize("action", ["reply", "escalate", "close", "comment"])
def test_moves_that_speak_need_text(org, action):
    s = SuggestionFactory(member=org.member, status=S.ACKNOWLEDGED)
    actor = actor_for(org, services.TRANSITIONS[(action, S.ACKNOWLEDGED)].role)
    before = snapshot(s)
    with pytest.raises(ValidationError) as exc:
        SERVICES[action](actor=actor, suggestion_id=s.pk, version=1, text="   ")
    assert "text" in exc.value.message_dict
    assert snapshot(s) == before


@pytest.mark.parametrize(("action", "source"), sorted(services.TRANSITIONS))
def test_a_stale_version_is_refused_and_changes_nothing(org, action, source):
    s = SuggestionFactory(member=org.member, status=source, version=3)
    actor = actor_for(org, services.TRANSITIONS[(action, source)].role)
    before = snapshot(s)
    with pytest.raises(ConcurrentEditError):
        SERVICES[action](actor=actor, suggestion_id=s.pk, version=2, text="文字")
    assert snapshot(s) == before


def test_two_handlers_at_once_the_second_is_refused(org):
    s = SuggestionFactory(member=org.member)
    services.suggestion_close(actor=org.secretary.user, suggestion_id=s.pk, version=1, text="已解决")
    with pytest.raises(ActivityError):
        services.suggestion_escalate(actor=org.committee.user, suggestion_id=s.pk, version=1, text="上报")
    s.refresh_from_db()
    assert s.status == S.CLOSED and SuggestionEntry.objects.filter(suggestion=s).count() == 1


def test_edit_changes_the_content_and_logs_it(org):
    s = SuggestionFactory(member=org.member)
    services.suggestion_edit(
        actor=org.member.user,
        suggestion_id=s.pk,
        version=1,
        title="新主题",
        situation="新情况",
        problem="新问题",
        suggestion="新建议",
    )
    s.refresh_from_db()
    assert (s.title, s.situation, s.status, s.version) == ("新主题", "新情况", S.SUBMITTED, 2)
    assert s.entries.get().action == "edit"


def test_allowed_actions_follow_the_table(org):
    s = SuggestionFactory(member=org.member)
    assert services.allowed_actions(actor=org.member.user, suggestion=s) == {"edit", "withdraw", "comment"}
    assert services.allowed_actions(actor=org.secretary.user, suggestion=s) == {
        "acknowledge",
        "reply",
        "escalate",
        "close",
    }
    assert services.allowed_actions(actor=org.admin, suggestion=s) == set()
    s.status = S.ESCALATED
    assert services.allowed_actions(actor=org.admin, suggestion=s) == {"reply", "close"}
    assert services.allowed_actions(actor=org.secretary.user, suggestion=s) == set()
