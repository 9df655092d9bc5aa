"""Reads of pioneer posts and recognitions: the scope rule, states, filters and counts."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from activities.models import PioneerPost, Recognition
from activities.selectors import posts as selectors
from activities.services import posts as services

pytestmark = pytest.mark.django_db

Kind = PioneerPost.Kind


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def designate(actor, member, *, kind=Kind.SAFETY, start=-30, end=300) -> PioneerPost:
    return services.pioneer_post_designate(
        actor=actor.user, member_id=member.pk, kind=kind, starts_on=days(start), ends_on=days(end), post_name="值班员"
    )


@pytest.fixture
def posts(org):
    return {
        "member": designate(org.secretary, org.member),
        "groupmate": designate(org.secretary, org.groupmate, kind=Kind.MANAGEMENT, start=-400, end=-10),
        "member_a2": designate(org.secretary, org.member_a2, kind=Kind.EFFICIENCY, start=10, end=40),
        "member_b": designate(org.other_secretary, org.member_b),
    }


def visible(user) -> set[int]:
    return set(selectors.pioneer_post_list_for_user(user=user).values_list("pk", flat=True))


def test_scope_rule(org, posts):
    ids = {k: p.pk for k, p in posts.items()}
    assert visible(org.member.user) == {ids["member"]}
    assert visible(org.leader.user) == {ids["member"], ids["groupmate"]}
    assert visible(org.committee.user) == {ids["member"], ids["groupmate"], ids["member_a2"]}
    assert visible(org.other_secretary.user) == {ids["member_b"]}
    assert visible(org.admin) == set(ids.values())
    assert visible(org.masses.user) == set()


def test_get_outside_the_scope_is_404(org, posts):
    with pytest.raises(Http404):
        selectors.pioneer_post_get_for_user(user=org.member.user, pk=posts["groupmate"].pk)
    with pytest.raises(Http404):
        selectors.pioneer_post_get_for_user(user=org.secretary.user, pk="x")
    assert selectors.pioneer_post_get_for_user(user=org.leader.user, pk=posts["groupmate"].pk)


def test_states_and_counts(org, posts):
    today = timezone.localdate()
    qs = selectors.pioneer_post_list_for_user(user=org.admin)
    counts = selectors.pioneer_post_counts(qs, today=today)
    assert (counts.current, counts.upcoming, counts.ended) == (2, 1, 1)
    assert (counts.safety, counts.management, counts.efficiency) == (2, 0, 0)
    ended = selectors.pioneer_post_filter(qs, today=today, state=PioneerPost.State.ENDED)
    assert [p.pk for p in ended] == [posts["groupmate"].pk]
    assert posts["member_a2"].state_on(today) == PioneerPost.State.UPCOMING


def test_year_filter_keeps_designations_in_force_that_year(org, posts):
    today = timezone.localdate()
    qs = selectors.pioneer_post_list_for_user(user=org.admin)
    early = days(-400).year
    assert posts["groupmate"].pk in {p.pk for p in selectors.pioneer_post_filter(qs, today=today, year=early)}
    if early < today.year - 1:
        assert selectors.pioneer_post_filter(qs, today=today, year=early).count() == 1
    years = selectors.years_of(qs, "starts_on", today=today)
    assert years[0] == max(today.year, days(10).year) and years[-1] == early


def test_member_page_shows_only_what_the_user_may_see(org, posts):
    services.recognition_record(
        actor=org.secretary.user,
        member_id=org.member.pk,
        best=Recognition.Best.RESULTS,
        year=timezone.localdate().year,
        quarter=0,
        awarded_on=timezone.localdate(),
    )
    detail = selectors.member_posts(user=org.member.user, member=org.member, today=timezone.localdate())
    assert [p.pk for p in detail.current] == [posts["member"].pk]
    assert len(detail.recognitions) == 1
    other = selectors.member_posts(user=org.other_secretary.user, member=org.member, today=timezone.localdate())
    assert other.posts == [] and other.recognitions == []


def test_recognition_counts(org):
    for member in (org.member, org.groupmate):
        services.recognition_record(
            actor=org.secretary.user,
            member_id=member.pk,
            best=Recognition.Best.OPERATION,
            year=timezone.localdate().year,
            quarter=0,
            awarded_on=timezone.localdate(),
        )
    counts = selectors.recognition_counts(selectors.recognition_list_for_user(user=org.leader.user))
    assert counts == {
        Recognition.Best.RECORDS: 0,
        Recognition.Best.OPERATION: 2,
        Recognition.Best.CONDUCT: 0,
        Recognition.Best.RESULTS: 0,
    }
    assert (
        selectors.recognition_filter(
            selectors.recognition_list_for_user(user=org.admin), member=org.member.name
        ).count()
        == 1
    )


def test_recognition_years_come_from_the_period_not_the_date(org):
    today = timezone.localdate()
    services.recognition_record(
        actor=org.secretary.user,
        member_id=org.member.pk,
        best=Recognition.Best.CONDUCT,
        year=today.year - 2,
        quarter=0,
        awarded_on=today,
    )
    qs = selectors.recognition_list_for_user(user=org.admin)
    assert selectors.years_of(qs, "year", today=today) == [today.year, today.year - 1, today.year - 2]
