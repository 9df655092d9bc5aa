from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest

from members.models import Member
from members.roles import Roles

from ..models import RaterGroup, Rating
from ..selectors import ratings as selectors


def home_context(request: HttpRequest, roles: Roles) -> dict:
    """Platform 3 on the home page: what is left to rate in the open period."""
    period = selectors.current_period()
    if period is None:
        return {}
    context: dict = {"rating_period": period}
    if roles.is_member:
        peers = selectors.my_peer_tasks(roles=roles, period=period).aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(rated=True))
        )
        has_self = selectors.my_self_rating(roles=roles, period=period) is not None
        context["my_rating_todo"] = (peers["total"] - peers["done"]) + (0 if has_self else 1)
        context["my_rating_total"] = peers["total"] + 1
    if roles.committee_branch_id is not None:
        rated = Rating.objects.filter(period=period, rater_group=RaterGroup.ORG, ratee=OuterRef("pk"))
        context["org_rating"] = Member.objects.filter(branch_id=roles.committee_branch_id, is_active=True).aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(Exists(rated)))
        )
    if roles.is_masses_rater:
        tasks = selectors.masses_tasks(rater=roles.masses_rater, period=period).aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(rated=True))
        )
        context["masses_rating_todo"] = tasks["total"] - tasks["done"]
    return context
