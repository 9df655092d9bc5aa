"""Trends pages: flags and area averages per branch across the published periods, as
charts (Chart.js, static/js/trendcharts.js) with the same numbers in a table beside each.

The company page (administrators) shows one period at a time, chosen by ``?year=``, each
branch beside the period before; the branch page (its committee and administrators) shows
the branch's periods side by side, with the company's average per area.
"""

from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from members import selectors as member_selectors
from members.roles import get_roles

from ..selectors import results as result_selectors
from ..selectors import trends as selectors

# One colour a period on the branch page: the latest in the Party's red, those before in
# greys that darken towards it; the company's average in blue beside them.
EARLIER_COLOURS = ["#dee2e6", "#ced4da", "#adb5bd", "#868e96"]
LATEST_COLOUR = "#c8102e"
COMPANY_COLOUR = "#1c64c8"
# One colour a branch (or an area, with many branches) on the company's area chart.
GROUPED_BRANCHES = 8
SERIES_COLOURS = ["#c8102e", "#1c64c8", "#e8a900", "#2f8f4e", "#7b4fb8", "#0f8a9d", "#d96b1c", "#7b838c"]


def _flag_series(counts: list[dict[str, int]]) -> list[dict]:
    labels = result_selectors.flag_labels()
    return [{"flag": f, "label": labels[f], "data": [c[f] for c in counts]} for f in result_selectors.FLAGS]


def _fields(data) -> dict:
    """A selector's dataclass as template context, its properties left to the template."""
    return {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}


def _company_area_chart(year: selectors.CompanyYear) -> dict:
    """Grouped bars: each area with one bar a branch; past ``GROUPED_BRANCHES`` branches the
    bars would be too thin to read, so each branch gets a row with one bar an area."""
    averages = [[average for average, _change in row.cells] for row in year.area_rows]
    if len(year.area_rows) <= GROUPED_BRANCHES:
        return {
            "kind": "bars",
            "labels": [a.name for a in year.areas],
            "series": [
                {"label": row.branch.name, "colour": SERIES_COLOURS[i % len(SERIES_COLOURS)], "data": averages[i]}
                for i, row in enumerate(year.area_rows)
            ],
        }
    return {
        "kind": "bars",
        "horizontal": True,
        "labels": [row.branch.name for row in year.area_rows],
        "series": [
            {"label": a.name, "colour": SERIES_COLOURS[j % len(SERIES_COLOURS)], "data": [v[j] for v in averages]}
            for j, a in enumerate(year.areas)
        ],
    }


@login_required
def trends_company(request: HttpRequest) -> HttpResponse:
    """Each branch's flags and area averages in one period, with the change from the period before."""
    if not get_roles(request.user).is_admin:
        raise PermissionDenied
    periods = selectors.trend_periods()
    context: dict = {"periods": periods, "flag_keys": result_selectors.FLAGS}
    if periods:
        year = selectors.company_year(periods=periods, code=request.GET.get("year", ""))
        context.update(
            _fields(year),
            flag_chart={
                "kind": "flags",
                "horizontal": True,
                "labels": [row.branch.name for row in year.flag_rows],
                "series": _flag_series([row.year.counts for row in year.flag_rows]),
            },
            area_chart=_company_area_chart(year),
        )
    return render(request, "assessment/trends_company.html", context)


@login_required
def trends_branch(request: HttpRequest, pk: int) -> HttpResponse:
    """One branch's flags and area averages across the periods, and the company's average per area."""
    branch = result_selectors.branch_get_for_results(user=request.user, pk=pk)
    roles = get_roles(request.user)
    periods = selectors.trend_periods()
    context: dict = {
        "branch": branch,
        "periods": periods,
        "is_admin": roles.is_admin,
        "flag_keys": result_selectors.FLAGS,
    }
    if roles.is_admin:
        context["branches"] = member_selectors.branch_list_for_user(user=request.user)
    if periods:
        trends = selectors.branch_trends(periods=periods, branch_id=branch.pk)
        n = len(trends.area_years)
        colours = [*EARLIER_COLOURS[len(EARLIER_COLOURS) - n + 1 :], LATEST_COLOUR] if n else []
        series = [
            {"label": y.period.code, "colour": colours[i], "data": [row.cells[i] for row in trends.area_rows]}
            for i, y in enumerate(trends.area_years)
        ]
        if trends.company_has_areas:
            series.append(
                {
                    "label": gettext("Company average, %(period)s") % {"period": trends.latest.code},
                    "colour": COMPANY_COLOUR,
                    "data": [row.company for row in trends.area_rows],
                }
            )
        context.update(
            _fields(trends),
            has_results=trends.has_results,
            withheld_years=trends.withheld_years,
            flag_chart={
                "kind": "flags",
                "labels": [y.period.code for y in trends.years],
                "series": _flag_series([y.year.counts for y in trends.years]),
            },
            area_chart={"kind": "bars", "labels": [a.name for a in trends.areas], "series": series},
        )
    return render(request, "assessment/trends_branch.html", context)
