"""One page of a list: every list page of every app pages the same way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None) -> Page:
    """The page named by ``?page=`` (the last one past the end, the first one for nonsense);
    ``count``, when the view has counted the rows already, spares the paginator its own COUNT."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The list's query (its filters), for the pager's links to add their page to."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
