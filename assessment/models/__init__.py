from .rating import (
    ANONYMOUS_GROUPS,
    MassesBallot,
    Period,
    RaterGroup,
    Rating,
    Result,
    Rubric,
    RubricArea,
    RubricItem,
)

__all__ = [
    "ANONYMOUS_GROUPS",
    "MassesBallot",
    "Period",
    "RaterGroup",
    "Rating",
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
