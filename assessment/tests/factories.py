import datetime
from decimal import Decimal

import factory
from django.db.models import QuerySet

from assessment.anonymity import rater_key, rater_keys
from assessment.models import Period, RaterGroup, Rating, Rubric
from assessment.services.periods import period_close, rubric_default


def default_rubric() -> Rubric:
    return rubric_default()


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("code",)

    code = "2026"
    name = "2026年度党员量化考核"
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)
    state = Period.State.OPEN
    rubric = factory.LazyFunction(default_rubric)


def full_scores(period: Period, fraction: Decimal = Decimal("1")) -> dict[str, str]:
    """Every item at ``fraction`` of its maximum, rounded down to a half step."""
    scores = {}
    for item in period.rubric.items.all():
        value = (item.max_score * fraction * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
        scores[item.code] = str(value)
    return scores


def scores_totalling(period: Period, total: Decimal) -> dict[str, str]:
    """Item scores (half steps, within maxima) that add up to ``total``."""
    remaining = Decimal(total)
    scores = {}
    for item in period.rubric.items.order_by("position"):
        give = min(item.max_score, remaining)
        scores[item.code] = str(give)
        remaining -= give
    assert remaining == 0
    return scores


def rate(period, ratee, group, total, *, rater_member=None, rater_masses=None) -> Rating:
    """A rating as the services store it: a peer or masses rating in an open period under
    its rater's key (assessment/anonymity.py), in a closed one sealed (no key)."""
    scores = scores_totalling(period, Decimal(total))
    rater = {RaterGroup.PEER: rater_member, RaterGroup.MASSES: rater_masses}.get(group)
    key = None
    if rater is not None and period.state == Period.State.OPEN:
        key = rater_key(period=period, group=group, rater_id=rater.pk)
    return Rating.objects.create(
        period=period, ratee=ratee, rater_group=group, rater_key=key, scores=scores, total=Decimal(total)
    )


def given_by(period, group, rater) -> QuerySet[Rating]:
    """The ratings a peer or masses rater gave in an open period (as the services find them)."""
    return Rating.objects.filter(
        period=period, rater_group=group, rater_key__in=rater_keys(period=period, group=group, rater_id=rater.pk)
    )


def closed(period) -> Period:
    """The period with rating closed as the service closes it (sealing the anonymous
    ratings); results are computed only then."""
    if period.state == Period.State.OPEN:
        period_close(actor=None, period_id=period.pk)
        period.refresh_from_db()
    return period
