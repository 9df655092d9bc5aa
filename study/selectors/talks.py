"""Reads for the talk list: what each talk follows up (the flag and total of an
assessment, told by the app that owns them) and the next open talk to record."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import Signal

from members.models import User

from ..models import Talk
from .reports import talk_list_for_user, talks_for_company

# Asked with sender=Talk, talks= (a list of talks); each receiver answers
# {talk pk: {"flag": key, "flag_label": text, "total": Decimal}} for the talks it knows
# (the assessment app: talks that follow up a published result). Study cannot import
# the apps that open talks about their own records, so they tell it.
talk_outcomes = Signal()


def talk_outcomes_for(talks: list[Talk]) -> dict[int, dict]:
    outcomes: dict[int, dict] = {}
    if talks:
        for _receiver, answer in talk_outcomes.send(sender=Talk, talks=talks):
            outcomes.update(answer or {})
    return outcomes


def talk_list_filtered(*, user: User, status: str, for_company: bool):
    """The talk list as the page shows it: in scope, of one status, in its order."""
    talks = talk_list_for_user(user=user)
    if status in Talk.Status.values:
        talks = talks.filter(status=status)
    if for_company:
        talks = talks_for_company(talks)
    if status == Talk.Status.OPEN:
        return talks.order_by(F("due_on").asc(nulls_last=True), "pk")
    return talks.order_by("-pk")


def talk_next_open(*, user: User, after: Talk, for_company: bool, recordable) -> Talk | None:
    """The open talk that follows ``after`` in the open list, among those ``recordable``
    (a function of a talk) says the user may record; None at the end of the list."""
    talks = list(talk_list_filtered(user=user, status=Talk.Status.OPEN, for_company=for_company))
    # ``after`` was just recorded and has left the open list: its place is found by the
    # list's order, (due date, id), with a talk without due date after every dated one.
    key = (after.due_on is None, after.due_on, after.pk)
    ordered = sorted(talks, key=lambda t: (t.due_on is None, t.due_on or after.due_on, t.pk))
    for talk in ordered:
        if talk.pk != after.pk and (talk.due_on is None, talk.due_on or after.due_on, talk.pk) > key:
            if recordable(talk):
                return talk
    return None
