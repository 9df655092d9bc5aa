import datetime
from decimal import Decimal

import factory

from assessment.models import Period, RaterGroup, Rating, Rubric
from assessment.services.periods import rubric_default


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
    scores = scores_totalling(period, Decimal(total))
    return Rating.objects.create(
        period=period,
        ratee=ratee,
        rater_group=group,
        rater_member=rater_member if group in (RaterGroup.SELF, RaterGroup.PEER) else None,
        rater_masses=rater_masses if group == RaterGroup.MASSES else None,
        scores=scores,
        total=Decimal(total),
    )
