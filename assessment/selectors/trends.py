"""Reads for the trends pages: flags and area averages per branch across published periods.

Only periods whose results members see (published or final) are read, the last
``TREND_PERIODS`` of them. The flags come from one GROUP BY over the results; the area
averages from the rows stored when the results were published (services/area_averages.py).
Who may open which page is decided by selectors/results (administrators: the company;
the branch committee and administrators: a branch).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum

from .. import scoring
from ..models import AreaAverage, Period, Result
from .results import ANONYMITY_MIN, FLAGS

TREND_PERIODS = 5

# The rule of selectors/results.breakdown_withheld, as a filter: an anonymous group with
# ratings, but fewer than the threshold. Such members are not in the area averages.
WITHHELD = Q(count_peer__gt=0, count_peer__lt=ANONYMITY_MIN) | Q(count_masses__gt=0, count_masses__lt=ANONYMITY_MIN)


def trend_periods() -> list[Period]:
    """The last published or final periods, oldest first."""
    newest = Period.objects.filter(state__in=[Period.State.PUBLISHED, Period.State.FINAL]).order_by(
        "-starts_on", "-code"
    )[:TREND_PERIODS]
    return list(newest)[::-1]


@dataclass
class FlagYear:
    """One branch's (or the company's) flags in one period."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FLAGS, 0))
    withheld: int = 0  # members left out of the area averages

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def red_percent(self) -> int:
        return round(100 * self.counts[FLAGS[0]] / self.total) if self.total else 0

    def add(self, other: FlagYear) -> None:
        for flag, n in other.counts.items():
            self.counts[flag] += n
        self.withheld += other.withheld


@dataclass
class BranchFlags:
    branch_id: int
    name: str
    sort_order: int
    years: dict[int, FlagYear] = field(default_factory=dict)  # by period id

    def year(self, period_id: int) -> FlagYear:
        return self.years.get(period_id) or FlagYear()


def flag_trends(*, periods: list[Period], branch_id: int | None = None) -> list[BranchFlags]:
    """Each branch's flags per period (one GROUP BY over the results), by the branches' order."""
    results = Result.objects.filter(period__in=[p.pk for p in periods])
    if branch_id is not None:
        results = results.filter(branch_id=branch_id)
    rows = (
        results.order_by()
        .values_list("period_id", "branch_id", "branch__name", "branch__sort_order", "flag")
        .annotate(n=Count("pk"), withheld=Count("pk", filter=WITHHELD))
    )
    branches: dict[int, BranchFlags] = {}
    for period_id, branch, name, sort_order, flag, n, withheld in rows:
        entry = branches.setdefault(branch, BranchFlags(branch_id=branch, name=name, sort_order=sort_order))
        year = entry.years.setdefault(period_id, FlagYear())
        year.counts[flag] = n
        year.withheld += withheld
    return sorted(branches.values(), key=lambda b: (b.sort_order, b.name, b.branch_id))


def company_flags(branches: list[BranchFlags], periods: list[Period]) -> dict[int, FlagYear]:
    """The company's flags per period, added up from the branches'."""
    company = {p.pk: FlagYear() for p in periods}
    for branch in branches:
        for period_id, year in branch.years.items():
            company[period_id].add(year)
    return company


@dataclass(frozen=True)
class Area:
    code: str
    name: str


@dataclass
class AreaTrends:
    """Average area subtotals: ``averages[(period id, branch id)][area code]``,
    ``company[period id][area code]``, and how many members each average counts."""

    areas: list[Area]
    averages: dict[tuple[int, int], dict[str, Decimal]]
    members: dict[tuple[int, int], int]
    company: dict[int, dict[str, Decimal]]

    def of(self, period_id: int, branch_id: int) -> dict[str, Decimal]:
        return self.averages.get((period_id, branch_id), {})


def _areas(rows) -> list[Area]:
    """The areas in the rubrics' order, the newest period's name for a code."""
    seen: dict[str, tuple[int, str]] = {}
    for code, name, position in rows:
        seen[code] = (position, name)
    return [Area(code=code, name=name) for code, (_pos, name) in sorted(seen.items(), key=lambda kv: (kv[1][0], kv[0]))]


def area_trends(*, periods: list[Period], branch_id: int | None = None) -> AreaTrends:
    """The stored averages (every branch's, or one branch's) and the company's average per
    area, worked out exactly from the branches' sums (two queries)."""
    order = {p.pk: i for i, p in enumerate(periods)}
    stored = AreaAverage.objects.filter(period__in=list(order))
    mine = stored if branch_id is None else stored.filter(branch_id=branch_id)
    rows = sorted(
        mine.values_list("period_id", "branch_id", "area_code", "area_name", "position", "average", "members"),
        key=lambda row: order[row[0]],
    )
    averages: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    members: dict[tuple[int, int], int] = {}
    for period_id, branch, code, _name, _position, average, counted in rows:
        averages[(period_id, branch)][code] = average
        members[(period_id, branch)] = counted
    company: dict[int, dict[str, Decimal]] = defaultdict(dict)
    sums = (
        stored.order_by()
        .values_list("period_id", "area_code", "area_name", "position")
        .annotate(total=Sum("total"), counted=Sum("members"))
    )
    sums = sorted(sums, key=lambda row: order[row[0]])
    for period_id, code, _name, _position, total, counted in sums:
        if counted:
            company[period_id][code] = scoring.round_half_up(Fraction(Decimal(total)) / counted)
    return AreaTrends(
        areas=_areas((code, name, position) for _p, code, name, position, _t, _c in sums),
        averages=dict(averages),
        members=members,
        company=dict(company),
    )


