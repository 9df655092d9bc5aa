"""The audit history: every change to a report, rating, result (and its flag), talk or
roster row leaves a history row saying who made it and when.

The changes go through the real services, outside any request, so the history
user must come from the service itself and not from the request middleware;
bulk paths (computing and publishing results, carrying problems over) must keep
their history without a query per row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Period, RaterGroup, Rating, Result
from assessment.services import ratings as rating_services
from assessment.services import results as result_services
from assessment.tests.factories import PeriodFactory, closed, full_scores, rate
from members import services as member_services
from members.models import Member
from members.tests.factories import MemberFactory
from members.tests.xlsx import roster_row, workbook
from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, ReportProblem, Talk
from study.services import reports as report_services
from study.services import talks as talk_services
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

pytestmark = pytest.mark.django_db

CREATED, CHANGED, DELETED = "+", "~", "-"


def latest(history):
    return history.order_by("-history_date", "-history_id").first()


def assert_recorded(record, *, by, kind=CHANGED, since=None):
    assert record is not None, "no history row was written"
    assert record.history_type == kind
    assert record.history_user_id == by.pk
    assert record.history_date is not None
    if since is not None:
        assert record.history_date >= since


# ---------------------------------------------------------------------------
# Quarterly reports: edits, every transition, and their problems


def _problem(text: str) -> report_services.ProblemInput:
    return report_services.ProblemInput(id=None, problem=text, cause="", measure="整改措施", status="open")


def test_every_step_of_a_report_is_kept_with_its_actor(org):
    start = timezone.now()
    member = org.member.user
    report = report_services.report_start(actor=member, quarter=Quarter.current())
    assert_recorded(latest(report.history), by=member, kind=CREATED, since=start)

    report_services.report_save(
        actor=member,
        report_id=report.pk,
        version=report.version,
        texts={"insights": "体会", "analysis": "分析"},
        problems=[_problem("学习不够系统")],
    )
    assert_recorded(latest(report.history), by=member)
    assert latest(report.history).insights == "体会"

    steps = [
        (member, lambda: report_services.report_submit(actor=member, report_id=report.pk)),
        (
            org.leader.user,
            lambda: report_services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="同意"),
        ),
        (
            org.secretary.user,
            lambda: report_services.report_return(
                actor=org.secretary.user, report_id=report.pk, sections=["analysis"], comment="再深入"
            ),
        ),
        (member, lambda: report_services.report_submit(actor=member, report_id=report.pk)),
        (
            org.leader.user,
            lambda: report_services.report_forward(actor=org.leader.user, report_id=report.pk, opinion="同意"),
        ),
        (
            org.committee.user,
            lambda: report_services.report_approve(
                actor=org.committee.user,
                report_id=report.pk,
                grade=QuarterlyReport.Grade.QUALIFIED,
                truly_studied=True,
                truly_checked=True,
                truly_rectified=True,
                evaluation="合格",
            ),
        ),
    ]
    for actor, step in steps:
        before = report.history.count()
        step()
        assert report.history.count() == before + 1
        record = latest(report.history)
        assert_recorded(record, by=actor)
    assert latest(report.history).status == QuarterlyReport.Status.APPROVED
    statuses = list(report.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert statuses == [
        "draft",
        "draft",
        "with_group",
        "with_branch",
        "returned",
        "with_group",
        "with_branch",
        "approved",
    ]


def test_problems_added_changed_removed_and_carried_over_keep_their_author(org):
    member = org.member.user
    previous = QuarterlyReportFactory(member=org.member, quarter=Quarter.current().previous().code)
    ReportProblemFactory(report=previous, problem="未整改完", status=ReportProblem.Status.IN_PROGRESS)
    report = report_services.report_start(actor=member, quarter=Quarter.current())
    carried = report.problems.get()
    assert_recorded(latest(carried.history), by=member, kind=CREATED)

    report_services.report_save(
        actor=member, report_id=report.pk, version=report.version, texts={}, problems=[_problem("新问题")]
    )
    assert not ReportProblem.objects.filter(pk=carried.pk).exists()
    assert_recorded(latest(ReportProblem.history.filter(id=carried.pk)), by=member, kind=DELETED)
    added = report.problems.get()
    assert_recorded(latest(added.history), by=member, kind=CREATED)


def test_returning_with_a_talk_records_who_opened_the_talk(org):
    report = QuarterlyReportFactory(member=org.member, status=QuarterlyReport.Status.WITH_BRANCH)
    report_services.report_return(
        actor=org.secretary.user, report_id=report.pk, sections=["analysis"], comment="需要谈话", open_talk=True
    )
    talk = Talk.objects.get(report=report)
    assert_recorded(latest(talk.history), by=org.secretary.user, kind=CREATED)

    talk_services.talk_record(
        actor=org.committee.user,
        talk_id=talk.pk,
        talked_on=timezone.localdate(),
        talked_by="支委甲",
        problems="分析不深",
        response="接受",
        plan="重写",
    )
    record = latest(talk.history)
    assert_recorded(record, by=org.committee.user)
    assert record.status == Talk.Status.RECORDED


# ---------------------------------------------------------------------------
# Ratings


@pytest.fixture
def period(db):
    return PeriodFactory()


def test_ratings_keep_who_entered_each_version(org, period):
    rating = rating_services.rating_save(
        actor=org.secretary.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.ORG,
        scores=full_scores(period, Decimal("0.8")),
        version=0,
    )
    assert_recorded(latest(rating.history), by=org.secretary.user, kind=CREATED)
    rating_services.rating_save(
        actor=org.committee.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.ORG,
        scores=full_scores(period, Decimal("0.9")),
        version=rating.version,
    )
    record = latest(rating.history)
    assert_recorded(record, by=org.committee.user)
    assert record.version == 2


def test_a_rating_saved_through_the_form_is_kept_with_its_rater(client_for, org, period):
    url = reverse("assessment:rate_form", args=[period.code, org.member.pk, RaterGroup.SELF])
    response = client_for(org.member).post(url, {**full_scores(period), "version": "0"})
    assert response.status_code == 302
    rating = Rating.objects.get(period=period, ratee=org.member, rater_group=RaterGroup.SELF)
    assert_recorded(latest(rating.history), by=org.member.user, kind=CREATED)


# ---------------------------------------------------------------------------
# Results and flags: computed in bulk, kept in bulk


def test_computing_results_keeps_each_result_and_flag_change(org, period):
    rating = rate(period, org.member, RaterGroup.ORG, 95)
    rate(period, org.groupmate, RaterGroup.ORG, 85)
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    result = Result.objects.get(period=period, member=org.member)
    assert_recorded(latest(result.history), by=org.admin, kind=CREATED)
    assert latest(result.history).flag == Result.Flag.RED

    # The same ratings again: nothing changed, so no history row either.
    count = Result.history.count()
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    assert Result.history.count() == count
    assert Result.objects.get(pk=result.pk).total == Decimal("95.00")

    # A changed rating moves the flag: the recomputation keeps old and new.
    Rating.objects.filter(pk=rating.pk).update(total=Decimal("75"))
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    record = latest(Result.history.filter(id=result.pk))
    assert_recorded(record, by=org.admin)
    assert (record.total, record.flag) == (Decimal("75.00"), Result.Flag.BLUE)
    assert list(Result.history.filter(id=result.pk).order_by("history_date").values_list("flag", flat=True)) == [
        "red",
        "blue",
    ]
    assert Result.objects.get(pk=result.pk).flag == Result.Flag.BLUE


def test_a_result_that_disappears_leaves_a_deletion_in_the_history(org, period):
    rate(period, org.member, RaterGroup.ORG, 80)
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    result = Result.objects.get(member=org.member)
    Member.objects.filter(pk=org.member.pk).update(is_active=False)
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    assert not Result.objects.filter(pk=result.pk).exists()
    record = latest(Result.history.filter(id=result.pk))
    assert_recorded(record, by=org.admin, kind=DELETED)
    assert record.total == Decimal("80.00")


def test_publishing_keeps_who_opened_each_follow_up_talk(org, period):
    rate(period, org.member, RaterGroup.ORG, 72)
    rate(period, org.groupmate, RaterGroup.ORG, 95)
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    _summary, opened = result_services.results_publish(actor=org.admin, period_id=period.pk)
    assert opened == 1
    talk = Talk.objects.get(subject=f"assessment:{period.code}")
    assert talk.member == org.member
    assert_recorded(latest(talk.history), by=org.admin, kind=CREATED)


def _compute_queries(period) -> int:
    closed(period)
    with CaptureQueriesContext(connection) as ctx:
        result_services.results_compute(actor=None, period_id=period.pk)
    return len(ctx)


def test_keeping_result_history_costs_the_same_queries_for_5_and_30_members(org, period):
    """First computation (all new), recomputation after every total moved (all changed),
    and after every result is gone (all deleted): the statements do not grow with members.
    (30 keeps every kind inside one batch on SQLite, which caps a statement at 999 parameters.)"""
    counts = {}
    for n in (5, 30):
        Rating.objects.all().delete()
        members = MemberFactory.create_batch(n, branch=org.branch_b)
        for m in members:
            rate(period, m, RaterGroup.ORG, 80)
        created = _compute_queries(period)
        Rating.objects.filter(ratee__in=members).update(total=Decimal("90"))
        changed = _compute_queries(period)
        Member.objects.filter(pk__in=[m.pk for m in members]).update(is_active=False)
        deleted = _compute_queries(period)
        counts[n] = (created, changed, deleted)
        assert Result.history.filter(member_id__in=[m.pk for m in members]).count() == 3 * n
    assert counts[5] == counts[30]


# ---------------------------------------------------------------------------
# Roster rows


def test_roster_edits_and_imports_keep_who_made_them(org):
    data = {"phone": "13811112222"}
    member_services.member_update(actor=org.secretary.user, member_id=org.member.pk, version=1, data=data)
    assert_recorded(latest(org.member.history), by=org.secretary.user)

    report = member_services.roster_import(
        file=workbook([roster_row(工号=org.member.employee_no, 姓名="改了名字")]), actor=org.admin
    )
    assert report.ok
    record = latest(org.member.history)
    assert_recorded(record, by=org.admin)
    assert record.name == "改了名字"

    created = member_services.member_create(
        actor=org.secretary.user,
        data={
            "employee_no": "N9001",
            "name": "新来的",
            "gender": Member.Gender.FEMALE,
            "party_status": Member.PartyStatus.PROBATIONARY,
            "joined_on": datetime.date(2024, 7, 1),
            "group": org.group_a2,
        },
    )
    assert_recorded(latest(created.history), by=org.secretary.user, kind=CREATED)


# ---------------------------------------------------------------------------
# The member's history page: everything in one timeline, for administrators only


def history_url(member) -> str:
    return reverse("members:history", args=[member.pk])


@pytest.mark.parametrize("who", ["secretary", "committee", "leader", "member", "other_secretary", "masses"])
def test_history_page_is_for_administrators_only(client_for, org, who):
    response = client_for(getattr(org, who)).get(history_url(org.member))
    assert response.status_code in (403, 404)


def _story(org, period):
    """One of each kind in the member's record, plus ratings around them."""
    member = org.member.user
    member_services.member_update(actor=org.secretary.user, member_id=org.member.pk, version=1, data={"phone": "1"})
    report = QuarterlyReportFactory(member=org.member, status=QuarterlyReport.Status.WITH_BRANCH)
    report_services.report_return(
        actor=org.secretary.user, report_id=report.pk, sections=["analysis"], comment="重写", open_talk=True
    )
    from assessment.services.cards import card_start

    card_start(actor=member, kind="goal_card", year=timezone.localdate().year)
    rating_services.rating_save(
        actor=member,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.SELF,
        scores=full_scores(period),
        version=0,
    )
    # Received: a peer rating by the groupmate, a masses rating, the organisation's rating.
    rating_services.rating_save(
        actor=org.groupmate.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.PEER,
        scores=full_scores(period, Decimal("0.7")),
        version=0,
    )
    rate(period, org.member, RaterGroup.MASSES, 66, rater_masses=org.masses)
    rating_services.rating_save(
        actor=org.secretary.user,
        period_id=period.pk,
        ratee_id=org.member.pk,
        rater_group=RaterGroup.ORG,
        scores=full_scores(period, Decimal("0.8")),
        version=0,
    )
    # Given: the member rates the groupmate; this is not part of the member's record.
    given = rating_services.rating_save(
        actor=member,
        period_id=period.pk,
        ratee_id=org.groupmate.pk,
        rater_group=RaterGroup.PEER,
        scores=full_scores(period, Decimal("0.6")),
        version=0,
    )
    result_services.results_compute(actor=org.admin, period_id=closed(period).pk)
    return given


