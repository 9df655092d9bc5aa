"""How the assessment's list pages read their filters from the query string: a value that
is not one the page offers counts as no filter (never a server error)."""

from __future__ import annotations

from collections.abc import Container

from django.http import HttpRequest


def int_param(request: HttpRequest, name: str) -> int | None:
    """A whole-number filter (a branch, a group, a year); nonsense and 0 are no filter."""
    try:
        return int(request.GET.get(name) or 0) or None
    except ValueError:
        return None


def choice_param(request: HttpRequest, name: str, allowed: Container[str]) -> str | None:
    """A filter that must be one of the offered values (a state, a flag, a checkpoint)."""
    value = request.GET.get(name) or None
    return value if value is not None and value in allowed else None


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string without its page number (and the named filters), for the
    links that add their own."""
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()
