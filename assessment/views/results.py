"""Results pages: a member's own result, the team ranking (小队公示), the branch and
company rankings, the company flag chart and the flag board (评比台).

Every page asks the selectors which period, branch, group or member the user may
see (404 otherwise) and whether the results may be shown yet; the anonymity rule
for peer and masses means lives in the selectors too.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from members import selectors as member_selectors
from members.models import Member, PartyGroup
from members.roles import get_roles
from partybuild.lib.pagination import paginate, paginate_without_total

from ..forms.results import ResultFilterForm
from ..models import Period
from ..selectors import objections as objection_selectors
from ..selectors import results as selectors
from ..selectors import years as year_selectors
from .common import query_without
from .objections import objection_box

RANKING_PAGE = 50
BOARD_PAGE = 240


def _flag_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(flag, counts.get(flag, 0)) for flag in selectors.FLAGS]


@login_required
def result_index(request: HttpRequest) -> HttpResponse:
    """The periods whose results the user may open, each with the pages their roles reach."""
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_member):
        raise PermissionDenied
    page = paginate(request, selectors.periods_for_results(user=request.user), per_page=10)
    return render(request, "assessment/result_index.html", {"page": page, "roles": roles})


def _member_result(
    request: HttpRequest, period: Period, member: Member, *, own: bool, objection_form=None
) -> HttpResponse:
    roles = get_roles(request.user)
    status = selectors.results_status(period=period, preview=roles.is_admin)
    # Nobody, the administrator included, is shown a peer or masses mean below the threshold:
    # with one masses rating, the mean is that rater's score, and the roster says who it was.
    context = {"period": period, "member": member, "status": status, "own": own, "company_rank": roles.is_admin}
    context["years"] = year_selectors.member_years(member=member, roles=roles)
    if status != selectors.PENDING:
        result = selectors.result_for_member(period=period, member_id=member.pk)
        context["result"] = result
        if result is not None:
            expected = selectors.expected_counts([(member.pk, result.branch_id, result.group_id)])
            context.update(
                groups=selectors.group_scores(result=result, weights=period.weights, expected=expected[member.pk]),
                # Area subtotals mix every group's scores, so they are withheld with the means.
                areas=(
                    []
                    if selectors.breakdown_withheld(result)
                    else selectors.area_rows(period=period, member_id=member.pk)
                ),
                breakdown_withheld=selectors.breakdown_withheld(result),
                branch_count=selectors.branch_result_count(period=period, branch_id=result.branch_id),
                anonymity_min=selectors.ANONYMITY_MIN,
            )
    if own:  # the publicity window, and the member's objection or the form to file one
        context.update(objection_box(period=period, member=member, result=context.get("result"), form=objection_form))
    elif period.is_published:  # the committee or an administrator: the member's objection, to open
        context["member_objection"] = objection_selectors.objection_of_member(period=period, member_id=member.pk)
    return render(request, "assessment/result_member.html", context)


@login_required
def result_mine(request: HttpRequest, code: str) -> HttpResponse:
    """The member's own result, once the period is published."""
    period = selectors.period_get_for_results(user=request.user, code=code)
    member = get_roles(request.user).member
    if member is None:
        raise Http404
    return _member_result(request, period, member, own=True)


