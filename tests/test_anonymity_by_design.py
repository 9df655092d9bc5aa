"""Anonymity by design (issue 14; docs/reliability.md, "Threat model"): the promises that
hold against an administrator, a DBA and a backup reader, not only in the pages.

- Results are never read while rating is open, and closing is for good: no two readings
  of a member's results can differ by one rating (the difference attack).
- After rating closes no row in the database ties a peer or masses score to its rater.
- Nothing records when an individual anonymous rating arrived.
- Nobody rates themself in the organisation's rating.
- The Django admin keeps the period's rules.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from assessment.models import MassesBallot, Period, PeriodKey, RaterGroup, Rating, Result
from assessment.services import AssessmentError
from assessment.services import ratings as rating_services
from assessment.services import results as result_services
from assessment.services.periods import period_close, period_open
from assessment.tests.factories import PeriodFactory, closed, full_scores, given_by, rate
from members.tests.factories import MemberFactory


@pytest.fixture
def period(db):
    return PeriodFactory(state=Period.State.OPEN)


def _peer_rates(period, rater, ratee, share):
    return rating_services.rating_save(
        actor=rater.user,
        period_id=period.pk,
        ratee_id=ratee.pk,
        rater_group=RaterGroup.PEER,
        scores=full_scores(period, Decimal(share)),
    )


def test_no_results_while_open_so_no_two_readings_differ_by_one_rating(client_for, org, period):
    peers = MemberFactory.create_batch(8, branch=org.branch_a, group=org.group_a1)
    for i, peer in enumerate(peers):
        rate(period, org.member, RaterGroup.PEER, 80 + i, rater_member=peer)
    # The administrator cannot read a mean, wait for one more rating and read again.
    with pytest.raises(AssessmentError, match=period.name):
        result_services.results_compute(actor=org.admin, period_id=period.pk)
    assert not Result.objects.exists()
    page = client_for(org.admin).get(reverse("assessment:result_member", args=[period.code, org.member.pk]))
    assert page.context["status"] == "pending"
    # Once closed, rating is over for good: no rating lands, and the period cannot reopen.
    closed(period)
    result_services.results_compute(actor=org.admin, period_id=period.pk)
    with pytest.raises(AssessmentError):
        _peer_rates(period, org.groupmate, org.member, "0.5")
    with pytest.raises(AssessmentError):
        period_open(actor=org.admin, period_id=period.pk)
    assert Result.objects.get(member=org.member).count_peer == 8


def test_progress_is_counts_per_group_never_per_rater(client_for, org, period):
    _peer_rates(period, org.groupmate, org.member, "0.9")
    rating_services.rating_save(
        actor=org.masses.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.MASSES,
        scores=full_scores(period),
    )
    page = client_for(org.secretary).get(reverse("assessment:rating_progress") + f"?period={period.code}")
    assert page.status_code == 200
    assert dict(page.context["progress"]) == {"self": 0, "peer": 1, "masses": 1, "org": 0}
    text = page.content.decode()
    for name in (org.groupmate.name, org.masses.name):
        assert name not in text
    ballots = client_for(org.secretary).get(reverse("assessment:ballot_list") + f"?period={period.code}")
    assert all(len(row) == 2 for row in ballots.context["rows"])  # the rater and the link, no count of ratings


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def test_after_close_no_row_ties_a_peer_or_masses_score_to_its_rater(org, period):
    """Read the database itself after close: the ratings, their history, the ballots,
    the period's key — nothing left that names or derives a rater of a peer or masses score."""
    org.masses.ratees.add(org.groupmate)
    _peer_rates(period, org.groupmate, org.member, "0.9")
    _peer_rates(period, org.leader, org.member, "0.6")
    _peer_rates(period, org.member, org.groupmate, "0.7")
    ballot = rating_services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    rating_services.rating_save_by_ballot(token=ballot.token, ratee_id=org.member.pk, scores=full_scores(period))
    rating_services.rating_save_by_ballot(
        token=ballot.token, ratee_id=org.groupmate.pk, scores=full_scores(period, Decimal("0.5"))
    )
    rating_services.rating_save(
        actor=org.member.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.SELF,
        scores=full_scores(period),
    )
    # While open the raters find their own ratings (and only theirs).
    assert given_by(period, RaterGroup.PEER, org.groupmate).count() == 1
    assert given_by(period, RaterGroup.MASSES, org.masses).count() == 2
    assert PeriodKey.objects.filter(period=period).exists()

    period_close(actor=org.admin, period_id=period.pk)

    anonymous = Rating.objects.filter(period=period, rater_group__in=["peer", "masses"])
    assert anonymous.count() == 5
    # The rating table has no rater column at all, and nothing in the columns it has
    # points at a rater: no key, no author, no arrival time; every version 1. (``withdrawn``
    # is set by an upheld objection, after close, on the objector's own ratings.)
    columns = set(_columns(Rating._meta.db_table))
    assert columns == {
        "id", "period_id", "ratee_id", "rater_group", "rater_key", "ballot_no",
        "scores", "total", "source", "entered_by_id", "version", "withdrawn",
    }  # fmt: skip
    assert list(anonymous.values_list("rater_key", "entered_by_id", "version").distinct()) == [(None, None, 1)]
    # The ids keep no arrival order: the rows were written anew by ratee, group and total.
    rows = list(anonymous.order_by("pk").values_list("ratee_id", "rater_group", "total"))
    assert rows == sorted(rows)
    # Their history holds nothing (it would name the author and the moment).
    assert not Rating.history.filter(rater_group__in=["peer", "masses"]).exists()
    assert "history_user_id" in _columns(Rating.history.model._meta.db_table)
    # The key secret is gone: even with SECRET_KEY no digest can be worked out again.
    assert not PeriodKey.objects.filter(period=period).exists()
    # The one-time link says whether it was used, never when.
    assert "used_at" not in _columns(MassesBallot._meta.db_table)
    assert MassesBallot.objects.get(pk=ballot.pk).used
    # And no other table has a foreign key into the ratings that could tie them to anyone.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table)
            assert all(target != Rating._meta.db_table for _col, (_field, target) in relations.items()), table
    # The self rating is named, and keeps its history.
    assert Rating.history.filter(rater_group="self", ratee_id=org.member.pk).exists()


