from .partydays import PartyDay, PartyDayContribution, PartyDayLog, PartyDayParticipant, PartyDayPhoto
from .suggestions import Suggestion, SuggestionEntry

__all__ = [
    "PartyDay",
    "PartyDayContribution",
    "PartyDayLog",
    "PartyDayParticipant",
    "PartyDayPhoto",
    "Suggestion",
    "SuggestionEntry",
]
