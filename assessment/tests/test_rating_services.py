from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import MassesBallot, Period, RaterGroup, Rating
from assessment.services import AssessmentError
from assessment.services import ratings as services
from assessment.tests.factories import PeriodFactory, full_scores
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


def test_member_rates_themself(org, period):
    rating = services.rating_save(
        actor=org.member.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="self",
        scores=full_scores(period),
    )
    assert rating.total == Decimal("100.0") and rating.ratee == org.member and rating.rater_key is None


def test_member_rates_a_groupmate_as_a_peer(org, period):
    rating = services.rating_save(
        actor=org.member.user,
        period_id=period.pk,
        ratee_id=org.groupmate.pk,
        rater_group="peer",
        scores=full_scores(period, Decimal("0.8")),
    )
    assert rating.rater_group == "peer"


@pytest.mark.parametrize("target, group", [("member_a2", "peer"), ("member_b", "peer"), ("groupmate", "self")])
def test_member_cannot_rate_outside_their_peers(org, period, target, group):
    with pytest.raises(AssessmentError):
        services.rating_save(
            actor=org.member.user,
            period_id=period.pk,
            ratee_id=getattr(org, target).pk,
            rater_group=group,
            scores=full_scores(period),
        )


def test_groupless_members_of_a_branch_without_groups_rate_each_other(org, period):
    a = MemberFactory(branch=org.branch_b, group=None)
    b = MemberFactory(branch=org.branch_b, group=None)
    services.rating_save(
        actor=a.user, period_id=period.pk, ratee_id=b.pk, rater_group="peer", scores=full_scores(period)
    )
    with pytest.raises(AssessmentError):  # member_b is in a group
        services.rating_save(
            actor=a.user, period_id=period.pk, ratee_id=org.member_b.pk, rater_group="peer", scores=full_scores(period)
        )


def test_committee_gives_the_organisation_rating_for_their_branch_only(org, period):
    services.rating_save(
        actor=org.committee.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="org",
        scores=full_scores(period),
    )
    # A second committee member's save replaces the one combined rating.
    services.rating_save(
        actor=org.secretary.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="org",
        scores=full_scores(period, Decimal("0.5")),
    )
    assert Rating.objects.filter(rater_group="org", ratee=org.member).count() == 1
    with pytest.raises(AssessmentError):
        services.rating_save(
            actor=org.other_secretary.user,
            period_id=period.pk,
            ratee_id=org.member.pk,
            rater_group="org",
            scores=full_scores(period),
        )


def test_masses_rater_with_a_login_rates_linked_members_only(org, period):
    services.rating_save(
        actor=org.masses.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="masses",
        scores=full_scores(period),
    )
    with pytest.raises(AssessmentError):
        services.rating_save(
            actor=org.masses.user,
            period_id=period.pk,
            ratee_id=org.groupmate.pk,
            rater_group="masses",
            scores=full_scores(period),
        )


def test_every_bad_score_is_named_and_nothing_is_saved(org, period):
    scores = full_scores(period)
    scores.update({"A1": "5.5", "A2": "-1", "A3": "2.3", "B1": "", "B2": "abc", "Z9": "1"})
    with pytest.raises(ValidationError) as exc:
        services.rating_save(
            actor=org.member.user, period_id=period.pk, ratee_id=org.member.pk, rater_group="self", scores=scores
        )
    errors = exc.value.message_dict
    assert set(errors) == {"A1", "A2", "A3", "B1", "B2", "Z9"}
    assert "A1" in errors["A1"][0] and "5" in errors["A1"][0]
    assert not Rating.objects.exists()


def test_rating_is_refused_when_the_period_is_not_open(org, period):
    period.state = Period.State.CLOSED
    period.save()
    with pytest.raises(AssessmentError):
        services.rating_save(
            actor=org.member.user,
            period_id=period.pk,
            ratee_id=org.member.pk,
            rater_group="self",
            scores=full_scores(period),
        )


def test_a_stale_rating_form_is_refused(org, period):
    first = services.rating_save(
        actor=org.member.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="self",
        scores=full_scores(period),
    )
    services.rating_save(
        actor=org.member.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group="self",
        scores=full_scores(period, Decimal("0.9")),
        version=first.version,
    )
    with pytest.raises(services.ConcurrentRatingError):
        services.rating_save(
            actor=org.member.user,
            period_id=period.pk,
            ratee_id=org.member.pk,
            rater_group="self",
            scores=full_scores(period, Decimal("0.5")),
            version=first.version,
        )


# --- one-time links ---------------------------------------------------------------


def test_secretary_issues_a_link_and_the_masses_rater_rates_once(org, period):
    org.masses.ratees.add(org.groupmate)
    ballot = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    services.rating_save_by_ballot(token=ballot.token, ratee_id=org.member.pk, scores=full_scores(period))
    with pytest.raises(AssessmentError):
        services.rating_save_by_ballot(token=ballot.token, ratee_id=org.member.pk, scores=full_scores(period))
    with pytest.raises(AssessmentError):
        services.rating_save_by_ballot(token=ballot.token, ratee_id=org.member_a2.pk, scores=full_scores(period))
    ballot.refresh_from_db()
    assert not ballot.used
    services.rating_save_by_ballot(token=ballot.token, ratee_id=org.groupmate.pk, scores=full_scores(period))
    ballot.refresh_from_db()
    assert ballot.used
    rating = Rating.objects.get(ratee=org.member, rater_group=RaterGroup.MASSES)
    assert rating.entered_by is None and rating.source == Rating.Source.LINK


def test_link_dies_when_the_period_closes(org, period):
    ballot = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    period.state = Period.State.CLOSED
    period.save()
    with pytest.raises(AssessmentError):
        services.rating_save_by_ballot(token=ballot.token, ratee_id=org.member.pk, scores=full_scores(period))


def test_reissued_link_replaces_the_old_one(org, period):
    old = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    old_token = old.token
    new = services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk, reissue=True)
    assert new.pk == old.pk and new.token != old_token
    with pytest.raises(AssessmentError):
        services.rating_save_by_ballot(token=old_token, ratee_id=org.member.pk, scores=full_scores(period))


def test_unknown_token_is_refused(org, period):
    with pytest.raises(AssessmentError):
        services.rating_save_by_ballot(token="nope", ratee_id=org.member.pk, scores=full_scores(period))


def test_only_the_raters_branch_committee_issues_links(org, period):
    with pytest.raises(AssessmentError):
        services.ballot_issue(actor=org.other_secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    with pytest.raises(AssessmentError):
        services.ballot_issue(actor=org.member.user, period_id=period.pk, rater_id=org.masses.pk)
    assert services.ballot_issue(actor=org.admin, period_id=period.pk, rater_id=org.masses.pk).code
    assert MassesBallot.objects.count() == 1
