"""Results pages: who may open which page (the scope rule), when (publication), what
they show (anonymity), and that their queries do not grow with the number of members."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Period, RaterGroup, Result
from assessment.selectors import results as result_selectors
from assessment.services import results as result_services
from assessment.services.periods import period_close
from assessment.tests.factories import PeriodFactory, closed, rate
from members.models import Member
from members.tests.factories import BranchFactory, MemberFactory, PartyGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["member", "groupmate", "leader", "secretary", "committee", "other_secretary", "member_b", "masses", "admin"]


def user_of(org, who):
    return org.admin if who == "admin" else getattr(org, who)


def seed_ratings(org, period):
    """member red (92.7), groupmate yellow, leader blue, secretary grey, committee red;
    member_a2 has no rating; branch B: other_secretary red, member_b yellow."""
    rate(period, org.member, RaterGroup.SELF, 95, rater_member=org.member)
    for peer in (org.groupmate, org.leader, org.secretary):
        rate(period, org.member, RaterGroup.PEER, 92, rater_member=peer)
    rate(period, org.member, RaterGroup.MASSES, 90, rater_masses=org.masses)
    rate(period, org.member, RaterGroup.ORG, 94)
    for peer in (org.member, org.leader):
        rate(period, org.groupmate, RaterGroup.PEER, 84, rater_member=peer)
    rate(period, org.groupmate, RaterGroup.ORG, 85)
    for who, total in ((org.leader, 75), (org.secretary, 60), (org.committee, 91)):
        rate(period, who, RaterGroup.ORG, total)
    rate(period, org.other_secretary, RaterGroup.ORG, 93)
    rate(period, org.member_b, RaterGroup.ORG, 81)


def computed_period(org, **kwargs):
    period = PeriodFactory(**kwargs)
    seed_ratings(org, period)
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    period.refresh_from_db()
    return period


def published_period(org, **kwargs):
    period = PeriodFactory(**kwargs)
    seed_ratings(org, period)
    period_close(actor=org.admin, period_id=period.pk)
    result_services.results_publish(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    return period


@pytest.fixture
def published(org):
    return published_period(org)


def urls_for(org, period):
    code = period.code
    return {
        "index": reverse("assessment:result_index"),
        "mine": reverse("assessment:result_mine", args=[code]),
        "member": reverse("assessment:result_member", args=[code, org.member.pk]),
        "team": reverse("assessment:result_team", args=[code]),
        "team_group": reverse("assessment:result_team_group", args=[code, org.group_a1.pk]),
        "branch": reverse("assessment:result_branch", args=[code, org.branch_a.pk]),
        "company": reverse("assessment:result_company", args=[code]),
        "company_ranking": reverse("assessment:result_company_ranking", args=[code]),
        "flagboard": reverse("assessment:flagboard", args=[code, org.branch_a.pk]),
        "flagboard_wall": reverse("assessment:flagboard_wall", args=[code, org.branch_a.pk]),
    }


# Expected status per page and persona once the period is published.
# secretary sits in group A1 and on branch A's committee; committee is in group A2.
SCOPE = {
    "index": dict.fromkeys(PERSONAS, 200) | {"masses": 403},
    "mine": dict.fromkeys(PERSONAS, 200) | {"masses": 404, "admin": 404},
    "member": {
        "member": 302,
        "groupmate": 404,
        "leader": 404,
        "secretary": 200,
        "committee": 200,
        "other_secretary": 404,
        "member_b": 404,
        "masses": 404,
        "admin": 200,
    },
    "team": dict.fromkeys(PERSONAS, 200) | {"masses": 404, "admin": 404},
    "team_group": dict.fromkeys(PERSONAS, 200) | {"other_secretary": 404, "member_b": 404, "masses": 404},
    "branch": dict.fromkeys(PERSONAS, 404) | {"secretary": 200, "committee": 200, "admin": 200},
    "company": dict.fromkeys(PERSONAS, 403) | {"admin": 200},
    "company_ranking": dict.fromkeys(PERSONAS, 403) | {"admin": 200},
    "flagboard": dict.fromkeys(PERSONAS, 200) | {"other_secretary": 404, "member_b": 404, "masses": 404},
    "flagboard_wall": dict.fromkeys(PERSONAS, 200) | {"other_secretary": 404, "member_b": 404, "masses": 404},
}


@pytest.mark.parametrize("who", PERSONAS)
def test_every_results_page_applies_the_scope_rule(client_for, org, published, who):
    client = client_for(user_of(org, who))
    urls = urls_for(org, published)
    got = {page: client.get(url).status_code for page, url in urls.items()}
    assert got == {page: SCOPE[page][who] for page in urls}


@pytest.mark.parametrize("who", ["member", "groupmate", "leader", "member_b", "masses"])
def test_someone_elses_member_group_or_branch_id_is_not_found(client_for, org, published, who):
    client = client_for(user_of(org, who))
    code = published.code
    others = {
        "member": (org.member_a2, org.group_a2, org.branch_b),
        "groupmate": (org.member, org.group_b1, org.branch_b),
        "leader": (org.groupmate, org.group_a2, org.branch_b),
        "member_b": (org.member, org.group_a1, org.branch_a),
        "masses": (org.member, org.group_a1, org.branch_a),
    }[who]
    member, group, branch = others
    for url in (
        reverse("assessment:result_member", args=[code, member.pk]),
        reverse("assessment:result_team_group", args=[code, group.pk]),
        reverse("assessment:result_branch", args=[code, branch.pk]),
        reverse("assessment:flagboard", args=[code, branch.pk]),
        reverse("assessment:flagboard_wall", args=[code, branch.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert member.name.encode() not in response.content


def test_unknown_period_or_ids_are_not_found(client_for, org, published):
    client = client_for(org.admin)
    assert client.get(reverse("assessment:result_company", args=["1999"])).status_code == 404
    assert client.get(reverse("assessment:result_member", args=[published.code, 999999])).status_code == 404
    assert client.get(reverse("assessment:result_branch", args=[published.code, 999999])).status_code == 404
    assert client.get(reverse("assessment:result_team_group", args=[published.code, 999999])).status_code == 404


def test_a_draft_period_is_hidden_from_members(client_for, org):
    period = PeriodFactory(code="2031", state=Period.State.DRAFT)
    response = client_for(org.member).get(reverse("assessment:result_mine", args=[period.code]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, org, published):
    for url in urls_for(org, published).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the member's own result ----------------------------------------------------------


def test_member_sees_total_flag_rank_and_area_subtotals_once_published(client_for, org, published):
    response = client_for(org.member).get(reverse("assessment:result_mine", args=[published.code]))
    result = response.context["result"]
    assert result.total == Decimal("92.70") and result.flag == "red" and result.rank_branch == 1
    assert response.context["branch_count"] == 5
    content = response.content.decode()
    assert 'data-testid="result-total">92.70<' in content
    assert 'data-flag="red"' in content
    assert "result-rank-company" not in content  # the company rank is for administrators
    # One masses rating only: the area subtotals would give it away, so they are withheld.
    assert response.context["areas"] == [] and response.context["breakdown_withheld"]
    assert 'data-testid="areas-withheld"' in content
    # The administrator is no exception: the breakdown would give the masses rater's score away.
    admin = client_for(org.admin).get(reverse("assessment:result_member", args=[published.code, org.member.pk]))
    assert admin.context["areas"] == [] and admin.context["breakdown_withheld"]
    areas = result_selectors.area_rows(period=published, member_id=org.member.pk)
    assert [a.code for a in areas] == ["A", "B", "C", "D", "E", "F", "G"]
    assert sum(a.maximum for a in areas) == 100
    # The subtotals add up to the unrounded total, each rounded on its own.
    assert abs(sum(a.subtotal for a in areas) - result.total) <= Decimal("0.04")


def test_masses_mean_below_three_ratings_is_withheld_from_the_member(client_for, org, published):
    response = client_for(org.member).get(reverse("assessment:result_mine", args=[published.code]))
    groups = {g.key: g for g in response.context["groups"]}
    assert groups["masses"].withheld and groups["masses"].score is None
    assert (groups["masses"].count, groups["masses"].expected) == (1, 1)
    # With the total known, the other means would let the member work the masses mean out,
    # so they are withheld with it; the member's own self-assessment stays.
    assert groups["peer"].withheld and groups["org"].withheld
    assert groups["self"].score == Decimal("95.00")
    content = response.content.decode()
    assert 'data-testid="withheld-masses"' in content
    assert 'data-testid="score-masses"' not in content
    assert "90.00" not in content and "92.00" not in content and "94.00" not in content


def test_administrator_sees_the_company_rank_but_no_mean_below_three_ratings(client_for, org, published):
    url = reverse("assessment:result_member", args=[published.code, org.member.pk])
    response = client_for(org.admin).get(url)
    groups = {g.key: g for g in response.context["groups"]}
    # One masses rating: its mean is that rater's score, so the administrator is not shown it either.
    assert groups["masses"].score is None and groups["masses"].withheld
    assert b"result-rank-company" in response.content


def test_secretary_sees_a_branch_members_result_but_not_the_withheld_mean(client_for, org, published):
    url = reverse("assessment:result_member", args=[published.code, org.groupmate.pk])
    response = client_for(org.secretary).get(url)
    groups = {g.key: g for g in response.context["groups"]}
    assert groups["peer"].withheld and (groups["peer"].count, groups["peer"].expected) == (2, 3)
    assert b'data-testid="withheld-peer"' in response.content


def test_a_members_result_page_never_names_a_rater(client_for, org, published):
    """Neither the member nor the administrator is shown who gave member's ratings."""
    raters = [org.groupmate.name, org.leader.name, org.secretary.name, org.masses.name]
    urls = urls_for(org, published)
    pages = [client_for(org.member).get(urls["mine"]), client_for(org.admin).get(urls["member"])]
    for response in pages:
        content = response.content.decode()
        assert org.member.name in content or "result-total" in content
        assert not [name for name in raters if name in content]


