"""Ratings: entered on the web form, through a masses rater's one-time link, or
imported from paper ballots. All go through the same validation."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import MassesRater, Member, User
from members.roles import get_roles

from .. import scoring
from ..anonymity import rater_keys
from ..models import ANONYMOUS_GROUPS, MassesBallot, Period, RaterGroup, Rating, RatingChannel, RubricItem
from ..selectors.eligibility import groups_actor_may_rate_as
from . import AssessmentError

SCORE_MESSAGES = {
    "missing": gettext_lazy("%(item)s: give a score."),
    "not_a_number": gettext_lazy("%(item)s: “%(value)s” is not a number."),
    "negative": gettext_lazy("%(item)s: a score cannot be below 0."),
    "above_maximum": gettext_lazy("%(item)s: the most this item allows is %(max)s."),
    "not_a_half_step": gettext_lazy("%(item)s: scores go in steps of 0.5."),
}


class ConcurrentRatingError(AssessmentError):
    def __init__(self):
        super().__init__(
            gettext_lazy(
                "This rating was changed by someone else after you opened it. Nothing was saved; "
                "reload the page to see the current scores."
            )
        )


def rubric_items(period: Period) -> list[RubricItem]:
    return list(period.rubric.items.select_related("area").order_by("position", "code"))


def clean_scores(items: list[RubricItem], raw: Mapping[str, object]) -> tuple[dict[str, str], Decimal]:
    """Validate one rating's item scores against the rubric.

    Every item needs a score (a blank is never a zero); each lies in [0, max] in
    steps of 0.5. Returns the scores as strings and their total, or raises a
    ValidationError keyed by item code with a message naming the item.
    """
    errors: dict[str, str] = {}
    scores: dict[str, str] = {}
    known = {item.code for item in items}
    for code in raw:
        if code not in known:
            errors[str(code)] = _("%(code)s is not an item of this rubric.") % {"code": code}
    for item in items:
        label = f"{item.code} {item.name}"
        value = raw.get(item.code)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[item.code] = SCORE_MESSAGES["missing"] % {"item": label}
            continue
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
            score = scoring.check_item_score(number, item.max_score)
        except (InvalidOperation, ValueError) as exc:
            reason = exc.reason if isinstance(exc, scoring.ScoreError) else "not_a_number"
            errors[item.code] = SCORE_MESSAGES[reason] % {"item": label, "value": value, "max": item.max_score}
            continue
        scores[item.code] = str(score)
    if errors:
        raise ValidationError(errors)
    return scores, sum((Decimal(s) for s in scores.values()), Decimal("0.0"))


def _open_period(period_id: int) -> Period:
    period = Period.objects.select_related("rubric").get(pk=period_id)
    if period.state != Period.State.OPEN:
        raise AssessmentError(_("Rating is not open for %(period)s.") % {"period": period.name})
    return period


def _existing(period: Period, ratee_id: int, group: str, keys: list[str]) -> Rating | None:
    qs = Rating.objects.select_for_update().filter(period=period, ratee_id=ratee_id, rater_group=group)
    if group in ANONYMOUS_GROUPS:
        qs = qs.filter(rater_key__in=keys)
    return qs.first()


def check_channel(*, period: Period, branch_id: int, group: str, channel: str) -> None:
    """Refuse a rating that comes in by the other channel than the branch chose for the
    group (online by default), so that nobody rates twice, once on paper and once online."""
    if group not in ANONYMOUS_GROUPS:
        return
    chosen = (
        RatingChannel.objects.filter(period=period, branch_id=branch_id, rater_group=group)
        .values_list("channel", flat=True)
        .first()
    ) or RatingChannel.Channel.ONLINE
    if chosen != channel:
        if chosen == RatingChannel.Channel.PAPER:
            raise AssessmentError(
                _("In this branch the %(group)s rate on paper in this period.") % {"group": RaterGroup(group).label}
            )
        raise AssessmentError(
            _("In this branch the %(group)s rate online in this period.") % {"group": RaterGroup(group).label}
        )


def _store(
    *,
    period: Period,
    ratee_id: int,
    group: str,
    scores: dict[str, str],
    total: Decimal,
    rater_id: int | None,
    version: int | None,
    actor: User | None,
    source: str,
    replace_only_once: bool = False,
) -> Rating:
    anonymous = group in ANONYMOUS_GROUPS
    keys = rater_keys(period=period, group=group, rater_id=rater_id) if anonymous else []
    rating = _existing(period, ratee_id, group, keys)
    if rating is None:
        rating = Rating(period=period, ratee_id=ratee_id, rater_group=group)
    else:
        if replace_only_once:
            raise AssessmentError(_("You have already rated this member."))
        if version is not None and rating.version != version:
            raise ConcurrentRatingError
        rating.version += 1
    rating.scores, rating.total, rating.source = scores, total, source
    if anonymous:
        # Written under the current key (a rating found under a fallback key moves to it),
        # and with nobody as its author: the author of an anonymous rating is its rater.
        rating.rater_key, rating.entered_by = keys[0], None
    else:
        rating.entered_by = actor
        rating._history_user = actor
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        # Another request created the same rating a moment ago.
        raise ConcurrentRatingError from None
    return rating


@transaction.atomic
def rating_save(
    *,
    actor: User,
    period_id: int,
    ratee_id: int,
    rater_group: str,
    scores: Mapping[str, object],
    version: int | None = None,
) -> Rating:
    """A member, committee member or masses rater (with a login) rates one member."""
    period = _open_period(period_id)
    ratee = Member.objects.get(pk=ratee_id)
    roles = get_roles(actor)
    if rater_group not in groups_actor_may_rate_as(roles=roles, ratee=ratee):
        raise AssessmentError(_("You cannot rate this member in that capacity."))
    check_channel(period=period, branch_id=ratee.branch_id, group=rater_group, channel=RatingChannel.Channel.ONLINE)
    clean, total = clean_scores(rubric_items(period), scores)
    rater = {RaterGroup.PEER: roles.member, RaterGroup.MASSES: roles.masses_rater}.get(rater_group)
    return _store(
        period=period,
        ratee_id=ratee.pk,
        group=rater_group,
        scores=clean,
        total=total,
        rater_id=rater.pk if rater is not None else None,
        version=version,
        actor=actor,
        source=Rating.Source.WEB,
    )


# ---------------------------------------------------------------------------
# One-time links for masses raters


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(2))


@transaction.atomic
def ballot_issue(*, actor: User, period_id: int, rater_id: int, reissue: bool = False) -> MassesBallot:
    """Give a masses rater their personal link for the period (the branch committee or an
    administrator). Reissuing replaces the token, so an old printed link stops working; a
    link used up is replaced only while its rater has members left to rate (linked to them
    since), and the new one is good for those."""
    period = _open_period(period_id)
    rater = MassesRater.objects.select_related("branch").get(pk=rater_id)
    roles = get_roles(actor)
    if not (roles.is_admin or roles.committee_branch_id == rater.branch_id):
        raise AssessmentError(_("Only the committee of the rater's branch can issue this link."))
    ballot = MassesBallot.objects.select_for_update().filter(period=period, rater=rater).first()
    if ballot is not None and not reissue:
        return ballot
    if ballot is None:
        ballot = MassesBallot(period=period, rater=rater)
    elif ballot.used:
        if not _has_members_left(period, rater):
            raise AssessmentError(
                _("%(name)s has rated every member linked to them: a new link would have nothing to rate.")
                % {"name": rater.name}
            )
        ballot.used = False
    ballot.token = secrets.token_urlsafe(32)
    while True:
        code = _new_code()
        if not MassesBallot.objects.filter(code=code).exists():
            break
    ballot.code = code
    ballot.issued_by = actor
    ballot.revoked_at = None
    ballot.save()
    return ballot


def _has_members_left(period: Period, rater: MassesRater) -> bool:
    """Whether an active member linked to the rater has no rating of theirs yet."""
    keys = rater_keys(period=period, group=RaterGroup.MASSES, rater_id=rater.pk)
    rated = Rating.objects.filter(period=period, rater_group=RaterGroup.MASSES, rater_key__in=keys)
    return rater.ratees.filter(is_active=True).exclude(pk__in=rated.values("ratee_id")).exists()


@dataclass(frozen=True)
class BallotState:
    ballot: MassesBallot
    period: Period
    usable: bool
    reason: str


def ballot_state(ballot: MassesBallot) -> BallotState:
    period = ballot.period
    if ballot.revoked_at is not None:
        return BallotState(ballot, period, False, _("This link has been replaced by a new one."))
    if ballot.used:
        return BallotState(ballot, period, False, _("This link has been used; thank you for rating."))
    if period.state != Period.State.OPEN:
        return BallotState(ballot, period, False, _("Rating for %(period)s has closed.") % {"period": period.name})
    if not ballot.rater.is_active:
        return BallotState(ballot, period, False, _("This link is no longer valid."))
    return BallotState(ballot, period, True, "")


@transaction.atomic
def rating_save_by_ballot(*, token: str, ratee_id: int, scores: Mapping[str, object]) -> Rating:
    """A masses rater rates one of their linked members through the link, once each.

    When the last linked member is rated, the link is used up.
    """
    ballot = (
        MassesBallot.objects.select_for_update().select_related("period__rubric", "rater").filter(token=token).first()
    )
    if ballot is None:
        raise AssessmentError(_("This link is not valid."))
    state = ballot_state(ballot)
    if not state.usable:
        raise AssessmentError(state.reason)
    ratees = dict(ballot.rater.ratees.filter(is_active=True).values_list("pk", "branch_id"))
    if ratee_id not in ratees:
        raise AssessmentError(_("This link does not let you rate that member."))
    check_channel(
        period=ballot.period, branch_id=ratees[ratee_id], group=RaterGroup.MASSES, channel=RatingChannel.Channel.ONLINE
    )
    clean, total = clean_scores(rubric_items(ballot.period), scores)
    rating = _store(
        period=ballot.period,
        ratee_id=ratee_id,
        group=RaterGroup.MASSES,
        scores=clean,
        total=total,
        rater_id=ballot.rater_id,
        version=None,
        actor=None,
        source=Rating.Source.LINK,
        replace_only_once=True,
    )
    keys = rater_keys(period=ballot.period, group=RaterGroup.MASSES, rater_id=ballot.rater_id)
    rated = set(
        Rating.objects.filter(
            period=ballot.period, rater_group=RaterGroup.MASSES, rater_key__in=keys, ratee_id__in=list(ratees)
        ).values_list("ratee_id", flat=True)
    )
    if rated >= set(ratees):
        ballot.used = True
        ballot.save(update_fields=["used"])
    return rating


@transaction.atomic
def channel_set(*, actor: User, period_id: int, branch_id: int, rater_group: str, channel: str) -> RatingChannel:
    """The branch committee (or an administrator) decides whether the branch's peers or
    masses rate online or on paper in the period. Fixed once any of them has rated, so
    that nobody rates by both channels."""
    roles = get_roles(actor)
    if not (roles.is_admin or roles.committee_branch_id == branch_id):
        raise AssessmentError(_("Only the branch committee or an administrator can choose this."))
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.state not in (Period.State.DRAFT, Period.State.OPEN):
        raise AssessmentError(_("Rating has closed for %(period)s.") % {"period": period.name})
    if rater_group not in ANONYMOUS_GROUPS or channel not in RatingChannel.Channel.values:
        raise AssessmentError(_("Choose online or on paper for the peers or the masses."))
    current = RatingChannel.objects.filter(period=period, branch_id=branch_id, rater_group=rater_group).first()
    if (current.channel if current else RatingChannel.Channel.ONLINE) == channel:
        return current or RatingChannel(period=period, branch_id=branch_id, rater_group=rater_group, channel=channel)
    if Rating.objects.filter(period=period, rater_group=rater_group, ratee__branch_id=branch_id).exists():
        raise AssessmentError(
            _("Some %(group)s of this branch have rated already: the channel can no longer change in this period.")
            % {"group": RaterGroup(rater_group).label}
        )
    if current is None:
        current = RatingChannel(period=period, branch_id=branch_id, rater_group=rater_group)
    current.channel, current.set_by = channel, actor
    current._history_user = actor
    current.save()
    return current
