"""三会一课 requirements: the administrator changes how often each meeting is required.

The rule's own validation (times 1–31, the choices) lives on the model's fields, so the
requirements page, the Django admin and this service refuse the same values."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from members.models import User
from members.roles import get_roles

from ..models import MeetingRule

EDITABLE_FIELDS = ("times", "every", "per_group", "may_combine", "is_active")


@transaction.atomic
def meeting_rules_update(*, actor: User, changes: dict[int, dict]) -> int:
    """Save ``changes`` ({rule id: {field: value}}) to the rules, each checked and written with
    its history row (the actor as who changed it); returns how many rules changed."""
    if not get_roles(actor).is_admin:
        raise PermissionDenied
    rules = MeetingRule.objects.select_for_update().in_bulk(list(changes))
    changed = 0
    for pk, data in changes.items():
        rule = rules.get(pk)
        if rule is None:
            continue
        fields = [f for f in EDITABLE_FIELDS if f in data and getattr(rule, f) != data[f]]
        if not fields:
            continue
        for f in fields:
            setattr(rule, f, data[f])
        rule.full_clean()
        rule._history_user = actor
        rule.save(update_fields=fields)
        changed += 1
    return changed