def test_history_page_shows_every_kind_newest_first(client_for, org, period):
    _story(org, period)
    response = client_for(org.admin).get(history_url(org.member))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row.kind for row in rows} == {"roster", "report", "talk", "card", "rating", "result"}
    dates = [row.when for row in rows]
    assert dates == sorted(dates, reverse=True)
    result_row = next(row for row in rows if row.kind == "result")
    assert result_row.who == org.admin.username
    report_row = next(row for row in rows if row.kind == "report" and row.action == CHANGED)
    assert report_row.who == "书记甲"
    assert any(old and new for _label, old, new in report_row.changes), "a status transition shows from → to"
    page = response.content.decode()
    for label in ("花名册", "谈话", "退回"):
        assert label in page


def test_history_page_never_names_an_anonymous_rater_nor_lists_ratings_given(client_for, org, period):
    given = _story(org, period)
    response = client_for(org.admin).get(history_url(org.member))
    rows = [row for row in response.context["rows"] if row.kind == "rating"]
    by_group = {row.subject.rsplit(" · ", 1)[1]: row for row in rows}
    # Peer and masses ratings have no history (it would say when each arrived, and by
    # its author who gave it): they are counted per period, never listed one by one.
    assert set(by_group) == {"个人自评", "组织考评"}
    assert [(group, n) for _period, group, n in response.context["anonymous"]] == [("党员互评", 1), ("群众参评", 1)]
    assert not Rating.history.filter(rater_group__in=["peer", "masses"]).exists()
    assert by_group["个人自评"].who == "党员甲"
    assert by_group["组织考评"].who == "书记甲"
    page = response.content.decode()
    for secret in (org.groupmate.name, org.groupmate.employee_no, org.masses.name, org.masses.employee_no):
        assert secret not in page
    assert all(row.record is None or row.record.id != given.pk for row in rows)
    assert len(rows) == 2


