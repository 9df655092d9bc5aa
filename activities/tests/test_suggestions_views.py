"""Suggestion pages: the scope rule on every URL, the flow through the pages, clear
messages for refused moves, and a bounded number of queries on the list pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Suggestion
from activities.services import suggestions as services
from activities.tests.factories import SuggestionFactory
from members.tests.factories import MemberFactory

S = Suggestion.Status
SECRET = "只有本支部能看的情况"


@pytest.fixture
def suggestion(org):
    return SuggestionFactory(member=org.member, situation=SECRET)


def detail_url(s):
    return reverse("activities:suggestion_detail", kwargs={"pk": s.pk})


# ---------------------------------------------------------------------------
# The scope rule on every URL with an id


def urls_with_id(s):
    yield "get", detail_url(s), {}
    yield "get", reverse("activities:suggestion_edit", kwargs={"pk": s.pk}), {}
    yield (
        "post",
        reverse("activities:suggestion_edit", kwargs={"pk": s.pk}),
        {
            "title": "篡改",
            "situation": "x",
            "problem": "x",
            "suggestion": "x",
            "version": s.version,
        },
    )
    for action in services.THREAD_SERVICES:
        yield (
            "post",
            reverse("activities:suggestion_action", kwargs={"pk": s.pk, "action": action}),
            {f"{action}-text": "越权操作", f"{action}-version": s.version},
        )


@pytest.mark.parametrize("who", ["groupmate", "member_a2", "other_secretary", "member_b", "masses"])
def test_outsiders_get_404_on_every_url_and_change_nothing(org, client_for, suggestion, who):
    person = getattr(org, who)
    client = client_for(person.user)
    for method, url, data in urls_with_id(suggestion):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert SECRET not in response.content.decode()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.version, suggestion.entries.count()) == (S.SUBMITTED, 1, 0)


def test_anonymous_users_are_sent_to_log_in(client, suggestion):
    for method, url, data in urls_with_id(suggestion):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "leader", "secretary", "committee", "admin"])
def test_those_in_scope_see_the_suggestion(org, client_for, suggestion, who):
    person = getattr(org, who)
    response = client_for(person if who == "admin" else person.user).get(detail_url(suggestion))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_unknown_action_is_404(org, client_for, suggestion):
    url = reverse("activities:suggestion_action", kwargs={"pk": suggestion.pk, "action": "delete"})
    assert client_for(org.secretary.user).post(url, {"delete-version": 1}).status_code == 404


def test_thread_actions_are_post_only(org, client_for, suggestion):
    url = reverse("activities:suggestion_action", kwargs={"pk": suggestion.pk, "action": "close"})
    assert client_for(org.secretary.user).get(url).status_code == 405


# ---------------------------------------------------------------------------
# Flow through the pages


def test_member_writes_and_the_branch_closes_it(org, client_for):
    client = client_for(org.member.user)
    page = client.get(reverse("activities:suggestion_create"))
    assert page.status_code == 200 and 'data-testid="three-not-afraid"' in page.content.decode()
    response = client.post(
        reverse("activities:suggestion_create"),
        {"title": "巡检路线优化", "situation": "巡检路线重复", "problem": "耗时长", "suggestion": "重新规划路线"},
    )
    s = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(s)

    secretary = client_for(org.secretary.user)
    url = reverse("activities:suggestion_action", kwargs={"pk": s.pk, "action": "reply"})
    secretary.post(url, {"reply-text": "已收到，下周答复。", "reply-version": 1})
    url = reverse("activities:suggestion_action", kwargs={"pk": s.pk, "action": "close"})
    secretary.post(url, {"close-text": "已按建议调整巡检路线。", "close-version": 2})
    s.refresh_from_db()
    assert s.status == S.CLOSED

    page = client_for(org.member.user).get(detail_url(s)).content.decode()
    assert "已按建议调整巡检路线。" in page and "已收到，下周答复。" in page
    assert page.index("已收到，下周答复。") < page.index("已按建议调整巡检路线。")


def test_missing_text_redisplays_the_form_with_the_error(org, client_for, suggestion):
    url = reverse("activities:suggestion_action", kwargs={"pk": suggestion.pk, "action": "close"})
    response = client_for(org.secretary.user).post(url, {"close-text": "", "close-version": 1})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED


def test_illegal_move_gets_a_clear_message_and_changes_nothing(org, client_for):
    s = SuggestionFactory(member=org.member, status=S.CLOSED)
    url = reverse("activities:suggestion_action", kwargs={"pk": s.pk, "action": "close"})
    response = client_for(org.secretary.user).post(url, {"close-text": "再关一次", "close-version": 1}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and str(S.CLOSED.label) in messages[0]
    s.refresh_from_db()
    assert (s.version, s.entries.count()) == (1, 0)


def test_stale_form_is_refused_with_a_message(org, client_for, suggestion):
    url = reverse("activities:suggestion_action", kwargs={"pk": suggestion.pk, "action": "acknowledge"})
    client_for(org.committee.user).post(url, {"acknowledge-version": 1})
    url = reverse("activities:suggestion_action", kwargs={"pk": suggestion.pk, "action": "escalate"})
    response = client_for(org.secretary.user).post(url, {"escalate-text": "上报", "escalate-version": 1}, follow=True)
    assert any("reload" in str(m) or "刷新" in str(m) or "重新" in str(m) for m in response.context["messages"])
    suggestion.refresh_from_db()
    assert suggestion.status == S.ACKNOWLEDGED


def test_edit_page_is_the_authors_until_acknowledged(org, client_for, suggestion):
    url = reverse("activities:suggestion_edit", kwargs={"pk": suggestion.pk})
    assert client_for(org.secretary.user).get(url).status_code == 403
    client = client_for(org.member.user)
    assert client.get(url).status_code == 200
    data = {"title": "改后的主题", "situation": "s", "problem": "p", "suggestion": "x", "version": 1}
    assert client.post(url, data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.title == "改后的主题"
    Suggestion.objects.filter(pk=suggestion.pk).update(status=S.ACKNOWLEDGED)
    assert client.get(url).status_code == 302


def test_list_pages_for_each_role(org, client_for, suggestion):
    SuggestionFactory(member=org.member_b, title="第二支部的建议")
    # A plain member's list is their own page.
    response = client_for(org.member.user).get(reverse("activities:suggestion_list"))
    assert response.status_code == 302 and response["Location"] == reverse("activities:suggestion_mine")
    assert client_for(org.masses.user).get(reverse("activities:suggestion_list")).status_code == 403
    assert client_for(org.masses.user).get(reverse("activities:suggestion_mine")).status_code == 403
    assert client_for(org.member.user).get(reverse("activities:suggestion_queue")).status_code == 403
    page = client_for(org.secretary.user).get(reverse("activities:suggestion_list")).content.decode()
    assert suggestion.title in page and "第二支部的建议" not in page
    page = client_for(org.admin).get(reverse("activities:suggestion_list")).content.decode()
    assert suggestion.title in page and "第二支部的建议" in page


def test_list_filters_and_bad_filter_values(org, client_for, suggestion):
    client = client_for(org.secretary.user)
    url = reverse("activities:suggestion_list")
    assert suggestion.title in client.get(url, {"status": "submitted"}).content.decode()
    page = client.get(url, {"status": "closed"}).content.decode()
    assert suggestion.title not in page and 'data-testid="suggestion-empty"' in page
    # Nonsense in one filter leaves the page working.
    response = client.get(url, {"year": "abc", "group": "99999", "page": "x"})
    assert response.status_code == 200 and suggestion.title in response.content.decode()


def test_my_page_shows_the_yearly_count_and_the_empty_state(org, client_for):
    client = client_for(org.member.user)
    page = client.get(reverse("activities:suggestion_mine")).content.decode()
    assert 'data-testid="suggestion-empty"' in page
    SuggestionFactory(member=org.member)
    SuggestionFactory(member=org.member, status=S.WITHDRAWN)
    response = client.get(reverse("activities:suggestion_mine"))
    assert response.context["this_year_count"] == 1


def test_queue_shows_days_open(org, client_for, suggestion):
    response = client_for(org.secretary.user).get(reverse("activities:suggestion_queue"))
    assert response.status_code == 200
    assert [s.days_open for s in response.context["page"].object_list] == [0]


# ---------------------------------------------------------------------------
# Queries on list pages do not grow with the rows


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("member", "activities:suggestion_mine"),
        ("secretary", "activities:suggestion_list"),
        ("secretary", "activities:suggestion_queue"),
        ("admin", "activities:suggestion_list"),
        ("leader", "activities:suggestion_list"),
    ],
)
def test_list_queries_are_bounded(org, client_for, who, name):
    authors = [org.member] + [MemberFactory(branch=org.branch_a, group=org.group_a1) for _ in range(4)]
    for i in range(5):
        SuggestionFactory(member=authors[i % 5])
    person = getattr(org, who)
    client = client_for(person if who == "admin" else person.user)
    url = reverse(name)
    small = count_queries(client, url)
    for i in range(25):
        SuggestionFactory(member=authors[i % 5], status=S.ACKNOWLEDGED)
    assert count_queries(client, url) == small
    assert small <= 20
