"""A member's results across the years, side by side (DESIGN.md, "Scoring": total, ranks,
flag and area subtotals with the change from the year before, and the grades of the
quarterly Party-spirit reports of each year).

Only periods whose results members see (published into the publicity window, or final)
are read, for every viewer; the view has already decided who may see the member. The
last ``MAX_YEARS`` years are shown, and the year before the oldest shown is read too, so
that the oldest column still shows its change. The area subtotals follow the page's
anonymity rule (``results.breakdown_withheld``): a year whose breakdown would reveal a
rater's scores shows none. Four queries, however many years: the results with their
branch sizes, the rubrics' items, the ratings, the report grades.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery

from members.models import Member
from members.roles import Roles
from partybuild.lib.quarters import Quarter
from study.selectors import reports as report_selectors

from .. import scoring
from ..models import Period, Rating, Result, RubricItem
from . import results as result_selectors

MAX_YEARS = 5
QUARTERS = (1, 2, 3, 4)

UP, DOWN, SAME = "up", "down", "same"


@dataclass(frozen=True)
class Change:
    """How a figure moved since the previous year shown: ``direction`` is UP when it got
    better (a higher total, a smaller rank number, a better flag); ``amount`` is how far,
    always positive (points, places or flags)."""

    direction: str
    amount: Decimal | int

    @classmethod
    def of(cls, better_by: Decimal | int) -> Change:
        if better_by > 0:
            return cls(UP, better_by)
        if better_by < 0:
            return cls(DOWN, -better_by)
        return cls(SAME, better_by)


@dataclass(frozen=True)
class AreaCell:
    subtotal: Decimal
    maximum: Decimal
    change: Change | None


@dataclass
class YearColumn:
    period: Period
    result: Result
    branch_count: int
    total_change: Change | None = None
    rank_change: Change | None = None  # None when the member was in another branch the year before
    company_rank_change: Change | None = None
    flag_change: Change | None = None
    branch_changed: bool = False
    withheld: bool = False
    areas: dict[str, AreaCell] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaLine:
    code: str
    name: str
    # One a column: (withheld, the subtotal); neither when that year's rubric had no such area.
    cells: list[tuple[bool, AreaCell | None]]


@dataclass(frozen=True)
class GradeLine:
    number: int
    cells: list[report_selectors.QuarterGrade | None]  # one a column; None: no report handed in


@dataclass(frozen=True)
class MemberYears:
    columns: list[YearColumn]  # oldest first, so the years read left to right
    area_lines: list[AreaLine]
    grade_lines: list[GradeLine]
    company_rank: bool  # the company rank is for administrators, as on the result page
    max_years: int = MAX_YEARS
    more: bool = False  # older years exist that are not shown

    @property
    def any_withheld(self) -> bool:
        return any(c.withheld for c in self.columns)


def _flag_rank(flag: str) -> int:
    return result_selectors.FLAGS.index(flag) if flag in result_selectors.FLAGS else len(result_selectors.FLAGS)


def _year_results(member: Member) -> list[Result]:
    """The member's results of published or final periods, newest first, one more than
    shown (one query, each with the size of its branch's ranking that year)."""
    branch_count = (
        Result.objects.filter(period=OuterRef("period"), branch=OuterRef("branch"))
        .order_by()
        .values("period")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Result.objects.filter(member=member, period__state__in=[Period.State.PUBLISHED, Period.State.FINAL])
        .select_related("period", "branch")
        .annotate(branch_count=Subquery(branch_count))
        .order_by("-period__starts_on", "-period__code")[: MAX_YEARS + 1]
    )


def _area_rows(results: list[Result]) -> dict[int, list[result_selectors.AreaRow]]:
    """Each period's area subtotals for the member: ``results.area_rows`` for many periods
    at once, two queries in all rather than two a year (the page has a budget of 20).
    Keep the two in step; test_result_years compares them."""
    if not results:
        return {}
    periods = {r.period_id: r.period for r in results}
    items: dict[int, list[tuple]] = {}
    for rubric_id, code, area, name, maximum in (
        RubricItem.objects.filter(rubric_id__in={p.rubric_id for p in periods.values()})
        .order_by("area__position", "area__code")
        .values_list("rubric_id", "code", "area__code", "area__name", "max_score")
    ):
        items.setdefault(rubric_id, []).append((code, area, name, maximum))
    ratings: dict[int, list] = {}
    for period_id, group, scores in (
        Rating.objects.filter(period_id__in=periods, ratee_id=results[0].member_id, withdrawn=False)
        .order_by()
        .values_list("period_id", "rater_group", "scores")
    ):
        ratings.setdefault(period_id, []).append((group, {code: Decimal(str(score)) for code, score in scores.items()}))
    rows = {}
    for period_id, period in periods.items():
        if not ratings.get(period_id):
            rows[period_id] = []
            continue
        rubric_items = items.get(period.rubric_id, [])
        areas: dict[str, list] = {}
        for _code, area, name, maximum in rubric_items:
            areas.setdefault(area, [name, Decimal(0)])[1] += maximum
        subtotals = scoring.area_subtotals(
            ratings[period_id], {code: area for code, area, _n, _m in rubric_items}, period.weights
        )
        rows[period_id] = [
            result_selectors.AreaRow(
                code=code, name=name, maximum=maximum, subtotal=subtotals.get(code, Decimal("0.00"))
            )
            for code, (name, maximum) in areas.items()
        ]
    return rows


def member_years(*, member: Member, roles: Roles) -> MemberYears:
    """The member's last ``MAX_YEARS`` published or final years, oldest first, each with its
    change from the year before, the area subtotals and the four quarters' report grades."""
    results = _year_results(member)
    more = len(results) > MAX_YEARS
    results.reverse()  # oldest first; with more years, the first is only read for its change
    withheld = {r.pk for r in results if result_selectors.breakdown_withheld(r)}
    area_rows = _area_rows([r for r in results if r.pk not in withheld])

    columns: list[YearColumn] = []
    previous: YearColumn | None = None
    for result in results:
        column = YearColumn(
            period=result.period,
            result=result,
            branch_count=result.branch_count or 0,
            withheld=result.pk in withheld,
        )
        for row in area_rows.get(result.period_id, []):
            before = previous.areas.get(row.code) if previous is not None else None
            column.areas[row.code] = AreaCell(
                subtotal=row.subtotal,
                maximum=row.maximum,
                change=Change.of(row.subtotal - before.subtotal) if before is not None else None,
            )
        if previous is not None:
            was = previous.result
            column.total_change = Change.of(result.total - was.total)
            column.company_rank_change = Change.of(was.rank_company - result.rank_company)
            column.flag_change = Change.of(_flag_rank(was.flag) - _flag_rank(result.flag))
            if was.branch_id == result.branch_id:
                column.rank_change = Change.of(was.rank_branch - result.rank_branch)
            else:
                column.branch_changed = True
        columns.append(column)
        previous = column
    if more:
        columns = columns[1:]

    return MemberYears(
        columns=columns,
        area_lines=_area_lines(columns, area_rows),
        grade_lines=_grade_lines(member, columns),
        company_rank=roles.is_admin,
        more=more,
    )


def _area_lines(columns: list[YearColumn], area_rows: dict[int, list[result_selectors.AreaRow]]) -> list[AreaLine]:
    """One line an area: the newest year's areas in its rubric's order, named as that year
    names them, then any area only an older year's rubric had."""
    names: dict[str, str] = {}
    for column in reversed(columns):
        for row in area_rows.get(column.period.pk, []):
            names.setdefault(row.code, row.name)
    return [
        AreaLine(code=code, name=name, cells=[(column.withheld, column.areas.get(code)) for column in columns])
        for code, name in names.items()
    ]


def _grade_lines(member: Member, columns: list[YearColumn]) -> list[GradeLine]:
    """Q1 to Q4 of each column's year (the year its period starts in), in one query."""
    if not columns:
        return []
    years = [column.period.starts_on.year for column in columns]
    grades = report_selectors.handed_in_grades(
        member_id=member.pk, quarters=[Quarter(year, n) for year in years for n in QUARTERS]
    )
    return [GradeLine(number=n, cells=[grades.get(Quarter(year, n).code) for year in years]) for n in QUARTERS]
