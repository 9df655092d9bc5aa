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


@pytest.mark.parametrize("name", ["home", "reminders:list", "logout", "password_change", "set_language"])
def test_route_url_is_reverse(name):
    from partybuild.lib.urls import route_url

    assert route_url(name) == reverse(name)


def test_route_url_refuses_a_route_that_needs_arguments():
    from django.urls import NoReverseMatch

    from partybuild.lib.urls import route_url

    with pytest.raises(NoReverseMatch):
        route_url("members:detail")


def test_the_route_tag_writes_the_url():
    from django.template import engines

    template = engines["django"].from_string("{% load routes %}<a href=\"{% route 'reminders:list' %}\">")
    assert template.render({}) == f'<a href="{reverse("reminders:list")}">'
