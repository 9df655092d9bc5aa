"""Who is expected to rate whom, and the paper-ballot template that lists it."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import MassesBallot, Period, RaterGroup
from assessment.services import AssessmentError
from assessment.services.ballots_paper import (
    KEY_COLUMNS,
    RUBRIC_COLUMNS,
    RUBRIC_SHEET,
    ballots_issue_missing,
    expected_ratings,
    ratings_import,
)
from assessment.tests.excel_helpers import export_template, sheet_rows
from assessment.tests.factories import PeriodFactory, rate, scores_totalling
from members.tests.factories import MassesRaterFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


def keys(expected):
    return {(e.ratee_id, e.rater_group, e.rater_member_id, e.rater_masses_id) for e in expected}


# --- expected ratings ----------------------------------------------------------


def test_every_member_expects_self_peers_masses_and_organisation(org):
    expected = keys(expected_ratings())
    a1 = [org.secretary, org.leader, org.member, org.groupmate]
    want = set()
    for m in [*a1, org.committee, org.member_a2, org.other_secretary, org.member_b]:
        want.add((m.pk, "self", m.pk, None))
        want.add((m.pk, "org", None, None))
    for ratee in a1:
        want |= {(ratee.pk, "peer", rater.pk, None) for rater in a1 if rater != ratee}
    for x, y in ((org.committee, org.member_a2), (org.other_secretary, org.member_b)):
        want |= {(x.pk, "peer", y.pk, None), (y.pk, "peer", x.pk, None)}
    want.add((org.member.pk, "masses", None, org.masses.pk))
    assert expected == want


def test_members_without_a_group_are_peers_of_the_branchs_other_groupless_members(org):
    a = MemberFactory(branch=org.branch_b, group=None)
    b = MemberFactory(branch=org.branch_b, group=None)
    peers = {(e.ratee_id, e.rater_member_id) for e in expected_ratings() if e.rater_group == "peer"}
    assert (a.pk, b.pk) in peers and (b.pk, a.pk) in peers
    assert (a.pk, org.member_b.pk) not in peers and (org.member_b.pk, a.pk) not in peers


def test_inactive_members_and_masses_raters_take_no_part(org):
    org.groupmate.is_active = False
    org.groupmate.save()
    gone = MassesRaterFactory(branch=org.branch_a, is_active=False)
    gone.ratees.add(org.member)
    expected = list(expected_ratings())
    assert all(org.groupmate.pk not in (e.ratee_id, e.rater_member_id) for e in expected)
    assert all(e.rater_masses_id != gone.pk for e in expected)


def test_expected_ratings_for_one_branch(org):
    expected = list(expected_ratings(branch_id=org.branch_b.pk))
    assert {e.ratee_id for e in expected} == {org.other_secretary.pk, org.member_b.pk}
    assert len(expected) == 6  # 2 self, 2 peer, 2 org


def test_expected_ratings_take_two_queries_whatever_the_roll(org):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            list(expected_ratings())
        return len(ctx.captured_queries)

    small = count()
    for _ in range(15):
        m = MemberFactory(branch=org.branch_a, group=org.group_a2)
        org.masses.ratees.add(m)
    assert count() == small == 2


# --- ballots ---------------------------------------------------------------------


def test_missing_ballots_are_issued_and_existing_ones_kept(org, period):
    other = MassesRaterFactory(branch=org.branch_b)
    kept = MassesBallot.objects.create(period=period, rater=org.masses, token="t" * 40, code="AAAA-BBBB")
    codes = ballots_issue_missing(actor=org.admin, period_id=period.pk, rater_ids=[org.masses.pk, other.pk])
    assert codes[org.masses.pk] == "AAAA-BBBB"
    ballot = MassesBallot.objects.get(period=period, rater=other)
    assert codes[other.pk] == ballot.code and ballot.issued_by == org.admin and len(ballot.token) >= 40
    kept.refresh_from_db()
    assert kept.token == "t" * 40
    again = ballots_issue_missing(actor=None, period_id=period.pk, rater_ids=[org.masses.pk, other.pk])
    assert again == codes and MassesBallot.objects.filter(period=period).count() == 2


def test_issuing_ballots_needs_an_administrator_and_an_open_period(org, period):
    with pytest.raises(PermissionDenied):
        ballots_issue_missing(actor=org.secretary.user, period_id=period.pk, rater_ids=[org.masses.pk])
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    with pytest.raises(AssessmentError):
        ballots_issue_missing(actor=org.admin, period_id=period.pk, rater_ids=[org.masses.pk])


# --- the template ----------------------------------------------------------------


def test_template_has_a_row_per_expected_rating_and_the_rubric(org, period):
    content = export_template(period, actor=org.admin)
    headers, rows = sheet_rows(content)
    codes = list(period.rubric.items.order_by("position", "code").values_list("code", flat=True))
    assert headers == [*KEY_COLUMNS, *codes] and len(codes) == 18
    assert len(rows) == len(list(expected_ratings())) == 33
    assert {r["rater_group"] for r in rows} == {"self", "peer", "masses", "org"}
    own = [r for r in rows if r["ratee_employee_no"] == org.member.employee_no]
    assert [r["rater_group"] for r in own] == ["self", "peer", "peer", "peer", "masses", "org"]
    assert own[0]["rater"] == org.member.employee_no and own[0]["ratee_name"] == org.member.name
    assert own[-1]["rater"] is None
    rubric_headers, rubric = sheet_rows(content, RUBRIC_SHEET)
    assert rubric_headers == list(RUBRIC_COLUMNS)
    assert [r["code"] for r in rubric] == codes
    assert sum(Decimal(str(r["maximum"])) for r in rubric) == 100
    a1 = period.rubric.items.get(code="A1")
    assert (rubric[0]["area"], rubric[0]["name"]) == (a1.area.name, a1.name)


def test_template_prefills_self_and_org_but_never_peer_or_masses(org, period):
    rate(period, org.member, "self", 88, rater_member=org.member)
    rate(period, org.member, "org", 92)
    rate(period, org.member, "peer", 77, rater_member=org.groupmate)
    rate(period, org.member, "masses", 66, rater_masses=org.masses)
    _, rows = sheet_rows(export_template(period, actor=org.admin))
    own = {(r["rater_group"], r["rater"]): r for r in rows if r["ratee_employee_no"] == org.member.employee_no}
    codes = list(period.rubric.items.values_list("code", flat=True))

    def total(row):
        return sum(Decimal(str(row[c])) for c in codes)

    assert total(own[("self", org.member.employee_no)]) == 88
    assert total(own[("org", None)]) == 92
    given = scores_totalling(period, Decimal(88))
    assert {c: Decimal(str(own[("self", org.member.employee_no)][c])) for c in codes} == {
        c: Decimal(v) for c, v in given.items()
    }
    anonymous = [r for (group, _), r in own.items() if group in ("peer", "masses")]
    assert len(anonymous) == 4
    assert all(r[c] is None for r in anonymous for c in codes)


def test_masses_rows_carry_a_ballot_code_never_the_rater(org, period):
    content = export_template(period, actor=org.admin)
    ballot = MassesBallot.objects.get(period=period, rater=org.masses)
    _, rows = sheet_rows(content)
    masses = [r for r in rows if r["rater_group"] == "masses"]
    assert [r["rater"] for r in masses] == [ballot.code]
    cells = [v for r in rows for v in r.values()]
    assert org.masses.employee_no not in cells and org.masses.name not in cells
    assert ballot.issued_by == org.admin


def test_masses_rows_are_ordered_by_code_not_by_rater(org, period):
    raters = [MassesRaterFactory(branch=org.branch_a) for _ in range(6)]
    for r in raters:
        r.ratees.add(org.groupmate)
    _, rows = sheet_rows(export_template(period))
    codes = [
        r["rater"] for r in rows if r["rater_group"] == "masses" and r["ratee_employee_no"] == org.groupmate.employee_no
    ]
    assert len(codes) == 6 and codes == sorted(codes)


def test_withdrawn_ballots_rows_are_left_out(org, period):
    MassesBallot.objects.create(
        period=period, rater=org.masses, token="x" * 40, code="WWWW-XXXX", revoked_at=timezone.now()
    )
    _, rows = sheet_rows(export_template(period))
    assert not [r for r in rows if r["rater_group"] == "masses"]


def test_template_for_one_branch(org, period):
    _, rows = sheet_rows(export_template(period, branch_id=org.branch_b.pk))
    assert {r["ratee_employee_no"] for r in rows} == {org.other_secretary.employee_no, org.member_b.employee_no}


def test_template_re_imports_without_changing_anything(org, period):
    rate(period, org.member, "self", 88, rater_member=org.member)
    rate(period, org.member, "org", 92)
    rate(period, org.member, "peer", 77, rater_member=org.groupmate)
    report = ratings_import(period_id=period.pk, file=io.BytesIO(export_template(period)), dry_run=False)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged, report.skipped) == (0, 0, 2, 31)


def test_template_needs_an_open_period_and_an_administrator(org, period):
    with pytest.raises(PermissionDenied):
        export_template(period, actor=org.secretary.user)
    for state in (Period.State.DRAFT, Period.State.CLOSED, Period.State.PUBLISHED):
        Period.objects.filter(pk=period.pk).update(state=state)
        with pytest.raises(AssessmentError):
            export_template(period, actor=org.admin)
    assert not MassesBallot.objects.exists()


def test_template_lookups_do_not_grow_with_the_roll(org, period):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            export_template(period)
        return len(ctx.captured_queries)

    count()  # issues the first ballot
    small = count()
    for _ in range(20):
        m = MemberFactory(branch=org.branch_a, group=org.group_a2)
        rate(period, m, RaterGroup.SELF, 80, rater_member=m)
    assert count() == small
