"""The publicity window (公示期) as people read it: a period's history step by step (who,
when, what), and the period whose window members are told about.

The period's own steps come from its history rows (simple_history): the services write
a code into each row's change reason ("opened", "closed", "computed", "published",
"ruled", "finalized", "finalized_early"); a row without one is named from what changed.
The objections' steps come from the objections themselves (filed, upheld or rejected).
Three queries whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..models import Objection, Period

# What each step was, as the history section says it.
EVENTS = {
    "created": _("Period created"),
    "edited": _("Period edited"),
    "opened": _("Rating opened"),
    "closed": _("Rating closed"),
    "computed": _("Results computed"),
    "published": _("Results published, publicity window opened"),
    "ruled": _("Results recomputed after a ruling"),
    "finalized": _("Results finalised"),
    "finalized_early": _("Results finalised before the window ended"),
    "filed": _("Objection filed"),
    "upheld": _("Objection upheld"),
    "rejected": _("Objection rejected"),
}
# A history row written without a reason (before the services gave one) that changed the
# state: named after the state it moved to.
_BY_STATE = {
    Period.State.OPEN: "opened",
    Period.State.CLOSED: "closed",
    Period.State.PUBLISHED: "published",
    Period.State.FINAL: "finalized",
}


@dataclass(frozen=True)
class TimelineRow:
    at: datetime.datetime
    event: str  # a key of EVENTS
    actor: str  # who did it; "" when the system did (the nightly finalising)
    member: str = ""  # the objector, for an objection's steps
    ends_on: datetime.date | None = None  # the window's last day, for "published"
    days: int | None = None  # the window's working days, for "published"
    total_before: Decimal | None = None  # an upheld objection's result before and after
    total_after: Decimal | None = None

    @property
    def label(self) -> str:
        return str(EVENTS.get(self.event, self.event))

    @property
    def is_objection(self) -> bool:
        return self.event in ("filed", "upheld", "rejected")


def _name(user) -> str:
    if user is None:
        return ""
    member = getattr(user, "member", None)  # a login without a member: the administrator
    return member.name if member is not None else user.get_full_name() or user.username


def _period_rows(period: Period, limit: int | None) -> list[TimelineRow]:
    history = period.history.select_related("history_user__member").order_by("-history_date", "-history_id")
    # One row more than needed: the oldest row shown needs the one before it, to see what changed.
    rows = list(history[: limit + 2] if limit is not None else history)
    shown = rows[: limit + 1] if limit is not None and len(rows) == limit + 2 else rows
    out = []
    for i, row in enumerate(shown):
        previous = rows[i + 1] if i + 1 < len(rows) else None
        event = row.history_change_reason or ""
        if not event:
            if row.history_type == "+":
                event = "created"
            elif previous is not None and previous.state != row.state and row.state in _BY_STATE:
                event = _BY_STATE[row.state]
            else:
                event = "edited"
        published = event == "published"
        out.append(
            TimelineRow(
                at=row.history_date,
                event=event,
                actor=_name(row.history_user),
                ends_on=row.publicity_ends_on if published else None,
                days=row.publicity_days if published else None,
            )
        )
    return out


def _objection_rows(period: Period, limit: int | None) -> list[TimelineRow]:
    objections = Objection.objects.filter(period=period).select_related("member")
    filed = objections.order_by("-filed_at", "-pk")
    ruled = objections.filter(ruled_at__isnull=False).select_related("ruled_by__member").order_by("-ruled_at", "-pk")
    if limit is not None:
        filed, ruled = filed[: limit + 1], ruled[: limit + 1]
    out = [TimelineRow(at=o.filed_at, event="filed", actor=o.member.name, member=o.member.name) for o in filed]
    for o in ruled:
        upheld = o.state == Objection.State.UPHELD
        out.append(
            TimelineRow(
                at=o.ruled_at,
                event="upheld" if upheld else "rejected",
                actor=_name(o.ruled_by),
                member=o.member.name,
                total_before=o.total_before if upheld else None,
                total_after=o.total_after if upheld else None,
            )
        )
    return out


def period_timeline(period: Period, *, limit: int | None = None) -> list[TimelineRow]:
    """Every step of the period and its objections, newest first.

    With ``limit``, the newest ``limit`` steps, and one more when there are more (so the
    page can offer the whole history); without, all of them."""
    rows = _period_rows(period, limit) + _objection_rows(period, limit)
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[: limit + 1] if limit is not None else rows


def publicity_period() -> Period | None:
    """The latest published period while it is in its publicity window (members may
    object), for the home page; None when the latest is final or none is published."""
    latest = (
        Period.objects.filter(state__in=(Period.State.PUBLISHED, Period.State.FINAL))
        .order_by("-starts_on", "-code")
        .first()
    )
    return latest if latest is not None and latest.state == Period.State.PUBLISHED else None
