"""object_url builds the same URL as reverse(), for each kind of route it is used with."""

import pytest
from django.urls import reverse

from partybuild.lib.urls import object_url


@pytest.mark.parametrize("name", ["study:report_detail", "members:detail", "assessment:card_detail"])
@pytest.mark.parametrize("pk", [0, 1, 42, 2**62])
def test_the_same_url_as_reverse(name, pk):
    assert object_url(name, pk) == reverse(name, args=[pk])


@pytest.mark.parametrize("pk", [None, "1", 1.0, True, -1])
def test_anything_but_an_id_is_refused(pk):
    with pytest.raises(ValueError):
        object_url("study:report_detail", pk)


def test_a_route_without_a_single_id_is_refused():
    with pytest.raises(ValueError):
        object_url("reminders:list", 1)
