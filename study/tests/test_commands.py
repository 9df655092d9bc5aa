import io

import pytest
from django.core.management import CommandError, call_command

from partybuild.lib.quarters import Quarter
from study.models import Attendance, CriticismMeeting, QuarterlyReport, Talk
from study.selectors.reports import quarter_status_rows

pytestmark = pytest.mark.django_db


def test_seed_demo_puts_this_quarters_reports_in_every_state(db):
    call_command("seed_demo", stdout=io.StringIO())
    rows = quarter_status_rows(quarter=Quarter.current())
    for state in ("not_started", "draft", "with_group", "with_branch", "returned", "approved"):
        assert sum(r[state] for r in rows) > 0, state
    assert Attendance.objects.exists()
    assert Talk.objects.filter(status=Talk.Status.OPEN).exists()
    assert CriticismMeeting.objects.count() == 1
    member1 = QuarterlyReport.objects.filter(member__user__username="member1")
    assert not member1.filter(quarter=Quarter.current().code).exists()
    assert member1.filter(quarter=Quarter.current().previous().code, problems__status="in_progress").exists() or (
        member1.filter(quarter=Quarter.current().previous().code).exists()
    )


def test_seed_demo_has_nobody_judge_their_own_report(db):
    from django.db.models import F

    from study.models import ReportTransition

    call_command("seed_demo", stdout=io.StringIO())
    judged = ReportTransition.objects.exclude(action__in=["submit", "resubmit"])
    assert judged.filter(report__member__committee_role="secretary").exists()
    assert not judged.filter(actor_id=F("report__member__user_id")).exists()


def test_quarter_status_prints_every_state(db):
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("quarter_status", "--csv", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 4  # header and three branches
    values = [list(map(int, line.split(",")[1:])) for line in lines[1:]]
    for column in range(1, 7):
        assert sum(v[column] for v in values) > 0
    for v in values:
        assert v[0] == sum(v[1:])


def test_quarter_status_for_one_branch_as_a_table(db):
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("quarter_status", "--branch", "机关党支部", "--quarter", Quarter.current().code, stdout=out)
    assert "机关党支部" in out.getvalue() and "生产运行党支部" not in out.getvalue()


def test_quarter_status_refuses_bad_arguments(db):
    with pytest.raises(CommandError):
        call_command("quarter_status", "--quarter", "2026Q5")
    with pytest.raises(CommandError):
        call_command("quarter_status", "--branch", "没有这个支部")


def test_seed_demo_has_pledges_and_goal_cards_in_every_state(db):
    from assessment.models import Card, CardKind

    call_command("seed_demo", stdout=io.StringIO())
    for kind in (CardKind.PLEDGE, CardKind.GOAL_CARD):
        states = set(Card.objects.filter(kind=kind).values_list("status", flat=True))
        assert states == set(Card.Status.values), kind
    assert not Card.objects.filter(member__user__username="member1", kind=CardKind.PLEDGE).exists()
