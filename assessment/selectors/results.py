"""Reads of periods and results, each scoped to the user asking.

Who sees which results (the scope rule, with the results' own timing):

- before publication: administrators see everything once computed; the branch
  committee sees its branch's flag board, marked as not yet published; nobody else
  sees anything but "not published yet";
- once published: a member sees their own result, their team's ranking (小队公示)
  and their branch's flag board; the branch committee sees the branch (ranking,
  each member's result, flag board); administrators see every branch and the company.

Anonymity: a peer or masses group's mean is shown only once the group has at least
``ANONYMITY_MIN`` ratings (administrators excepted); below that only how many of
the expected ratings exist. Nothing here ever reads who gave a rating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import pgettext_lazy

from members.models import Branch, MassesRater, Member, PartyGroup, User
from members.roles import Roles, get_roles

from .. import scoring
from ..models import ANONYMOUS_GROUPS, Period, RaterGroup, Rating, Result, Rubric, RubricItem

GROUPS = [RaterGroup.SELF, RaterGroup.PEER, RaterGroup.MASSES, RaterGroup.ORG]
FLAGS = [flag for _floor, flag in scoring.FLAG_BANDS]  # red, yellow, blue, grey
NOT_RATED = "none"
ANONYMITY_MIN = 3

# The rater groups' names on results pages. A context of their own keeps "Organisation"
# (组织考评) apart from the roster's organisation chart (组织架构).
GROUP_LABELS = {
    RaterGroup.SELF: pgettext_lazy("rater group", "Self"),
    RaterGroup.PEER: pgettext_lazy("rater group", "Peers"),
    RaterGroup.MASSES: pgettext_lazy("rater group", "Masses"),
    RaterGroup.ORG: pgettext_lazy("rater group", "Organisation"),
}

PUBLISHED = "published"
PREVIEW = "preview"
PENDING = "pending"


def flag_labels() -> dict[str, str]:
    return {flag: str(label) for flag, label in Result.Flag.choices}


def weight_text(weight: Decimal) -> str:
    """A weight as people write it: 0.1, not 0.100."""
    return format(weight.normalize(), "f")


def weight_rows(period: Period) -> list[tuple[str, str, str]]:
    return [(group, str(GROUP_LABELS[group]), weight_text(w)) for group, w in period.weights.items()]


# ---------------------------------------------------------------------------
# Period administration (administrators only; the views check the role)


def period_list() -> QuerySet[Period]:
    """Every period, newest first, with its rubric and how many results it has."""
    results = Result.objects.filter(period=OuterRef("pk")).order_by().values("period").annotate(n=Count("pk"))
    return (
        Period.objects.select_related("rubric")
        .annotate(result_count=Coalesce(Subquery(results.values("n")), 0))
        .order_by("-starts_on", "-code")
    )


def period_get(*, pk: int) -> Period:
    try:
        return Period.objects.select_related("rubric").get(pk=pk)
    except (Period.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class PeriodOverview:
    ratings: dict[str, int]
    results: int
    flags: dict[str, int]
    talk_flags: int

    @property
    def rating_total(self) -> int:
        return sum(self.ratings.values())


def period_overview(*, period: Period) -> PeriodOverview:
    """How many ratings each rater group has given and how the results fall (two GROUP BYs)."""
    ratings = dict.fromkeys(GROUPS, 0)
    for group, n in Rating.objects.filter(period=period).order_by().values_list("rater_group").annotate(n=Count("pk")):
        ratings[group] = n
    flags = flag_counts(period=period)
    return PeriodOverview(
        ratings=ratings,
        results=sum(flags.values()),
        flags=flags,
        talk_flags=sum(n for flag, n in flags.items() if flag in scoring.TALK_FLAGS),
    )


def rubric_list() -> QuerySet[Rubric]:
    """Rubrics with their item count, the sum of their maxima and whether they are frozen."""
    items = RubricItem.objects.filter(rubric=OuterRef("pk")).order_by().values("rubric")
    return Rubric.objects.annotate(
        item_count=Coalesce(Subquery(items.annotate(n=Count("pk")).values("n")), 0),
        max_total=Subquery(items.annotate(s=Sum("max_score")).values("s")),
        frozen=Exists(Period.objects.filter(rubric=OuterRef("pk")).exclude(state=Period.State.DRAFT)),
        period_count=Coalesce(
            Subquery(
                Period.objects.filter(rubric=OuterRef("pk"))
                .order_by()
                .values("rubric")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
    ).order_by("-created_at", "name")


def rubric_get(*, pk: int) -> Rubric:
    try:
        return rubric_list().get(pk=pk)
    except (Rubric.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def rubric_areas(*, rubric: Rubric) -> list:
    """The rubric's areas, each with its items and its maximum (two queries)."""
    areas = list(rubric.areas.order_by("position", "code"))
    by_pk = {area.pk: area for area in areas}
    for area in areas:
        area.item_list = []
        area.max_total = Decimal(0)
    for item in rubric.items.order_by("position", "code"):
        area = by_pk[item.area_id]
        area.item_list.append(item)
        area.max_total += item.max_score
    return areas