@login_required
def result_member(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A member's result for the branch committee (their branch) and administrators."""
    period = selectors.period_get_for_results(user=request.user, code=code)
    member = selectors.member_get_for_results(user=request.user, pk=pk)
    roles = get_roles(request.user)
    if roles.member is not None and roles.member.pk == member.pk:
        return redirect("assessment:result_mine", code=period.code)
    return _member_result(request, period, member, own=False)


def _team(request: HttpRequest, period: Period, group: PartyGroup | None) -> HttpResponse:
    roles = get_roles(request.user)
    status = selectors.results_status(period=period, preview=roles.is_admin)
    context = {"period": period, "group": group, "status": status, "me": roles.member}
    if group is not None and status != selectors.PENDING:
        rows = selectors.team_ranking(period=period, group_id=group.pk)
        counts = dict.fromkeys(selectors.FLAGS, 0)
        for row in rows:
            counts[row.result.flag] += 1
        context.update(page=paginate(request, rows, per_page=RANKING_PAGE), flag_rows=_flag_rows(counts))
    return render(request, "assessment/result_team.html", context)


@login_required
def result_team(request: HttpRequest, code: str) -> HttpResponse:
    """The ranking of the member's own team (Party group)."""
    period = selectors.period_get_for_results(user=request.user, code=code)
    member = get_roles(request.user).member
    if member is None:
        raise Http404
    return _team(request, period, member.group)


@login_required
def result_team_group(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    period = selectors.period_get_for_results(user=request.user, code=code)
    group = selectors.group_get_for_results(user=request.user, pk=pk)
    return _team(request, period, group)


@login_required
def result_branch(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The branch ranking for its committee and administrators, filtered by group and flag."""
    period = selectors.period_get_for_results(user=request.user, code=code)
    branch = selectors.branch_get_for_results(user=request.user, pk=pk)
    roles = get_roles(request.user)
    status = selectors.results_status(period=period, preview=roles.is_admin)
    filters = ResultFilterForm(request.GET).values
    group_id, flag = filters["group"], filters["flag"]
    context = {
        "period": period,
        "branch": branch,
        "status": status,
        "group_id": group_id,
        "flag": flag,
        "query": query_without(request),
        "flag_query": query_without(request, "flag"),
        "anonymity_min": selectors.ANONYMITY_MIN,
    }
    if roles.is_admin:
        context["branches"] = member_selectors.branch_list_for_user(user=request.user)
    if status != selectors.PENDING:
        page = paginate(
            request,
            selectors.branch_results(period=period, branch_id=branch.pk, group_id=group_id, flag=flag),
            per_page=RANKING_PAGE,
        )
        context.update(
            page=page,
            results=selectors.attach_group_scores(list(page.object_list), period=period),
            flag_rows=_flag_rows(selectors.flag_counts(period=period, branch_id=branch.pk)),
            groups=member_selectors.group_choices(branch_id=branch.pk),
        )
    return render(request, "assessment/result_branch.html", context)


def _require_admin(request: HttpRequest) -> None:
    if not get_roles(request.user).is_admin:
        raise PermissionDenied


@login_required
def result_company(request: HttpRequest, code: str) -> HttpResponse:
    """Flags per branch as a stacked bar chart, with the same counts as a table."""
    _require_admin(request)
    period = selectors.period_get_for_results(user=request.user, code=code)
    status = selectors.results_status(period=period, preview=True)
    context = {"period": period, "status": status}
    if status != selectors.PENDING:
        rows = selectors.company_flag_distribution(period=period)
        labels = selectors.flag_labels()
        totals = {flag: sum(r.counts[flag] for r in rows) for flag in selectors.FLAGS}
        context.update(
            rows=rows,
            flag_rows=_flag_rows(totals),
            total=sum(totals.values()),
            branch_choices=member_selectors.branch_list_for_user(user=request.user),
            chart={
                "branches": [r.name for r in rows],
                "series": [
                    {"flag": flag, "label": labels[flag], "counts": [r.counts[flag] for r in rows]}
                    for flag in selectors.FLAGS
                ],
            },
        )
    return render(request, "assessment/result_company.html", context)


@login_required
def result_company_ranking(request: HttpRequest, code: str) -> HttpResponse:
    """Every member's result across the company, for administrators."""
    _require_admin(request)
    period = selectors.period_get_for_results(user=request.user, code=code)
    status = selectors.results_status(period=period, preview=True)
    filters = ResultFilterForm(request.GET).values
    branch_id, flag = filters["branch"], filters["flag"]
    context = {
        "period": period,
        "status": status,
        "branch_id": branch_id,
        "flag": flag,
        "query": query_without(request),
        "branches": member_selectors.branch_list_for_user(user=request.user),
        "flags": selectors.FLAGS,
        "anonymity_min": selectors.ANONYMITY_MIN,
    }
    if status != selectors.PENDING:
        # A million members' ranking is not counted on every request: next and previous pages.
        page = paginate_without_total(
            request,
            selectors.company_results(period=period, branch_id=branch_id, flag=flag),
            per_page=RANKING_PAGE,
        )
        context.update(page=page, results=selectors.attach_group_scores(list(page.object_list), period=period))
    return render(request, "assessment/result_company_ranking.html", context)


def _board_context(request: HttpRequest, code: str, pk: int, *, wall: bool = False) -> dict:
    period = selectors.period_get_for_results(user=request.user, code=code)
    branch = selectors.branch_get_for_results(user=request.user, pk=pk, members_too=True)
    roles = get_roles(request.user)
    status = selectors.results_status(period=period, preview=selectors.can_see_branch(roles, branch.pk))
    group_id = ResultFilterForm(request.GET).values["group"]
    context = {
        "period": period,
        "branch": branch,
        "status": status,
        "group_id": group_id,
        "query": query_without(request),
        "me": roles.member,
    }
    if status != selectors.PENDING:
        members = selectors.flagboard_members(period=period, branch_id=branch.pk, group_id=group_id)
        counts = selectors.flagboard_counts(members)
        page = paginate(
            request,
            members.values_list("pk", "name", "group_id", "group__name", "flag"),
            BOARD_PAGE,
            count=sum(counts.values()),  # the same members, counted by flag already
        )
        me_pk = roles.member.pk if roles.member is not None and not wall else None
        sections = _board_sections(page.object_list, me_pk)
        context.update(
            page=page,
            tile_count=sum(len(tiles) for _name, tiles in sections),
            sections=sections,
            flag_rows=_flag_rows(counts),
            not_rated=counts[selectors.NOT_RATED],
            groups=member_selectors.group_choices(branch_id=branch.pk),
        )
    return context


def _board_sections(rows, me_pk: int | None) -> list[tuple[str | None, list[dict]]]:
    """The board's tiles by Party group (its name, None for members in none), each tile a
    dict of plain values (a board has hundreds, and a template reads a dict key faster
    than a model's attributes); the tile's look is the template's."""
    sections = []
    for (_group_id, group_name), members in groupby(rows, key=lambda row: (row[2], row[3])):
        tiles = [
            {"pk": pk, "name": name, "flag": flag or selectors.NOT_RATED, "rated": bool(flag), "me": pk == me_pk}
            for pk, name, _g, _gn, flag in members
        ]
        sections.append((group_name, tiles))
    return sections


@login_required
def flagboard(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The branch's flag board (评比台): every member on the roll with their flag, by Party group."""
    return render(request, "assessment/flagboard.html", _board_context(request, code, pk))


@login_required
def flagboard_wall(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The same board for a wall screen: no navigation, large type, the grid fills the screen."""
    return render(request, "assessment/flagboard_wall.html", _board_context(request, code, pk, wall=True))
