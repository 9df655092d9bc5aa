"""Every page a person uses issues the same number of SQL queries whether their
branch has 5 members or 500, and never more than 20.

One company is built twice, through the same builder: with 5 members in the
measured branch, then with 500 (each with a login, this and last quarter's
reports with a problem, study attendance, ratings in a published and an open
period, results, follow-up talks and notifications). Every page is fetched once
to warm per-process caches, then measured. The whole module builds both
companies once, inside a transaction that is rolled back, so the other tests
never see them; each page then has a test of its own.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.anonymity import rater_key
from assessment.models import MassesBallot, Objection, Period, RaterGroup, Rating, Result
from assessment.services import ratings as rating_services
from assessment.services import results as result_services
from assessment.services.area_averages import store_area_averages
from assessment.services.periods import period_close
from assessment.tests.factories import PeriodFactory, closed, scores_totalling
from members.models import Branch, MassesRater, Member, PartyGroup, User
from members.roles import get_roles
from partybuild.lib.quarters import Quarter
from reminders.models import Notification
from study.models import Attendance, QuarterlyReport, ReportProblem, ReportTransition, StudySession, Talk

# The marker makes pytest-django create the test database the module-scoped build uses.
pytestmark = pytest.mark.django_db

SIZES = (5, 500)
MAX_QUERIES = 20
S = QuarterlyReport.Status


@dataclass(frozen=True)
class Page:
    viewer: str  # a persona, or "anonymous" for the masses rater's one-time link
    url: str
    marker: str  # what the page shows once it really rendered its rows
    absent: str = 'data-testid="ranking-empty"'  # ... and what it shows instead when empty


def tid(name: str) -> str:
    return f'data-testid="{name}"'


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=500)


def build_company(n: int) -> tuple[dict[str, User | None], dict[str, Page]]:
    """A company whose first branch has ``n`` members; returns the personas' logins and the pages."""
    password = make_password("partybuild-demo")
    today = timezone.localdate()
    quarter = Quarter.current()
    admin = User.objects.create(username="qc-admin", password=password, is_staff=True, is_superuser=True)
    branch = Branch.objects.create(name="计数党支部", sort_order=1)
    other = Branch.objects.create(name="另一党支部", sort_order=2)
    groups = [PartyGroup.objects.create(branch=branch, name=f"第{i + 1}党小组", sort_order=i) for i in range(3)]
    other_group = PartyGroup.objects.create(branch=other, name="第一党小组")

    # Personas first (secretary, committee, leader, member, groupmate), then everyone else.
    total = n + 2
    users = _bulk(User, [User(username=f"qc{i:05d}", password=password) for i in range(total)])
    layout = [(branch, groups[0]), (branch, groups[1]), (branch, groups[0]), (branch, groups[0]), (branch, groups[0])]
    layout += [(branch, groups[i % 3]) for i in range(5, n)]
    layout += [(other, other_group), (other, other_group)]
    members = _bulk(
        Member,
        [
            Member(
                user=users[i],
                employee_no=f"QC{i:05d}",
                name=f"党员{i}",
                gender=Member.Gender.MALE if i % 2 else Member.Gender.FEMALE,
                party_status=Member.PartyStatus.PROBATIONARY if i % 7 == 6 else Member.PartyStatus.FULL,
                joined_on=datetime.date(2005 + i % 15, 7, 1),
                branch=b,
                group=g,
                post="运行值班员",
            )
            for i, (b, g) in enumerate(layout)
        ],
    )
    secretary, committee, leader, member, groupmate = members[:5]
    Member.objects.filter(pk=secretary.pk).update(committee_role=Member.CommitteeRole.SECRETARY)
    Member.objects.filter(pk=committee.pk).update(committee_role=Member.CommitteeRole.COMMITTEE)
    Member.objects.filter(pk=members[n].pk).update(committee_role=Member.CommitteeRole.SECRETARY)
    PartyGroup.objects.filter(pk=groups[0].pk).update(leader=leader)
    in_branch = members[:n]

    masses_user = User.objects.create(username="qc-masses", password=password)
    masses = MassesRater.objects.create(user=masses_user, employee_no="QCM001", name="群众甲", branch=branch)
    masses_ratees = [m for i, m in enumerate(in_branch) if i % 5 == 0 or m is member]
    masses.ratees.add(*masses_ratees)

    # Study: one branch session this quarter, everybody's attendance, reports for this
    # quarter in every state and for the last quarter approved, each with a problem.
    session = StudySession.objects.create(
        branch=branch,
        kind=StudySession.Kind.ASSEMBLY,
        title="学习党章",
        content_tag=StudySession.ContentTag.CONSTITUTION,
        content="党章第一章",
        starts_at=max(timezone.now() - datetime.timedelta(hours=2), quarter.bounds()[0]),
        attendance_taken_at=timezone.now(),
    )
    _bulk(
        Attendance,
        [
            Attendance(
                session=session, member=m, status=Attendance.Status.PRESENT if i % 4 else Attendance.Status.ABSENT
            )
            for i, m in enumerate(in_branch)
        ],
    )
    # The five personas' reports (secretary, committee, leader, member, groupmate) put
    # every state in the small branch too, so no list is empty there and full here.
    cycle = [S.APPROVED, S.WITH_GROUP, S.RETURNED, S.WITH_BRANCH, S.WITH_GROUP, S.DRAFT]
    reports = []
    for i, m in enumerate(in_branch):
        status = cycle[i % len(cycle)]
        reports.append(
            QuarterlyReport(
                member=m,
                quarter=quarter.code,
                branch=branch,
                group=m.group,
                status=status,
                insights="体会",
                analysis="分析",
            )
        )
        reports.append(
            QuarterlyReport(
                member=m,
                quarter=quarter.previous().code,
                branch=branch,
                group=m.group,
                status=S.APPROVED,
                grade="qualified",
            )
        )
    reports = _bulk(QuarterlyReport, reports)
    _bulk(
        ReportProblem,
        [ReportProblem(report=r, problem="学习不够系统", cause="工作忙", measure="每周学习") for r in reports],
    )
    _bulk(
        ReportTransition,
        [
            ReportTransition(
                report=r, actor_id=r.member.user_id, action="submit", from_status=S.DRAFT, to_status=S.WITH_GROUP
            )
            for r in reports
            if r.status != S.DRAFT
        ],
    )
    member_report = next(r for r in reports if r.member is member and r.quarter == quarter.code)

    # Evaluation: last year's period published (results, talks), this year's open and half rated.
    totals = itertools.cycle([95, 91, 86, 82, 77, 72, 65])
    score_sets: dict[Decimal, dict[str, str]] = {}
    last = PeriodFactory(
        code=str(today.year - 1),
        name="上年度考核",
        starts_on=datetime.date(today.year - 1, 1, 1),
        ends_on=datetime.date(today.year - 1, 12, 31),
    )
    this = PeriodFactory(
        code=str(today.year),
        name="本年度考核",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )

    def rating(period, ratee, group, rater_member=None, rater_masses=None):
        value = Decimal(next(totals))
        if value not in score_sets:
            score_sets[value] = scores_totalling(period, value)
        rater = {RaterGroup.PEER: rater_member, RaterGroup.MASSES: rater_masses}.get(group)
        keyed = rater is not None and period.state == Period.State.OPEN
        return Rating(
            period=period,
            ratee=ratee,
            rater_group=group,
            rater_key=rater_key(period=period, group=group, rater_id=rater.pk) if keyed else None,
            scores=score_sets[value],
            total=value,
        )

    def ratings_for(period, every):
        rows = []
        for i, m in enumerate(members):
            if i % every:
                continue
            peers = [p for p in members if p.group_id == m.group_id and p is not m][:3]
            rows.append(rating(period, m, RaterGroup.SELF, rater_member=m))
            rows.append(rating(period, m, RaterGroup.ORG))
            rows += [rating(period, m, RaterGroup.PEER, rater_member=p) for p in peers]
            if m in masses_ratees:
                rows.append(rating(period, m, RaterGroup.MASSES, rater_masses=masses))
        return rows

    # A period closed and computed, not yet published: the committee previews its results.
    unpublished = PeriodFactory(
        code=f"{today.year}H1",
        name="上半年考核",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 6, 30),
    )
    _bulk(Rating, ratings_for(last, 1) + ratings_for(this, 2) + ratings_for(unpublished, 2))
    period_close(actor=admin, period_id=last.pk)
    result_services.results_publish(actor=admin, period_id=last.pk)
    store_area_averages(last)  # the publish signal's work: its on-commit never runs in here
    result_services.results_compute(actor=admin, period_id=closed(unpublished).pk)
    ballot = rating_services.ballot_issue(actor=admin, period_id=this.pk, rater_id=masses.pk)
    talk = Talk.objects.filter(member=member).first() or Talk.objects.create(
        member=member, branch=branch, source=Talk.Source.OTHER, reason="谈心谈话", due_on=today
    )
    assert Result.objects.filter(period=last, branch=branch).count() == n
    assert MassesBallot.objects.filter(period=this).count() == 1
    # Objections in last year's publicity window: one of each member of the branch.
    objected = Result.objects.filter(period=last, branch=branch)
    _bulk(
        Objection,
        [
            Objection(
                period=last,
                member_id=r.member_id,
                branch=branch,
                reason="分数偏低",
                total_before=r.total,
                flag_before=r.flag,
            )
            for r in objected
        ],
    )
    objection = Objection.objects.get(period=last, member=member)

    # Reminders: each member's own, and the secretary one per open talk and waiting report.
    notes = []
    for m in in_branch:
        for kind in (Notification.Kind.REPORT_DUE, Notification.Kind.SELFCHECK_DUE):
            notes.append(
                Notification(recipient_id=m.user_id, kind=kind, subject="", quarter=quarter.code, title="提醒")
            )
    for t in Talk.objects.filter(branch=branch):
        notes.append(
            Notification(
                recipient=secretary.user,
                kind=Notification.Kind.TALK_OPEN,
                subject=f"talk:{t.pk}",
                quarter=quarter.code,
                title="谈话待记录",
                body=t.reason,
                url=reverse("study:talk_detail", args=[t.pk]),
            )
        )
    _bulk(Notification, notes)

    # The member's roster record changed once per member of the branch (their group back and
    # forth, their post), so their history (the timeline and the admin's) runs to pages.
    history = Member.history.model
    kept = {f.attname for f in history._meta.concrete_fields}
    record = {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields if f.attname in kept}
    changed = timezone.now() - datetime.timedelta(days=1)
    _bulk(
        history,
        [
            history(
                **{**record, "group_id": groups[i % 2].pk, "post": f"岗位{i}"},
                history_date=changed + datetime.timedelta(seconds=i),
                history_type="+" if i == 0 else "~",
                history_user=admin,
            )
            for i in range(n)
        ],
    )

    logins = {
        "member": member.user,
        "groupmate": groupmate.user,
        "leader": leader.user,
        "secretary": secretary.user,
        "committee": committee.user,
        "masses": masses_user,
        "admin": admin,
        "anonymous": None,
    }
    last_code, this_code, unpublished_code = last.code, this.code, unpublished.code
    pages = {
        "home_member": Page("member", reverse("home"), member.name),
        "home_leader": Page("leader", reverse("home"), leader.name),
        "home_secretary": Page("secretary", reverse("home"), secretary.name),
        "home_committee": Page("committee", reverse("home"), committee.name),
        "home_masses": Page("masses", reverse("home"), masses.name),
        "home_admin": Page("admin", reverse("home"), branch.name),
        "roster_secretary": Page("secretary", reverse("members:list"), tid("roster-table")),
        "roster_leader": Page("leader", reverse("members:list"), tid("roster-table")),
        "roster_admin": Page("admin", reverse("members:list"), tid("roster-table")),
        "review_board": Page("secretary", reverse("study:review_board"), tid("board-table")),
        "reports_waiting_leader": Page("leader", reverse("study:report_waiting"), tid("waiting-list")),
        "report_list_secretary": Page("secretary", reverse("study:report_list"), tid("report-quarters")),
        "report_as_member": Page(
            "member", reverse("study:report_detail", args=[member_report.pk]), tid("report-status")
        ),
        "report_as_secretary": Page(
            "secretary", reverse("study:report_detail", args=[member_report.pk]), tid("approve-panel")
        ),
        "rate_home_member": Page("member", reverse("assessment:rate_home"), tid("rate-peers")),
        "rate_home_secretary": Page("secretary", reverse("assessment:rate_home"), tid("rate-org")),
        "rate_home_masses": Page("masses", reverse("assessment:rate_home"), tid("rate-masses")),
        "rate_self": Page(
            "member", reverse("assessment:rate_form", args=[this_code, member.pk, RaterGroup.SELF]), tid("rating-form")
        ),
        "rate_peer": Page(
            "member",
            reverse("assessment:rate_form", args=[this_code, groupmate.pk, RaterGroup.PEER]),
            tid("rating-form"),
        ),
        "rate_org": Page(
            "secretary",
            reverse("assessment:rate_form", args=[this_code, member.pk, RaterGroup.ORG]),
            tid("rating-form"),
        ),
        "rate_masses_login": Page(
            "masses",
            reverse("assessment:rate_form", args=[this_code, member.pk, RaterGroup.MASSES]),
            tid("rating-form"),
        ),
        "masses_link_entry": Page(
            "anonymous", reverse("assessment:ballot_entry", args=[ballot.token]), tid("ballot-tasks")
        ),
        "masses_link_rate": Page(
            "anonymous", reverse("assessment:ballot_rate", args=[ballot.token, member.pk]), tid("rating-form")
        ),
        "flagboard": Page("member", reverse("assessment:flagboard", args=[last_code, branch.pk]), tid("flag-board")),
        "flagboard_wall": Page(
            "member", reverse("assessment:flagboard_wall", args=[last_code, branch.pk]), tid("flag-board")
        ),
        "flagboard_preview": Page(
            "secretary", reverse("assessment:flagboard", args=[unpublished_code, branch.pk]), tid("flag-board")
        ),
        "result_mine": Page("member", reverse("assessment:result_mine", args=[last_code]), tid("result-total")),
        "result_member": Page(
            "secretary", reverse("assessment:result_member", args=[last_code, member.pk]), tid("result-total")
        ),
        "ranking_team": Page("member", reverse("assessment:result_team", args=[last_code]), tid("team-table")),
        "ranking_branch": Page(
            "secretary", reverse("assessment:result_branch", args=[last_code, branch.pk]), tid("ranking-filter")
        ),
        "ranking_company": Page("admin", reverse("assessment:result_company", args=[last_code]), tid("company-table")),
        "ranking_company_list": Page(
            "admin", reverse("assessment:result_company_ranking", args=[last_code]), tid("ranking-filter")
        ),
        "trends_company": Page("admin", reverse("assessment:trends_company"), tid("trend-areas-table")),
        "trends_branch": Page(
            "secretary", reverse("assessment:trends_branch", args=[branch.pk]), tid("trend-areas-table")
        ),
        "talks_secretary": Page("secretary", reverse("study:talk_list"), tid("talk-list")),
        "talks_member": Page("member", reverse("study:talk_list"), tid("talk-list")),
        "talk_as_secretary": Page("secretary", reverse("study:talk_detail", args=[talk.pk]), tid("talk-record-form")),
        "talk_as_member": Page("member", reverse("study:talk_detail", args=[talk.pk]), tid("talk-status")),
        "masses_list": Page("secretary", reverse("members:masses_list"), tid("masses-table")),
        "masses_edit": Page("secretary", reverse("members:masses_edit", args=[masses.pk]), tid("ratee-picker")),
        "notifications_member": Page("member", reverse("reminders:list"), tid("notification-list")),
        "notifications_secretary": Page("secretary", reverse("reminders:list"), tid("notification-list")),
        "objections_secretary": Page(
            "secretary", reverse("assessment:objection_list") + f"?period={last_code}", tid("objection-table")
        ),
        "objections_admin": Page(
            "admin", reverse("assessment:objection_list") + f"?period={last_code}", tid("objection-table")
        ),
        "objection_ruling": Page(
            "secretary", reverse("assessment:objection_detail", args=[objection.pk]), tid("ruling-form")
        ),
        "period_detail": Page("admin", reverse("assessment:period_detail", args=[last.pk]), tid("timeline-filed")),
        "period_history": Page("admin", reverse("assessment:period_history", args=[last.pk]), tid("timeline-filed")),
        "compliance_branch": Page("secretary", reverse("study:compliance_branch"), tid("compliance-table")),
        "compliance_company": Page("admin", reverse("study:compliance_company"), tid("company-table")),
        "compliance_rules": Page("admin", reverse("study:compliance_rules"), tid("rules-table")),
        # What an administrator of a million members opens (issue 19): the roster searched,
        # the branch list, a member's history, the company ranking of one branch, and the
        # admin's lists and a member's history there (ratings have no admin list, by design).
        "roster_search_admin": Page("admin", reverse("members:list") + "?q=党员", tid("roster-table")),
        "branches_admin": Page("admin", reverse("members:organisation"), tid("branch-table")),
        "member_history": Page("admin", reverse("members:history", args=[member.pk]), tid("history-table")),
        "ranking_company_branch": Page(
            "admin",
            reverse("assessment:result_company_ranking", args=[last_code]) + f"?branch={branch.pk}",
            tid("ranking-filter"),
        ),
        "admin_members": Page("admin", reverse("admin:members_member_changelist"), 'id="result_list"'),
        "admin_members_search": Page(
            "admin", reverse("admin:members_member_changelist") + "?q=党员", 'id="result_list"'
        ),
        "admin_results": Page("admin", reverse("admin:assessment_result_changelist"), 'id="result_list"'),
        "admin_member_history": Page(
            "admin", reverse("admin:members_member_history", args=[member.pk]), 'id="change-history"'
        ),
    }
    return logins, pages


