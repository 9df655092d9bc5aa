"""Reads of warmth delivery: the scope rule for what follows the member and for what keeps
its branch, and the quarter board's figures."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from activities.models import HelpRecord
from activities.selectors import warmth as selectors
from activities.services import warmth as services
from partybuild.lib.quarters import Quarter

pytestmark = pytest.mark.django_db

Kind = HelpRecord.Kind


def contact_of(member, name="王师傅"):
    return services.contact_point_add(actor=member.user, member_id=member.pk, name=name)


def help_of(member, *, kind=Kind.THINKING, helped_on=None):
    return services.help_record_add(
        actor=member.user,
        member_id=member.pk,
        kind=kind,
        helped_on=helped_on or timezone.localdate(),
        content="谈心",
    )


def test_contact_points_follow_the_member(org):
    mine = contact_of(org.member)
    assert selectors.contact_point_get_for_user(user=org.leader.user, pk=mine.pk) == mine
    org.member.branch, org.member.group = org.branch_b, org.group_b1
    org.member.save()
    with pytest.raises(Http404):
        selectors.contact_point_get_for_user(user=org.leader.user, pk=mine.pk)
    assert selectors.contact_point_get_for_user(user=org.other_secretary.user, pk=mine.pk) == mine


def test_help_records_keep_their_branch(org):
    record = help_of(org.member)
    org.member.branch, org.member.group = org.branch_b, org.group_b1
    org.member.save()
    assert selectors.help_record_get_for_user(user=org.secretary.user, pk=record.pk) == record
    assert selectors.help_record_get_for_user(user=org.member.user, pk=record.pk) == record
    with pytest.raises(Http404):
        selectors.help_record_get_for_user(user=org.other_secretary.user, pk=record.pk)


def test_masses_rater_sees_nothing(org):
    contact_of(org.member)
    help_of(org.member)
    assert not selectors.contact_point_list_for_user(user=org.masses.user).exists()
    assert not selectors.help_record_list_for_user(user=org.masses.user).exists()


def test_kind_counts_have_every_kind(org):
    help_of(org.member, kind=Kind.WARMTH)
    counts = selectors.help_kind_counts(selectors.help_record_list_for_user(user=org.member.user))
    assert set(counts) == set(Kind.values) and counts[Kind.WARMTH] == 1 and sum(counts.values()) == 1


def test_board_figures(org):
    quarter = Quarter.current()
    help_of(org.member)
    help_of(org.member, kind=Kind.SKILLS)
    help_of(org.groupmate, helped_on=quarter.previous().last_day)
    org.member_a2.is_active = False
    org.member_a2.save()
    counts = selectors.warmth_board_counts(branch_id=org.branch_a.pk, quarter=quarter)
    assert (counts.members, counts.logged, counts.missing, counts.records) == (5, 1, 4, 2)
    assert counts.logged_percent == 20
    missing = selectors.warmth_board_members(branch_id=org.branch_a.pk, quarter=quarter, missing_only=True)
    assert org.member.pk not in {m.pk for m in missing} and org.member_a2.pk not in {m.pk for m in missing}
    group = selectors.warmth_board_counts(branch_id=org.branch_a.pk, quarter=quarter, group_ids=[org.group_a1.pk])
    assert (group.members, group.logged) == (4, 1)
    rows = selectors.with_kind_counts(
        list(selectors.warmth_board_members(branch_id=org.branch_a.pk, quarter=quarter)), quarter=quarter
    )
    totals = {m.pk: m.help_total for m in rows}
    assert totals[org.member.pk] == 2 and totals[org.groupmate.pk] == 0


def test_board_member_annotations(org):
    services.responsibility_area_save(actor=org.member.user, member_id=org.member.pk, version=0, description="区")
    contact_of(org.member)
    retired = contact_of(org.member, name="调走的")
    services.contact_point_update(
        actor=org.member.user, contact_point_id=retired.pk, version=1, name=retired.name, is_active=False
    )
    row = selectors.warmth_board_members(branch_id=org.branch_a.pk, quarter=Quarter.current()).get(pk=org.member.pk)
    assert row.has_area and row.contact_count == 1 and not row.logged


def test_help_filter_by_year_and_quarter(org):
    today = timezone.localdate()
    now = help_of(org.member)
    old = help_of(org.member, helped_on=datetime.date(today.year - 1, 6, 30))
    qs = selectors.help_record_list_for_user(user=org.member.user)
    assert list(selectors.help_record_filter(qs, year=today.year - 1)) == [old]
    assert list(selectors.help_record_filter(qs, quarter=Quarter(today.year - 1, 2))) == [old]
    assert now in selectors.help_record_filter(qs, quarter=Quarter.current())


def test_the_board_is_the_committees_branch_a_leaders_groups_and_any_branch_for_an_administrator(org):
    committee = selectors.warmth_board_scope(user=org.secretary.user)
    assert (committee.branch, committee.group_ids) == (org.branch_a, None)
    leader = selectors.warmth_board_scope(user=org.leader.user)
    assert (leader.branch, leader.group_ids) == (org.branch_a, [org.group_a1.pk])
    assert list(leader.groups(user=org.leader.user)) == [org.group_a1]
    assert leader.shown_groups(org.group_a2.pk) == [org.group_a1.pk]  # not theirs: their own
    assert selectors.warmth_board_scope(user=org.admin, branch_id=str(org.branch_b.pk)).branch == org.branch_b
    assert selectors.warmth_board_scope(user=org.member.user) is None
