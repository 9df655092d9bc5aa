from .partydays import PartyDay, PartyDayContribution, PartyDayLog, PartyDayParticipant, PartyDayPhoto
from .posts import PioneerPost, Recognition
from .suggestions import Suggestion, SuggestionEntry
from .warmth import ContactPoint, HelpRecord, ResponsibilityArea

__all__ = [
    "ContactPoint",
    "HelpRecord",
    "PartyDay",
    "PartyDayContribution",
    "PartyDayLog",
    "PartyDayParticipant",
    "PartyDayPhoto",
    "PioneerPost",
    "Recognition",
    "ResponsibilityArea",
    "Suggestion",
    "SuggestionEntry",
]
