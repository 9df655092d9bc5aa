"""The talk list shows what each talk follows up: for a talk opened by a published
assessment, the member's flag and total (told to study by assessment.receivers)."""

import pytest
from django.urls import reverse

from assessment.models import Period, RaterGroup, Result
from assessment.services.results import results_publish
from assessment.tests.factories import PeriodFactory, closed, rate
from study.models import Talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org):
    period = PeriodFactory(state=Period.State.OPEN)
    rate(period, org.member, RaterGroup.ORG, 84, rater_member=org.secretary)
    rate(period, org.groupmate, RaterGroup.ORG, 66, rater_member=org.secretary)
    rate(period, org.leader, RaterGroup.ORG, 95, rater_member=org.secretary)
    results_publish(actor=org.admin, period_id=closed(period).pk)
    return period


def test_talk_list_shows_each_talks_flag_and_total(client_for, org, published):
    response = client_for(org.secretary).get(reverse("study:talk_list"))
    rows = {talk.member.name: outcome for talk, outcome in response.context["rows"]}
    member, groupmate = Result.objects.get(member=org.member), Result.objects.get(member=org.groupmate)
    assert rows[org.member.name] == {"flag": "yellow", "flag_label": member.get_flag_display(), "total": member.total}
    assert rows[org.groupmate.name]["flag"] == "grey" and rows[org.groupmate.name]["total"] == groupmate.total
    content = response.content.decode()
    assert content.count('data-testid="talk-outcome"') == 2
    assert "pb-flag-yellow" in content and "pb-flag-grey" in content


def test_talk_page_shows_the_flag_and_total(client_for, org, published):
    talk = Talk.objects.get(member=org.member)
    response = client_for(org.secretary).get(reverse("study:talk_detail", args=[talk.pk]))
    assert response.context["outcome"]["flag"] == "yellow"
    assert b'data-testid="talk-outcome"' in response.content


def test_a_talk_without_an_assessment_has_no_outcome(client_for, org):
    Talk.objects.create(member=org.member, branch=org.branch_a, source=Talk.Source.OTHER, reason="谈心")
    response = client_for(org.secretary).get(reverse("study:talk_list"))
    assert [outcome for _talk, outcome in response.context["rows"]] == [None]
