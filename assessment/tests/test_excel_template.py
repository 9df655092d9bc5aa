"""Who is expected to rate whom, and the paper-ballot template that lists it."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import MassesBallot, Period, RaterGroup, Rating
from assessment.services import AssessmentError
from assessment.services.ballots.sheet import KEY_COLUMNS, RUBRIC_COLUMNS, RUBRIC_SHEET, expected_ratings
from assessment.services.ballots.template_import import ratings_import
from assessment.tests.excel_helpers import export_template, on_paper, sheet_rows
from assessment.tests.factories import PeriodFactory, rate, scores_totalling
from members.tests.factories import MassesRaterFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


@pytest.fixture
def paper(org, period):
    """Both branches rate on paper, peers and masses alike."""
    on_paper(period, org.admin, org.branch_a, org.branch_b)
    return period


def keys(expected):
    return {(e.ratee_id, e.rater_group, e.rater_no, e.ballot_no) for e in expected}


def ballots(member, group, count):
    letter = {"peer": "P", "masses": "M"}[group]
    return {(member.pk, group, "", f"{member.employee_no}-{letter}{k:02d}") for k in range(1, count + 1)}


def named(members):
    want = set()
    for m in members:
        want.add((m.pk, "self", m.employee_no, ""))
        want.add((m.pk, "org", "", ""))
    return want


def everyone(org):
    return [
        org.secretary,
        org.leader,
        org.member,
        org.groupmate,
        org.committee,
        org.member_a2,
        org.other_secretary,
        org.member_b,
    ]


# --- expected ratings ----------------------------------------------------------


def test_online_branches_expect_only_self_and_organisation_rows(org, period):
    assert keys(expected_ratings(period=period)) == named(everyone(org))


def test_a_paper_branch_expects_one_ballot_per_peer_and_per_masses_rater(org, paper):
    want = named(everyone(org))
    for ratee in (org.secretary, org.leader, org.member, org.groupmate):  # group A1: 3 peers each
        want |= ballots(ratee, "peer", 3)
    for ratee in (org.committee, org.member_a2, org.other_secretary, org.member_b):  # 1 peer each
        want |= ballots(ratee, "peer", 1)
    want |= ballots(org.member, "masses", 1)
    assert keys(expected_ratings(period=paper)) == want


def test_the_channel_is_per_branch_and_per_group(org, period):
    on_paper(period, org.admin, org.branch_a, groups=["masses"])
    on_paper(period, org.admin, org.branch_b, groups=["peer"])
    anonymous = {k for k in keys(expected_ratings(period=period)) if k[1] in ("peer", "masses")}
    assert anonymous == ballots(org.member, "masses", 1) | ballots(org.other_secretary, "peer", 1) | ballots(
        org.member_b, "peer", 1
    )


def test_members_without_a_group_are_peers_of_the_branchs_other_groupless_members(org, paper):
    a = MemberFactory(branch=org.branch_b, group=None)
    b = MemberFactory(branch=org.branch_b, group=None)
    c = MemberFactory(branch=org.branch_b, group=None)
    peer = {k for k in keys(expected_ratings(period=paper)) if k[1] == "peer"}
    for m in (a, b, c):
        assert {k for k in peer if k[0] == m.pk} == ballots(m, "peer", 2)
    assert {k for k in peer if k[0] == org.member_b.pk} == ballots(org.member_b, "peer", 1)


def test_inactive_members_and_masses_raters_take_no_part(org, paper):
    org.groupmate.is_active = False
    org.groupmate.save()
    gone = MassesRaterFactory(branch=org.branch_a, is_active=False)
    gone.ratees.add(org.member)
    expected = keys(expected_ratings(period=paper))
    assert all(k[0] != org.groupmate.pk for k in expected)
    own = {k for k in expected if k[0] == org.member.pk and k[1] in ("peer", "masses")}
    assert own == ballots(org.member, "peer", 2) | ballots(org.member, "masses", 1)


def test_expected_ratings_for_one_branch(org, period):
    expected = list(expected_ratings(period=period, branch_id=org.branch_b.pk))
    assert {e.ratee_id for e in expected} == {org.other_secretary.pk, org.member_b.pk}
    assert len(expected) == 4  # 2 self, 2 org: the branch's peers rate online
    on_paper(period, org.admin, org.branch_b)
    assert len(list(expected_ratings(period=period, branch_id=org.branch_b.pk))) == 6  # and 2 peer ballots


def test_expected_ratings_take_three_queries_whatever_the_roll(org, paper):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            list(expected_ratings(period=paper))
        return len(ctx.captured_queries)

    small = count()
    for _ in range(15):
        m = MemberFactory(branch=org.branch_a, group=org.group_a2)
        org.masses.ratees.add(m)
    assert count() == small == 3  # the roll, the masses links, the channels


# --- the template ----------------------------------------------------------------


def test_template_has_a_row_per_expected_rating_and_the_rubric(org, paper):
    content = export_template(paper, actor=org.admin)
    headers, rows = sheet_rows(content)
    codes = list(paper.rubric.items.order_by("position", "code").values_list("code", flat=True))
    assert headers == [*KEY_COLUMNS, *codes] and len(codes) == 18
    assert KEY_COLUMNS == ("被评价人工号", "被评价人姓名", "评价主体", "评价人工号", "票号")
    assert {r["评价主体"] for r in rows} == {"个人自评", "党员互评", "群众参评", "组织考评"}
    assert len(rows) == len(list(expected_ratings(period=paper))) == 33
    assert {r["rater_group"] for r in rows} == {"self", "peer", "masses", "org"}
    own = [r for r in rows if r["ratee_employee_no"] == org.member.employee_no]
    assert [r["rater_group"] for r in own] == ["self", "peer", "peer", "peer", "masses", "org"]
    assert own[0]["rater"] == org.member.employee_no and own[0]["ratee_name"] == org.member.name
    assert own[0]["ballot_no"] is None and own[-1]["ballot_no"] is None
    assert own[-1]["rater"] is None
    no = org.member.employee_no
    assert [(r["rater"], r["ballot_no"]) for r in own[1:5]] == [
        (None, f"{no}-P01"),
        (None, f"{no}-P02"),
        (None, f"{no}-P03"),
        (None, f"{no}-M01"),
    ]
    rubric_headers, rubric = sheet_rows(content, RUBRIC_SHEET)
    assert rubric_headers == list(RUBRIC_COLUMNS)
    assert [r["编码"] for r in rubric] == codes
    assert sum(Decimal(str(r["满分"])) for r in rubric) == 100
    a1 = paper.rubric.items.get(code="A1")
    assert (rubric[0]["考核方面"], rubric[0]["考核项目"]) == (a1.area.name, a1.name)


def test_template_of_online_branches_has_self_and_organisation_rows_only(org, period):
    _, rows = sheet_rows(export_template(period, actor=org.admin))
    assert len(rows) == 16 and {r["rater_group"] for r in rows} == {"self", "org"}
    assert all(r["ballot_no"] is None for r in rows)


def test_template_prefills_self_and_org_but_never_peer_or_masses(org, paper):
    rate(paper, org.member, "self", 88, rater_member=org.member)
    rate(paper, org.member, "org", 92)
    # Anonymous ratings of every kind the database may hold: keyed (online) and paper ballots.
    rate(paper, org.member, "peer", 77, rater_member=org.groupmate)
    rate(paper, org.member, "masses", 66, rater_masses=org.masses)
    for group, ballot, total in (("peer", "P01", 71), ("masses", "M01", 61)):
        Rating.objects.create(
            period=paper,
            ratee=org.member,
            rater_group=group,
            ballot_no=f"{org.member.employee_no}-{ballot}",
            scores=scores_totalling(paper, Decimal(total)),
            total=Decimal(total),
            source=Rating.Source.PAPER,
        )
    _, rows = sheet_rows(export_template(paper, actor=org.admin))
    own = [r for r in rows if r["ratee_employee_no"] == org.member.employee_no]
    by_group = {r["rater_group"]: r for r in own if r["rater_group"] in ("self", "org")}
    codes = list(paper.rubric.items.values_list("code", flat=True))

    def total(row):
        return sum(Decimal(str(row[c])) for c in codes)

    assert total(by_group["self"]) == 88
    assert total(by_group["org"]) == 92
    given = scores_totalling(paper, Decimal(88))
    assert {c: Decimal(str(by_group["self"][c])) for c in codes} == {c: Decimal(v) for c, v in given.items()}
    anonymous = [r for r in own if r["rater_group"] in ("peer", "masses")]
    assert len(anonymous) == 4
    assert all(r[c] is None for r in anonymous for c in codes)


def test_masses_rows_carry_a_ballot_number_and_no_link_is_issued(org, paper):
    content = export_template(paper, actor=org.admin)
    _, rows = sheet_rows(content)
    masses = [r for r in rows if r["rater_group"] == "masses"]
    assert [(r["rater"], r["ballot_no"]) for r in masses] == [(None, f"{org.member.employee_no}-M01")]
    cells = [v for r in rows for v in r.values()]
    assert org.masses.employee_no not in cells and org.masses.name not in cells
    assert not MassesBallot.objects.exists()


def test_template_for_one_branch(org, paper):
    _, rows = sheet_rows(export_template(paper, branch_id=org.branch_b.pk))
    assert {r["ratee_employee_no"] for r in rows} == {org.other_secretary.employee_no, org.member_b.employee_no}
    assert len(rows) == 6


def test_template_re_imports_without_changing_anything(org, paper):
    rate(paper, org.member, "self", 88, rater_member=org.member)
    rate(paper, org.member, "org", 92)
    report = ratings_import(period_id=paper.pk, file=io.BytesIO(export_template(paper)), dry_run=False)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged, report.skipped) == (0, 0, 2, 31)
    assert (report.ballots, report.ballots_entered, report.writes) == (0, 0, 0)


def test_template_needs_an_open_period_and_an_administrator(org, paper):
    with pytest.raises(PermissionDenied):
        export_template(paper, actor=org.secretary.user)
    for state in (Period.State.DRAFT, Period.State.CLOSED, Period.State.PUBLISHED):
        Period.objects.filter(pk=paper.pk).update(state=state)
        with pytest.raises(AssessmentError):
            export_template(paper, actor=org.admin)
    assert not MassesBallot.objects.exists()


def test_template_lookups_do_not_grow_with_the_roll(org, paper):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            export_template(paper)
        return len(ctx.captured_queries)

    small = count()
    for _ in range(20):
        m = MemberFactory(branch=org.branch_a, group=org.group_a2)
        org.masses.ratees.add(m)
        rate(paper, m, RaterGroup.SELF, 80, rater_member=m)
    assert count() == small
