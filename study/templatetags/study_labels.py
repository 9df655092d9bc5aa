"""How the study pages name a report's state on the review board ("Not started" included):
views and selectors pass the state's key, this filter gives the label the page prints."""

from __future__ import annotations

from django import template

from ..selectors import reports as report_selectors

register = template.Library()


@register.filter
def report_state_label(state: str) -> str:
    return report_selectors.STATE_LABELS.get(state, "")