def test_an_anonymous_rating_has_no_author_and_no_history_while_open(org, period):
    rating = _peer_rates(period, org.groupmate, org.member, "0.9")
    _peer_rates(period, org.groupmate, org.member, "0.8")  # changed by its rater while open
    rating.refresh_from_db()
    assert rating.entered_by is None and rating.version == 2
    assert not Rating.history.filter(id=rating.pk).exists()


@pytest.mark.parametrize("rater", ["secretary", "committee"])
def test_no_committee_member_gives_themself_the_organisations_rating(client_for, org, period, rater):
    me = getattr(org, rater)
    with pytest.raises(AssessmentError):
        rating_services.rating_save(
            actor=me.user, period_id=period.pk, ratee_id=me.pk, rater_group="org", scores=full_scores(period)
        )
    url = reverse("assessment:rate_form", args=[period.code, me.pk, "org"])
    assert client_for(me).get(url).status_code == 404
    home = client_for(me).get(reverse("assessment:rate_home"))
    assert me.pk not in [m.pk for m in home.context["org_page"].object_list]
    # The other committee member gives it.
    other = org.committee if rater == "secretary" else org.secretary
    rating_services.rating_save(
        actor=other.user, period_id=period.pk, ratee_id=me.pk, rater_group="org", scores=full_scores(period)
    )


def test_a_sole_committee_members_organisation_rating_falls_to_the_administrator(client_for, org, period):
    sole = org.other_secretary  # branch B has no other committee member
    with pytest.raises(AssessmentError):
        rating_services.rating_save(
            actor=sole.user, period_id=period.pk, ratee_id=sole.pk, rater_group="org", scores=full_scores(period)
        )
    home = client_for(org.admin).get(reverse("assessment:rate_home"))
    assert [m.pk for m in home.context["admin_org"]] == [sole.pk]
    response = client_for(org.admin).post(
        reverse("assessment:rate_form", args=[period.code, sole.pk, "org"]), {**full_scores(period), "version": 0}
    )
    assert response.status_code == 302
    assert Rating.objects.get(ratee=sole, rater_group="org").entered_by == org.admin
    # Not for a committee member whose branch has another one.
    url = reverse("assessment:rate_form", args=[period.code, org.secretary.pk, "org"])
    assert client_for(org.admin).get(url).status_code == 404


def _admin_change(client, period, **weights):
    data = {
        "code": period.code,
        "name": period.name,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "rubric": period.rubric_id,
        "weight_self": "0.1",
        "weight_peer": "0.3",
        "weight_masses": "0.2",
        "weight_org": "0.4",
        "publicity_days": period.publicity_days,
        **weights,
    }
    return client.post(reverse("admin:assessment_period_change", args=[period.pk]), data)


def test_the_django_admin_keeps_the_periods_rules(client_for, org, period):
    client = client_for(org.admin)
    closed(period)
    rate(period, org.member, RaterGroup.ORG, 90)
    result_services.results_compute(actor=org.admin, period_id=period.pk)
    # Weights adding up to 1.4 are refused there as in the app's form.
    response = _admin_change(client, period, weight_org="0.8")
    assert response.status_code == 200 and "1.4" in response.content.decode()
    period.refresh_from_db()
    assert period.weight_org == Decimal("0.4")
    # A valid change is saved, and the results say they are out of date until recomputed.
    assert _admin_change(client, period, weight_org="0.5", weight_self="0").status_code == 302
    period.refresh_from_db()
    assert period.results_out_of_date
    page = client.get(reverse("assessment:result_member", args=[period.code, org.member.pk]))
    assert 'data-testid="results-out-of-date"' in page.content.decode()
    result_services.results_compute(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    assert not period.results_out_of_date
    # A published period is read-only in the admin, for the superuser too.
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)
    assert _admin_change(client, period, weight_org="0.8").status_code == 403
    period.refresh_from_db()
    assert period.weight_org == Decimal("0.5")
