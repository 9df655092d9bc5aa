from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import MassesBallot, Period, Rating
from assessment.services import ratings as services
from assessment.tests.factories import PeriodFactory, full_scores, given_by
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


def form_url(period, ratee, group):
    return reverse("assessment:rate_form", args=[period.code, ratee.pk, group])


def test_member_sees_self_and_peers_to_rate(client_for, org, period):
    response = client_for(org.member).get(reverse("assessment:rate_home"))
    assert response.status_code == 200
    assert {p.name for p in response.context["peers"]} == {"书记甲", "组长甲", "党员乙"}
    assert response.context["self_rating"] is None


def test_member_rates_a_peer_through_the_form(client_for, org, period):
    data = full_scores(period, Decimal("0.9"))
    response = client_for(org.member).post(form_url(period, org.groupmate, "peer"), data)
    assert response.status_code == 302
    rating = Rating.objects.get(ratee=org.groupmate, rater_group="peer")
    assert rating in given_by(period, "peer", org.member) and rating.entered_by is None
    page = client_for(org.member).get(reverse("assessment:rate_home"))
    assert page.context["peers_done"] == 1


def test_bad_scores_are_shown_on_their_items(client_for, org, period):
    data = full_scores(period)
    data.update(A1="9", A2="", A3="1.2")
    response = client_for(org.member).post(form_url(period, org.member, "self"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"A1", "A2", "A3"}
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "who, target, group",
    [
        ("member", "member_a2", "peer"),
        ("member", "member_b", "peer"),
        ("member", "groupmate", "org"),
        ("leader", "member_b", "peer"),
        ("other_secretary", "member", "org"),
        ("masses", "groupmate", "masses"),
        ("admin", "member", "org"),
    ],
)
def test_rating_form_is_not_found_outside_what_one_may_rate(client_for, org, period, who, target, group):
    user = org.admin if who == "admin" else getattr(org, who)
    client = client_for(user)
    assert client.get(form_url(period, getattr(org, target), group)).status_code == 404
    assert client.post(form_url(period, getattr(org, target), group), full_scores(period)).status_code == 404
    assert not Rating.objects.exists()


def test_secretary_gives_the_organisation_rating(client_for, org, period):
    client = client_for(org.secretary)
    home = client.get(reverse("assessment:rate_home"))
    assert home.context["org_counts"] == {"total": 5, "done": 0}  # the branch less themself
    response = client.post(form_url(period, org.member, "org"), full_scores(period))
    assert response.status_code == 302
    assert client.get(reverse("assessment:rate_home")).context["org_counts"]["done"] == 1


def test_the_form_shows_only_ones_own_scores(client_for, org, period):
    services.rating_save(
        actor=org.groupmate.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="peer",
        scores=full_scores(period, Decimal("0.5")),
    )
    # The member rating the same person as a peer starts from a blank form.
    response = client_for(org.leader).get(form_url(period, org.member, "peer"))
    assert all(not response.context["form"][code].value() for code in full_scores(period))


def test_rating_when_no_period_is_open(client_for, org, period):
    period.state = Period.State.CLOSED
    period.save()
    response = client_for(org.member).get(reverse("assessment:rate_home"))
    assert 'data-testid="rate-closed"' in response.content.decode()
    response = client_for(org.member).post(form_url(period, org.member, "self"), full_scores(period))
    assert response.status_code == 302
    assert not Rating.objects.exists()


def test_org_rating_page_queries_are_bounded(client_for, org, period):
    client = client_for(org.secretary)
    client.get(reverse("assessment:rate_home"))  # the first look makes the period's rater-key secret
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("assessment:rate_home"))
    MemberFactory.create_batch(30, branch=org.branch_a, group=org.group_a2)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("assessment:rate_home"))
    assert len(large) == len(small) <= 20


# --- one-time links ---------------------------------------------------------------


def test_secretary_issues_and_prints_links(client_for, org, period):
    client = client_for(org.secretary)
    response = client.get(reverse("assessment:ballot_list"))
    assert [r[0] for r in response.context["rows"]] == [org.masses]
    client.post(reverse("assessment:ballot_issue", args=[period.code]), {"rater": [org.masses.pk]})
    ballot = MassesBallot.objects.get()
    printed = client.get(reverse("assessment:ballot_print", args=[period.code])).content.decode()
    assert "<svg" in printed and ballot.token in printed and ballot.code in printed


def test_other_branch_cannot_issue_or_see_links(client_for, org, period):
    client = client_for(org.other_secretary)
    client.post(reverse("assessment:ballot_issue", args=[period.code]), {"rater": [org.masses.pk]})
    assert not MassesBallot.objects.exists()
    services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    printed = client.get(reverse("assessment:ballot_print", args=[period.code])).content.decode()
    assert MassesBallot.objects.get().token not in printed
    assert client_for(org.member).get(reverse("assessment:ballot_list")).status_code == 403


def test_masses_rater_rates_through_the_link_without_logging_in(client, org, period):
    ballot = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    entry = client.get(reverse("assessment:ballot_entry", args=[ballot.token]))
    assert entry.status_code == 200 and [m.name for m in entry.context["tasks"]] == ["党员甲"]
    url = reverse("assessment:ballot_rate", args=[ballot.token, org.member.pk])
    assert client.post(url, full_scores(period)).status_code == 302
    rating = Rating.objects.get(rater_group="masses")
    assert rating in given_by(period, "masses", org.masses) and rating.ratee == org.member
    # Used up: the link now only says so.
    entry = client.get(reverse("assessment:ballot_entry", args=[ballot.token]))
    assert 'data-testid="ballot-dead"' in entry.content.decode()
    assert client.post(url, full_scores(period)).status_code == 302
    assert Rating.objects.count() == 1


def test_link_cannot_rate_anyone_else(client, org, period):
    ballot = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    url = reverse("assessment:ballot_rate", args=[ballot.token, org.groupmate.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, full_scores(period)).status_code == 404
    assert client.get(reverse("assessment:ballot_entry", args=["wrong-token"])).status_code == 404
