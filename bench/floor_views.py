"""Floors: each benchmarked page's rows, fetched with ONE query and rendered in a
minimal template, for a logged-in person — the least work a Django page could do to
show the same thing.

A page's requests per second divided by its floor's says how much of the page's
cost is more than the data it shows. Each floor pays what Django itself costs a
logged-in request: the stock database session, ``ModelBackend`` loading the user,
``login_required``; then one query and a template without the layout, which writes its
links as Django does (``{% url %}``: a page may not build its URLs by hand, so neither
does its floor; since session 8). The floors take
the ids they show from the URL (any logged-in person may load them), so bench/urls.py
routes them only in the benchmark.

Three reference pages say what any page of the application costs before its own
work: ``empty`` (no login, no layout: the server, the WSGI handler and the
middleware), ``signed_in`` (the same for a logged-in person: the session and the
user) and ``layout`` (a logged-in person's empty page in the application's layout:
the session, the user, their roles, the unread count and the navigation). A page
can be no faster than the layout plus its floor's own work, so
``floor / (layout + floor - signed_in)`` (times per request) is the highest ratio it
could reach: bench/web.py reports it as the page's ceiling.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone

from activities.models import PartyDay
from assessment.anonymity import rater_keys
from assessment.models import Period, RaterGroup, Rating
from assessment.selectors.results import FLAGS
from members.filters import BRANCH_CHOICES_MAX
from members.models import Branch, Member, PartyGroup
from partybuild.lib.admin_lists import FewChoicesRelatedFilter
from partybuild.lib.pagination import PAGE_SIZE, EstimatedCountPaginator
from partybuild.lib.quarters import Quarter
from reminders.models import Notification
from reminders.views import NOTES_PER_PAGE
from study.models import Attendance, MeetingRule, QuarterlyReport, StudySession, Talk

# The real pages' page sizes: the review board (study.views.reports) and the flag board.
REVIEW_BOARD_PAGE = 50
FLAG_BOARD_PAGE = 240
COMPLIANCE_PAGE = 50  # study.views.compliance.COMPANY_PAGE
ROSTER_PAGE = PAGE_SIZE  # members.views.member_list pages as every list does
ADMIN_PAGE = 100  # the admin's list_per_page


def _render(template: str, context: dict) -> HttpResponse:
    return HttpResponse(get_template(template).render(context))


def _count(qs) -> Coalesce:
    """A correlated COUNT subquery (a plain function call, so no GROUP BY)."""
    return Coalesce(
        Subquery(qs.order_by().annotate(n=Func("pk", function="COUNT")).values("n")[:1]), 0, output_field=IntegerField()
    )


@login_required
def member_home(request: HttpRequest, member_id: int) -> HttpResponse:
    """The member's home page figures: membership, this quarter's report and attendance,
    open talks, what is left to rate in the open period, unread notifications."""
    quarter = Quarter.current()
    start, end = quarter.bounds()
    member = OuterRef("pk")
    report = QuarterlyReport.objects.filter(member=member, quarter=quarter.code)
    attendance = Attendance.objects.filter(member=member, session__starts_at__gte=start, session__starts_at__lt=end)
    period = Period.objects.filter(state=Period.State.OPEN).order_by("-code")
    # A peer rating is found by its rater's key (assessment/anonymity.py), worked out in Python.
    open_period = period.first()
    peer_keys = rater_keys(period=open_period, group=RaterGroup.PEER, rater_id=member_id) if open_period else []
    peers = Member.objects.filter(branch_id=OuterRef("branch_id"), group_id=OuterRef("group_id"), is_active=True)
    row = (
        Member.objects.filter(pk=member_id)
        .annotate(
            branch_name=F("branch__name"),
            group_name=F("group__name"),
            report_id=Subquery(report.values("pk")[:1]),
            report_status=Subquery(report.values("status")[:1]),
            attendance_expected=_count(attendance),
            attendance_present=_count(attendance.filter(status=Attendance.Status.PRESENT)),
            open_talks=_count(Talk.objects.filter(member=member, status=Talk.Status.OPEN)),
            period_name=Subquery(period.values("name")[:1]),
            peers=_count(peers.exclude(pk=member)),
            peers_rated=_count(
                Rating.objects.filter(
                    period=Subquery(period.values("pk")[:1]), rater_group=RaterGroup.PEER, rater_key__in=peer_keys
                )
            ),
            self_rated=Exists(
                Rating.objects.filter(
                    period=Subquery(period.values("pk")[:1]), rater_group=RaterGroup.SELF, ratee=member
                )
            ),
            unread=_count(Notification.objects.filter(recipient_id=OuterRef("user_id"), read_at__isnull=True)),
        )
        .values()
        .first()
    )
    if row is None:
        raise Http404
    return _render("bench/floor_member_home.html", {"m": row, "quarter": quarter.code})


@login_required
def review_board(request: HttpRequest, branch_id: int, quarter: str) -> HttpResponse:
    """The review board's first page: the branch's members with their report's state."""
    report = QuarterlyReport.objects.filter(member=OuterRef("pk"), quarter=quarter)
    rows = (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .annotate(
            report_id=Subquery(report.values("pk")[:1]),
            report_state=Subquery(report.values("status")[:1]),
            report_updated=Subquery(report.values("updated_at")[:1]),
        )
        .order_by("group__sort_order", "employee_no")
        .values_list("employee_no", "name", "group__name", "report_id", "report_state", "report_updated")[
            :REVIEW_BOARD_PAGE
        ]
    )
    return _render("bench/floor_review_board.html", {"rows": rows})