# ---------------------------------------------------------------------------
# What each page shows


def _change(now, before):
    """The change from the period before; None when either has nothing to compare."""
    return None if now is None or before is None else now - before


def _red_change(now: FlagYear | None, before: FlagYear | None) -> int | None:
    if not now or not now.total or not before or not before.total:
        return None
    return now.red_percent - before.red_percent


@dataclass(frozen=True)
class FlagRow:
    branch: BranchFlags
    year: FlagYear
    red_change: int | None


@dataclass(frozen=True)
class AreaRow:
    branch: BranchFlags
    members: int
    cells: list[tuple[Decimal | None, Decimal | None]]  # (average, change) per area


@dataclass(frozen=True)
class CompanyYear:
    """The company page: one period's flags and area averages per branch, each beside the
    period before (``before``, None for the first)."""

    period: Period
    before: Period | None
    flag_rows: list[FlagRow]
    company: FlagYear
    company_red_change: int | None
    areas: list[Area]
    area_rows: list[AreaRow]
    company_cells: list[tuple[Decimal | None, Decimal | None]]
    withheld: int  # members of the period left out of the averages, every branch's


def company_year(*, periods: list[Period], code: str) -> CompanyYear:
    """The period of ``code`` among ``periods`` (the latest when there is none), in three queries."""
    at = next((i for i, p in enumerate(periods) if p.code == code), len(periods) - 1)
    period, before = periods[at], periods[at - 1] if at else None
    shown = [p for p in (before, period) if p is not None]
    branches = flag_trends(periods=shown)
    company = company_flags(branches, shown)
    areas = area_trends(periods=shown)

    def cells(now: dict[str, Decimal], then: dict[str, Decimal]) -> list[tuple[Decimal | None, Decimal | None]]:
        return [(now.get(a.code), _change(now.get(a.code), then.get(a.code))) for a in areas.areas]

    flag_rows, area_rows = [], []
    for branch in branches:
        now, then = branch.years.get(period.pk), branch.years.get(before.pk) if before else None
        if now is not None:
            flag_rows.append(FlagRow(branch=branch, year=now, red_change=_red_change(now, then)))
        averages = areas.of(period.pk, branch.branch_id)
        if averages:
            earlier = areas.of(before.pk, branch.branch_id) if before else {}
            members = areas.members[(period.pk, branch.branch_id)]
            area_rows.append(AreaRow(branch=branch, members=members, cells=cells(averages, earlier)))
    return CompanyYear(
        period=period,
        before=before,
        flag_rows=flag_rows,
        company=company[period.pk],
        company_red_change=_red_change(company[period.pk], company.get(before.pk) if before else None),
        areas=areas.areas,
        area_rows=area_rows,
        company_cells=cells(areas.company.get(period.pk, {}), areas.company.get(before.pk, {}) if before else {}),
        withheld=company[period.pk].withheld,
    )


@dataclass(frozen=True)
class BranchYear:
    period: Period
    year: FlagYear
    red_change: int | None
    members: int  # counted in the area averages
    has_areas: bool


@dataclass(frozen=True)
class BranchAreaRow:
    area: Area
    cells: list[Decimal | None]  # one a period with averages
    company: Decimal | None  # the company's average in the latest period


@dataclass(frozen=True)
class BranchTrends:
    """The branch page: the branch's flags in each period, its area averages in each period
    that has them, and the company's average per area in the latest period."""

    years: list[BranchYear]
    area_years: list[BranchYear]
    areas: list[Area]
    area_rows: list[BranchAreaRow]
    latest: Period
    company_has_areas: bool

    @property
    def has_results(self) -> bool:
        return any(y.year.total for y in self.years)

    @property
    def withheld_years(self) -> list[BranchYear]:
        return [y for y in self.years if y.year.withheld]


def branch_trends(*, periods: list[Period], branch_id: int) -> BranchTrends:
    """``periods`` (not empty) as the branch saw them, in three queries."""
    flags = flag_trends(periods=periods, branch_id=branch_id)
    areas = area_trends(periods=periods, branch_id=branch_id)
    years, previous = [], None
    for period in periods:
        year = flags[0].year(period.pk) if flags else FlagYear()
        years.append(
            BranchYear(
                period=period,
                year=year,
                red_change=_red_change(year, previous),
                members=areas.members.get((period.pk, branch_id), 0),
                has_areas=bool(areas.of(period.pk, branch_id)),
            )
        )
        previous = year
    area_years = [y for y in years if y.has_areas]
    latest = periods[-1]
    company = areas.company.get(latest.pk, {})
    rows = [
        BranchAreaRow(
            area=area,
            cells=[areas.of(y.period.pk, branch_id).get(area.code) for y in area_years],
            company=company.get(area.code),
        )
        for area in areas.areas
    ]
    return BranchTrends(
        years=years,
        area_years=area_years,
        areas=areas.areas,
        area_rows=rows,
        latest=latest,
        company_has_areas=bool(company),
    )
