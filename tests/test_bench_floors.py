"""A floor of `make bench` is the least work that could produce its page's output; a floor that
shows something else measures nothing. The 三会一课 list's floor is checked against the page
itself on a world with every input of the figures: sessions by their own kind, a session that
also counts for another requirement, a themed Party day counting for one, a month made up twice,
Party groups (a rule counted per group) and a branch without groups (a dash).

Last year and this year: last year every month and quarter has ended; this year's figures
depend on today's date in the page and the floor alike."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from activities.models import PartyDay
from activities.tests.factories import PartyDayFactory
from bench.floor_views import compliance_company as compliance_floor
from members.tests.factories import BranchFactory
from study.models import MeetingRule, StudySession
from study.tests.factories import StudySessionFactory

pytestmark = pytest.mark.django_db

Kind, Audience = StudySession.Kind, StudySession.Audience
THIS_YEAR = timezone.localdate().year


def held(branch, kind, year, month, *, audience, group=None, also=()):
    starts = timezone.make_aware(datetime.datetime(year, month, 1, 9, 0))
    session = StudySessionFactory(
        branch=branch, kind=kind, audience=audience, group=group, starts_at=starts, attendance_taken_at=starts
    )
    session.also_counts_for.set(MeetingRule.objects.filter(kind__in=also))
    return session


def world(org, year):
    last_month = 12 if year < THIS_YEAR else timezone.localdate().month
    for month in range(1, last_month + 1, 2):  # every other month: behind where ended
        held(org.branch_a, Kind.COMMITTEE, year, month, audience=Audience.COMMITTEE)
    held(org.branch_a, Kind.GROUP_MEETING, year, 1, audience=Audience.GROUP, group=org.group_a1)
    held(org.branch_a, Kind.GROUP_MEETING, year, 1, audience=Audience.GROUP, group=org.group_a1)  # twice
    held(org.branch_a, Kind.LECTURE, year, 1, audience=Audience.BRANCH, also=[Kind.GROUP_MEETING])
    held(org.branch_a, Kind.ASSEMBLY, year, 1, audience=Audience.BRANCH, also=[Kind.LECTURE])
    day = PartyDayFactory(branch=org.branch_a, held_on=datetime.date(year, 1, 2), status=PartyDay.Status.HELD)
    day.counts_for.set(MeetingRule.objects.filter(kind__in=[Kind.GROUP_MEETING, Kind.ASSEMBLY]))
    held(org.branch_b, Kind.GROUP_MEETING, year, 1, audience=Audience.GROUP, group=org.group_b1)
    held(org.branch_b, Kind.COMMITTEE, year, 1, audience=Audience.COMMITTEE)
    BranchFactory(name="第三党支部")  # no groups, nothing held


def page_rows(client, year) -> list[tuple]:
    response = client.get(reverse("study:compliance_company"), {"year": year})
    assert response.status_code == 200
    return [
        (
            row.branch.name,
            [(str(f), f.is_behind) for f in row.figures],
            "—" if row.percent is None else f"{row.percent}%",
            row.behind,
        )
        for row in response.context["rows"]
    ]


def floor_rows(user, year) -> list[tuple]:
    request = RequestFactory().get("/")
    request.user = user
    html = compliance_floor(request, year).content.decode()
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        name = re.search(r"<a [^>]*>([^<]*)</a>", tr)[1]
        cells = [(bool(red), text) for red, text in re.findall(r'<td( class="text-danger")?>([^<]*)</td>', tr)]
        *figures, (_, percent), (_, behind) = cells
        rows.append((name, [(text, red) for red, text in figures], percent, int(behind)))
    return rows


@pytest.mark.parametrize("year", [THIS_YEAR - 1, THIS_YEAR])
def test_the_compliance_floor_shows_what_the_page_shows(org, client_for, year):
    world(org, year)
    shown = page_rows(client_for(org.admin), year)
    assert len(shown) == 3
    # The inputs reached the figures: the page is not all dashes and zeros.
    first = dict(zip([r.kind for r in MeetingRule.objects.filter(is_active=True)], shown[0][1], strict=True))
    assert first[Kind.GROUP_MEETING][0].startswith("2/")  # January for both groups: own, lecture, Party day
    assert shown[2][1][2] == ("—", False)  # groups counted per group, a branch without groups
    assert floor_rows(org.admin, year) == shown
