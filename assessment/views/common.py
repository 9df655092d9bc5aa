"""The query string of the assessment's list pages, for the links that add their own
filters (the filters themselves are read by GET forms: forms/cards.py, forms/results.py)."""

from __future__ import annotations

from django.http import HttpRequest


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string without its page number (and the named filters), for the
    links that add their own."""
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()
