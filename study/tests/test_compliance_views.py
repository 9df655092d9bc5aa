"""三会一课 pages: the branch committee's table, the administrator's list of every branch with
its workbook, and the requirements page — scope, figures, red where behind, filters, paging.

The world's year is last year, so every month and quarter has ended and the figures do not
depend on today's date: branch A held its committee meeting in January–September only
(9/12, three months behind), branch B every month (12/12)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from openpyxl import load_workbook

from activities.models import PartyDay
from activities.tests.factories import PartyDayFactory
from members.models import Branch
from members.tests.factories import BranchFactory
from study.models import MeetingRule, StudySession
from study.tests.factories import StudySessionFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
Kind, Audience = StudySession.Kind, StudySession.Audience
BRANCH = reverse("study:compliance_branch")
COMPANY = reverse("study:compliance_company")
XLSX = reverse("study:compliance_company_xlsx")
RULES = reverse("study:compliance_rules")


def held(branch, kind, month, *, audience=None, group=None, title=None):
    starts = timezone.make_aware(datetime.datetime(YEAR, month, 10, 9, 0))
    return StudySessionFactory(
        branch=branch,
        kind=kind,
        audience=audience
        or {Kind.COMMITTEE: Audience.COMMITTEE, Kind.GROUP_MEETING: Audience.GROUP}.get(kind, Audience.BRANCH),
        group=group,
        starts_at=starts,
        attendance_taken_at=starts,
        **({"title": title} if title else {}),
    )


@pytest.fixture
def world(org):
    for month in range(1, 10):
        held(org.branch_a, Kind.COMMITTEE, month, title=f"支委会{month}月")
    for month in range(1, 13):
        held(org.branch_b, Kind.COMMITTEE, month)
    held(org.branch_a, Kind.GROUP_MEETING, 3, group=org.group_a1, title="第一党小组三月学习")
    # Not held: attendance never taken.
    StudySessionFactory(
        branch=org.branch_a,
        kind=Kind.COMMITTEE,
        audience=Audience.COMMITTEE,
        starts_at=timezone.make_aware(datetime.datetime(YEAR, 11, 10, 9)),
    )
    return org


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def line(response, kind, group=None):
    section = next(s for s in response.context["sections"] if s.rule.kind == kind)
    return next(row for row in section.lines if row.line.group == group)


# --- the secretary's page -------------------------------------------------------------------


def test_secretary_sees_their_branch_with_figures_and_red_where_behind(world, client_for):
    response = client_for(world.secretary).get(BRANCH, {"year": YEAR})
    assert response.status_code == 200
    assert response.context["branch"] == world.branch_a
    committee = line(response, Kind.COMMITTEE)
    assert (committee.line.held, committee.line.required, committee.line.behind) == (9, 12, 3)
    assert [c.cell.state for c in committee.cells] == ["met"] * 9 + ["behind"] * 3
    html = response.content.decode()
    assert 'data-testid="line-figure" data-behind="1">9/12<' in html
    a1 = line(response, Kind.GROUP_MEETING, world.group_a1)
    a2 = line(response, Kind.GROUP_MEETING, world.group_a2)
    assert (a1.line.held, a2.line.held) == (1, 0)


def test_each_figure_links_to_the_meetings_behind_it(world, client_for):
    response = client_for(world.secretary).get(BRANCH, {"year": YEAR})
    committee = line(response, Kind.COMMITTEE)
    january = committee.cells[0]
    assert [m.title for m in january.meetings] == ["支委会1月"]
    html = response.content.decode()
    assert f'href="#{january.anchor}"' in html and f'id="{january.anchor}"' in html
    assert january.meetings[0].get_absolute_url() in html
    # A group's own meeting is listed on that group's line only.
    march_a1 = line(response, Kind.GROUP_MEETING, world.group_a1).cells[2]
    march_a2 = line(response, Kind.GROUP_MEETING, world.group_a2).cells[2]
    assert [m.title for m in march_a1.meetings] == ["第一党小组三月学习"] and march_a2.meetings == []


def test_a_themed_party_day_counted_as_a_group_meeting_is_listed_for_every_group(world, client_for):
    day = PartyDayFactory(branch=world.branch_a, held_on=datetime.date(YEAR, 5, 8), status=PartyDay.Status.HELD)
    day.counts_for.set(MeetingRule.objects.filter(kind=Kind.GROUP_MEETING))
    response = client_for(world.secretary).get(BRANCH, {"year": YEAR})
    for group in (world.group_a1, world.group_a2):
        may = line(response, Kind.GROUP_MEETING, group).cells[4]
        assert (may.cell.held, may.meetings) == (1, [day])
    assert day.get_absolute_url() in response.content.decode()


def test_secretary_asking_for_another_branch_gets_their_own(world, client_for):
    response = client_for(world.secretary).get(BRANCH, {"branch": world.branch_b.pk, "year": YEAR})
    assert response.status_code == 200
    assert response.context["branch"] == world.branch_a
    assert world.branch_b.name not in response.content.decode()


@pytest.mark.parametrize("who", ["member", "leader", "masses"])
def test_members_leaders_and_masses_raters_are_refused_the_branch_page(world, client_for, who):
    assert client_for(getattr(world, who)).get(BRANCH).status_code == 403


def test_admin_chooses_the_branch(world, client_for):
    response = client_for(world.admin).get(BRANCH, {"branch": world.branch_b.pk, "year": YEAR})
    assert response.context["branch"] == world.branch_b
    committee = line(response, Kind.COMMITTEE)
    assert (committee.line.held, committee.line.required, committee.line.behind) == (12, 12, 0)
    html = response.content.decode()
    assert 'data-testid="line-figure">12/12<' in html
    assert reverse("study:compliance_rules") in html
    assert f"?kind=committee&amp;branch={world.branch_b.pk}" in html


def test_the_plan_links_name_the_kind(world, client_for):
    html = client_for(world.secretary).get(BRANCH, {"year": YEAR}).content.decode()
    for kind in ("assembly", "committee", "group", "lecture"):
        assert f"{reverse('study:session_create')}?kind={kind}" in html


@pytest.mark.parametrize("year", ["abc", "1999", "99999", str(timezone.localdate().year + 2), "２０２５"])
def test_a_bad_year_is_a_message_not_an_error(world, client_for, year):
    response = client_for(world.secretary).get(BRANCH, {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert len(messages_of(response)) == 1


def test_a_future_year_has_nothing_due(world, client_for):
    response = client_for(world.secretary).get(BRANCH, {"year": timezone.localdate().year + 1})
    assert 'data-testid="compliance-future"' in response.content.decode()
    assert response.context["entry"].required == 0
    committee = line(response, Kind.COMMITTEE)
    assert {c.cell.state for c in committee.cells} == {"future"}


def test_a_branch_without_groups_says_so(world, client_for):
    bare = BranchFactory(name="无小组党支部")
    response = client_for(world.admin).get(BRANCH, {"branch": bare.pk, "year": YEAR})
    assert response.context["branch"] == bare
    assert 'data-testid="no-groups"' in response.content.decode()


# --- the administrator's page ---------------------------------------------------------------


def rows(response):
    return [row.branch.name for row in response.context["page"].object_list]


@pytest.mark.parametrize("who", ["secretary", "committee", "member", "leader", "masses"])
def test_only_administrators_see_every_branch(world, client_for, who):
    client = client_for(getattr(world, who))
    for url in (COMPANY, XLSX, RULES):
        assert client.get(url).status_code == 403


def test_every_branch_with_its_figures(world, client_for):
    response = client_for(world.admin).get(COMPANY, {"year": YEAR})
    assert response.status_code == 200
    by_name = {row.branch.name: row for row in response.context["rows"]}
    committee_a = next(f for f in by_name[world.branch_a.name].figures if f.rule.kind == Kind.COMMITTEE)
    committee_b = next(f for f in by_name[world.branch_b.name].figures if f.rule.kind == Kind.COMMITTEE)
    assert (committee_a.held, committee_a.required, committee_a.is_behind) == (9, 12, True)
    assert (committee_b.held, committee_b.required, committee_b.is_behind) == (12, 12, False)
    html = response.content.decode()
    # Red where a month ended short, plain where every month so far was met.
    assert re.search(
        r'text-nowrap text-danger fw-semibold" data-label="[^"]+" data-testid="figure-committee">9/12<', html
    )
    assert re.search(r'text-nowrap" data-label="[^"]+" data-testid="figure-committee">12/12<', html)
    assert f"{BRANCH}?branch={world.branch_a.pk}&amp;year={YEAR}" in html


def test_sorting_by_rate_and_by_name(world, client_for):
    client = client_for(world.admin)
    low_first = rows(client.get(COMPANY, {"year": YEAR, "sort": "rate"}))
    high_first = rows(client.get(COMPANY, {"year": YEAR, "sort": "-rate"}))
    assert low_first == list(reversed(high_first))
    assert rows(client.get(COMPANY, {"year": YEAR, "sort": "name"})) == sorted(low_first)
    # Both branches are behind somewhere (A's committee; every group meeting but March).
    assert rows(client.get(COMPANY, {"year": YEAR, "sort": "nonsense"}))


def test_filters_behind_only_name_and_one_requirement(world, client_for):
    client = client_for(world.admin)
    committee = MeetingRule.objects.get(kind=Kind.COMMITTEE)
    only_committee = client.get(COMPANY, {"year": YEAR, "rule": committee.pk, "behind": "1"})
    assert rows(only_committee) == [world.branch_a.name]
    assert [f.rule.kind for f in only_committee.context["page"].object_list[0].figures] == [Kind.COMMITTEE]
    assert rows(client.get(COMPANY, {"year": YEAR, "q": "第二"})) == [world.branch_b.name]
    unknown = client.get(COMPANY, {"year": YEAR, "rule": "999999"})
    assert unknown.status_code == 200 and len(messages_of(unknown)) == 1
    assert len(unknown.context["shown"]) == MeetingRule.objects.filter(is_active=True).count()


def test_the_list_is_paged(world, client_for):
    BranchFactory.create_batch(55)
    client = client_for(world.admin)
    first = client.get(COMPANY, {"year": YEAR})
    second = client.get(COMPANY, {"year": YEAR, "page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 57 - 50


def test_the_default_list_computes_only_its_page_and_a_figure_order_every_branch(world, client_for):
    BranchFactory.create_batch(55)
    client = client_for(world.admin)
    first = client.get(COMPANY, {"year": YEAR})
    # In the organisation's order only the page's 50 branches are worked out; how many are
    # behind is a link away (it needs every branch).
    assert first.context["branch_count"] == 57 and first.context["behind_count"] is None
    assert 'data-testid="compliance-behind-link"' in first.content.decode()
    assert [row.branch.pk for row in first.context["page"].object_list] == list(
        Branch.objects.order_by("sort_order", "name").values_list("pk", flat=True)[:50]
    )
    # By rate (or behind only) every branch is worked out, and the count of those behind shown.
    by_rate = client.get(COMPANY, {"year": YEAR, "sort": "rate"})
    assert by_rate.context["branch_count"] == 57 and by_rate.context["behind_count"] == 57
    behind = client.get(COMPANY, {"year": YEAR, "behind": "1"})
    assert behind.context["behind_count"] == 57 == behind.context["page"].paginator.count


def test_the_workbook_has_a_summary_and_a_detail_sheet(world, client_for):
    response = client_for(world.admin).get(XLSX, {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    summary, detail = book.worksheets
    header, *lines = list(summary.values)
    rules = list(MeetingRule.objects.filter(is_active=True))
    assert len(header) == 1 + 3 * len(rules) + 4
    committee_col = 1 + 3 * [r.kind for r in rules].index(Kind.COMMITTEE)
    by_branch = {line[0]: line for line in lines}
    assert by_branch[world.branch_a.name][committee_col : committee_col + 3] == (9, 12, 3)
    assert by_branch[world.branch_b.name][committee_col : committee_col + 3] == (12, 12, 0)
    detail_rows = list(detail.values)[1:]
    committee_a = [r for r in detail_rows if r[0] == world.branch_a.name and r[1] == str(rules[1].short_label)]
    assert len(committee_a) == 12
    assert [r[5] for r in committee_a] == [1] * 9 + [0] * 3


def test_the_workbook_follows_the_filters_and_keeps_names_as_text(world, client_for):
    world.branch_b.name = "=HYPERLINK(1)"
    world.branch_b.save()
    committee = MeetingRule.objects.get(kind=Kind.COMMITTEE)
    response = client_for(world.admin).get(XLSX, {"year": YEAR, "rule": committee.pk})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = book.worksheets[0]
    assert summary.max_column == 1 + 3 + 4
    names = [summary.cell(row=r, column=1) for r in range(2, summary.max_row + 1)]
    assert any(c.value == "=HYPERLINK(1)" and c.data_type == "s" for c in names)


# --- the requirements -----------------------------------------------------------------------


def formset_data(**changes) -> dict:
    rules = list(MeetingRule.objects.all())
    data = {
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for n, rule in enumerate(rules):
        values = {"id": rule.pk, "times": rule.times, "every": rule.every}
        values |= {f: "on" for f in ("per_group", "may_combine", "is_active") if getattr(rule, f)}
        values |= changes.get(rule.kind, {})
        data |= {f"rules-{n}-{k}": v for k, v in values.items() if v is not None}
    return data


def test_admin_changes_a_requirement_with_history(world, client_for):
    client = client_for(world.admin)
    assert client.get(RULES).status_code == 200
    response = client.post(RULES, formset_data(committee={"times": 2}))
    assert response.status_code == 302
    rule = MeetingRule.objects.get(kind=Kind.COMMITTEE)
    assert rule.times == 2
    assert rule.history.latest().history_user == world.admin
    page = client.get(RULES)
    assert page.context["history"][0].times == 2
    # The branch page counts against the new number.
    branch = client.get(BRANCH, {"branch": world.branch_a.pk, "year": YEAR})
    committee = line(branch, Kind.COMMITTEE)
    assert (committee.line.held, committee.line.required) == (9, 24)


@pytest.mark.parametrize("times", ["0", "32", "abc", ""])
def test_bad_times_are_refused_with_a_message_naming_the_field(world, client_for, times):
    client = client_for(world.admin)
    before = list(MeetingRule.objects.values_list("kind", "times"))
    response = client.post(RULES, formset_data(committee={"times": times}))
    assert response.status_code == 200
    assert list(MeetingRule.objects.values_list("kind", "times")) == before
    label = str(capfirst(MeetingRule._meta.get_field("times").verbose_name))
    said = messages_of(response)
    assert said and all(label in m for m in said), said


def test_a_tampered_form_count_adds_no_requirement(world, client_for):
    data = formset_data()
    data["rules-TOTAL_FORMS"] = str(int(data["rules-TOTAL_FORMS"]) + 1)
    n = int(data["rules-INITIAL_FORMS"])
    data |= {f"rules-{n}-times": "3", f"rules-{n}-every": "month"}
    count = MeetingRule.objects.count()
    client_for(world.admin).post(RULES, data)
    assert MeetingRule.objects.count() == count
