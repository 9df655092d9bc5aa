"""Template filters of the activities app's forms: the template decides a field's classes."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def with_class(field: BoundField, css: str) -> str:
    """The field's widget rendered with ``css`` as its class attribute."""
    return field.as_widget(attrs={**field.field.widget.attrs, "class": css})
