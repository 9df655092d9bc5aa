"""The years a date in the branch's records can fall in.

Every event the product records (a study session, a meeting, a Party day, a talk, a pioneer
post, an assessment period, a deadline) lies between 2000 and a few years ahead; a date
outside that is a slip of the keyboard or a tampered field, and is refused on its field
(year 1 cannot even be stored as a time: in UTC it falls before the calendar starts)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2000
YEARS_AHEAD = 5


def record_years() -> tuple[int, int]:
    """The first and last year a record's date may fall in, as of today."""
    return EARLIEST_YEAR, timezone.localdate().year + YEARS_AHEAD


def record_year_error(day: datetime.date | None) -> str | None:
    """The message for a record's date outside `record_years()`; None when it is inside (or empty)."""
    if day is None:
        return None
    first, last = record_years()
    if first <= day.year <= last:
        return None
    return _("Give a date in the years %(first)d to %(last)d.") % {"first": first, "last": last}


def validate_record_year(day: datetime.date | None) -> None:
    if error := record_year_error(day):
        raise ValidationError(error, code="year")


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day (Monday to Friday) after ``start``: a publicity window
    of 5 working days published on a Friday runs to the next Friday. Public holidays and
    the weekends worked in their place are not known here (see docs/reliability.md)."""
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
