from .area_averages import AreaAverage
from .objections import Objection
from .rating import (
    ANONYMOUS_GROUPS,
    MAX_PUBLICITY_DAYS,
    AnonymityAwareHistory,
    MassesBallot,
    Period,
    PeriodKey,
    RaterGroup,
    Rating,
    RatingChannel,
    Result,
    Rubric,
    RubricArea,
    RubricItem,
)

__all__ = [
    "ANONYMOUS_GROUPS",
    "AreaAverage",
    "Objection",
    "AnonymityAwareHistory",
    "MAX_PUBLICITY_DAYS",
    "MassesBallot",
    "Period",
    "PeriodKey",
    "RaterGroup",
    "Rating",
    "RatingChannel",
    "Result",
    "Rubric",
    "RubricArea",
    "RubricItem",
]

from .cards import (
    CARD_TEMPLATES,
    GOAL_CARD,
    PLEDGE,
    Card,
    CardItem,
    CardKind,
    CardLog,
    CardTemplate,
    Checkpoint,
    CheckResult,
    SectionSpec,
    SelfCheck,
    SelfCheckEntry,
)

__all__ += [
    "CARD_TEMPLATES",
    "GOAL_CARD",
    "PLEDGE",
    "Card",
    "CardItem",
    "CardKind",
    "CardLog",
    "CardTemplate",
    "CheckResult",
    "Checkpoint",
    "SectionSpec",
    "SelfCheck",
    "SelfCheckEntry",
]
