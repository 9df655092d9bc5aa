"""What cannot be undone asks first: each such button's form carries ``data-confirm`` with
what will happen, which partybuild.js shows in the page's dialog (partials/confirm_modal.html)
before the form is sent (the browser test of the masses raters clicks through it)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import PartyDay, PartyDayContribution
from activities.services import partydays as partyday_services
from assessment.models import Period
from tests import fuzz_targets as t

pytestmark = pytest.mark.django_db


def confirmation(html: str, action: str) -> str:
    """The data-confirm text of the form that posts to ``action`` ('' when it asks nothing)."""
    at = html.index(f'action="{action}"')
    tag = html[html.rindex("<form", 0, at) : html.index(">", at)]
    found = re.search(r'data-confirm="([^"]*)"', tag)
    return found.group(1) if found else ""


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _contribution_delete(org) -> t.Target:
    day = t._held_day(org, PartyDay.Kind.INTERACTIVE)
    item = partyday_services.contribution_add(
        actor=org.secretary.user,
        party_day_id=day.pk,
        member_id=org.member.pk,
        kind=PartyDayContribution.Kind.STORY,
        summary="成长故事",
        generation="young",
    )
    return t.Target(
        reverse("activities:partyday_contribution_delete", args=[day.pk, item.pk]),
        page=reverse("activities:partyday_detail", args=[day.pk]),
    )


def _period_name(state):
    return lambda org: Period.objects.get(state=state).name


@pytest.mark.parametrize(
    "persona, build, named",
    [
        ("admin", t._period_action("period_close", Period.State.OPEN), _period_name(Period.State.OPEN)),
        ("admin", t._period_action("period_open", Period.State.DRAFT), _period_name(Period.State.DRAFT)),
        ("secretary", t.b_card_task_remove, None),
        ("secretary", t.b_photo_delete, None),
        ("secretary", _contribution_delete, lambda org: org.member.name),
        ("secretary", t.b_partyday_cancel, None),
    ],
    ids=["close rating", "open rating", "withdraw task", "remove photo", "remove contribution", "cancel day"],
)
def test_what_cannot_be_undone_says_what_will_happen_first(org, persona, build, named):
    target = build(org)
    user = org.admin if persona == "admin" else getattr(org, persona).user
    html = client_as(user).get(target.page).content.decode()
    question = confirmation(html, target.url)
    # A sentence saying what will happen (Chinese says it in a dozen characters or so).
    assert len(question) >= 10, f"{target.url} asks nothing on {target.page}"
    if named is not None:
        assert named(org) in question, question


def test_every_page_has_the_dialog_the_confirmations_open(org):
    html = client_as(org.member.user).get(reverse("home")).content.decode()
    assert 'id="pb-confirm"' in html and "data-pb-confirm-ok" in html


def test_ending_a_pioneer_post_says_it_is_for_good(org):
    target = t.b_post_end(org)
    html = client_as(org.secretary.user).get(target.url).content.decode()
    assert 'data-testid="post-end-warning"' in html
