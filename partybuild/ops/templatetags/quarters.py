"""``{{ report.quarter|quarter_label }}``: a quarter's code (2026Q4) as people say it.

Every app's pages print quarters, and their rows keep the code; the filter lives with the
composition root so that any template may load it without an app reaching into another.
"""

from django import template

from partybuild.lib.quarters import quarter_label as _quarter_label

register = template.Library()


@register.filter
def quarter_label(code: object) -> str:
    return _quarter_label(code)