@dataclass(frozen=True)
class Measure:
    status: int
    rendered: bool
    sql: list[str]

    @property
    def count(self) -> int:
        return len(self.sql)


def measure_all(logins, pages, *, warm: bool) -> dict[str, Measure]:
    """Each page's status and queries; ``warm`` first fetches it once unmeasured, so
    per-process caches (content types, compiled templates) are filled before counting."""
    client = Client()
    measured = {}
    for name, page in pages.items():
        user = logins[page.viewer]
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        if warm:
            client.get(page.url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page.url)
        html = response.content.decode()
        rendered = page.marker in html and page.absent not in html
        measured[name] = Measure(response.status_code, rendered, [q["sql"] for q in ctx.captured_queries])
    return measured


def _clear_caches() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker) -> dict[int, dict[str, Measure]]:
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for n in SIZES:
            # Primary keys are reused after the rollback: nothing cached about the
            # smaller company may answer for the larger one.
            _clear_caches()
            savepoint = transaction.savepoint()
            result[n] = measure_all(*build_company(n), warm=n == SIZES[0])
            transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(True)
    _clear_caches()
    return result


PAGES = [
    "home_member",
    "home_leader",
    "home_secretary",
    "home_committee",
    "home_masses",
    "home_admin",
    "roster_secretary",
    "roster_leader",
    "roster_admin",
    "review_board",
    "reports_waiting_leader",
    "report_list_secretary",
    "report_as_member",
    "report_as_secretary",
    "rate_home_member",
    "rate_home_secretary",
    "rate_home_masses",
    "rate_self",
    "rate_peer",
    "rate_org",
    "rate_masses_login",
    "masses_link_entry",
    "masses_link_rate",
    "flagboard",
    "flagboard_wall",
    "flagboard_preview",
    "result_mine",
    "result_member",
    "ranking_team",
    "ranking_branch",
    "ranking_company",
    "ranking_company_list",
    "trends_company",
    "trends_branch",
    "talks_secretary",
    "talks_member",
    "talk_as_secretary",
    "talk_as_member",
    "masses_list",
    "masses_edit",
    "notifications_member",
    "notifications_secretary",
    "objections_secretary",
    "objections_admin",
    "objection_ruling",
    "period_detail",
    "period_history",
    "compliance_branch",
    "compliance_company",
    "compliance_rules",
    "roster_search_admin",
    "branches_admin",
    "member_history",
    "ranking_company_branch",
    "admin_members",
    "admin_members_search",
    "admin_results",
    "admin_member_history",
]


