import pytest
from django.http import Http404

from members import selectors
from members.models import Member
from members.roles import get_roles

pytestmark = pytest.mark.django_db


def visible(user):
    return set(selectors.member_list_for_user(user=user).values_list("name", flat=True))


def test_member_sees_only_themself(org):
    assert visible(org.member.user) == {"党员甲"}


def test_group_leader_sees_their_group(org):
    assert visible(org.leader.user) == {"书记甲", "组长甲", "党员甲", "党员乙"}


def test_secretary_sees_the_whole_branch(org):
    assert visible(org.secretary.user) == {"书记甲", "支委甲", "组长甲", "党员甲", "党员乙", "党员丙"}


def test_committee_member_sees_the_whole_branch(org):
    assert visible(org.committee.user) == visible(org.secretary.user)


def test_administrator_sees_everyone(org):
    assert len(visible(org.admin)) == Member.objects.count()


def test_masses_rater_sees_no_roster(org):
    assert visible(org.masses.user) == set()


def test_other_branch_id_is_not_found(org):
    with pytest.raises(Http404):
        selectors.member_get_for_user(user=org.secretary.user, pk=org.member_b.pk)


def test_member_cannot_fetch_a_groupmate(org):
    with pytest.raises(Http404):
        selectors.member_get_for_user(user=org.member.user, pk=org.groupmate.pk)


def test_inactive_member_loses_their_roles(org):
    org.secretary.is_active = False
    org.secretary.save()
    assert get_roles(org.secretary.user).names == []


def test_roles_of_a_secretary_who_is_also_a_member(org):
    assert get_roles(org.secretary.user).names == ["secretary", "member"]
    assert get_roles(org.leader.user).names == ["leader", "member"]
    assert get_roles(org.masses.user).names == ["masses"]
    assert get_roles(org.admin).names == ["admin"]


def test_roster_counts_in_one_query(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = selectors.roster_counts(members=Member.objects.filter(branch=org.branch_a))
    assert counts.total == 6
    assert counts.probationary == 0


def test_branch_counts_do_not_multiply_across_joins(org):
    rows = {b.name: b for b in selectors.branch_counts()}
    assert rows["第一党支部"].active_count == 6
    assert rows["第一党支部"].group_count == 2
    assert rows["第二党支部"].active_count == 2
    assert rows["第二党支部"].group_count == 1
