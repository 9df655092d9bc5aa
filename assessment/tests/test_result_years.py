"""A member's years side by side on their result page: each published or final year's
total, ranks, flag and area subtotals with the change from the year before, and the
grades of that year's quarterly reports; unpublished years never shown; queries bounded."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Period, RaterGroup, Result
from assessment.selectors import results as result_selectors
from assessment.selectors import years as year_selectors
from assessment.services import results as result_services
from assessment.services.objections import results_finalize
from assessment.services.periods import period_close
from assessment.tests.factories import PeriodFactory, rate
from members.roles import get_roles
from study.models import QuarterlyReport
from study.tests.factories import QuarterlyReportFactory

pytestmark = pytest.mark.django_db

Grade, Status = QuarterlyReport.Grade, QuarterlyReport.Status


def rate_year(org, period, member_total, *, masses=False):
    """The member rated ``member_total`` by every group (peers three times, so their mean
    shows; with ``masses`` one masses rating, below the anonymity threshold); the groupmate
    85 by the organisation, so the member's branch rank follows their total."""
    rate(period, org.member, RaterGroup.SELF, member_total, rater_member=org.member)
    for peer in (org.groupmate, org.leader, org.secretary):
        rate(period, org.member, RaterGroup.PEER, member_total, rater_member=peer)
    if masses:
        rate(period, org.member, RaterGroup.MASSES, member_total, rater_masses=org.masses)
    rate(period, org.member, RaterGroup.ORG, member_total)
    rate(period, org.groupmate, RaterGroup.ORG, 85)
    rate(period, org.member_b, RaterGroup.ORG, 70)


def year(org, code, member_total, *, state=Period.State.FINAL, masses=False):
    y = int(code)
    period = PeriodFactory(
        code=code,
        name=f"{code}年度党员量化考核",
        starts_on=datetime.date(y, 1, 1),
        ends_on=datetime.date(y, 12, 31),
    )
    rate_year(org, period, member_total, masses=masses)
    if state == Period.State.OPEN:
        return period
    period_close(actor=org.admin, period_id=period.pk)
    if state == Period.State.CLOSED:
        result_services.results_compute(actor=org.admin, period_id=period.pk)
    else:
        result_services.results_publish(actor=org.admin, period_id=period.pk)
        if state == Period.State.FINAL:
            results_finalize(actor=org.admin, period_id=period.pk, early=True)
    period.refresh_from_db()
    return period


@pytest.fixture
def three_years(org):
    """2024 yellow (80, 2nd of 3), 2025 red (92, 1st), 2026 blue (75, 2nd, its breakdown
    withheld: one masses rating), 2027 computed but not published."""
    return {
        "2024": year(org, "2024", 80),
        "2025": year(org, "2025", 92),
        "2026": year(org, "2026", 75, state=Period.State.PUBLISHED, masses=True),
        "2027": year(org, "2027", 99, state=Period.State.CLOSED),
    }


def years_of(org, user):
    return year_selectors.member_years(member=org.member, roles=get_roles(user))


def test_published_and_final_years_side_by_side_oldest_first(org, three_years):
    years = years_of(org, org.member.user)
    assert [c.period.code for c in years.columns] == ["2024", "2025", "2026"]
    assert [c.result.total for c in years.columns] == [Decimal("80.00"), Decimal("92.00"), Decimal("75.00")]
    assert [c.result.flag for c in years.columns] == ["yellow", "red", "blue"]
    assert [c.result.rank_branch for c in years.columns] == [2, 1, 2]
    assert [c.branch_count for c in years.columns] == [2, 2, 2]
    assert not years.more


def test_each_year_shows_its_change_from_the_year_before(org, three_years):
    first, second, third = years_of(org, org.member.user).columns
    assert first.total_change is first.rank_change is first.flag_change is None
    assert (second.total_change.direction, second.total_change.amount) == ("up", Decimal("12.00"))
    assert (second.rank_change.direction, second.rank_change.amount) == ("up", 1)
    assert second.flag_change.direction == "up"
    assert (third.total_change.direction, third.total_change.amount) == ("down", Decimal("17.00"))
    assert (third.rank_change.direction, third.rank_change.amount) == ("down", 1)
    assert (third.flag_change.direction, third.flag_change.amount) == ("down", 2)  # red to blue


def test_an_unchanged_figure_says_so():
    assert year_selectors.Change.of(Decimal("0.00")).direction == "same"
    assert year_selectors.Change.of(-3) == year_selectors.Change("down", 3)


def test_area_subtotals_per_year_as_the_result_page_computes_them(org, three_years):
    years = years_of(org, org.member.user)
    for column, code in zip(years.columns[:2], ["2024", "2025"], strict=True):
        expected = result_selectors.area_rows(period=three_years[code], member_id=org.member.pk)
        assert expected
        assert {c: (a.subtotal, a.maximum) for c, a in column.areas.items()} == {
            row.code: (row.subtotal, row.maximum) for row in expected
        }
    codes = [line.code for line in years.area_lines]
    assert codes == [
        row.code for row in result_selectors.area_rows(period=three_years["2025"], member_id=org.member.pk)
    ]
    line = years.area_lines[0]
    (_w, before), (_w2, after) = line.cells[:2]
    assert after.change == year_selectors.Change.of(after.subtotal - before.subtotal)