def _shape(sql: str) -> str:
    """The query without its literals, so the two companies' queries compare."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _diff(small: list[str], large: list[str]) -> str:
    """The queries the larger branch adds, for the failure message."""
    extra = Counter(map(_shape, large)) - Counter(map(_shape, small))
    return "\n".join(f"{n}× {sql[:400]}" for sql, n in extra.most_common(10))


def test_every_page_is_measured(measured):
    assert set(measured[SIZES[0]]) == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_the_branch(measured, page):
    small, large = measured[SIZES[0]][page], measured[SIZES[-1]][page]
    assert small.status == large.status == 200, (small.status, large.status)
    assert small.rendered and large.rendered, "the page did not show its rows"
    assert large.count == small.count, f"{small.count} → {large.count} queries; added:\n{_diff(small.sql, large.sql)}"
    assert large.count <= MAX_QUERIES, "\n".join(large.sql)


# --- the roles every page reads (members.roles.get_roles) -------------------------------


def test_a_logged_in_request_reads_session_user_roles_and_unread_count_in_four_queries(client, org):
    """The layout of every page, Django's own way: the session, the user (ModelBackend),
    their roles (one query for a member who leads no group) and the unread count."""
    client.force_login(org.member.user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("password_change"))
    assert response.status_code == 200 and 'data-testid="user-menu"' in response.content.decode()
    assert len(ctx.captured_queries) == 4, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_the_django_admin_reads_no_roles_and_no_unread_count(client, org):
    """The roles and the unread count are for the application's layout; the Django admin's
    pages have their own and read neither (a million members: the administrator's unread
    count alone is a few milliseconds on every admin page)."""
    client.force_login(org.admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:members_member_changelist"))
    assert response.status_code == 200
    read = "\n".join(q["sql"] for q in ctx.captured_queries)
    assert "reminders_notification" not in read and "members_massesrater" not in read, read


def test_roles_of_a_member_who_leads_no_group_take_one_query(org, django_assert_num_queries):
    user = _fresh(org.member.user)
    with django_assert_num_queries(1):
        roles = get_roles(user)
    assert roles.member == org.member and roles.member.branch.name == org.branch_a.name
    assert roles.masses_rater is None and not roles.is_group_leader


def test_roles_of_a_group_leader_take_one_query(org, django_assert_num_queries):
    user = _fresh(org.leader.user)
    with django_assert_num_queries(1):
        roles = get_roles(user)
    assert roles.led_group_ids == {org.group_a1.pk} and roles.member.branch.name == org.branch_a.name


def test_roles_of_someone_leading_two_groups_name_both(org, django_assert_num_queries):
    """The groups led come from a join: a row per group, one member."""
    org.group_a2.leader = org.leader
    org.group_a2.save()
    user = _fresh(org.leader.user)
    with django_assert_num_queries(1):
        roles = get_roles(user)
    assert roles.led_group_ids == {org.group_a1.pk, org.group_a2.pk} and roles.member == org.leader


def test_roles_of_a_masses_rater_and_of_an_inactive_member(org, django_assert_num_queries):
    """Someone who is no member: the member record is missed, then the rater record read."""
    user = _fresh(org.masses.user)
    with django_assert_num_queries(2):
        roles = get_roles(user)
    assert roles.masses_rater == org.masses and roles.masses_rater.branch == org.branch_a and roles.member is None
    Member.objects.filter(pk=org.leader.pk).update(is_active=False)
    roles = get_roles(_fresh(org.leader.user))
    assert roles.member is None and not roles.is_group_leader


def test_a_member_is_never_a_masses_rater(org):
    """Masses raters are employees who are not Party members (DESIGN: roles): a rater
    record on a member's login gives them nothing more."""
    from members.models import MassesRater

    MassesRater.objects.create(user=org.member_b.user, name="兼任评议人", branch=org.branch_a)
    roles = get_roles(_fresh(org.member_b.user))
    assert roles.member == org.member_b and roles.masses_rater is None


