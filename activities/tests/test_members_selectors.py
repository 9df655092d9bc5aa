"""The roster as the activities' pages offer it: the filter choices of a list and the
branch a new record is made in, for each persona."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from activities.selectors import members as selectors
from members import selectors as member_selectors

pytestmark = pytest.mark.django_db


def test_an_administrator_filters_by_branch_then_by_its_groups(org):
    branches, groups = selectors.filter_choices_for_user(user=org.admin)
    assert set(branches) >= {org.branch_a, org.branch_b} and groups is None
    _, groups = selectors.filter_choices_for_user(user=org.admin, branch_id=str(org.branch_b.pk))
    assert list(groups) == [org.group_b1]


def test_the_committee_filters_by_its_branchs_groups_a_leader_by_their_own(org):
    assert selectors.filter_choices_for_user(user=org.secretary.user)[0] is None
    assert set(selectors.filter_choices_for_user(user=org.secretary.user)[1]) == {org.group_a1, org.group_a2}
    assert list(selectors.filter_choices_for_user(user=org.leader.user)[1]) == [org.group_a1]
    assert selectors.filter_choices_for_user(user=org.member.user) == (None, None)


def test_the_branch_of_a_new_record(org):
    assert member_selectors.committee_branch_for_user(user=org.admin, requested="", pick_first=False)[0] is None
    assert (
        member_selectors.committee_branch_for_user(user=org.admin, requested=str(org.branch_b.pk), pick_first=False)[0]
        == org.branch_b
    )
    with pytest.raises(Http404):
        member_selectors.committee_branch_for_user(user=org.admin, requested="999999", pick_first=False)
    assert (
        member_selectors.committee_branch_for_user(
            user=org.secretary.user, requested=str(org.branch_b.pk), pick_first=False
        )[0]
        == org.branch_a
    )
    with pytest.raises(PermissionDenied):
        member_selectors.committee_branch_for_user(user=org.member.user, requested="", pick_first=False)


def test_the_branch_of_a_board(org):
    branch, branches = member_selectors.committee_branch_for_user(user=org.admin, requested="999999")
    assert branch == branches.first() and set(branches) >= {org.branch_a, org.branch_b}
    assert member_selectors.committee_branch_for_user(user=org.admin, requested=str(org.branch_b.pk))[0] == org.branch_b
    assert member_selectors.committee_branch_for_user(user=org.secretary.user, requested="x") == (org.branch_a, None)
    with pytest.raises(PermissionDenied):
        member_selectors.committee_branch_for_user(user=org.leader.user, requested="")
