"""Importing filled paper ballots: all or nothing, every bad row reported, blanks never zeros."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import MassesBallot, Period, Rating
from assessment.services.ballots_paper import KEY_COLUMNS, ratings_import
from assessment.tests.excel_helpers import ratings_workbook
from assessment.tests.factories import PeriodFactory, full_scores, rate, scores_totalling
from members.tests.factories import MassesRaterFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return PeriodFactory()


@pytest.fixture
def codes(period):
    return list(period.rubric.items.order_by("position", "code").values_list("code", flat=True))


@pytest.fixture
def ballot(org, period):
    return MassesBallot.objects.create(period=period, rater=org.masses, token="k" * 40, code="ABCD-EFGH")


def row(ratee, group, rater="", scores=None, **extra):
    values = {"ratee_employee_no": ratee, "ratee_name": "", "rater_group": group, "rater": rater}
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


def errors_of(report):
    return {(e.row, e.column) for e in report.errors}


# --- happy path ------------------------------------------------------------------


def test_import_creates_one_rating_per_row_from_paper(org, period, codes, ballot):
    m = org.member
    rows = [
        row(m.employee_no, "self", m.employee_no, numbers(scores_totalling(period, Decimal(90)))),
        row(m.employee_no, "peer", org.groupmate.employee_no, numbers(scores_totalling(period, Decimal("80.5")))),
        row(m.employee_no, "masses", ballot.code, numbers(scores_totalling(period, Decimal(70)))),
        row(m.employee_no, "org", "", numbers(scores_totalling(period, Decimal(95)))),
    ]
    report = run(period, rows, codes, actor=org.admin)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged, report.skipped) == (4, 0, 0, 0)
    ratings = {r.rater_group: r for r in Rating.objects.filter(period=period, ratee=m)}
    assert {g: r.total for g, r in ratings.items()} == {
        "self": Decimal("90.0"),
        "peer": Decimal("80.5"),
        "masses": Decimal("70.0"),
        "org": Decimal("95.0"),
    }
    assert ratings["self"].rater_member == m and ratings["peer"].rater_member == org.groupmate
    assert ratings["masses"].rater_masses == org.masses and ratings["org"].rater_member is None
    assert all(r.source == Rating.Source.PAPER and r.entered_by == org.admin for r in ratings.values())
    # Stored exactly as the web form stores them.
    assert ratings["peer"].scores == {
        c: str(Decimal(v).quantize(Decimal("0.1"))) for c, v in scores_totalling(period, Decimal("80.5")).items()
    }
    history = ratings["org"].history.first()
    assert history.history_type == "+" and history.history_user == org.admin


def test_scores_typed_as_text_and_codes_in_lower_case_are_read(org, period, codes, ballot):
    scores = {c: str(v) for c, v in full_scores(period).items()}
    rows = [
        row(org.member.employee_no, "MASSES", ballot.code.lower(), scores),
        row(org.member.employee_no, " Org ", None, scores),
    ]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert Rating.objects.filter(period=period, ratee=org.member).count() == 2


def test_employee_numbers_typed_as_numbers_are_matched(org, period, codes):
    m = MemberFactory(employee_no="1001", branch=org.branch_a, group=None)
    rows = [row(1001, "self", 1001.0, numbers(full_scores(period)))]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert Rating.objects.get(period=period, ratee=m).rater_member == m


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
    rows = [
        row(org.member.employee_no, "self", org.member.employee_no, numbers(full_scores(period))),
        row(org.member.employee_no, "peer", org.leader.employee_no, numbers(full_scores(period, Decimal("0.7")))),
    ]
    first = run(period, rows, codes)
    history_count = Rating.history.count()
    second = run(period, rows, codes)
    assert (first.new, second.new, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert Rating.history.count() == history_count
    assert set(Rating.objects.values_list("version", flat=True)) == {1}


def test_dry_run_counts_but_writes_nothing(org, period, codes):
    rate(period, org.member, "org", 60)
    rows = [
        row(org.member.employee_no, "org", "", numbers(full_scores(period))),
        row(org.groupmate.employee_no, "org", "", numbers(full_scores(period))),
    ]
    report = run(period, rows, codes, dry_run=True)
    assert report.ok and report.dry_run and (report.new, report.updated) == (1, 1)
    assert Rating.objects.count() == 1 and Rating.objects.get().total == Decimal("60.0")


# --- blanks ----------------------------------------------------------------------


def test_wholly_blank_rows_are_not_rated_and_leave_ratings_alone(org, period, codes):
    given = rate(period, org.member, "peer", 77, rater_member=org.groupmate)
    rows = [
        row(org.member.employee_no, "peer", org.groupmate.employee_no, {c: None for c in codes}),
        row(org.member.employee_no, "peer", org.leader.employee_no, {c: "  " for c in codes}),
        # Not even its ratee is checked: a blank row is simply not a rating.
        row("NOBODY", "nonsense", "??"),
        row(org.member.employee_no, "org", "", numbers(full_scores(period))),
    ]
    report = run(period, rows, codes)
    assert report.ok, report.errors
    assert (report.new, report.skipped) == (1, 3)
    given.refresh_from_db()
    assert given.total == Decimal("77.0") and given.version == 1


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


def test_every_bad_row_is_reported_and_nothing_is_written(org, period, codes, ballot):
    ok = numbers(full_scores(period))
    revoked = MassesRaterFactory(branch=org.branch_a)
    revoked.ratees.add(org.member)
    MassesBallot.objects.create(
        period=period, rater=revoked, token="r" * 40, code="RRRR-RRRR", revoked_at=timezone.now()
    )
    gone = MemberFactory(branch=org.branch_a, group=org.group_a1, is_active=False)
    too_high = dict(ok, **{codes[0]: 99})
    half = dict(ok, **{codes[1]: 2.25})
    text = dict(ok, **{codes[2]: "good"})
    negative = dict(ok, **{codes[3]: -1})
    m = org.member.employee_no
    rows = [
        row(m, "org", "", ok),  # 2: good, but not written
        row("X999", "org", "", ok),  # 3: unknown ratee
        row(gone.employee_no, "org", "", ok),  # 4: ratee not on the roll
        row(m, "boss", "", ok),  # 5: no such group
        row(m, "self", org.groupmate.employee_no, ok),  # 6: self rated by another
        row(m, "peer", "X998", ok),  # 7: unknown rater
        row(m, "peer", org.member_a2.employee_no, ok),  # 8: not a peer (other group)
        row(m, "peer", m, ok),  # 9: one's own peer
        row(m, "masses", "ZZZZ-ZZZZ", ok),  # 10: unknown ballot
        row(org.groupmate.employee_no, "masses", ballot.code, ok),  # 11: ballot not for this ratee
        row(m, "masses", "RRRR-RRRR", ok),  # 12: withdrawn ballot
        row(org.groupmate.employee_no, "org", org.secretary.employee_no, ok),  # 13: org with a rater
        row(m, "org", "", ok),  # 14: duplicate of row 2
        row(m, "peer", "", ok),  # 15: no rater
        row(org.groupmate.employee_no, "self", org.groupmate.employee_no, too_high),  # 16
        row(org.leader.employee_no, "self", org.leader.employee_no, half),  # 17
        row(org.secretary.employee_no, "self", org.secretary.employee_no, text),  # 18
        row(org.committee.employee_no, "self", org.committee.employee_no, negative),  # 19
        row("", "org", "", ok),  # 20: no ratee
    ]
    report = run(period, rows, codes)
    assert errors_of(report) == {
        (3, "ratee_employee_no"),
        (4, "ratee_employee_no"),
        (5, "rater_group"),
        (6, "rater"),
        (7, "rater"),
        (8, "rater"),
        (9, "rater"),
        (10, "rater"),
        (11, "rater"),
        (12, "rater"),
        (13, "rater"),
        (14, ""),
        (15, "rater"),
        (16, codes[0]),
        (17, codes[1]),
        (18, codes[2]),
        (19, codes[3]),
        (20, "ratee_employee_no"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "X999" in messages[(3, "ratee_employee_no")]
    assert messages[(14, "")] == _("The same rating is already in row %(row)d.") % {"row": 2}
    assert messages[(10, "rater")] == _("“%(code)s” is not a ballot code of this period.") % {"code": "ZZZZ-ZZZZ"}
    assert messages[(12, "rater")] == _("Ballot %(code)s has been withdrawn.") % {"code": "RRRR-RRRR"}
    assert messages[(8, "rater")] == _(
        "%(rater)s is not a peer of %(ratee)s: peers are the other members of the same "
        "Party group (of the branch, for members without a group)."
    ) % {"rater": org.member_a2.employee_no, "ratee": m}
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)
    assert not Rating.objects.exists()


def test_a_masses_rater_who_no_longer_rates_is_refused(org, period, codes, ballot):
    org.masses.is_active = False
    org.masses.save()
    report = run(period, [row(org.member.employee_no, "masses", ballot.code, numbers(full_scores(period)))], codes)
    assert errors_of(report) == {(2, "rater")}


def test_a_ballot_of_another_period_is_unknown(org, period, codes):
    other = PeriodFactory(code="2025", name="2025年度")
    MassesBallot.objects.create(period=other, rater=org.masses, token="o" * 40, code="OOOO-OOOO")
    report = run(period, [row(org.member.employee_no, "masses", "OOOO-OOOO", numbers(full_scores(period)))], codes)
    assert errors_of(report) == {(2, "rater")}


def test_a_closed_period_takes_no_ratings(org, period, codes):
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    report = run(period, [row(org.member.employee_no, "org", "", numbers(full_scores(period)))], codes)
    assert errors_of(report) == {(0, "")}
    assert report.errors[0].message == _("Rating is not open for %(period)s.") % {"period": period.name}
    assert not Rating.objects.exists()


def test_missing_and_unknown_columns_are_refused(org, period, codes):
    report = run(period, [], codes, headers=[*KEY_COLUMNS, *codes[:-1], "Z9"])
    assert errors_of(report) == {(1, "")}
    assert len(report.errors) == 2
    assert codes[-1] in report.errors[0].message and "Z9" in report.errors[1].message


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
    assert "ratings" in report.errors[0].message


def test_only_administrators_import(org, period, codes):
    with pytest.raises(PermissionDenied):
        run(period, [], codes, actor=org.secretary.user)


def test_import_queries_do_not_grow_with_the_rows(org, period, codes):
    def count(members):
        rows = [row(m.employee_no, "org", "", numbers(full_scores(period))) for m in members]
        with CaptureQueriesContext(connection) as ctx:
            report = run(period, rows, codes, dry_run=True)
        assert report.ok
        return len(ctx.captured_queries)

    few = count([org.member, org.groupmate])
    many = [MemberFactory(branch=org.branch_a, group=org.group_a2) for _ in range(40)]
    assert count(many) == few