def _history_queries(client, member) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(history_url(member))
    assert response.status_code == 200
    return len(ctx), len(response.context["rows"])


def _more_history(model, obj, *, n: int, actor) -> None:
    """``n`` more history rows for ``obj``, written in one statement."""
    history = model.history.model
    values = {
        f.attname: getattr(obj, f.attname)
        for f in history._meta.concrete_fields
        if not f.name.startswith("history_") and hasattr(obj, f.attname)
    }
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                **values, history_type=CHANGED, history_date=now + datetime.timedelta(seconds=i), history_user=actor
            )
            for i in range(n)
        ]
    )


def test_history_page_queries_are_the_same_for_5_and_200_history_rows(client_for, org, period):
    client = client_for(org.admin)
    member_services.member_update(actor=org.secretary.user, member_id=org.member.pk, version=1, data={"phone": "1"})
    rate(period, org.member, RaterGroup.SELF, 66)
    report = QuarterlyReportFactory(member=org.member)
    Talk.objects.create(member=org.member, branch=org.branch_a, source=Talk.Source.OTHER)
    assert _member_history_count(org.member) == 5  # roster: 2, rating, report, talk: 1 each
    small, shown = _history_queries(client, org.member)
    assert shown == 5

    rating = Rating.objects.get(ratee=org.member)
    org.member.refresh_from_db()
    for model, obj in ((Member, org.member), (QuarterlyReport, report), (Rating, rating)):
        _more_history(model, obj, n=65, actor=org.admin)
    assert _member_history_count(org.member) == 200
    large, shown = _history_queries(client, org.member)
    assert shown == 25
    assert large == small


