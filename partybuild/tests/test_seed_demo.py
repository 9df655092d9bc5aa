"""The demo company (``manage.py seed_demo``, in the composition root): deterministic, one
login per role, refuses to overwrite a roster, and inserts in bulk."""

import io

import pytest
from django.core.management import CommandError, call_command

from members import demo
from members.models import Branch, MassesRater, Member, PartyGroup, User

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return (
        list(Branch.objects.order_by("sort_order").values_list("name", flat=True)),
        list(
            PartyGroup.objects.order_by("branch__sort_order", "sort_order").values_list("name", "leader__employee_no")
        ),
        list(Member.objects.order_by("employee_no").values_list("employee_no", "name", "joined_on", "group__name")),
        sorted(MassesRater.ratees.through.objects.values_list("massesrater__employee_no", "member__employee_no")),
    )


def test_seed_demo_is_deterministic(db):
    run("seed_demo", "--members", "60", "--seed", "7")
    first = snapshot()
    run("seed_demo", "--members", "60", "--seed", "7", "--reset")
    assert snapshot() == first
    run("seed_demo", "--members", "60", "--seed", "8", "--reset")
    assert snapshot() != first


def test_seed_demo_creates_one_login_per_role(db):
    out, _ = run("seed_demo")
    from members.roles import get_roles

    roles = {name: get_roles(User.objects.get(username=name)) for name in demo.DEMO_LOGINS}
    assert roles["admin"].is_admin
    assert roles["secretary1"].is_secretary and roles["secretary2"].is_secretary
    assert roles["secretary1"].member.branch != roles["secretary2"].member.branch
    assert roles["leader1"].is_group_leader
    assert roles["member1"].names == ["member"] and roles["member2"].names == ["member"]
    assert roles["member1"].member.group_id in roles["leader1"].led_group_ids
    assert roles["masses1"].names == ["masses"]
    assert roles["member1"].member in roles["masses1"].masses_rater.ratees.all()
    for name in demo.DEMO_LOGINS:
        assert User.objects.get(username=name).check_password(demo.DEMO_PASSWORD)
        assert name in out


def test_seed_demo_has_a_branch_without_groups(db):
    run("seed_demo")
    assert Branch.objects.filter(groups__isnull=True).exists()
    assert Branch.objects.filter(groups__isnull=False).distinct().count() >= 2


def test_seed_demo_refuses_to_overwrite_without_reset(db):
    run("seed_demo")
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    out, _ = run("seed_demo", "--if-empty")
    assert Member.objects.count() == 90


def test_seed_demo_at_scale_uses_bulk_inserts(db):
    # SQLite caps parameters per statement, so batches are small there; what matters
    # is that no row costs a query of its own: the rows written far outnumber the queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from study.models import Attendance, QuarterlyReport, ReportProblem, ReportTransition

    with CaptureQueriesContext(connection) as queries:
        run("seed_demo", "--members", "3000")
    assert Member.objects.count() == 3000
    rows = sum(
        model.objects.count()
        for model in (
            User,
            Member,
            MassesRater.ratees.through,
            QuarterlyReport,
            ReportProblem,
            ReportTransition,
            Attendance,
        )
    )
    assert len(queries) * 30 < rows