def rubric_item_get(*, pk: int) -> RubricItem:
    try:
        return RubricItem.objects.select_related("rubric", "area").get(pk=pk)
    except (RubricItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---------------------------------------------------------------------------
# Which period, branch, group or member a user may look at


def period_get_for_results(*, user: User, code: str) -> Period:
    """A period whose results pages the user may open: any for administrators, any
    period past preparation for members; 404 for everyone else."""
    roles = get_roles(user)
    if roles.is_admin:
        periods = Period.objects.all()
    elif roles.member is not None:
        periods = Period.objects.exclude(state=Period.State.DRAFT)
    else:
        raise Http404
    try:
        return periods.select_related("rubric").get(code=code)
    except Period.DoesNotExist:
        raise Http404 from None


def periods_for_results(*, user: User) -> QuerySet[Period]:
    roles = get_roles(user)
    if roles.is_admin:
        return Period.objects.order_by("-starts_on", "-code")
    if roles.member is not None:
        return Period.objects.exclude(state=Period.State.DRAFT).order_by("-starts_on", "-code")
    return Period.objects.none()


def results_status(*, period: Period, preview: bool) -> str:
    """PUBLISHED, PREVIEW (computed, not yet published, and this user may look ahead)
    or PENDING (nothing to show yet: results are never read while rating is open)."""
    if period.is_published:
        return PUBLISHED
    if preview and period.state == Period.State.CLOSED and period.computed_at is not None:
        return PREVIEW
    return PENDING


def can_see_branch(roles: Roles, branch_id: int) -> bool:
    return roles.is_admin or roles.committee_branch_id == branch_id


def branch_get_for_results(*, user: User, pk: int, members_too: bool = False) -> Branch:
    """The branch if the user may see its results: administrators any, the committee
    their own, and with ``members_too`` (the flag board) the branch's members."""
    roles = get_roles(user)
    allowed = roles.is_admin or roles.committee_branch_id == pk
    if members_too and roles.member is not None and roles.member.branch_id == pk:
        allowed = True
    if not allowed:
        raise Http404
    try:
        return Branch.objects.get(pk=pk)
    except Branch.DoesNotExist:
        raise Http404 from None


def group_get_for_results(*, user: User, pk: int) -> PartyGroup:
    """A team (Party group) the user may see: their own, their branch's for the committee, any for administrators."""
    roles = get_roles(user)
    try:
        group = PartyGroup.objects.select_related("branch").get(pk=pk)
    except (PartyGroup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    own = roles.member is not None and roles.member.group_id == group.pk
    if not (own or can_see_branch(roles, group.branch_id)):
        raise Http404
    return group


def member_get_for_results(*, user: User, pk: int) -> Member:
    """A member whose result the user may see: themself, their branch's for the committee, anyone for administrators."""
    roles = get_roles(user)
    try:
        member = Member.objects.select_related("branch", "group").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    own = roles.member is not None and roles.member.pk == member.pk
    if not (own or can_see_branch(roles, member.branch_id)):
        raise Http404
    return member


# ---------------------------------------------------------------------------
# One member's result


@dataclass(frozen=True)
class GroupScore:
    key: str
    label: str
    weight: str
    count: int
    expected: int | None
    score: Decimal | None  # rounded to two places; None when not rated or withheld
    withheld: bool  # an anonymous group below the threshold: only its completion is shown


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    maximum: Decimal
    subtotal: Decimal

    @property
    def percent(self) -> int:
        return int(self.subtotal * 100 / self.maximum) if self.maximum else 0


def result_for_member(*, period: Period, member_id: int) -> Result | None:
    return Result.objects.select_related("member", "branch", "group").filter(period=period, member_id=member_id).first()


def branch_result_count(*, period: Period, branch_id: int) -> int:
    return Result.objects.filter(period=period, branch_id=branch_id).count()


def expected_counts(members: Iterable[tuple[int, int, int | None]]) -> dict[int, dict[str, int]]:
    """How many ratings each member should receive per rater group, for
    (member id, branch id, group id) triples, in two GROUP BY queries."""
    members = list(members)
    if not members:
        return {}
    sizes = {
        (branch_id, group_id): n
        for branch_id, group_id, n in Member.objects.filter(branch_id__in={b for _m, b, _g in members}, is_active=True)
        .order_by()
        .values_list("branch_id", "group_id")
        .annotate(n=Count("pk"))
    }
    masses = dict(
        MassesRater.ratees.through.objects.filter(
            member_id__in=[m for m, _b, _g in members], massesrater__is_active=True
        )
        .order_by()
        .values_list("member_id")
        .annotate(n=Count("pk"))
    )
    return {
        member_id: {
            RaterGroup.SELF: 1,
            RaterGroup.PEER: max(sizes.get((branch_id, group_id), 0) - 1, 0),
            RaterGroup.MASSES: masses.get(member_id, 0),
            RaterGroup.ORG: 1,
        }
        for member_id, branch_id, group_id in members
    }


def group_scores(*, result: Result, weights: dict[str, Decimal], expected: dict[str, int] | None) -> list[GroupScore]:
    """The four rater groups' scores for a result, withholding anonymous means below the threshold."""
    # With the total and the weights known, showing the other groups' means would let a
    # reader work out a withheld one; so while any anonymous group is withheld, every
    # mean but the member's own self-assessment is withheld with it.
    # Nobody is an exception, the administrator included (DESIGN.md, scope rule).
    hide_breakdown = breakdown_withheld(result)
    rows = []
    for group in GROUPS:
        count = result.count_of(group)
        mean = result.score_of(group)
        withheld = hide_breakdown and group != RaterGroup.SELF and count > 0
        rows.append(
            GroupScore(
                key=group,
                label=str(GROUP_LABELS[group]),
                weight=weight_text(weights[group]),
                count=count,
                expected=expected.get(group) if expected else None,
                score=None if withheld or mean is None else scoring.round_half_up(mean),
                withheld=withheld,
            )
        )
    return rows


def breakdown_withheld(result: Result) -> bool:
    """Whether an anonymous group has ratings, but fewer than the threshold."""
    return any(0 < result.count_of(group) < ANONYMITY_MIN for group in ANONYMOUS_GROUPS)


def attach_group_scores(results: list[Result], *, period: Period) -> list[Result]:
    """Give each result of a page its ``group_score_list`` (two queries for the whole page)."""
    expected = expected_counts((r.member_id, r.branch_id, r.group_id) for r in results)
    weights = period.weights
    for r in results:
        r.group_score_list = group_scores(result=r, weights=weights, expected=expected.get(r.member_id))
    return results


def area_rows(*, period: Period, member_id: int) -> list[AreaRow]:
    """The member's area subtotals, computed on demand from their ratings (two queries).

    Only each rating's group and item scores are read, never who gave it.
    """
    items = list(
        period.rubric.items.order_by("area__position", "area__code").values_list(
            "code", "area__code", "area__name", "max_score"
        )
    )
    item_areas = {code: area for code, area, _name, _max in items}
    areas: dict[str, list] = {}
    for _code, area, name, maximum in items:
        entry = areas.setdefault(area, [name, Decimal(0)])
        entry[1] += maximum
    ratings = [
        (group, {code: Decimal(str(score)) for code, score in scores.items()})
        for group, scores in Rating.objects.filter(period=period, ratee_id=member_id, withdrawn=False)
        .order_by()
        .values_list("rater_group", "scores")
    ]
    if not ratings:
        return []
    subtotals = scoring.area_subtotals(ratings, item_areas, period.weights)
    return [
        AreaRow(code=code, name=name, maximum=maximum, subtotal=subtotals.get(code, Decimal("0.00")))
        for code, (name, maximum) in areas.items()
    ]


# ---------------------------------------------------------------------------
# Rankings


@dataclass(frozen=True)
class TeamRow:
    result: Result
    rank: int


def team_ranking(*, period: Period, group_id: int) -> list[TeamRow]:
    """The team's results with competition ranks computed from the team's own totals."""
    results = list(
        Result.objects.filter(period=period, group_id=group_id)
        .select_related("member")
        .order_by("-total", "member__employee_no")
    )
    ranks = scoring.competition_ranks([(r.pk, r.total) for r in results])
    return [TeamRow(result=r, rank=ranks[r.pk]) for r in results]


def branch_results(*, period: Period, branch_id: int, group_id: int | None = None, flag: str | None = None):
    qs = Result.objects.filter(period=period, branch_id=branch_id).select_related("member", "group")
    if group_id:
        qs = qs.filter(group_id=group_id)
    if flag in FLAGS:
        qs = qs.filter(flag=flag)
    return qs.order_by("rank_branch", "member__employee_no")


def company_results(*, period: Period, branch_id: int | None = None, flag: str | None = None):
    qs = Result.objects.filter(period=period).select_related("member", "branch", "group")
    if branch_id:
        qs = qs.filter(branch_id=branch_id)
    if flag in FLAGS:
        qs = qs.filter(flag=flag)
    return qs.order_by("rank_company", "member__employee_no")


def flag_counts(*, period: Period, branch_id: int | None = None) -> dict[str, int]:
    qs = Result.objects.filter(period=period)
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    counts = dict.fromkeys(FLAGS, 0)
    for flag, n in qs.order_by().values_list("flag").annotate(n=Count("pk")):
        counts[flag] = n
    return counts


@dataclass(frozen=True)
class BranchFlags:
    branch_id: int
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def red_percent(self) -> int:
        return round(100 * self.counts[FLAGS[0]] / self.total) if self.total else 0


def company_flag_distribution(*, period: Period) -> list[BranchFlags]:
    """Flags per branch for the company view, in one GROUP BY query."""
    rows = (
        Result.objects.filter(period=period)
        .order_by()
        .values_list("branch_id", "branch__name", "branch__sort_order", "flag")
        .annotate(n=Count("pk"))
    )
    by_branch: dict[int, dict] = {}
    for branch_id, name, sort_order, flag, n in rows:
        entry = by_branch.setdefault(branch_id, {"name": name, "order": sort_order, "counts": dict.fromkeys(FLAGS, 0)})
        entry["counts"][flag] = n
    ordered = sorted(by_branch.items(), key=lambda item: (item[1]["order"], item[1]["name"]))
    return [BranchFlags(branch_id=pk, name=e["name"], counts=e["counts"]) for pk, e in ordered]


# ---------------------------------------------------------------------------
# The flag board (评比台)


def flagboard_members(*, period: Period, branch_id: int, group_id: int | None = None) -> QuerySet[Member]:
    """The branch's members on the roll, each with ``flag`` (None when they have no
    result), by Party group and then red to grey, in one query with a LEFT JOIN."""
    flag_order = Case(
        *[When(result__flag=flag, then=Value(i)) for i, flag in enumerate(FLAGS)],
        default=Value(len(FLAGS)),
        output_field=IntegerField(),
    )
    qs = (
        Member.objects.filter(branch_id=branch_id, is_active=True)
        .annotate(result=FilteredRelation("results", condition=Q(results__period_id=period.pk)))
        .annotate(flag=F("result__flag"), flag_order=flag_order)
        .select_related("group")
    )
    if group_id:
        qs = qs.filter(group_id=group_id)
    return qs.order_by(
        F("group__sort_order").asc(nulls_last=True), "group__name", "group_id", "flag_order", "employee_no"
    ).only("pk", "name", "employee_no", "group__name", "group__sort_order")


def flagboard_counts(members: QuerySet[Member]) -> dict[str, int]:
    """How many members of the board carry each flag, and how many have none (one query)."""
    counts = {**dict.fromkeys(FLAGS, 0), NOT_RATED: 0}
    for flag, n in members.order_by().values_list("flag").annotate(n=Count("pk")):
        counts[flag or NOT_RATED] += n
    return counts


def rankings_scope_for_user(*, user: User, period: Period, branch_param: str) -> tuple[int | None, bool]:
    """(branch id or None for the whole company, whether the company rank is shown) for this
    user's rankings download, or 403 / 404. The one place the download's scope is decided."""
    roles = get_roles(user)
    value = (branch_param or "").strip()
    if roles.is_admin:
        if not value:
            return None, True
        if not value.isdigit() or not Branch.objects.filter(pk=int(value)).exists():
            raise Http404
        return int(value), True
    if roles.committee_branch_id is None:
        raise PermissionDenied
    # The committee sees its own branch, and only published results; the company
    # rank is for administrators.
    if not period.is_published or value not in ("", str(roles.committee_branch_id)):
        raise Http404
    return roles.committee_branch_id, False
