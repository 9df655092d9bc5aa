"""``{% route "name" %}``: ``{% url "name" %}`` for a route without arguments, reversed
once per process (partybuild.lib.urls.route_url) — for the links of the layout."""

from django import template

from partybuild.lib.urls import route_url

register = template.Library()


@register.simple_tag
def route(name: str) -> str:
    return route_url(name)
