"""The rankings workbook, and the whole paper round trip that ends in it."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Rating, Result
from assessment.services.ballots.template_import import ratings_import
from assessment.services.rankings_export import FLAG_COLOURS, rankings_export
from assessment.services.results import results_compute
from assessment.tests.excel_helpers import export_template, fill_rgb, fill_template, on_paper, rankings_book
from assessment.tests.factories import PeriodFactory, closed, rate, scores_totalling
from members.models import Branch
from members.tests.factories import BranchFactory, MemberFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Branch", "Party group", "Employee number", "Name", "Self", "Peers", "Masses", "Organisation", "Total"]


@pytest.fixture
def period(db):
    return PeriodFactory()


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


def export(period, **kwargs) -> bytes:
    buffer = io.BytesIO()
    rankings_export(period=period, out=buffer, **kwargs)
    return buffer.getvalue()


def records(ws):
    rows = list(ws.iter_rows(values_only=True))
    headers = list(rows[0])
    return headers, [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def test_round_trip_template_filled_imported_computed_exported(org, period):
    """Template out → filled in Excel → imported → computed → exported, and read back."""
    # What each ratee gets on paper, by rater group (every rater of a group gives the same).
    totals = {
        org.secretary: {"self": 95, "peer": 92, "masses": None, "org": 96},
        org.leader: {"self": 90, "peer": 84, "masses": None, "org": 80},
        org.member: {"self": 90, "peer": 80, "masses": 70, "org": 95},
        org.groupmate: {"self": 70, "peer": 75, "masses": None, "org": 72},
        org.committee: {"self": 60, "peer": 70, "masses": None, "org": 65},
        org.member_a2: {"self": 80, "peer": 80, "masses": None, "org": 80},
        org.other_secretary: {"self": 89.5, "peer": 90, "masses": None, "org": 90},
        org.member_b: {"self": None, "peer": None, "masses": None, "org": None},  # not rated at all
    }
    by_number = {m.employee_no: t for m, t in totals.items()}
    # A peer ballot with a different score, so that the peer score is a true mean.
    odd_ballot = f"{org.member.employee_no}-P02"

    def scores_for(row):
        if row["ballot_no"] == odd_ballot:
            total = 86
        else:
            total = by_number[row["ratee_employee_no"]][row["rater_group"]]
        if total is None:
            return None  # left blank: not rated
        return {c: float(v) for c, v in scores_totalling(period, Decimal(str(total))).items()}

    on_paper(period, org.admin, org.branch_a, org.branch_b)
    template = export_template(period, actor=org.admin)
    filled = fill_template(template, scores_for)
    report = ratings_import(period_id=period.pk, file=filled, actor=org.admin)
    assert report.ok, report.errors
    assert report.skipped == 3  # member_b's self, peer and org rows, left blank
    assert (report.new, report.ballots) == (14, 16)  # 7 self and 7 org; 15 peer and 1 masses ballots
    assert Rating.objects.filter(source=Rating.Source.PAPER).count() == report.new + report.ballots

    summary = results_compute(actor=org.admin, period_id=closed(period).pk)
    assert summary.members == 7
    book = rankings_book(export(period))
    assert book.sheetnames == ["Company-wide", "By branch"]

    headers, company = records(book["Company-wide"])
    assert headers == [*HEADERS, "Rank in branch", "Rank in company", "Flag", "Note"]
    by_no = {r["Employee number"]: r for r in company}
    member = by_no[org.member.employee_no]
    # peers: (86 + 80 + 80) / 3 = 82; 0.1·90 + 0.3·82 + 0.2·70 + 0.4·95 = 9 + 24.6 + 14 + 38 = 85.6.
    # One masses rating only: below the anonymity threshold, so every mean but self is left blank.
    assert (member["Self"], member["Peers"], member["Masses"], member["Organisation"]) == (90, None, None, None)
    # ... and the row says why.
    assert member["Note"] == "Masses: fewer than 3 ratings, so the group scores are not shown (only the total)."
    assert member["Total"] == 85.6 and member["Flag"] == "Yellow flag"
    assert (member["Branch"], member["Party group"], member["Name"]) == (
        org.branch_a.name,
        org.group_a1.name,
        org.member.name,
    )
    # Masses missing: weights 0.1, 0.3, 0.4 rescaled over 0.8: 75.5 / 0.8 = 94.375, half up to 94.38.
    secretary = by_no[org.secretary.employee_no]
    assert secretary["Masses"] is None
    assert secretary["Note"] is None  # no masses rating at all: nothing withheld
    assert secretary["Total"] == 94.38 and secretary["Flag"] == "Red flag"
    assert org.member_b.employee_no not in by_no

    results = {r.member.employee_no: r for r in Result.objects.select_related("member")}
    assert [r["Employee number"] for r in company] == sorted(results, key=lambda n: (results[n].rank_company, n))
    for number, r in by_no.items():
        assert Decimal(str(r["Total"])) == results[number].total
        assert (r["Rank in branch"], r["Rank in company"]) == (
            results[number].rank_branch,
            results[number].rank_company,
        )
        assert r["Flag"] == results[number].get_flag_display()
    assert {results[n].flag for n in results} == {"red", "yellow", "blue", "grey"}

    ws = book["Company-wide"]
    flag_col = headers.index("Flag") + 1
    for excel_row in range(2, ws.max_row + 1):
        number = ws.cell(excel_row, 3).value
        assert fill_rgb(ws.cell(excel_row, flag_col)) == FLAG_COLOURS[results[number].flag][0].lstrip("#")

    # By branch: each branch's members together, in the branches' order, by rank in the branch.
    _, by_branch = records(book["By branch"])
    assert [r["Branch"] for r in by_branch] == [org.branch_a.name] * 6 + [org.branch_b.name]
    branch_a = by_branch[:6]
    assert [r["Rank in branch"] for r in branch_a] == sorted(r["Rank in branch"] for r in branch_a)
    assert {r["Employee number"] for r in branch_a} == {
        m.employee_no for m in (org.secretary, org.leader, org.member, org.groupmate, org.committee, org.member_a2)
    }
    assert (by_branch[6]["Employee number"], by_branch[6]["Rank in branch"]) == (org.other_secretary.employee_no, 1)


@pytest.mark.parametrize(
    "total, flag, colour",
    [(90, "red", "C00000"), (89.5, "yellow", "FFC000"), (70, "blue", "0070C0"), (69.5, "grey", "A6A6A6")],
)
def test_flag_cell_is_filled_in_the_flags_colour(org, period, total, flag, colour):
    rate(period, org.member, "org", total)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    ws = rankings_book(export(period))["Company-wide"]
    cell = ws.cell(2, 12)
    assert Result.objects.get().flag == flag and fill_rgb(cell) == colour
    assert cell.value == Result.objects.get().get_flag_display()


def test_ties_share_a_rank_and_the_next_skips(org, period):
    for member, total in ((org.member, 90), (org.groupmate, 85), (org.leader, 85), (org.secretary, 80)):
        rate(period, member, "org", total)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    _, rows = records(rankings_book(export(period))["By branch"])
    assert [(r["Total"], r["Rank in branch"]) for r in rows] == [(90, 1), (85, 2), (85, 2), (80, 4)]


def test_one_branch_only_and_without_the_company_rank(org, period):
    rate(period, org.member, "org", 90)
    rate(period, org.member_b, "org", 95)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    book = rankings_book(export(period, branch_id=org.branch_a.pk, company_rank=False))
    assert book.sheetnames == [org.branch_a.name]
    headers, rows = records(book[org.branch_a.name])
    assert "Rank in company" not in headers and headers[-2:] == ["Flag", "Note"]
    assert [r["Employee number"] for r in rows] == [org.member.employee_no]


def test_two_sheets_whatever_the_number_of_branches_and_a_branch_sheet_gets_a_valid_name(org, period):
    long_name = BranchFactory(name="第三党支部/机关[综合]:" + "很" * 40)
    for _ in range(30):
        BranchFactory()
    rate(period, MemberFactory(branch=long_name), "org", 80)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    assert rankings_book(export(period)).sheetnames == ["Company-wide", "By branch"]
    (name,) = rankings_book(export(period, branch_id=long_name.pk)).sheetnames
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\") and name.startswith("第三党支部_机关_综合__很")
    assert Branch.objects.count() > 30


def test_export_streams_in_a_fixed_number_of_queries(org, period):
    def count():
        results_compute(actor=org.admin, period_id=closed(period).pk)
        with CaptureQueriesContext(connection) as ctx:
            export(period)
        return len(ctx.captured_queries)

    rate(period, org.member, "org", 80)
    few = count()
    for i in range(40):
        m = MemberFactory(branch=org.branch_a if i % 2 else org.branch_b, group=None)
        rate(period, m, "org", 60 + i % 30)
    assert count() == few <= 3


# ---------------------------------------------------------------------------
# --compare: last year's total, ranks and flag beside each member's


@pytest.fixture
def last_year(org):
    """2025, final: member red (1st), groupmate blue, member_b yellow; the leader had no result."""
    import datetime

    from assessment.models import Period

    last = PeriodFactory(
        code="2025",
        name="2025年度党员量化考核",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    rate(last, org.member, "org", 95)
    rate(last, org.groupmate, "org", 72)
    rate(last, org.member_b, "org", 85)
    results_compute(actor=org.admin, period_id=closed(last).pk)
    Period.objects.filter(pk=last.pk).update(state=Period.State.FINAL)
    last.refresh_from_db()
    return last


@pytest.fixture
def this_year(org, period):
    rate(period, org.member, "org", 80)
    rate(period, org.groupmate, "org", 90)
    rate(period, org.leader, "org", 60)
    rate(period, org.member_b, "org", 70)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    return period


COMPARED = ["Total (2025)", "Rank in branch (2025)", "Rank in company (2025)", "Flag (2025)"]


def test_compare_adds_the_periods_total_ranks_and_flag_beside_each_member(org, last_year, this_year):
    book = rankings_book(export(this_year, compare=last_year))
    for sheet in ("Company-wide", "By branch"):
        headers, rows = records(book[sheet])
        assert headers == [*HEADERS, "Rank in branch", "Rank in company", "Flag", *COMPARED, "Note"]
        by_no = {r["Employee number"]: r for r in rows}
        before = {r.member.employee_no: r for r in Result.objects.filter(period=last_year).select_related("member")}
        assert [by_no[org.member.employee_no][h] for h in COMPARED] == [95, 1, 1, "Red flag"]
        assert [by_no[org.member_b.employee_no][h] for h in COMPARED] == [85, 1, 2, "Yellow flag"]
        assert [by_no[org.groupmate.employee_no][h] for h in COMPARED] == [72, 2, 3, "Blue flag"]
        for number, result in before.items():
            assert Decimal(str(by_no[number]["Total (2025)"])) == result.total
        # No result that year: empty cells.
        assert [by_no[org.leader.employee_no][h] for h in COMPARED] == [None] * 4
        # This year's own columns are as without the comparison.
        assert (
            by_no[org.groupmate.employee_no]["Total"] == 90 and by_no[org.groupmate.employee_no]["Flag"] == "Red flag"
        )

        ws = book[sheet]
        flag_col, before_flag_col = headers.index("Flag") + 1, headers.index("Flag (2025)") + 1
        for excel_row in range(2, ws.max_row + 1):
            number = ws.cell(excel_row, 3).value
            now = Result.objects.get(period=this_year, member__employee_no=number)
            assert fill_rgb(ws.cell(excel_row, flag_col)) == FLAG_COLOURS[now.flag][0].lstrip("#")
            cell = ws.cell(excel_row, before_flag_col)
            if number in before:
                assert fill_rgb(cell) == FLAG_COLOURS[before[number].flag][0].lstrip("#")
            else:
                assert cell.value is None and fill_rgb(cell) in ("", "000000")


def test_compare_without_the_company_rank_leaves_last_years_out_too(org, last_year, this_year):
    book = rankings_book(export(this_year, branch_id=org.branch_a.pk, company_rank=False, compare=last_year))
    headers, rows = records(book[org.branch_a.name])
    assert headers[-5:] == ["Flag", "Total (2025)", "Rank in branch (2025)", "Flag (2025)", "Note"]
    assert "Rank in company (2025)" not in headers
    member = next(r for r in rows if r["Employee number"] == org.member.employee_no)
    assert (member["Total (2025)"], member["Rank in branch (2025)"], member["Flag (2025)"]) == (95, 1, "Red flag")


def test_compare_is_read_with_the_rows_not_a_query_per_row(org, last_year, this_year):
    def count(**kwargs):
        with CaptureQueriesContext(connection) as ctx:
            export(this_year, **kwargs)
        return len(ctx.captured_queries)

    few = count(compare=last_year)
    assert few == count()
    for i in range(30):
        m = MemberFactory(branch=org.branch_b, group=None)
        rate(this_year, m, "org", 60 + i)
    results_compute(actor=org.admin, period_id=this_year.pk)
    assert count(compare=last_year) == few


def test_compare_keeps_the_withheld_note_in_the_last_column(org, last_year, this_year):
    headers, _rows = records(rankings_book(export(this_year, compare=last_year))["Company-wide"])
    assert headers[-1] == "Note"


def run_export(*args):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("export_rankings", *args, stdout=out)
    return out.getvalue()


def test_command_compare_writes_the_columns(org, last_year, this_year, tmp_path):
    path = tmp_path / "r.xlsx"
    assert "4" in run_export("--period", this_year.code, "--compare", "2025", "--out", str(path))
    headers, rows = records(rankings_book(path.read_bytes())["Company-wide"])
    assert headers[-5:-1] == COMPARED
    assert {r["Employee number"]: r["Total (2025)"] for r in rows}[org.member.employee_no] == 95


@pytest.mark.parametrize(
    "code, says",
    [
        ("1999", "No assessment period has the code"),
        ("2026", "names the exported period itself"),
        ("2024", "not published"),
    ],
)
def test_command_compare_refuses_an_unknown_unpublished_or_same_period(org, this_year, tmp_path, code, says):
    import datetime

    from django.core.management import CommandError

    PeriodFactory(
        code="2024", name="2024年度", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    path = tmp_path / "r.xlsx"
    with pytest.raises(CommandError, match=says):
        run_export("--period", this_year.code, "--compare", code, "--out", str(path))
    assert not path.exists()


def _download(client, period, **params):
    from django.urls import reverse

    return client.get(reverse("assessment:rankings_download", args=[period.code]), params)


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_with_compare_for_the_admin_and_the_committee(client_for, org, last_year, this_year):
    from assessment.models import Period

    book = rankings_book(_content(_download(client_for(org.admin), this_year, compare="2025")))
    headers, _rows = records(book["Company-wide"])
    assert headers[-5:-1] == COMPARED
    Period.objects.filter(pk=this_year.pk).update(state=Period.State.PUBLISHED)
    book = rankings_book(_content(_download(client_for(org.secretary), this_year, compare="2025")))
    (name,) = book.sheetnames
    headers, rows = records(book[name])
    assert headers[-4:] == ["Total (2025)", "Rank in branch (2025)", "Flag (2025)", "Note"]
    # The committee's scope is unchanged: its own branch only, no company rank.
    assert {r["Branch"] for r in rows} == {org.branch_a.name}


def test_download_refuses_a_compare_that_is_not_an_earlier_published_period(client_for, org, last_year, this_year):
    import datetime

    from assessment.models import Period

    later = PeriodFactory(
        code="2027", name="2027年度", starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    Period.objects.filter(pk=later.pk).update(state=Period.State.PUBLISHED)
    client = client_for(org.admin)
    for code in ("1999", "2026", "2027", "<script>", "2025' OR 1=1"):
        assert _download(client, this_year, compare=code).status_code == 404, code
    Period.objects.filter(pk=last_year.pk).update(state=Period.State.CLOSED)
    assert _download(client, this_year, compare="2025").status_code == 404


def test_the_download_offers_the_earlier_published_periods(client_for, org, last_year, this_year):
    from django.urls import reverse

    html = client_for(org.admin).get(reverse("assessment:period_detail", args=[this_year.pk])).content.decode()
    select = html.split('data-testid="rankings-compare"', 1)[1].split("</select>", 1)[0]
    assert 'value="2025"' in select and 'value="2026"' not in select
    html = client_for(org.admin).get(reverse("assessment:period_detail", args=[last_year.pk])).content.decode()
    assert 'data-testid="rankings-compare"' not in html