def test_before_publication_members_see_that_results_are_not_published(client_for, org):
    period = computed_period(org)
    client = client_for(org.member)
    for name in ("assessment:result_mine", "assessment:result_team"):
        response = client.get(reverse(name, args=[period.code]))
        assert response.status_code == 200
        assert b'data-testid="results-pending"' in response.content
        assert "result" not in response.context or response.context.get("result") is None
        assert b"92.70" not in response.content
    board = client.get(reverse("assessment:flagboard", args=[period.code, org.branch_a.pk]))
    assert b'data-testid="results-pending"' in board.content and b"board-tile" not in board.content


def test_before_publication_the_secretary_sees_neither_ranking_nor_member_results(client_for, org):
    period = computed_period(org)
    client = client_for(org.secretary)
    for url in (
        reverse("assessment:result_branch", args=[period.code, org.branch_a.pk]),
        reverse("assessment:result_member", args=[period.code, org.member.pk]),
        reverse("assessment:result_team_group", args=[period.code, org.group_a1.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b'data-testid="results-pending"' in response.content
        assert b"92.70" not in response.content


def test_before_publication_the_administrator_previews_marked_not_published(client_for, org):
    period = computed_period(org)
    client = client_for(org.admin)
    response = client.get(reverse("assessment:result_member", args=[period.code, org.member.pk]))
    assert b'data-testid="not-published"' in response.content
    assert response.context["result"].total == Decimal("92.70")


def test_before_computation_the_administrator_is_told_so(client_for, org):
    period = PeriodFactory()
    response = client_for(org.admin).get(reverse("assessment:result_company", args=[period.code]))
    assert b'data-testid="results-pending"' in response.content


def test_member_without_ratings_is_told_there_is_no_result(client_for, org, published):
    response = client_for(org.member_a2).get(reverse("assessment:result_mine", args=[published.code]))
    assert response.context["result"] is None
    assert b'data-testid="no-result"' in response.content


# --- the team ranking (小队公示) -------------------------------------------------------


def test_team_ranking_ranks_within_the_team(client_for, org, published):
    response = client_for(org.groupmate).get(reverse("assessment:result_team", args=[published.code]))
    rows = [(row.result.member, row.rank) for row in response.context["page"].object_list]
    # Group A1: member 92.70, groupmate 84.57, leader 75, secretary 60.
    assert rows == [(org.member, 1), (org.groupmate, 2), (org.leader, 3), (org.secretary, 4)]
    content = response.content.decode()
    assert org.committee.name not in content  # in group A2
    assert 'data-testid="team-me"' in content


def test_team_ranking_shares_ranks_on_equal_totals(client_for, org):
    period = PeriodFactory()
    for who, total in ((org.member, 80), (org.groupmate, 90), (org.leader, 80), (org.secretary, 70)):
        rate(period, who, RaterGroup.ORG, total)
    period_close(actor=org.admin, period_id=period.pk)
    result_services.results_publish(actor=org.admin, period_id=period.pk)
    response = client_for(org.member).get(reverse("assessment:result_team", args=[period.code]))
    ranks = {row.result.member: row.rank for row in response.context["page"].object_list}
    assert ranks == {org.groupmate: 1, org.member: 2, org.leader: 2, org.secretary: 4}


def test_member_without_a_group_has_no_team_ranking(client_for, org, published):
    loner = MemberFactory(branch=org.branch_a, group=None)
    response = client_for(loner).get(reverse("assessment:result_team", args=[published.code]))
    assert response.status_code == 200 and b'data-testid="no-team"' in response.content


# --- the branch and company rankings ----------------------------------------------------


def test_branch_ranking_filters_by_group_and_flag(client_for, org, published):
    client = client_for(org.secretary)
    url = reverse("assessment:result_branch", args=[published.code, org.branch_a.pk])
    names = lambda r: [x.member for x in r.context["results"]]  # noqa: E731
    assert names(client.get(url)) == [org.member, org.committee, org.groupmate, org.leader, org.secretary]
    assert names(client.get(url, {"group": org.group_a2.pk})) == [org.committee]
    assert names(client.get(url, {"flag": "red"})) == [org.member, org.committee]
    assert names(client.get(url, {"flag": "purple", "group": "x"})) == names(client.get(url))
    empty = client.get(url, {"flag": "blue", "group": org.group_a2.pk})
    assert b'data-testid="ranking-empty"' in empty.content


def test_branch_ranking_withholds_anonymous_means_below_three_ratings(client_for, org, published):
    url = reverse("assessment:result_branch", args=[published.code, org.branch_a.pk])
    secretary = client_for(org.secretary).get(url)
    by_member = {r.member: {g.key: g for g in r.group_score_list} for r in secretary.context["results"]}
    assert by_member[org.member]["masses"].withheld
    assert by_member[org.member]["peer"].withheld  # withheld with it: it would reveal the masses mean
    assert by_member[org.groupmate]["peer"].withheld
    assert b"90.00" not in secretary.content
    admin = client_for(org.admin).get(url)
    by_member = {r.member: {g.key: g for g in r.group_score_list} for r in admin.context["results"]}
    assert by_member[org.member]["masses"].withheld and by_member[org.member]["masses"].score is None


def test_company_ranking_lists_every_branch_and_filters(client_for, org, published):
    client = client_for(org.admin)
    url = reverse("assessment:result_company_ranking", args=[published.code])
    response = client.get(url)
    assert [r.rank_company for r in response.context["results"]] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.member for r in client.get(url, {"branch": org.branch_b.pk}).context["results"]] == [
        org.other_secretary,
        org.member_b,
    ]
    assert len(client.get(url, {"flag": "yellow"}).context["results"]) == 2


def test_company_view_counts_flags_per_branch_and_feeds_the_chart(client_for, org, published):
    response = client_for(org.admin).get(reverse("assessment:result_company", args=[published.code]))
    rows = {r.name: r.counts for r in response.context["rows"]}
    assert rows == {
        org.branch_a.name: {"red": 2, "yellow": 1, "blue": 1, "grey": 1},
        org.branch_b.name: {"red": 1, "yellow": 1, "blue": 0, "grey": 0},
    }
    chart = response.context["chart"]
    assert chart["branches"] == [org.branch_a.name, org.branch_b.name]
    assert [s["flag"] for s in chart["series"]] == ["red", "yellow", "blue", "grey"]
    assert chart["series"][0]["counts"] == [2, 1]
    content = response.content.decode()
    assert 'id="flag-chart-data"' in content and "vendor/chartjs/chart.umd.min.js" in content
    assert 'data-testid="company-table"' in content  # the same numbers without JavaScript


def test_index_lists_the_pages_each_role_reaches(client_for, org, published):
    member = client_for(org.member).get(reverse("assessment:result_index")).content.decode()
    assert 'data-testid="link-mine"' in member and 'data-testid="link-company"' not in member
    assert 'data-testid="link-branch"' not in member
    secretary = client_for(org.secretary).get(reverse("assessment:result_index")).content.decode()
    assert 'data-testid="link-branch"' in secretary
    admin = client_for(org.admin).get(reverse("assessment:result_index")).content.decode()
    assert 'data-testid="link-company"' in admin and 'data-testid="link-mine"' not in admin


# --- bounded queries --------------------------------------------------------------------


def build_branch(n, code):
    """A branch of n members in two groups, each rated by the organisation and two peers,
    with a published period; returns (branch, a member, the secretary, the period)."""
    branch = BranchFactory()
    groups = [PartyGroupFactory(branch=branch), PartyGroupFactory(branch=branch)]
    members = [MemberFactory(branch=branch, group=groups[i % 2]) for i in range(n)]
    secretary = members[0]
    secretary.committee_role = Member.CommitteeRole.SECRETARY
    secretary.save()
    period = PeriodFactory(code=code)
    for i, member in enumerate(members):
        rate(period, member, RaterGroup.ORG, 60 + (i * 7) % 40)
        rate(period, member, RaterGroup.SELF, 90, rater_member=member)
        rate(period, member, RaterGroup.PEER, 80, rater_member=members[(i + 2) % n])
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    period_close(actor=admin, period_id=period.pk)
    result_services.results_publish(actor=admin, period_id=period.pk)
    return branch, groups[0], members[2], secretary, admin, period


def page_urls(branch, group, member, period):
    code = period.code
    return {
        "index": reverse("assessment:result_index"),
        "mine": reverse("assessment:result_mine", args=[code]),
        "member": reverse("assessment:result_member", args=[code, member.pk]),
        "team": reverse("assessment:result_team", args=[code]),
        "team_group": reverse("assessment:result_team_group", args=[code, group.pk]),
        "branch": reverse("assessment:result_branch", args=[code, branch.pk]),
        "company": reverse("assessment:result_company", args=[code]),
        "company_ranking": reverse("assessment:result_company_ranking", args=[code]),
        "flagboard": reverse("assessment:flagboard", args=[code, branch.pk]),
        "flagboard_wall": reverse("assessment:flagboard_wall", args=[code, branch.pk]),
    }


VIEWER = {
    "index": "member",
    "mine": "member",
    "member": "admin",
    "team": "member",
    "team_group": "secretary",
    "branch": "secretary",
    "company": "admin",
    "company_ranking": "admin",
    "flagboard": "member",
    "flagboard_wall": "member",
}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_results_pages_issue_the_same_queries_at_5_and_30_members(client, db):
    counts = {}
    for n, code in ((5, "Q5"), (30, "Q30")):
        branch, group, member, secretary, admin, period = build_branch(n, code)
        viewers = {"member": member.user, "secretary": secretary.user, "admin": admin}
        counts[n] = {}
        for page, url in page_urls(branch, group, member, period).items():
            client.force_login(viewers[VIEWER[page]])
            counts[n][page] = count_queries(client, url)
        Result.objects.all().delete()  # the next company's pages start from the same place
    assert counts[5] == counts[30]
    assert max(counts[30].values()) <= 20, counts[30]


def test_rankings_download_is_offered_on_the_ranking_pages_once_there_are_results(client_for, org, published):
    branch = reverse("assessment:result_branch", args=[published.code, org.branch_a.pk])
    assert b'data-testid="rankings-download"' in client_for(org.secretary).get(branch).content
    company = reverse("assessment:result_company", args=[published.code])
    assert b'data-testid="rankings-download"' in client_for(org.admin).get(company).content
    pending = PeriodFactory(code="2030")
    url = reverse("assessment:result_company", args=[pending.code])
    assert b'data-testid="rankings-download"' not in client_for(org.admin).get(url).content
