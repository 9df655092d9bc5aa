"""The member's card list shows the years newest first, the older cards after them."""

import pytest
from django.urls import reverse

from assessment.models import Card
from assessment.tests.test_cards_factories import THIS_YEAR, card_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["assessment:card_list", "assessment:pledge_list"])
def test_card_years_sort_newest_first(client_for, org, page):
    kind = "pledge" if page == "assessment:pledge_list" else "goal_card"
    for year in (THIS_YEAR - 4, THIS_YEAR - 2, THIS_YEAR):
        card_in(org.member, Card.Status.APPROVED, year=year, kind=kind)
    response = client_for(org.member).get(reverse(page))
    years = [year for year, _card in response.context["rows"]] + [card.year for card in response.context["older"]]
    assert years == sorted(years, reverse=True)
    assert years == [THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2, THIS_YEAR - 4]