def _fresh(user: User) -> User:
    """The user as the authentication middleware loads it: no roles cached yet."""
    return User.objects.get(pk=user.pk)


# --- 三会一课: the same queries for one branch as for many --------------------------------


def _compliance_branches(first: int, last: int) -> None:
    """Branches ``first``..``last`` - 1, each with two Party groups, a committee meeting, a group
    meeting of each group and a themed Party day counted as a group meeting, all held."""
    from activities.models import PartyDay
    from study.models import MeetingRule

    group_rule = MeetingRule.objects.get(kind=StudySession.Kind.GROUP_MEETING)
    held = timezone.now() - datetime.timedelta(days=1)
    for i in range(first, last):
        branch = Branch.objects.create(name=f"合规党支部{i:03d}", sort_order=i)
        groups = [PartyGroup.objects.create(branch=branch, name=f"第{g + 1}党小组") for g in range(2)]
        common = {"branch": branch, "title": "会议", "content": "内容", "starts_at": held, "attendance_taken_at": held}
        StudySession.objects.create(
            kind=StudySession.Kind.COMMITTEE, audience=StudySession.Audience.COMMITTEE, **common
        )
        for group in groups:
            StudySession.objects.create(
                kind=StudySession.Kind.GROUP_MEETING, audience=StudySession.Audience.GROUP, group=group, **common
            )
        day = PartyDay.objects.create(
            branch=branch,
            kind=PartyDay.Kind.INTERACTIVE,
            theme="主题党日",
            held_on=held.date(),
            status=PartyDay.Status.HELD,
        )
        day.counts_for.add(group_rule)


