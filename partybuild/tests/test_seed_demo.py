"""The demo company (``manage.py seed_demo``, in the composition root): deterministic, one
login per role, refuses to overwrite a roster, and inserts in bulk."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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


def test_every_session_that_took_place_has_its_audiences_attendance_and_no_one_elses(db):
    """The attendance is written by the database (one INSERT … SELECT per audience): each
    session of the whole branch, one group or the committee lists exactly those active
    members, mostly present; the second quarter's lecture also counts as the assembly."""
    from study.models import Attendance, StudySession

    run("seed_demo", "--members", "60")
    sessions = StudySession.objects.exclude(audience=StudySession.Audience.ASSIGNED)
    assert sessions.count() > 50
    for session in sessions:
        expected = Member.objects.filter(branch_id=session.branch_id)
        if session.audience == StudySession.Audience.GROUP:
            expected = expected.filter(group_id=session.group_id)
        elif session.audience == StudySession.Audience.COMMITTEE:
            expected = expected.exclude(committee_role=Member.CommitteeRole.NONE)
        listed = set(session.attendance.values_list("member_id", flat=True))
        assert listed == set(expected.values_list("pk", flat=True)), session
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses[Attendance.Status.PRESENT] > 0.8 * sum(statuses.values())
    assert statuses[Attendance.Status.EXCUSED] and statuses[Attendance.Status.ABSENT]
    assert not Attendance.objects.filter(status=Attendance.Status.EXCUSED, reason="").exists()
    also = StudySession.also_counts_for.through.objects.values_list("studysession__kind", "meetingrule__kind")
    assert set(also) <= {(StudySession.Kind.LECTURE, StudySession.Kind.ASSEMBLY)}
    if timezone.localdate().month > 4:  # the lecture given at the second quarter's assembly has taken place
        assert also.count() == Branch.objects.count()


def test_seed_demo_builds_last_year_final_after_its_publicity_window(db):
    """Last year's period went through the real services: published, three objections
    ruled in its window (member1's among them), finalised; no follow-up talk is opened."""
    import datetime

    from django.utils import timezone

    from assessment.models import Objection, Period, Result
    from partybuild.lib.dates import add_working_days
    from study.models import Talk

    out, _ = run("seed_demo", "--members", "60")
    today = timezone.localdate()
    last = Period.objects.get(code=str(today.year - 1))
    assert last.state == Period.State.FINAL and last.is_published
    published_on = timezone.localtime(last.published_at).date()
    assert published_on < today
    assert last.publicity_ends_on == add_working_days(published_on, last.publicity_days)
    assert last.finalized_at > timezone.make_aware(datetime.datetime.combine(last.publicity_ends_on, datetime.time()))
    assert last.computed_at < last.published_at < last.finalized_at
    steps = list(last.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert steps == [None, "computed", "published", "ruled", "finalized"]

    objections = list(Objection.objects.filter(period=last))
    assert sorted(o.state for o in objections) == ["rejected", "rejected", "upheld"]
    assert any(o.member.user.username == "member1" for o in objections)
    window = (
        last.published_at,
        timezone.make_aware(datetime.datetime.combine(last.publicity_ends_on, datetime.time.max)),
    )
    for o in objections:
        assert window[0] < o.filed_at < o.ruled_at <= window[1]
        assert o.ruling and o.ruled_by.member.committee_role == "secretary"
        result = Result.objects.get(period=last, member=o.member)
        assert (o.total_after, o.flag_after) == (result.total, result.flag)
    upheld = next(o for o in objections if o.state == "upheld")
    assert upheld.org_corrected and upheld.total_after > upheld.total_before
    assert not Talk.objects.filter(subject=f"assessment:{last.code}").exists()
    assert set(Result.objects.filter(period=last).values_list("flag", flat=True)) == {"red", "yellow", "blue", "grey"}
    assert "3" in out.splitlines()[2]


@pytest.mark.django_db(transaction=True)
def test_seed_demo_tells_nobody_of_the_demo_companys_past():
    """Last year's objections and final results were told at the time: seeding commits, its
    signals go out, and no notification is written nor e-mail sent."""
    from django.core import mail

    from assessment.models import Objection
    from reminders.models import Notification

    run("seed_demo", "--members", "30")
    assert Objection.objects.count() == 3
    assert not Notification.objects.exists()
    assert mail.outbox == []
