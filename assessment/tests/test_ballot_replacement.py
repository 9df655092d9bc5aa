"""A spent one-time link is replaced when its masses rater has members left to rate: a
new link for those, the old one dead; with nobody left, the replacement is refused."""

import pytest
from django.urls import reverse

from assessment.models import MassesBallot, RaterGroup, Rating
from assessment.services import AssessmentError
from assessment.services import ratings as services
from assessment.tests.factories import PeriodFactory, full_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


@pytest.fixture
def spent(org, period):
    """The masses rater's link, used up on the one member linked to them."""
    ballot = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    services.rating_save_by_ballot(token=ballot.token, ratee_id=org.member.pk, scores=full_scores(period))
    ballot.refresh_from_db()
    assert ballot.used
    return ballot


def test_a_spent_link_with_nobody_left_to_rate_is_not_replaced(org, period, spent):
    with pytest.raises(AssessmentError) as exc:
        services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk, reissue=True)
    assert org.masses.name in str(exc.value.message)
    spent.refresh_from_db()
    assert spent.used


def test_a_spent_link_is_replaced_for_the_members_linked_since(client, org, period, spent):
    old_token = spent.token
    org.masses.ratees.add(org.groupmate)
    new = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk, reissue=True)
    assert new.pk == spent.pk and new.token != old_token and not new.used
    # The old link is dead.
    assert client.get(reverse("assessment:ballot_entry", args=[old_token])).status_code == 404
    # The new one rates the member linked since, and not again the one rated before.
    with pytest.raises(AssessmentError):
        services.rating_save_by_ballot(token=new.token, ratee_id=org.member.pk, scores=full_scores(period))
    services.rating_save_by_ballot(token=new.token, ratee_id=org.groupmate.pk, scores=full_scores(period))
    new.refresh_from_db()
    assert new.used
    assert Rating.objects.filter(rater_group=RaterGroup.MASSES).count() == 2


def test_the_links_page_offers_replacing_a_spent_link_and_says_what_happens(client_for, org, period, spent):
    org.masses.ratees.add(org.groupmate)
    client = client_for(org.secretary)
    html = client.get(reverse("assessment:ballot_list")).content.decode()
    button = html[html.index('data-testid="replace-link"') - 200 : html.index('data-testid="replace-link"') + 60]
    assert "disabled" not in button
    form_start = html.rindex("<form", 0, html.index('data-testid="replace-link"'))
    assert "data-confirm=" in html[form_start : html.index(">", form_start)]
    response = client.post(
        reverse("assessment:ballot_issue", args=[period.code]), {"rater": [org.masses.pk], "reissue": "1"}
    )
    assert response.status_code == 302
    assert MassesBallot.objects.get().token != spent.token


def test_the_links_page_says_why_a_spent_link_is_not_replaced(client_for, org, period, spent):
    response = client_for(org.secretary).post(
        reverse("assessment:ballot_issue", args=[period.code]), {"rater": [org.masses.pk], "reissue": "1"}, follow=True
    )
    assert any(org.masses.name in str(m) for m in response.context["messages"])
    assert MassesBallot.objects.get().token == spent.token
