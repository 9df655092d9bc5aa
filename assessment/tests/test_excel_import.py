"""Importing filled paper ballots: all or nothing, every bad row reported, blanks never zeros;
peer and masses rows are anonymous ballots, added once by their ballot number."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from assessment.models import Period, Rating
from assessment.services.ballots.sheet import LEGACY_COLUMNS
from assessment.services.ballots.template_import import ratings_import
from assessment.tests.excel_helpers import on_paper, ratings_workbook
from assessment.tests.factories import PeriodFactory, full_scores, rate, scores_totalling
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    """Branch A rates on paper (peers and masses), branch B online."""
    period = PeriodFactory()
    on_paper(period, org.admin, org.branch_a)
    return period


@pytest.fixture
def codes(period):
    return list(period.rubric.items.order_by("position", "code").values_list("code", flat=True))


def row(ratee, group, rater="", scores=None, ballot="", **extra):
    values = {"ratee_employee_no": ratee, "ratee_name": "", "rater_group": group, "rater": rater, "ballot_no": ballot}
    values.update(scores or {})
    values.update(extra)
    return values


def run(period, rows, codes, *, actor=None, dry_run=False, headers=None):
    return ratings_import(
        period_id=period.pk,
        file=ratings_workbook(rows, codes, headers=headers),
        actor=actor,
        dry_run=dry_run,
    )


def numbers(scores):
    """Scores as Excel holds them: numbers."""
    return {code: float(value) for code, value in scores.items()}


# The errors name the template's Chinese headers; these tests write the older English ones.
ENGLISH = {header: legacy for legacy, header in LEGACY_COLUMNS.items()}


def errors_of(report):
    return {(e.row, ENGLISH.get(e.column, e.column)) for e in report.errors}


# --- happy path ------------------------------------------------------------------


def test_import_creates_one_rating_per_row_from_paper(org, period, codes):
    m = org.member
    no = m.employee_no
    rows = [
        row(no, "self", no, numbers(scores_totalling(period, Decimal(90)))),
        row(no, "peer", "", numbers(scores_totalling(period, Decimal("80.5"))), ballot=f"{no}-P01"),
        row(no, "masses", "", numbers(scores_totalling(period, Decimal(70))), ballot=f"{no}-M01"),
        row(no, "org", "", numbers(scores_totalling(period, Decimal(95)))),
    ]
    report = run(period, rows, codes, actor=org.admin)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged, report.skipped) == (2, 0, 0, 0)
    assert (report.ballots, report.ballots_entered, report.writes) == (2, 0, 4)
    assert report.ballots_per_ratee == [(no, m.name, "peer", 1), (no, m.name, "masses", 1)]
    assert report.changes == [(2, no, m.name, "self", "new"), (5, no, m.name, "org", "new")]
    ratings = {r.rater_group: r for r in Rating.objects.filter(period=period, ratee=m)}
    assert {g: r.total for g, r in ratings.items()} == {
        "self": Decimal("90.0"),
        "peer": Decimal("80.5"),
        "masses": Decimal("70.0"),
        "org": Decimal("95.0"),
    }
    assert (ratings["peer"].ballot_no, ratings["masses"].ballot_no) == (f"{no}-P01", f"{no}-M01")
    assert all(r.rater_key is None for r in ratings.values())
    assert ratings["self"].ballot_no is None and ratings["org"].ballot_no is None
    assert all(r.source == Rating.Source.PAPER and r.entered_by == org.admin for r in ratings.values())
    # Stored exactly as the web form stores them.
    assert ratings["peer"].scores == {
        c: str(Decimal(v).quantize(Decimal("0.1"))) for c, v in scores_totalling(period, Decimal("80.5")).items()
    }
    history = ratings["org"].history.first()
    assert history.history_type == "+" and history.history_user == org.admin


def test_scores_typed_as_text_and_groups_and_ballots_in_lower_case_are_read(org, period, codes):
    scores = {c: str(v) for c, v in full_scores(period).items()}
    no = org.member.employee_no
    rows = [
        row(no, "MASSES", None, scores, ballot=f" {no}-m01 ".lower()),
        row(no, " Peer ", None, scores, ballot=f"{no}-P2"),  # P2 is P02
        row(no, " Org ", None, scores),
    ]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert set(Rating.objects.filter(period=period, ratee=org.member).values_list("rater_group", "ballot_no")) == {
        ("masses", f"{no}-M01"),
        ("peer", f"{no}-P02"),
        ("org", None),
    }


def test_ballot_numbers_of_a_member_whose_number_has_small_letters(org, period, codes):
    """The template writes the ballot number with the ratee's number as it is; the import
    takes that number back, whatever the case of its letters."""
    m = MemberFactory(employee_no="dw1001", branch=org.branch_a, group=None)
    MemberFactory(employee_no="dw1002", branch=org.branch_a, group=None)
    rows = [
        row("dw1001", "peer", "", numbers(full_scores(period)), ballot="dw1001-P01"),
        row("dw1002", "peer", "", numbers(full_scores(period)), ballot="DW1002-p01"),
    ]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert Rating.objects.get(period=period, ratee=m).ballot_no == "dw1001-P01"


def test_employee_numbers_typed_as_numbers_are_matched(org, period, codes):
    m = MemberFactory(employee_no="1001", branch=org.branch_a, group=None)
    MemberFactory(employee_no="1002", branch=org.branch_a, group=None)
    rows = [
        row(1001, "self", 1001.0, numbers(full_scores(period))),
        row(1001.0, "peer", None, numbers(full_scores(period)), ballot="1001-P01"),
    ]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert set(Rating.objects.filter(period=period, ratee=m).values_list("rater_group", "ballot_no")) == {
        ("self", None),
        ("peer", "1001-P01"),
    }


def test_a_row_replaces_that_rating_and_keeps_its_history(org, period, codes):
    old = rate(period, org.member, "org", 60)
    rows = [row(org.member.employee_no, "org", "", numbers(scores_totalling(period, Decimal(75))))]
    report = run(period, rows, codes, actor=org.admin)
    assert (report.new, report.updated) == (0, 1)
    old.refresh_from_db()
    assert old.total == Decimal("75.0") and old.version == 2 and old.source == Rating.Source.PAPER
    assert old.history.first().history_user == org.admin and old.history.first().history_type == "~"
    assert report.changes == [(2, org.member.employee_no, org.member.name, "org", "update")]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org, period, codes):
    no = org.member.employee_no
    rows = [
        row(no, "self", no, numbers(full_scores(period))),
        row(no, "peer", "", numbers(full_scores(period, Decimal("0.7"))), ballot=f"{no}-P01"),
    ]
    first = run(period, rows, codes)
    history_count = Rating.history.count()
    second = run(period, rows, codes)
    assert (first.new, first.ballots) == (1, 1)
    assert (second.new, second.updated, second.unchanged, second.ballots, second.ballots_entered) == (0, 0, 1, 0, 1)
    assert second.writes == 0 and second.ballots_per_ratee == []
    assert Rating.history.count() == history_count
    assert set(Rating.objects.values_list("version", flat=True)) == {1}
    assert Rating.objects.count() == 2


def test_a_ballot_entered_before_is_left_as_it_is_and_never_compared(org, period, codes):
    """Typed again with other scores, an entered ballot is neither replaced nor reported as
    different: the report is the one the same scores give, so it confirms no guess."""
    no = org.member.employee_no
    first = numbers(scores_totalling(period, Decimal(70)))
    run(period, [row(no, "peer", "", first, ballot=f"{no}-P01")], codes, actor=org.admin)
    stored = Rating.objects.get(ballot_no=f"{no}-P01")
    other = numbers(scores_totalling(period, Decimal(95)))
    reports = [
        run(period, [row(no, "peer", "", scores, ballot=f"{no}-P01")], codes, actor=org.admin, dry_run=dry_run)
        for scores in (other, first)
        for dry_run in (True, False)
    ]
    assert reports[0] == reports[2] and reports[1] == reports[3]
    for report in reports:
        assert (report.ballots, report.ballots_entered, report.unchanged, report.updated) == (0, 1, 0, 0)
        assert report.changes == [] and report.ballots_per_ratee == []
    again = Rating.objects.get(ballot_no=f"{no}-P01")
    assert (again.pk, again.total, again.scores, again.version) == (stored.pk, stored.total, stored.scores, 1)


def test_dry_run_counts_but_writes_nothing(org, period, codes):
    rate(period, org.member, "org", 60)
    no = org.groupmate.employee_no
    rows = [
        row(org.member.employee_no, "org", "", numbers(full_scores(period))),
        row(no, "org", "", numbers(full_scores(period))),
        row(no, "peer", "", numbers(full_scores(period)), ballot=f"{no}-P01"),
        row(no, "peer", "", numbers(full_scores(period)), ballot=f"{no}-P03"),
    ]
    report = run(period, rows, codes, dry_run=True)
    assert report.ok and report.dry_run and (report.new, report.updated, report.ballots) == (1, 1, 2)
    assert report.ballots_per_ratee == [(no, org.groupmate.name, "peer", 2)]
    assert Rating.objects.count() == 1 and Rating.objects.get().total == Decimal("60.0")


# --- blanks ----------------------------------------------------------------------


def test_wholly_blank_rows_are_not_rated_and_leave_ratings_alone(org, period, codes):
    no = org.member.employee_no
    run(period, [row(no, "peer", "", numbers(scores_totalling(period, Decimal(77))), ballot=f"{no}-P01")], codes)
    given = Rating.objects.get(ballot_no=f"{no}-P01")
    rows = [
        row(no, "peer", "", {c: None for c in codes}, ballot=f"{no}-P01"),
        row(no, "peer", "", {c: "  " for c in codes}, ballot=f"{no}-P02"),
        # Not even its ratee is checked: a blank row is simply not a rating.
        row("NOBODY", "nonsense", "??", ballot="??"),
        row(no, "org", "", numbers(full_scores(period))),
    ]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert (report.new, report.ballots, report.ballots_entered, report.skipped) == (1, 0, 0, 3)
    given.refresh_from_db()
    assert given.total == Decimal("77.0") and given.version == 1
    assert not Rating.objects.filter(ballot_no=f"{no}-P02").exists()


def test_a_partly_blank_row_is_refused_item_by_item(org, period, codes):
    scores = numbers(full_scores(period))
    scores[codes[0]] = None
    scores[codes[5]] = ""
    report = run(period, [row(org.member.employee_no, "org", "", scores)], codes)
    assert errors_of(report) == {(2, codes[0]), (2, codes[5])}
    blank = _(
        "%(item)s is blank. A blank is not a zero: score every item, or leave the whole row blank for “not rated”."
    )
    assert [e.message for e in report.errors] == [blank % {"item": e.column} for e in report.errors]
    assert not Rating.objects.exists()


# --- bad rows ----------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_written(org, period, codes):
    ok = numbers(full_scores(period))
    gone = MemberFactory(branch=org.branch_a, group=org.group_a1, is_active=False)
    too_high = dict(ok, **{codes[0]: 99})
    half = dict(ok, **{codes[1]: 2.25})
    text = dict(ok, **{codes[2]: "good"})
    negative = dict(ok, **{codes[3]: -1})
    m = org.member.employee_no
    mate = org.groupmate.employee_no
    rows = [
        row(m, "org", "", ok),  # 2: good, but not written
        row("X999", "org", "", ok),  # 3: unknown ratee
        row(gone.employee_no, "org", "", ok),  # 4: ratee not on the roll
        row(m, "boss", "", ok),  # 5: no such group
        row(m, "self", mate, ok),  # 6: self rated by another
        row(m, "peer", mate, ok, ballot=f"{m}-P01"),  # 7: a ballot that names its rater
        row(m, "peer", "", ok),  # 8: no ballot number
        row(m, "peer", "", ok, ballot=f"{mate}-P01"),  # 9: another ratee's ballot
        row(m, "peer", "", ok, ballot=f"{m}-P04"),  # 10: three peers, three ballots
        row(m, "masses", "", ok, ballot=f"{m}-M02"),  # 11: one masses rater, one ballot
        row(m, "masses", "", ok, ballot=f"{m}-P02"),  # 12: a peer ballot on a masses row
        row(m, "peer", "", ok, ballot="ABCD-EFGH"),  # 13: not a ballot number
        row(mate, "org", org.secretary.employee_no, ok),  # 14: org with a rater
        row(m, "org", "", ok),  # 15: duplicate of row 2
        row(m, "self", m, ok, ballot=f"{m}-P03"),  # 16: a named row with a ballot number
        row(m, "peer", "", ok, ballot=f"{m}-P2"),  # 17: good ballot P02
        row(m, "peer", "", ok, ballot=f"{m}-P02"),  # 18: the same ballot again
        row(mate, "self", mate, too_high),  # 19
        row(org.leader.employee_no, "self", org.leader.employee_no, half),  # 20
        row(org.secretary.employee_no, "self", org.secretary.employee_no, text),  # 21
        row(org.committee.employee_no, "self", org.committee.employee_no, negative),  # 22
        row("", "org", "", ok),  # 23: no ratee
    ]
    report = run(period, rows, codes)
    assert errors_of(report) == {
        (3, "ratee_employee_no"),
        (4, "ratee_employee_no"),
        (5, "rater_group"),
        (6, "rater"),
        (7, "rater"),
        (8, "ballot_no"),
        (9, "ballot_no"),
        (10, "ballot_no"),
        (11, "ballot_no"),
        (12, "ballot_no"),
        (13, "ballot_no"),
        (14, "rater"),
        (15, ""),
        (16, "ballot_no"),
        (18, ""),
        (19, codes[0]),
        (20, codes[1]),
        (21, codes[2]),
        (22, codes[3]),
        (23, "ratee_employee_no"),
    }
    messages = {(e.row, ENGLISH.get(e.column, e.column)): e.message for e in report.errors}
    assert "X999" in messages[(3, "ratee_employee_no")]
    assert messages[(15, "")] == _("The same rating is already in row %(row)d.") % {"row": 2}
    assert messages[(18, "")] == _("The same rating is already in row %(row)d.") % {"row": 17}
    assert messages[(7, "rater")] == _("A peer or masses ballot names no rater: leave the rater blank.")
    assert messages[(8, "ballot_no")] == _("Give the ballot number printed on the paper ballot.")
    not_a_ballot = _("“%(ballot)s” is not a ballot of %(ratee)s: the ballots are %(first)s to %(last)s.")
    assert messages[(10, "ballot_no")] == not_a_ballot % {
        "ballot": f"{m}-P04",
        "ratee": m,
        "first": f"{m}-P01",
        "last": f"{m}-P03",
    }
    assert messages[(9, "ballot_no")] == not_a_ballot % {
        "ballot": f"{mate}-P01",
        "ratee": m,
        "first": f"{m}-P01",
        "last": f"{m}-P03",
    }
    assert messages[(16, "ballot_no")] == _("Only peer and masses rows have a ballot number: leave it blank.")
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)
    assert not Rating.objects.exists()


def test_a_masses_rater_who_no_longer_rates_takes_their_ballot_away(org, period, codes):
    no = org.member.employee_no
    org.masses.is_active = False
    org.masses.save()
    report = run(period, [row(no, "masses", "", numbers(full_scores(period)), ballot=f"{no}-M01")], codes)
    assert errors_of(report) == {(2, "ballot_no")}


def test_a_ballot_entered_in_another_period_is_not_entered_in_this_one(org, period, codes):
    other = PeriodFactory(code="2025", name="2025年度")
    on_paper(other, org.admin, org.branch_a)
    no = org.member.employee_no
    rows = [row(no, "peer", "", numbers(full_scores(period)), ballot=f"{no}-P01")]
    assert run(other, rows, codes).ballots == 1
    report = run(period, rows, codes)
    assert (report.ballots, report.ballots_entered) == (1, 0)
    assert Rating.objects.filter(ballot_no=f"{no}-P01").count() == 2


def test_a_closed_period_takes_no_ratings(org, period, codes):
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    report = run(period, [row(org.member.employee_no, "org", "", numbers(full_scores(period)))], codes)
    assert errors_of(report) == {(0, "")}
    assert report.errors[0].message == _("Rating is not open for %(period)s.") % {"period": period.name}
    assert not Rating.objects.exists()


def test_missing_and_unknown_columns_are_refused(org, period, codes):
    report = run(period, [], codes, headers=[*LEGACY_COLUMNS, *codes[:-1], "Z9"])
    assert errors_of(report) == {(1, "")}
    assert len(report.errors) == 2
    assert codes[-1] in report.errors[0].message and "Z9" in report.errors[1].message


def test_a_template_without_the_ballot_number_column_is_refused(org, period, codes):
    """A template of the old shape (peer rows named their rater) is refused whole."""
    no = org.member.employee_no
    headers = [h for h in LEGACY_COLUMNS if h != "ballot_no"] + codes
    rows = [row(no, "peer", org.groupmate.employee_no, numbers(full_scores(period)))]
    report = run(period, rows, codes, headers=headers)
    assert errors_of(report) == {(1, "")} and "票号" in report.errors[0].message
    assert not Rating.objects.exists()


def test_a_file_that_is_not_a_workbook_or_lacks_the_sheet(org, period, codes):
    report = ratings_import(period_id=period.pk, file=io.BytesIO(b"not a workbook"))
    assert errors_of(report) == {(0, "")}
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = ratings_import(period_id=period.pk, file=buffer)
    assert "评分表" in report.errors[0].message


def test_only_administrators_import(org, period, codes):
    with pytest.raises(PermissionDenied):
        run(period, [], codes, actor=org.secretary.user)


def test_import_queries_do_not_grow_with_the_rows(org, period, codes):
    def count(members):
        rows = [row(m.employee_no, "org", "", numbers(full_scores(period))) for m in members]
        rows += [
            row(m.employee_no, "peer", "", numbers(full_scores(period)), ballot=f"{m.employee_no}-P01") for m in members
        ]
        with CaptureQueriesContext(connection) as ctx:
            report = run(period, rows, codes, dry_run=True)
        assert report.ok
        return len(ctx.captured_queries)

    few = count([org.member, org.groupmate])
    many = [MemberFactory(branch=org.branch_a, group=org.group_a2) for _ in range(40)]
    assert count(many) == few