def test_a_year_below_the_anonymity_threshold_withholds_its_area_subtotals(client_for, org, three_years):
    years = years_of(org, org.admin)
    last = years.columns[-1]
    assert result_selectors.breakdown_withheld(last.result)
    assert last.withheld and last.areas == {}
    assert all(line.cells[-1] == (True, None) for line in years.area_lines)
    html = client_for(org.member).get(reverse("assessment:result_mine", args=["2024"])).content.decode()
    assert html.count('data-testid="years-withheld"') == len(years.area_lines)
    assert 'data-testid="years-withheld-note"' in html


def test_the_company_rank_is_for_administrators_only(client_for, org, three_years):
    assert years_of(org, org.admin).company_rank
    assert not years_of(org, org.secretary.user).company_rank
    assert not years_of(org, org.member.user).company_rank
    url = reverse("assessment:result_member", args=["2025", org.member.pk])
    assert 'data-testid="years-rank-company"' in client_for(org.admin).get(url).content.decode()
    html = client_for(org.secretary).get(url).content.decode()
    assert 'data-testid="years-table"' in html
    assert 'data-testid="years-rank-company"' not in html
    html = client_for(org.member).get(reverse("assessment:result_mine", args=["2025"])).content.decode()
    assert 'data-testid="years-table"' in html
    assert 'data-testid="years-rank-company"' not in html


def test_report_grades_sit_in_their_quarter_of_their_year(org, three_years):
    def report(quarter, status, grade=""):
        QuarterlyReportFactory(member=org.member, quarter=quarter, status=status, grade=grade)

    report("2025Q2", Status.APPROVED, Grade.EXCELLENT)
    report("2024Q4", Status.APPROVED, Grade.BASIC)
    # Handed in again after being returned as unqualified: that grade is not its grade.
    report("2025Q3", Status.WITH_BRANCH, Grade.UNQUALIFIED)
    report("2025Q4", Status.DRAFT)
    report("2026Q1", Status.RETURNED, Grade.UNQUALIFIED)
    QuarterlyReportFactory(member=org.groupmate, quarter="2025Q1", status=Status.APPROVED, grade=Grade.QUALIFIED)

    lines = {line.number: line.cells for line in years_of(org, org.member.user).grade_lines}
    assert sorted(lines) == [1, 2, 3, 4]
    grades = {
        (code, n): (cell.grade, cell.status)
        for n, cells in lines.items()
        for code, cell in zip(["2024", "2025", "2026"], cells, strict=True)
        if cell is not None
    }
    assert grades == {
        ("2024", 4): (Grade.BASIC, Status.APPROVED),
        ("2025", 2): (Grade.EXCELLENT, Status.APPROVED),
        ("2025", 3): ("", Status.WITH_BRANCH),
    }
    assert lines[2][1].label == str(Grade.EXCELLENT.label)
    assert lines[3][1].label == str(Status.WITH_BRANCH.label)


@pytest.mark.parametrize("state", [Period.State.DRAFT, Period.State.OPEN, Period.State.CLOSED])
def test_an_unpublished_year_is_never_shown_to_a_member(client_for, org, state):
    year(org, "2025", 92)
    if state == Period.State.DRAFT:
        period = year(org, "2026", 75, state=Period.State.CLOSED)
        # Results left over in a period set back to preparation are not shown either.
        Period.objects.filter(pk=period.pk).update(state=Period.State.DRAFT)
    else:
        year(org, "2026", 75, state=state)
    assert [c.period.code for c in years_of(org, org.member.user).columns] == ["2025"]
    assert [c.period.code for c in years_of(org, org.admin).columns] == ["2025"]
    html = client_for(org.member).get(reverse("assessment:result_mine", args=["2025"])).content.decode()
    assert 'data-testid="year-2025"' in html
    assert 'data-testid="year-2026"' not in html


def test_no_section_without_a_published_year(client_for, org):
    year(org, "2026", 75, state=Period.State.CLOSED)
    assert years_of(org, org.member.user).columns == []
    html = client_for(org.member).get(reverse("assessment:result_mine", args=["2026"])).content.decode()
    assert 'data-testid="result-years"' not in html


def test_the_last_years_are_shown_and_the_oldest_still_has_its_change(org, three_years, monkeypatch):
    monkeypatch.setattr(year_selectors, "MAX_YEARS", 2)
    years = years_of(org, org.member.user)
    assert [c.period.code for c in years.columns] == ["2025", "2026"]
    assert years.more
    assert years.columns[0].total_change.direction == "up"  # from 2024, read but not shown


def test_a_rank_in_another_branch_is_not_compared(org, three_years):
    Result.objects.filter(period=three_years["2026"], member=org.member).update(branch=org.branch_b)
    last = years_of(org, org.member.user).columns[-1]
    assert last.rank_change is None and last.branch_changed
    assert last.total_change is not None


def test_the_page_shows_every_row(client_for, org, three_years):
    html = client_for(org.member).get(reverse("assessment:result_mine", args=["2026"])).content.decode()
    for testid in ("years-total", "years-rank", "years-flag", "years-q1", "years-q4"):
        assert f'data-testid="{testid}"' in html
    assert 'data-change="up"' in html and 'data-change="down"' in html
    assert 'data-testid="year-2027"' not in html
    # The other years link to their own result page; this one does not link to itself.
    assert reverse("assessment:result_mine", args=["2024"]) in html
    assert f'href="{reverse("assessment:result_mine", args=["2026"])}"' not in html


def test_queries_do_not_grow_with_the_years(org, three_years, django_assert_max_num_queries):
    roles = get_roles(org.admin)
    with django_assert_max_num_queries(4):
        years = year_selectors.member_years(member=org.member, roles=roles)
    assert len(years.columns) == 3
