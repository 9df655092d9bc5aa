"""The trends pages: who may open them, what their tables say, and their empty states."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from assessment.models import AreaAverage, Period, RaterGroup
from assessment.services.results import results_compute, results_publish
from assessment.tests.factories import PeriodFactory, closed, rate

pytestmark = pytest.mark.django_db

SELF, PEER, ORG = RaterGroup.SELF, RaterGroup.PEER, RaterGroup.ORG


def publish_year(org, year: int, totals: dict, *, capture) -> Period:
    """A period of ``year`` rated by the organisation with ``totals`` (member -> total),
    plus two peer ratings of the leader (their breakdown withheld), published."""
    period = PeriodFactory(
        code=str(year),
        name=f"{year}年度党员量化考核",
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
    )
    for member, total in totals.items():
        rate(period, member, ORG, total)
    for rater in (org.member, org.groupmate):
        rate(period, org.leader, PEER, 75, rater_member=rater)
    closed(period)
    with capture(execute=True):
        results_publish(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    return period


@pytest.fixture
def two_years(org, django_capture_on_commit_callbacks):
    """2025: member red (95), groupmate yellow (85), leader blue (75), member_b grey (60);
    2026: member red (92), groupmate red (91), leader blue (peers 75, organisation 80:
    77.86), member_b blue (72)."""
    cap = django_capture_on_commit_callbacks
    first = publish_year(org, 2025, {org.member: 95, org.groupmate: 85, org.leader: 75, org.member_b: 60}, capture=cap)
    second = publish_year(org, 2026, {org.member: 92, org.groupmate: 91, org.leader: 80, org.member_b: 72}, capture=cap)
    return first, second


def company_url(year=None) -> str:
    url = reverse("assessment:trends_company")
    return f"{url}?year={year}" if year else url


def branch_url(branch) -> str:
    return reverse("assessment:trends_branch", args=[branch.pk])


def rows(html: str, testid: str) -> list[list[str]]:
    """The text of each cell of the table rows marked ``testid``."""
    found = []
    for row in re.findall(rf'<tr data-testid="{testid}">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return found


def chart(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


# --- who may open them --------------------------------------------------------------


def test_the_company_page_is_for_administrators(org, two_years, client_for):
    assert client_for(org.admin).get(company_url()).status_code == 200
    for who in (org.secretary, org.committee, org.member, org.masses):
        assert client_for(who).get(company_url()).status_code == 403


def test_a_branch_page_is_for_its_committee_and_administrators(org, two_years, client_for):
    assert client_for(org.admin).get(branch_url(org.branch_a)).status_code == 200
    assert client_for(org.admin).get(branch_url(org.branch_b)).status_code == 200
    for who in (org.secretary, org.committee):
        assert client_for(who).get(branch_url(org.branch_a)).status_code == 200
        assert client_for(who).get(branch_url(org.branch_b)).status_code == 404
    for who in (org.member, org.leader, org.masses):
        assert client_for(who).get(branch_url(org.branch_a)).status_code == 404
    assert client_for(org.other_secretary).get(branch_url(org.branch_a)).status_code == 404
    assert client_for(org.admin).get(reverse("assessment:trends_branch", args=[999999])).status_code == 404


def test_visitors_are_sent_to_log_in(client, two_years, org):
    for url in (company_url(), branch_url(org.branch_a)):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


# --- what they show ---------------------------------------------------------------------


def test_the_company_page_shows_the_latest_period_beside_the_one_before(org, two_years, client_for):
    html = client_for(org.admin).get(company_url()).content.decode()
    # Branch, red, yellow, blue, grey, members, red share with its change (2025: 1 of 3 red).
    assert rows(html, "trend-flag-row") == [
        [org.branch_a.name, "2", "0", "1", "0", "3", "67% ↑+34"],
        [org.branch_b.name, "0", "0", "1", "0", "1", "0% →0"],
    ]
    data = chart(html, "trend-flags")
    assert data["labels"] == [org.branch_a.name, org.branch_b.name]
    assert [s["data"] for s in data["series"]] == [[2, 0], [0, 0], [1, 1], [0, 0]]
    # The area table: each branch's stored averages (the leader left out: two peer ratings).
    areas = rows(html, "trend-area-row")
    second = two_years[1]
    a = AreaAverage.objects.filter(period=second, branch=org.branch_a).order_by("position")
    assert [cell.split()[0] for cell in areas[0][1:-1]] == [str(x.average) for x in a]
    assert areas[0][-1] == "2"  # members counted
    assert 'data-testid="trend-withheld"' in html


def test_the_company_page_shows_a_chosen_period(org, two_years, client_for):
    html = client_for(org.admin).get(company_url(2025)).content.decode()
    assert rows(html, "trend-flag-row")[0] == [org.branch_a.name, "1", "1", "1", "0", "3", "33%"]
    assert 'aria-current="page">2025<' in html
    # An unknown year shows the latest.
    html = client_for(org.admin).get(company_url("nonsense")).content.decode()
    assert 'aria-current="page">2026<' in html


def test_the_branch_page_shows_each_period_and_the_company_average(org, two_years, client_for):
    html = client_for(org.secretary).get(branch_url(org.branch_a)).content.decode()
    assert rows(html, "trend-flag-row") == [
        ["2025", "1", "1", "1", "0", "3", "33%"],
        ["2026", "2", "0", "1", "0", "3", "67% ↑+34"],
    ]
    first, second = two_years
    table = rows(html, "trend-area-row")
    mine = {
        p.pk: {x.area_code: str(x.average) for x in AreaAverage.objects.filter(period=p, branch=org.branch_a)}
        for p in two_years
    }
    areas = AreaAverage.objects.filter(period=second, branch=org.branch_a).order_by("position")
    for row, area in zip(table, areas, strict=True):
        assert row[0] == area.area_name
        assert row[1:3] == [mine[first.pk][area.area_code], mine[second.pk][area.area_code]]
    data = chart(html, "trend-areas")
    assert [s["label"] for s in data["series"]] == [
        "2025",
        "2026",
        _("Company average, %(period)s") % {"period": "2026"},
    ]
    assert 'data-testid="trend-withheld"' in html  # the leader, both years
    assert "2026" in html and org.branch_b.name not in html


def test_the_administrator_switches_branches_on_the_branch_page(org, two_years, client_for):
    html = client_for(org.admin).get(branch_url(org.branch_a)).content.decode()
    assert f'value="{branch_url(org.branch_b)}"' in html
    html = client_for(org.secretary).get(branch_url(org.branch_a)).content.decode()
    assert 'id="trend-branch"' not in html


def test_only_published_periods_are_shown(org, two_years, client_for):
    later = PeriodFactory(
        code="2027", starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31), name="2027年度"
    )
    rate(later, org.member, ORG, 50)
    results_compute(actor=org.admin, period_id=closed(later).pk)
    html = client_for(org.admin).get(company_url()).content.decode()
    assert ">2027<" not in html and 'aria-current="page">2026<' in html
    html = client_for(org.admin).get(branch_url(org.branch_a)).content.decode()
    assert [r[0] for r in rows(html, "trend-flag-row")] == ["2025", "2026"]


# --- empty states -----------------------------------------------------------------------


def test_with_no_published_period_both_pages_say_so(org, client_for):
    for url in (company_url(), branch_url(org.branch_a)):
        response = client_for(org.admin).get(url)
        assert response.status_code == 200
        assert 'data-testid="trends-empty"' in response.content.decode()


def test_with_one_period_the_pages_say_changes_come_with_the_second(
    org, client_for, django_capture_on_commit_callbacks
):
    publish_year(org, 2026, {org.member: 92, org.member_b: 72}, capture=django_capture_on_commit_callbacks)
    for url in (company_url(), branch_url(org.branch_a)):
        html = client_for(org.admin).get(url).content.decode()
        assert 'data-testid="trends-one-period"' in html
        assert "↑" not in html and "↓" not in html


def test_a_period_published_before_the_averages_existed_says_they_are_missing(org, two_years, client_for):
    AreaAverage.objects.all().delete()
    html = client_for(org.admin).get(company_url()).content.decode()
    assert 'data-testid="trend-areas-empty"' in html and 'data-testid="trend-flags-table"' in html
    html = client_for(org.admin).get(branch_url(org.branch_a)).content.decode()
    assert 'data-testid="trend-areas-empty"' in html


def test_a_branch_without_results_says_so(org, two_years, client_for):
    from members.tests.factories import BranchFactory

    empty = BranchFactory(name="新党支部")
    html = client_for(org.admin).get(branch_url(empty)).content.decode()
    assert 'data-testid="trend-flags-empty"' in html and 'data-testid="trend-areas-empty"' in html


def test_the_pages_read_a_fixed_number_of_queries(org, two_years, client_for, django_assert_max_num_queries):
    client = client_for(org.admin)
    client.get(company_url())
    with django_assert_max_num_queries(12):
        client.get(company_url())
    with django_assert_max_num_queries(12):
        client.get(branch_url(org.branch_a))


def test_the_results_pages_link_to_the_trends(org, two_years, client_for):
    first, second = two_years
    index = reverse("assessment:result_index")
    html = client_for(org.admin).get(index).content.decode()
    assert f'href="{company_url()}"' in html
    html = client_for(org.secretary).get(index).content.decode()
    assert f'href="{branch_url(org.branch_a)}"' in html
    html = client_for(org.member).get(index).content.decode()
    assert 'data-testid="link-trends"' not in html
    html = client_for(org.admin).get(reverse("assessment:result_company", args=[second.code])).content.decode()
    assert f'href="{company_url()}"' in html
    html = client_for(org.secretary).get(reverse("assessment:result_branch", args=[second.code, org.branch_a.pk]))
    assert f'href="{branch_url(org.branch_a)}"' in html.content.decode()


def test_with_many_branches_the_area_chart_gives_each_branch_a_row():
    from decimal import Decimal

    from assessment.selectors import trends as selectors
    from assessment.views.trends import GROUPED_BRANCHES, _company_area_chart

    areas = [selectors.Area(code="A", name="甲"), selectors.Area(code="B", name="乙")]

    def year(n):
        rows = [
            selectors.AreaRow(
                branch=selectors.BranchFlags(branch_id=i, name=f"支部{i}", sort_order=i),
                members=3,
                cells=[(Decimal(i), None), (Decimal(i + 1), None)],
            )
            for i in range(n)
        ]
        return selectors.CompanyYear(
            period=None,
            before=None,
            flag_rows=[],
            company=selectors.FlagYear(),
            company_red_change=None,
            areas=areas,
            area_rows=rows,
            company_cells=[],
            withheld=0,
        )

    few = _company_area_chart(year(GROUPED_BRANCHES))
    assert few["labels"] == ["甲", "乙"] and len(few["series"]) == GROUPED_BRANCHES
    many = _company_area_chart(year(GROUPED_BRANCHES + 1))
    assert many["horizontal"] and many["labels"][0] == "支部0" and [s["label"] for s in many["series"]] == ["甲", "乙"]
    assert many["series"][1]["data"][:2] == [Decimal(1), Decimal(2)]
