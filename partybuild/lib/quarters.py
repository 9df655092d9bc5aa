"""Calendar quarters, coded like ``2026Q4``."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

_CODE = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, code: str) -> Quarter:
        """``2026Q4`` → Quarter(2026, 4); ValueError with a readable message otherwise."""
        match = _CODE.match((code or "").strip().upper())
        if not match:
            raise ValueError(_("“%(code)s” is not a quarter; write it like 2026Q4.") % {"code": code})
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_query(cls, value: str | None) -> Quarter:
        """The quarter a page's query names (``?quarter=2026Q4``); this quarter where it
        names none or something that is not a quarter."""
        try:
            return cls.parse(value or "")
        except ValueError:
            return cls.current()

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(timezone.localdate())

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes in the project's time zone."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.next().first_day, datetime.time.min, tzinfo=tz)
        return start, end

    def label(self) -> str:
        return _("%(year)d, quarter %(number)d") % {"year": self.year, "number": self.number}

    def __str__(self) -> str:
        return self.code


def quarter_label(code: object) -> str:
    """A quarter's code as people say it (``2026Q4`` → 2026年第4季度); anything that is
    not a quarter's code (a year, a blank) comes back as it is."""
    text = "" if code is None else str(code)
    try:
        return Quarter.parse(text).label()
    except ValueError:
        return text


def quarter_or_404(code: str) -> Quarter:
    """The quarter a URL names; 404 where it is not one."""
    try:
        return Quarter.parse(code)
    except ValueError:
        raise Http404 from None


def recent_quarters(count: int = 8, *, until: Quarter | None = None) -> list[Quarter]:
    """The last ``count`` quarters, newest first."""
    quarter = until or Quarter.current()
    result = []
    for _i in range(count):
        result.append(quarter)
        quarter = quarter.previous()
    return result
