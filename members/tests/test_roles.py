"""Who a login is (members/roles.py): a member and a group leader in one query, someone who
is no member (an administrator, a masses rater) in two; a record marked inactive gives no role."""

from __future__ import annotations

from members.models import MassesRater, Member, User
from members.roles import get_roles


def _fresh(user: User) -> User:
    """The login as the next request loads it: nothing of its roles cached on it."""
    return User.objects.get(pk=user.pk)


def test_an_administrator_who_is_no_member_takes_two_queries(org, django_assert_num_queries):
    user = _fresh(org.admin)
    with django_assert_num_queries(2):
        roles = get_roles(user)
    assert roles.is_admin and roles.member is None and roles.masses_rater is None and not roles.is_group_leader


def test_a_masses_rater_takes_two_queries_and_reads_their_branch(org, django_assert_num_queries):
    user = _fresh(org.masses.user)
    with django_assert_num_queries(2):
        roles = get_roles(user)
        assert roles.masses_rater == org.masses and roles.masses_rater.branch.name == org.branch_a.name
    assert roles.member is None and not roles.is_admin


def test_an_inactive_masses_rater_has_no_role(org):
    MassesRater.objects.filter(pk=org.masses.pk).update(is_active=False)
    roles = get_roles(_fresh(org.masses.user))
    assert roles.masses_rater is None and roles.member is None


def test_an_inactive_group_leader_is_neither_member_nor_leader(org):
    Member.objects.filter(pk=org.leader.pk).update(is_active=False)
    roles = get_roles(_fresh(org.leader.user))
    assert roles.member is None and not roles.is_group_leader and roles.masses_rater is None


def test_a_group_leader_reads_the_groups_they_lead_with_their_branch(org, django_assert_num_queries):
    org.group_a2.leader = org.leader
    org.group_a2.save()
    user = _fresh(org.leader.user)
    with django_assert_num_queries(1):
        roles = get_roles(user)
        assert roles.member == org.leader and roles.member.branch.name == org.branch_a.name
    assert roles.led_group_ids == {org.group_a1.pk, org.group_a2.pk}
