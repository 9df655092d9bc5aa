"""Recording talks one after another: "save and next" goes on to the next open talk of
the list the talk was opened from, in the list's order, skipping what the user may not
record; after the last one, back to the list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from study.models import Talk

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def talk(org, member, days, **kwargs):
    due = None if days is None else TODAY + datetime.timedelta(days=days)
    return Talk.objects.create(member=member, branch=org.branch_a, source=Talk.Source.OTHER, due_on=due, **kwargs)


def record_data(**extra):
    return {"talked_on": TODAY.isoformat(), "talked_by": "书记甲", "problems": "学习不够", "plan": "加强学习"} | extra


@pytest.fixture
def talks(org):
    return {
        "first": talk(org, org.member, 1),
        "second": talk(org, org.groupmate, 2),
        "own": talk(org, org.secretary, 3),  # the secretary's own: the administrator's to hold
        "undated": talk(org, org.leader, None),
    }


def test_save_and_next_goes_to_the_next_open_talk_of_the_list(client_for, org, talks):
    client = client_for(org.secretary)
    url = reverse("study:talk_detail", args=[talks["first"].pk]) + "?status=open"
    response = client.post(url, record_data(then="next"))
    assert response.status_code == 302
    assert response["Location"] == reverse("study:talk_detail", args=[talks["second"].pk]) + "?status=open"
    talks["first"].refresh_from_db()
    assert talks["first"].status == Talk.Status.RECORDED

    # The secretary's own talk is skipped; the undated talk comes last.
    response = client.post(response["Location"], record_data(then="next"))
    assert response["Location"] == reverse("study:talk_detail", args=[talks["undated"].pk]) + "?status=open"
    response = client.post(response["Location"], record_data(then="next"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("study:talk_list") + "?status=open"
    assert Talk.objects.filter(status=Talk.Status.OPEN).get() == talks["own"]


def test_plain_save_stays_on_the_talk(client_for, org, talks):
    url = reverse("study:talk_detail", args=[talks["first"].pk])
    response = client_for(org.secretary).post(url, record_data())
    assert response["Location"] == reverse("study:talk_detail", args=[talks["first"].pk])


def test_a_refused_record_stays_on_the_talk_and_moves_on_to_nothing(client_for, org, talks):
    url = reverse("study:talk_detail", args=[talks["first"].pk]) + "?status=open"
    response = client_for(org.secretary).post(url, record_data(then="next", plan=""))
    assert response.status_code == 200 and "plan" in response.context["form"].errors
    talks["first"].refresh_from_db()
    assert talks["first"].status == Talk.Status.OPEN


def test_the_list_links_each_talk_with_the_lists_query(client_for, org, talks):
    response = client_for(org.secretary).get(reverse("study:talk_list") + "?status=open")
    href = reverse("study:talk_detail", args=[talks["first"].pk]) + "?status=open"
    assert f'href="{href}"' in response.content.decode()
    page = client_for(org.secretary).get(href)
    assert b'data-testid="talk-save-next"' in page.content
