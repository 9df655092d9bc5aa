"""The flag board (评比台): every member on the roll as a tile with their flag, by Party
group; a wall mode without navigation; previews marked as not yet published."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Period, RaterGroup
from assessment.tests.factories import PeriodFactory, rate
from assessment.tests.test_results_views import computed_period, published_period
from members.tests.factories import BranchFactory, MemberFactory

pytestmark = pytest.mark.django_db

TILE = re.compile(r'data-testid="board-tile" data-member="(\d+)" data-flag="(\w+)"')


def tiles(response) -> dict[int, str]:
    return {int(pk): flag for pk, flag in TILE.findall(response.content.decode())}


@pytest.fixture
def published(org):
    return published_period(org)


def board_url(period, branch, wall=False):
    return reverse("assessment:flagboard_wall" if wall else "assessment:flagboard", args=[period.code, branch.pk])


@pytest.mark.parametrize("wall", [False, True])
def test_board_draws_every_member_of_the_branch_with_their_flag(client_for, org, published, wall):
    response = client_for(org.member).get(board_url(published, org.branch_a, wall))
    assert tiles(response) == {
        org.member.pk: "red",
        org.committee.pk: "red",
        org.groupmate.pk: "yellow",
        org.leader.pk: "blue",
        org.secretary.pk: "grey",
        org.member_a2.pk: "none",  # on the roll, but no rating: shown as not rated
    }
    content = response.content.decode()
    assert "bi-flag-fill pb-flag pb-flag-red" in content
    assert org.member_b.name not in content  # branch B
    # Flags only: the board shows no totals.
    assert "92.70" not in content and "84.57" not in content


def test_board_groups_tiles_by_party_group_red_first(client_for, org, published):
    response = client_for(org.admin).get(board_url(published, org.branch_a))
    sections = [(group, [int(m["pk"]) for m in members]) for group, members in response.context["sections"]]
    assert sections == [
        (org.group_a1.name, [org.member.pk, org.groupmate.pk, org.leader.pk, org.secretary.pk]),
        (org.group_a2.name, [org.committee.pk, org.member_a2.pk]),
    ]


def test_board_counts_each_flag_and_the_unrated(client_for, org, published):
    response = client_for(org.groupmate).get(board_url(published, org.branch_a))
    counts = list(response.context["flag_rows"])
    assert counts == [("red", 2), ("yellow", 1), ("blue", 1), ("grey", 1)]
    assert response.context["not_rated"] == 1


def test_members_without_a_group_get_their_own_section_last(client_for, org, published):
    loner = MemberFactory(branch=org.branch_a, group=None, name="无组党员")
    response = client_for(org.admin).get(board_url(published, org.branch_a))
    group, members = response.context["sections"][-1]
    assert group is None and [int(m["pk"]) for m in members] == [loner.pk]


def test_board_filters_by_group(client_for, org, published):
    response = client_for(org.secretary).get(board_url(published, org.branch_a), {"group": org.group_a2.pk})
    assert set(tiles(response)) == {org.committee.pk, org.member_a2.pk}


def test_inactive_members_are_not_on_the_board(client_for, org, published):
    org.leader.is_active = False
    org.leader.save()
    response = client_for(org.admin).get(board_url(published, org.branch_a))
    assert org.leader.pk not in tiles(response)


def test_own_tile_is_marked(client_for, org, published):
    content = client_for(org.member).get(board_url(published, org.branch_a)).content.decode()
    assert f'pb-tile-red pb-tile-me" data-testid="board-tile" data-member="{org.member.pk}"' in content


def test_wall_mode_has_no_navbar_and_a_way_back(client_for, org, published):
    content = client_for(org.member).get(board_url(published, org.branch_a, wall=True)).content.decode()
    assert "pb-navbar" not in content and 'class="pb-wall pb-wall-l"' in content
    assert 'data-testid="wall-exit"' in content and board_url(published, org.branch_a) in content
    normal = client_for(org.member).get(board_url(published, org.branch_a)).content.decode()
    assert "pb-navbar" in normal and 'data-testid="link-wall"' in normal


@pytest.mark.parametrize("who", ["admin", "secretary", "committee"])
@pytest.mark.parametrize("wall", [False, True])
def test_committee_and_administrators_preview_before_publication(client_for, org, who, wall):
    period = computed_period(org)
    user = org.admin if who == "admin" else getattr(org, who)
    response = client_for(user).get(board_url(period, org.branch_a, wall))
    assert b'data-testid="not-published"' in response.content
    assert tiles(response)[org.member.pk] == "red"


@pytest.mark.parametrize("who", ["member", "groupmate", "leader"])
def test_members_see_no_flags_before_publication(client_for, org, who):
    period = computed_period(org)
    response = client_for(getattr(org, who)).get(board_url(period, org.branch_a, wall=True))
    assert response.status_code == 200
    assert b'data-testid="results-pending"' in response.content and not tiles(response)


def test_the_other_branchs_secretary_cannot_preview_or_see_the_board(client_for, org):
    period = computed_period(org)
    assert client_for(org.other_secretary).get(board_url(period, org.branch_a)).status_code == 404


def test_before_computation_the_board_says_results_are_not_published(client_for, org):
    period = PeriodFactory(state=Period.State.OPEN)
    rate(period, org.member, RaterGroup.ORG, 90)
    response = client_for(org.secretary).get(board_url(period, org.branch_a))
    assert b'data-testid="results-pending"' in response.content and not tiles(response)


def test_board_of_a_branch_without_members_has_an_empty_state(client_for, org, published):
    empty = BranchFactory(name="空支部")
    response = client_for(org.admin).get(board_url(published, empty))
    assert b'data-testid="board-empty"' in response.content


def test_board_queries_do_not_grow_with_members(client_for, org, published):
    client = client_for(org.member)
    url = board_url(published, org.branch_a)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    MemberFactory.create_batch(25, branch=org.branch_a, group=org.group_a2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(tiles(response)) == 31
    assert len(small.captured_queries) == len(large.captured_queries) <= 20


def test_a_tile_escapes_the_members_name_and_labels_the_flag(client_for, org, published):
    from members.models import Member

    Member.objects.filter(pk=org.member.pk).update(name='<script>alert("x")</script>')
    content = client_for(org.admin).get(board_url(published, org.branch_a)).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert 'data-flag="none"><i class="bi bi-flag pb-flag pb-flag-none"' in content  # not rated: an empty flag
