from __future__ import annotations

from django.http import HttpRequest

from members.roles import Roles

from ..selectors import publicity as publicity_selectors
from ..selectors import ratings as selectors


def home_context(request: HttpRequest, roles: Roles) -> dict:
    """Platform 3 on the home page: what is left to rate in the open period, and for a
    member the latest results while they are in their publicity window (公示期)."""
    context: dict = {}
    if roles.is_member:
        context["publicity_period"] = publicity_selectors.publicity_period()
    period = selectors.current_period()
    if period is None:
        return context
    context["rating_period"] = period
    if roles.is_member:
        peers = selectors.task_counts(selectors.my_peer_tasks(roles=roles, period=period))
        has_self = selectors.my_self_rating(roles=roles, period=period) is not None
        context["my_rating_todo"] = (peers["total"] - peers["done"]) + (0 if has_self else 1)
        context["my_rating_total"] = peers["total"] + 1
    if roles.committee_branch_id is not None:
        context["org_rating"] = selectors.org_rating_counts(period=period, branch_id=roles.committee_branch_id)
    if roles.is_masses_rater:
        tasks = selectors.task_counts(selectors.masses_tasks(rater=roles.masses_rater, period=period))
        context["masses_rating_todo"] = tasks["total"] - tasks["done"]
    return context
