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