@login_required
def flagboard(request: HttpRequest, period_id: int, branch_id: int) -> HttpResponse:
    """The flag board's first page: the branch's members by Party group, each with their flag."""
    flag_order = Case(
        *[When(result__flag=flag, then=Value(i)) for i, flag in enumerate(FLAGS)],
        default=Value(len(FLAGS)),
        output_field=IntegerField(),
    )
    rows = (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .annotate(result=FilteredRelation("results", condition=Q(results__period_id=period_id)), flag_order=flag_order)
        .order_by(F("group__sort_order").asc(nulls_last=True), "group__name", "group_id", "flag_order", "employee_no")
        .values_list("pk", "name", "group__name", "result__flag")[:FLAG_BOARD_PAGE]
    )
    return _render("bench/floor_flagboard.html", {"rows": rows, "flags": FLAGS})


@login_required
def notifications(request: HttpRequest, user_id: int) -> HttpResponse:
    """The notification list's first page: the person's unread notifications, newest first."""
    rows = (
        Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list("pk", "kind", "title", "body", "created_at", "read_at")[:NOTES_PER_PAGE]
    )
    return _render("bench/floor_notifications.html", {"rows": rows})


@login_required
def compliance_company(request: HttpRequest, year: int) -> HttpResponse:
    """三会一课, every branch: the first page of branches in the organisation's order, each
    requirement's figure (meetings that count, at most the number required a month or quarter,
    against the number required so far; a rule per Party group for each group), the rate and the
    periods behind — the page's output from the fewest reads that make it: the requirements,
    the page's branches and ONE query of everything counted (UNION ALL of the sessions by their
    own kind, the sessions by what they also count for, the themed Party days by what they count
    for, and the branches' Party groups). Until session 13 the floor read only the sessions by
    their own kind and wrote raw counts, which is not the page's output (a session counting for
    two requirements, a Party day, a month made up twice, the groups)."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    rules = list(MeetingRule.objects.filter(is_active=True).values_list("kind", "times", "every", "per_group"))
    branches = list(Branch.objects.order_by("sort_order", "name").values_list("pk", "name")[:COMPLIANCE_PAGE])
    ids = [pk for pk, _name in branches]
    month = Cast(ExtractMonth("starts_at"), IntegerField())
    held = StudySession.objects.filter(
        branch_id__in=ids, starts_at__gte=start, starts_at__lt=end, attendance_taken_at__isnull=False
    )
    own = held.values_list("branch_id", "kind", "audience", "group_id", month).annotate(n=Count("pk")).order_by()
    also = (
        held.filter(also_counts_for__may_combine=True)
        .values_list("branch_id", "also_counts_for__kind", "audience", "group_id", month)
        .annotate(n=Count("pk"))
        .order_by()
    )
    days = (
        PartyDay.objects.filter(
            branch_id__in=ids,
            status=PartyDay.Status.HELD,
            held_on__gte=datetime.date(year, 1, 1),
            held_on__lte=datetime.date(year, 12, 31),
            counts_for__may_combine=True,
        )
        .values_list(
            "branch_id",
            "counts_for__kind",
            Value(StudySession.Audience.BRANCH),
            Value(None, output_field=IntegerField()),
            Cast(ExtractMonth("held_on"), IntegerField()),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups = (
        PartyGroup.objects.filter(branch_id__in=ids)
        .values_list("branch_id", Value(""), Value(""), "pk", Value(0), Value(0))
        .order_by()
    )
    counted: dict[tuple[int, str], list] = {}  # (branch, kind) → [every audience, whole branch, {group: …}]
    gids: dict[int, list[int]] = {pk: [] for pk in ids}  # each branch's Party groups
    for branch_id, kind, audience, group_id, m, n in own.union(also, days, groups, all=True):
        if not kind:
            gids[branch_id].append(group_id)
            continue
        c = counted.get((branch_id, kind))
        if c is None:
            c = counted[(branch_id, kind)] = [[0] * 13, [0] * 13, {}]
        c[0][m] += n
        if audience == StudySession.Audience.GROUP:
            c[2].setdefault(group_id, [0] * 13)[m] += n
        elif audience == StudySession.Audience.BRANCH:
            c[1][m] += n
    begun = 0 if year > today.year else 12 if year < today.year else today.month
    ended = 0 if year > today.year else 12 if year < today.year else today.month - 1
    empty = [[0] * 13, [0] * 13, {}]
    rows = []
    for pk, name in branches:
        figures, held_sum, required_sum, behind_sum = [], 0, 0, 0
        for kind, times, every, per_group in rules:
            c = counted.get((pk, kind), empty)
            if per_group:  # a group's own meetings and the whole branch's
                whole, by_group = c[1], c[2]
                lines = [
                    [a + b for a, b in zip(whole, by_group[g], strict=True)] if g in by_group else whole
                    for g in gids[pk]
                ]
            else:
                lines = [c[0]]
            monthly = every == MeetingRule.Every.MONTH
            due, done = (begun, ended) if monthly else ((begun + 2) // 3, ended // 3)
            h = r = b = 0
            for by_month in lines:
                slots = by_month[1:] if monthly else [sum(by_month[q : q + 3]) for q in (1, 4, 7, 10)]
                h += sum(min(n, times) for n in slots[:due])
                r += times * due
                b += sum(1 for n in slots[:done] if n < times)
            figures.append((f"{h}/{r}" if lines else "—", b))
            held_sum, required_sum, behind_sum = held_sum + h, required_sum + r, behind_sum + b
        percent = round(100 * held_sum / required_sum) if required_sum else None
        rows.append((pk, name, figures, percent, behind_sum))
    return _render("bench/floor_compliance_company.html", {"rows": rows, "year": year})


def _first_branches() -> list[tuple[int, str]]:
    """The branches in the organisation's order, one more than a filter lists: whether they
    are few enough to list, and if so the list."""
    return list(Branch.objects.order_by("sort_order", "name").values_list("pk", "name")[: BRANCH_CHOICES_MAX + 1])


@login_required
def roster_search(request: HttpRequest) -> HttpResponse:
    """The roster searched by name or employee number (``?q=``), for the administrator: the
    four head counts shown (and so the number of pages) in one aggregate, the first page of
    members, and the filter's choices as the roster offers them since issue 19: the first
    branches, listed if they are all there are (BRANCH_CHOICES_MAX; otherwise a field for the
    branch's name), and the Party groups of the one branch if there is only one (no branch
    is chosen; before, every branch and every group with its branch's name)."""
    q = request.GET.get("q", "")
    branches = _first_branches()
    members = Member.objects.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    on_roll = Q(is_active=True)
    counts = members.aggregate(
        total=Count("pk", filter=on_roll),
        full=Count("pk", filter=on_roll & Q(party_status=Member.PartyStatus.FULL)),
        probationary=Count("pk", filter=on_roll & Q(party_status=Member.PartyStatus.PROBATIONARY)),
        inactive=Count("pk", filter=~on_roll),
    )
    rows = members.order_by("branch__sort_order", "employee_no").values_list(
        "pk",
        "employee_no",
        "name",
        "committee_role",
        "is_active",
        "gender",
        "party_status",
        "branch__name",
        "group__name",
        "post",
        "phone",
    )[:ROSTER_PAGE]
    return _render(
        "bench/floor_roster_search.html",
        {
            "counts": counts,
            "rows": rows,
            "branches": branches if len(branches) <= BRANCH_CHOICES_MAX else None,
            "groups": PartyGroup.objects.filter(branch_id=branches[0][0]).values_list("pk", "name")
            if len(branches) == 1
            else (),
        },
    )


@login_required
def admin_members(request: HttpRequest) -> HttpResponse:
    """The Django admin's list of every member: its first page of rows, the count the page
    shows (PostgreSQL's estimate for a large roster, as the admin's paginator gives it), and
    the branch filter's choices: the first branches, listed if they are all there are (the
    filter lists none when there are more; issue 19)."""
    branches = _first_branches()
    rows = Member.objects.order_by("employee_no").values_list(
        "pk", "employee_no", "name", "branch__name", "group__name", "party_status", "committee_role", "is_active"
    )[:ADMIN_PAGE]
    count = EstimatedCountPaginator(Member.objects.all(), ADMIN_PAGE).count
    branches = branches if len(branches) <= FewChoicesRelatedFilter.max_choices else ()
    return _render("bench/floor_admin_members.html", {"rows": rows, "count": count, "branches": branches})


def empty(request: HttpRequest) -> HttpResponse:
    """The least a response costs: no session, no user, no template."""
    return HttpResponse('<!doctype html><div data-testid="floor"></div>')


@login_required
def signed_in(request: HttpRequest) -> HttpResponse:
    """What Django costs a logged-in request: the session, the user, no template."""
    return HttpResponse('<!doctype html><div data-testid="floor"></div>')


@login_required
def layout(request: HttpRequest) -> HttpResponse:
    """An empty page in the application's layout, for the person logged in."""
    return render(request, "bench/floor_layout.html")
