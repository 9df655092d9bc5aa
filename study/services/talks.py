"""Individual talks (个别谈话): open until the secretary records them.

Nobody records a talk about themselves: a talk with the branch's secretary is held by the
company administrator, and a committee member's talk by the rest of the committee.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, User
from members.roles import get_roles

from ..models import Talk
from . import StudyError


def talk_falls_to_company(talk: Talk) -> bool:
    """A talk with the secretary of the talk's branch is the company administrator's to hold
    (study.selectors.reports.talks_for_company asks the same in SQL)."""
    member = talk.member
    return member.committee_role == Member.CommitteeRole.SECRETARY and member.branch_id == talk.branch_id


def talk_can_record(*, actor: User, talk: Talk) -> bool:
    roles = get_roles(actor)
    if roles.member is not None and roles.member.pk == talk.member_id:
        return False
    if roles.is_admin:
        return True
    return roles.committee_branch_id == talk.branch_id and not talk_falls_to_company(talk)


@transaction.atomic
def talk_record(
    *,
    actor: User,
    talk_id: int,
    talked_on: datetime.date,
    talked_by: str,
    problems: str,
    response: str,
    plan: str,
) -> Talk:
    talk = Talk.objects.select_for_update(of=("self",)).select_related("member").get(pk=talk_id)
    if not talk_can_record(actor=actor, talk=talk):
        raise PermissionDenied
    if talk.status == Talk.Status.RECORDED:
        raise StudyError(_("This talk has already been recorded."))
    errors = {}
    if talked_on > timezone.localdate():
        errors["talked_on"] = _("The talk cannot be dated in the future.")
    for field, value, message in (
        ("talked_by", talked_by, _("Say who held the talk.")),
        ("problems", problems, _("Write the problems pointed out.")),
        ("plan", plan, _("Write the improvement plan.")),
    ):
        if not value.strip():
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    talk.talked_on, talk.talked_by = talked_on, talked_by.strip()
    talk.problems, talk.response, talk.plan = problems.strip(), response.strip(), plan.strip()
    talk.status = Talk.Status.RECORDED
    talk.recorded_by = actor
    talk.recorded_at = timezone.now()
    talk._history_user = actor
    talk.save()
    return talk