def _member_history_count(member) -> int:
    return sum(
        m.history.model.objects.filter(**{field: member.pk}).count()
        for m, field in ((Member, "id"), (QuarterlyReport, "member_id"), (Rating, "ratee_id"), (Talk, "member_id"))
    )


def test_an_objection_and_its_ruling_are_in_the_members_history(client_for, org, period):
    """Filed by the member, ruled by the secretary: both steps with who made them, the
    result before and after; nothing of who rated."""
    from assessment.services import objections as objection_services

    _story(org, period)
    result_services.results_publish(actor=org.admin, period_id=period.pk)
    objection = objection_services.objection_file(actor=org.member.user, period_id=period.pk, reason="组织评分偏低")
    objection_services.objection_rule(
        actor=org.secretary.user,
        objection_id=objection.pk,
        version=objection.version,
        upheld=True,
        ruling="经支委会复核，组织评分更正",
        org_scores=full_scores(period, Decimal("0.9")),
    )
    filed, ruled = objection.history.order_by("history_date", "history_id")
    assert_recorded(filed, by=org.member.user, kind=CREATED)
    assert_recorded(ruled, by=org.secretary.user, kind=CHANGED)
    response = client_for(org.admin).get(history_url(org.member))
    rows = [row for row in response.context["rows"] if row.kind == "objection"]
    assert [row.who for row in rows] == ["书记甲", "党员甲"]
    assert rows[0].subject == period.name
    page = response.content.decode()
    assert "经支委会复核，组织评分更正" in page and "组织评分偏低" in page
    assert org.groupmate.name not in page
