"""How the assessment pages name their states, flags, rater groups and checkpoints.

Views and selectors pass the keys (a card state, a flag, a checkpoint); these filters
give the label a page prints, so each label has one home."""

from __future__ import annotations

import functools

import segno
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Checkpoint, RaterGroup, Result
from ..selectors import cards as card_selectors

register = template.Library()


@register.filter
def card_state_label(state: str) -> str:
    """A card's state on the board, "Not started" included."""
    return card_selectors.STATE_LABELS.get(state, "")


@register.filter
def check_filter_label(key: str) -> str:
    """A self-check state the board filters by."""
    return card_selectors.CHECK_FILTERS.get(key, "")


@register.filter
def checkpoint_label(checkpoint: str) -> str:
    return Checkpoint(checkpoint).label if checkpoint in Checkpoint.values else ""


@functools.cache
def _flag_label(flag: str | None, language: str) -> str:
    return str(Result.Flag(flag).label) if flag in Result.Flag.values else _("Not rated")


@register.filter
def flag_label(flag: str | None) -> str:
    """A result's flag, or "Not rated" for a member without one: looked up once per
    language (a flag board prints hundreds)."""
    return _flag_label(flag, get_language())


@register.filter
def rater_group_label(group: str) -> str:
    return RaterGroup(group).label if group in RaterGroup.values else ""


@register.simple_tag
def qr_svg(url: str) -> str:
    """The link as a QR code, inline (the printed ballot slips)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2))  # noqa: S308 - segno's own SVG


@register.simple_tag(takes_context=True)
def absolute_uri(context, path: str) -> str:
    """The path as a full link on this site (what a printed slip or its QR code carries)."""
    return context["request"].build_absolute_uri(path)


@register.filter
def wall_size(tiles: int | None) -> str:
    """Tile size on the wall screen: as large as still lets a branch of that size fit one screen."""
    for limit, size in ((12, "l"), (32, "m"), (60, "s")):
        if (tiles or 0) <= limit:
            return size
    return "xs"


@register.simple_tag
def flag_tiles(tiles) -> str:
    """A flag board's tiles (assessment.views.results._board_sections): one tile each, its
    colour, icon and label chosen by the flag, every value escaped. A board has hundreds of
    tiles; written here they cost a third of the same markup as template tags per tile."""
    html = []
    for tile in tiles:
        flag = escape(tile["flag"])
        me = " pb-tile-me" if tile["me"] else ""
        icon = "bi-flag-fill" if tile["rated"] else "bi-flag"
        html.append(
            f'<div class="pb-tile pb-tile-{flag}{me}" data-testid="board-tile" data-member="{escape(tile["pk"])}" '
            f'data-flag="{flag}"><i class="bi {icon} pb-flag pb-flag-{flag}" aria-hidden="true"></i>'
            f'<div class="pb-tile-name">{escape(tile["name"])}</div>'
            f'<div class="pb-tile-flag">{escape(flag_label(tile["flag"]))}</div></div>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