@pytest.mark.parametrize(
    "url",
    [
        reverse("study:compliance_company"),
        reverse("study:compliance_company") + "?sort=rate&behind=1",
        reverse("study:compliance_company_xlsx"),
        reverse("study:compliance_branch"),
    ],
)
def test_compliance_queries_do_not_grow_with_the_branches(client, url):
    admin = User.objects.create(username="qc-compliance", is_staff=True, is_superuser=True)
    client.force_login(admin)
    _compliance_branches(0, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _compliance_branches(1, 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    small, large = [q["sql"] for q in one.captured_queries], [q["sql"] for q in many.captured_queries]
    assert len(large) == len(small), f"{len(small)} → {len(large)} queries; added:\n{_diff(small, large)}"
    assert len(large) <= MAX_QUERIES


# --- a million members: no list counts the whole roster on every request ------------------


def _counts_of(sql: list[str], table: str) -> list[str]:
    """The COUNT queries among ``sql`` that read ``table``."""
    return [q for q in sql if q.startswith("SELECT COUNT(") and f'"{table}"' in q]


def _whole_table_counts(sql: list[str], table: str) -> list[str]:
    """Those of them with no WHERE: a count of every row of the table."""
    return [q for q in _counts_of(sql, table) if " WHERE " not in q]


def _admin_get(client, user: User, url: str) -> tuple[str, list[str]]:
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200 and 'id="result_list"' in response.content.decode()
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_the_roster_counts_its_rows_once_with_its_head_counts(client, org):
    """The head counts above the list cover every row listed: no second COUNT for the pager."""
    client.force_login(org.admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:list"))
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(_counts_of(sql, "members_member")) == 1, _counts_of(sql, "members_member")  # the head counts
    page = response.context["page"]
    assert page.paginator.count == Member.objects.count() and not page.paginator.count_is_estimate


def test_the_branch_list_counts_branches_and_each_shown_branchs_members_only(client, org):
    """Twenty branches of thirty thousand: the pager counts branches (not a GROUP BY of the
    whole roster joined to them), and the head counts are worked out per branch shown."""
    client.force_login(org.admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:organisation"))
    html = response.content.decode()
    assert response.status_code == 200 and org.branch_a.name in html
    sql = [q["sql"] for q in ctx.captured_queries]
    assert [q for q in _counts_of(sql, "members_branch") if "members_member" in q] == []
    assert not [q for q in sql if "GROUP BY" in q and '"members_branch"."id"' in q.split("GROUP BY")[-1]]
    rows = {b.name: (b.active_count, b.probationary_count, b.group_count) for b in response.context["branches"]}
    on_roll = Member.objects.filter(branch=org.branch_a, is_active=True)
    assert rows[org.branch_a.name] == (
        on_roll.count(),
        on_roll.filter(party_status=Member.PartyStatus.PROBATIONARY).count(),
        PartyGroup.objects.filter(branch=org.branch_a).count(),
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's (pg_class.reltuples); SQLite counts"
)
def test_an_unfiltered_admin_list_of_a_large_table_is_estimated_not_counted(client, org, monkeypatch):
    """The admin's list of every member does not COUNT(*) the whole roster: PostgreSQL's
    estimate stands in, shown as about N; a search is still counted exactly."""
    from partybuild.lib.pagination import EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 5)  # "large" for the test's roster
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")  # what autovacuum does for a real table
    url = reverse("admin:members_member_changelist")
    html, sql = _admin_get(client, org.admin, url)
    assert not _whole_table_counts(sql, "members_member"), _whole_table_counts(sql, "members_member")
    assert 'data-testid="count-estimated"' in html
    html, sql = _admin_get(client, org.admin, url + "?q=" + org.member.employee_no)
    assert _counts_of(sql, "members_member") and 'data-testid="count-estimated"' not in html


def test_an_admin_list_is_counted_exactly_below_the_threshold_and_on_sqlite(client, org, monkeypatch):
    """A small table (or SQLite, which keeps no estimate) is counted, and the count shown as is."""
    from partybuild.lib.pagination import EstimatedCountPaginator

    if connection.vendor != "postgresql":
        monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)  # any estimate would do: there is none
    html, sql = _admin_get(client, org.admin, reverse("admin:members_member_changelist"))
    assert _whole_table_counts(sql, "members_member") and 'data-testid="count-estimated"' not in html
    assert f"{Member.objects.count()} " in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's (pg_class.reltuples); SQLite counts"
)
def test_a_list_page_of_a_whole_large_table_shows_about_n(rf, org, monkeypatch):
    """paginate() estimates as the admin does, and the pager says the figure is about N."""
    from django.template.loader import render_to_string

    from partybuild.lib.pagination import EstimatedCountPaginator, paginate

    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(rf.get("/"), Member.objects.order_by("pk"), per_page=2)
    assert page.paginator.count_is_estimate and len(page.object_list) == 2
    assert not _whole_table_counts([q["sql"] for q in ctx.captured_queries], "members_member")
    html = render_to_string("partials/pagination.html", {"page": page, "query": ""})
    assert 'data-testid="count-estimated"' in html
    filtered = paginate(rf.get("/"), Member.objects.filter(branch=org.branch_a).order_by("pk"), per_page=2)
    assert not filtered.paginator.count_is_estimate
    assert filtered.paginator.count == Member.objects.filter(branch=org.branch_a).count()


def test_the_company_ranking_does_not_count_the_periods_results(measured):
    """A million members' ranking pages by next and previous: no COUNT of the period's results."""
    for n in SIZES:
        sql = measured[n]["ranking_company_list"].sql
        assert not _counts_of(sql, "assessment_result"), _counts_of(sql, "assessment_result")


def test_a_list_without_a_total_reads_one_row_past_its_page(rf, org):
    from partybuild.lib.pagination import paginate_without_total

    members = Member.objects.order_by("pk")
    total = members.count()
    pages = -(-total // 3)
    with CaptureQueriesContext(connection) as ctx:
        first = paginate_without_total(rf.get("/"), members, per_page=3)
    assert len(ctx.captured_queries) == 1 and not _counts_of([q["sql"] for q in ctx.captured_queries], "members_member")
    assert list(first.object_list) == list(members[:3]) and first.has_next() and not first.has_previous()
    last = paginate_without_total(rf.get("/", {"page": pages}), members, per_page=3)
    assert list(last.object_list) == list(members[(pages - 1) * 3 :]) and not last.has_next() and last.has_previous()
    for nonsense in (pages + 1, 0, -1, "x", "9" * 40):
        page = paginate_without_total(rf.get("/", {"page": nonsense}), members, per_page=3)
        assert page.number == 1 and list(page.object_list) == list(members[:3])
