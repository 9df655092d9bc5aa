"""How the study pages name and mark a report's state ("Not started" included): views and
selectors pass the state's key, these give the label and the badge the page prints."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from partybuild.lib.quarters import Quarter, quarter_label

from ..selectors import reports as report_selectors

register = template.Library()

# The badge of each state; any other key (not started) is the light one.
BADGES = {
    "approved": "text-bg-success",
    "returned": "text-bg-danger",
    "with_branch": "text-bg-primary",
    "with_group": "text-bg-info",
    "draft": "text-bg-secondary",
}
NO_BADGE = "text-bg-light border text-muted"


@register.filter
def report_state_label(state: str) -> str:
    return report_selectors.STATE_LABELS.get(state, "")


@register.simple_tag
def report_state_badge(state: str, label: str | None = None) -> str:
    """The state as a coloured badge; its label from the state unless given (a tag, not an
    include: the review board prints one per row)."""
    return format_html(
        '<span class="badge {}">{}</span>',
        BADGES.get(state, NO_BADGE),
        report_state_label(state) if label is None else label,
    )


@register.simple_tag
def carried_over_badge(source_quarter: str, quarter: str) -> str:
    """The mark of a rectification measure carried over into the report of ``quarter``
    from the report of ``source_quarter`` (上季度转入 when that is the quarter before)."""
    try:
        previous = Quarter.parse(quarter).previous().code
    except ValueError:
        previous = None
    if source_quarter and source_quarter != previous:
        label = _("Carried over from %(quarter)s") % {"quarter": quarter_label(source_quarter)}
    else:
        label = _("Carried over from last quarter")
    return format_html('<span class="badge text-bg-warning" data-testid="carried-over">{}</span>', label)
