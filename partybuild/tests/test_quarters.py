"""A quarter read from a page's query or URL."""

import pytest
from django.http import Http404

from partybuild.lib.quarters import Quarter, quarter_or_404


def test_a_query_names_a_quarter_or_means_this_one():
    assert Quarter.from_query("2025q3") == Quarter(2025, 3)
    assert Quarter.from_query("") == Quarter.current()
    assert Quarter.from_query(None) == Quarter.current()
    assert Quarter.from_query("2025Q5") == Quarter.current()


def test_a_url_names_a_quarter_or_is_not_found():
    assert quarter_or_404("2026Q1") == Quarter(2026, 1)
    with pytest.raises(Http404):
        quarter_or_404("soon")
