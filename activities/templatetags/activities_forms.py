"""Template filters of the activities app's forms: the template decides a field's classes."""

from django import template
from django.forms import BoundField
from django.forms.boundfield import BoundWidget

register = template.Library()


@register.filter
def with_class(field: BoundField | BoundWidget, css: str) -> str:
    """The field's widget (or one radio or checkbox of it) rendered with ``css`` as its class."""
    if isinstance(field, BoundWidget):
        field.data["attrs"] = {**field.data["attrs"], "class": css}
        return field.tag()
    return field.as_widget(attrs={**field.field.widget.attrs, "class": css})
