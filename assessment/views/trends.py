"""Trends pages: flags and area averages per branch across the published periods, as
charts (Chart.js, static/js/trendcharts.js) with the same numbers in a table beside each.

The company page (administrators) shows one period at a time, chosen by ``?year=``, each
branch beside the period before; the branch page (its committee and administrators) shows
the branch's periods side by side, with the company's average per area.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from members import selectors as member_selectors
from members.roles import get_roles

from ..models import Period
from ..selectors import results as result_selectors
from ..selectors import trends as selectors

# One colour a period on the branch page: the latest in the Party's red, those before in
# greys that darken towards it; the company's average in blue beside them.
EARLIER_COLOURS = ["#dee2e6", "#ced4da", "#adb5bd", "#868e96"]
LATEST_COLOUR = "#c8102e"
COMPANY_COLOUR = "#1c64c8"
# One colour a branch on the company's area chart.
BRANCH_COLOURS = ["#c8102e", "#1c64c8", "#e8a900", "#2f8f4e", "#7b4fb8", "#0f8a9d", "#d96b1c", "#7b838c"]


def _change(now: Decimal | int | None, before: Decimal | int | None) -> Decimal | int | None:
    return None if now is None or before is None else now - before


def _flag_series(labels: dict[str, str], counts: list[dict[str, int]]) -> list[dict]:
    return [{"flag": f, "label": labels[f], "data": [c[f] for c in counts]} for f in result_selectors.FLAGS]


@login_required
def trends_company(request: HttpRequest) -> HttpResponse:
    """Each branch's flags and area averages in one period, with the change from the period before."""
    if not get_roles(request.user).is_admin:
        raise PermissionDenied
    periods = selectors.trend_periods()
    context: dict = {"periods": periods, "flag_keys": result_selectors.FLAGS}
    if not periods:
        return render(request, "assessment/trends_company.html", context)
    wanted = request.GET.get("year", "")
    at = next((i for i, p in enumerate(periods) if p.code == wanted), len(periods) - 1)
    period, before = periods[at], periods[at - 1] if at else None
    shown = [p for p in (before, period) if p is not None]
    branches = selectors.flag_trends(periods=shown)
    company = selectors.company_flags(branches, shown)
    areas = selectors.area_trends(periods=shown)
    labels = result_selectors.flag_labels()

    flag_rows, area_rows = [], []
    for branch in branches:
        now, then = branch.years.get(period.pk), branch.years.get(before.pk) if before else None
        if now is not None:
            flag_rows.append(
                {
                    "branch": branch,
                    "year": now,
                    "red_change": _change(now.red_percent, then.red_percent if then else None),
                }
            )
        averages = areas.of(period.pk, branch.branch_id)
        if averages:
            earlier = areas.of(before.pk, branch.branch_id) if before else {}
            area_rows.append(
                {
                    "branch": branch,
                    "members": areas.members[(period.pk, branch.branch_id)],
                    "withheld": now.withheld if now else 0,
                    "cells": [
                        (averages.get(a.code), _change(averages.get(a.code), earlier.get(a.code))) for a in areas.areas
                    ],
                }
            )
    company_now = company[period.pk]
    company_then = company.get(before.pk) if before else None
    company_areas = areas.company.get(period.pk, {})
    company_earlier = areas.company.get(before.pk, {}) if before else {}
    context.update(
        period=period,
        before=before,
        flag_rows=flag_rows,
        company=company_now,
        company_red_change=_change(
            company_now.red_percent if company_now.total else None,
            company_then.red_percent if company_then and company_then.total else None,
        ),
        areas=areas.areas,
        area_rows=area_rows,
        company_cells=[
            (company_areas.get(a.code), _change(company_areas.get(a.code), company_earlier.get(a.code)))
            for a in areas.areas
        ],
        withheld=sum(row["withheld"] for row in area_rows),
        flag_chart={
            "kind": "flags",
            "horizontal": True,
            "labels": [row["branch"].name for row in flag_rows],
            "series": _flag_series(labels, [row["year"].counts for row in flag_rows]),
        },
        area_chart={
            "kind": "bars",
            "labels": [a.name for a in areas.areas],
            "series": [
                {
                    "label": row["branch"].name,
                    "colour": BRANCH_COLOURS[i % len(BRANCH_COLOURS)],
                    "data": [cell[0] for cell in row["cells"]],
                }
                for i, row in enumerate(area_rows)
            ],
        },
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
    if not periods:
        return render(request, "assessment/trends_branch.html", context)
    flags = selectors.flag_trends(periods=periods, branch_id=branch.pk)
    mine = flags[0] if flags else None
    years = [(p, mine.year(p.pk) if mine else selectors.FlagYear()) for p in periods]
    by_period = {p.pk: y for p, y in years}
    areas = selectors.area_trends(periods=periods, branch_id=branch.pk)
    latest = periods[-1]
    labels = result_selectors.flag_labels()
    area_years = [p for p in periods if areas.of(p.pk, branch.pk)]
    company_latest = areas.company.get(latest.pk, {})
    area_rows = [
        {
            "area": a,
            "cells": [areas.of(p.pk, branch.pk).get(a.code) for p in area_years],
            "company": company_latest.get(a.code),
        }
        for a in areas.areas
    ]
    colours = [*EARLIER_COLOURS[len(EARLIER_COLOURS) - len(area_years) + 1 :], LATEST_COLOUR]
    series = [
        {"label": _period_label(p), "colour": colours[i], "data": [row["cells"][i] for row in area_rows]}
        for i, p in enumerate(area_years)
    ]
    if company_latest:
        series.append(
            {
                "label": gettext("Company average, %(period)s") % {"period": latest.code},
                "colour": COMPANY_COLOUR,
                "data": [row["company"] for row in area_rows],
            }
        )
    context.update(
        years=[
            {"period": p, "year": y, "red_change": _change(y.red_percent, prev.red_percent) if prev else None}
            for (p, y), prev in zip(years, [None, *[y for _p, y in years[:-1]]], strict=True)
        ],
        has_results=any(y.total for _p, y in years),
        latest=latest,
        area_years=[
            {"period": p, "members": areas.members.get((p.pk, branch.pk), 0), "withheld": by_period[p.pk].withheld}
            for p in area_years
        ],
        area_rows=area_rows,
        company_has_areas=bool(company_latest),
        flag_chart={
            "kind": "flags",
            "labels": [_period_label(p) for p in periods],
            "series": _flag_series(labels, [y.counts for _p, y in years]),
        },
        area_chart={"kind": "bars", "labels": [a.name for a in areas.areas], "series": series},
    )
    return render(request, "assessment/trends_branch.html", context)


def _period_label(period: Period) -> str:
    return period.code
