"""One page of a list: every list page of every app pages the same way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from partybuild.lib.bulk_sql import estimated_rows

PAGE_SIZE = 25


def _whole_table(object_list) -> bool:
    """Whether the queryset is every row of its table, once each: no filter, grouping,
    join condition, annotation, DISTINCT, combination or slice (its COUNT is the table's)."""
    if not isinstance(object_list, QuerySet):
        return False
    query = object_list.query
    return not (
        query.where
        or query.group_by is not None
        or query.annotations
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.extra
        or query.extra_tables
    )


class EstimatedCountPaginator(Paginator):
    """Django's paginator, but a whole table of at least ``exact_below`` rows is not counted:
    PostgreSQL's estimate of its size is its count (``count_is_estimate``: the page shows it
    as about N). A COUNT(*) of a million rows reads them all, on every request, to print a
    figure nobody reads to the last digit; any filter, a smaller table or another database
    get the exact count. The page numbers follow the estimate, and each page holds its full
    ``per_page`` rows whatever the estimate says: a page past the real last one is empty,
    never an error, and rows past the estimate's last page are found by a filter, a search
    or the other sort order, as anyone looks for one row in a million."""

    exact_below = 100_000

    @cached_property
    def count_is_estimate(self) -> bool:
        return self._estimate is not None

    @cached_property
    def _estimate(self) -> int | None:
        if not _whole_table(self.object_list):
            return None
        estimate = estimated_rows(self.object_list.model, using=self.object_list.db)
        return estimate if estimate is not None and estimate >= self.exact_below else None

    @cached_property
    def count(self) -> int:
        return self._estimate if self._estimate is not None else super().count

    def page(self, number) -> Page:
        if not self.count_is_estimate:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None) -> Page:
    """The page named by ``?page=`` (the last one past the end, the first one for nonsense);
    ``count``, when the view has counted the rows already, spares the paginator its own COUNT
    (a whole large table is estimated, not counted: EstimatedCountPaginator)."""
    paginator = EstimatedCountPaginator(queryset, per_page)
    if count is not None:
        paginator.count, paginator.count_is_estimate = count, False
    return paginator.get_page(request.GET.get("page"))


class UncountedPaginator(Paginator):
    """The paginator of a list too long to count on every request: its count is the rows up
    to the end of the page, and one more where a next page exists (``uncounted``: the pager
    offers the next and previous pages, no last page and no total)."""

    uncounted = True


# Past this a page number is nonsense: no list is that long, and its OFFSET would overflow.
_LAST_PAGE_NUMBER = 10**9


def paginate_without_total(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page named by ``?page=`` (the first one for nonsense or past the end) of a list
    not counted: one row past the page is read to know whether there is a next one. For a
    list of a million rows that no filter narrows, whose COUNT would read them all on every
    request to print a figure."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    if not 1 <= number <= _LAST_PAGE_NUMBER:
        number = 1
    while True:
        bottom = (number - 1) * per_page
        rows = list(queryset[bottom : bottom + per_page + 1])
        if rows or number == 1:
            break
        number = 1
    paginator = UncountedPaginator(rows, per_page)
    paginator.count = bottom + len(rows)
    return Page(rows[:per_page], number, paginator)


def query_without_page(request: HttpRequest) -> str:
    """The list's query (its filters), for the pager's links to add their page to."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
