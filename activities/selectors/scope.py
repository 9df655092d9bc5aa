"""How the activities' lists find a member by the text typed in their search box. (Which
records a user may see is the scope rule, members.selectors.records_in_scope.)"""

from __future__ import annotations

from django.db.models import Q


def member_text_q(text: str, *, prefix: str = "member__") -> Q:
    """An employee number, or part of a name."""
    text = text.strip()
    return Q(**{f"{prefix}employee_no__iexact": text}) | Q(**{f"{prefix}name__contains": text})
