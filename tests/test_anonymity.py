"""Rating anonymity, end to end: no page, export or admin list tells anyone (the
administrator included) which peer or masses rater gave which score, or shows a peer or
masses mean resting on fewer than three ratings; a rater sees only their own ratings.

``member`` receives two peer ratings (from ``groupmate`` and ``leader``) and one masses
rating, each with a total found nowhere else, so any page that shows one of those
numbers, or their means, gives a rater (or a below-threshold mean) away.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import MassesBallot, Period, RaterGroup, RatingChannel, Result
from assessment.services import results as result_services
from assessment.services.ballots.sheet import COL_BALLOT, COL_GROUP, COL_RATER, GROUP_LABELS, RATINGS_SHEET
from assessment.tests.factories import PeriodFactory, rate, scores_totalling

pytestmark = pytest.mark.django_db

PEER_GROUPMATE = Decimal("71.5")
PEER_LEADER = Decimal("63.5")
MASSES = Decimal("57.5")
# The means below the threshold: peers (71.5 + 63.5) / 2, masses 57.5 alone.
SECRET_NUMBERS = ("71.5", "63.5", "57.5", "67.5")


def secret_numbers_in(text: str) -> list[str]:
    """The individual totals or below-threshold means written anywhere in ``text`` (57.5, 57.50…)."""
    found = []
    for number in SECRET_NUMBERS:
        if re.search(rf"(?<![\d.]){re.escape(number)}0*(?![\d])", text):
            found.append(number)
    return found


def body(response) -> str:
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if raw[:2] == b"PK":
        raw = xml_inside(raw)
    return raw.decode("utf-8", errors="replace")


def xml_inside(raw: bytes) -> bytes:
    """The XML of a workbook, or of every workbook inside a ZIP (the rankings per branch)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return b"".join(
            z.read(n) if n.endswith(".xml") else xml_inside(z.read(n))
            for n in z.namelist()
            if n.endswith((".xml", ".xlsx"))
        )


def give_ratings(org, period):
    rate(period, org.member, RaterGroup.SELF, 80, rater_member=org.member)
    rate(period, org.member, RaterGroup.PEER, PEER_GROUPMATE, rater_member=org.groupmate)
    rate(period, org.member, RaterGroup.PEER, PEER_LEADER, rater_member=org.leader)
    rate(period, org.member, RaterGroup.MASSES, MASSES, rater_masses=org.masses)
    rate(period, org.member, RaterGroup.ORG, 88)
    for who in (org.groupmate, org.leader, org.secretary, org.committee, org.member_a2):
        rate(period, who, RaterGroup.ORG, 85)
    rate(period, org.member_b, RaterGroup.ORG, 90)


@pytest.fixture
def published(org) -> Period:
    period = PeriodFactory(code="2025", name="2025年度考核")
    give_ratings(org, period)
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    result_services.results_publish(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    return period


@pytest.fixture
def open_period(org) -> Period:
    period = PeriodFactory(code="2026", name="2026年度考核", state=Period.State.OPEN)
    give_ratings(org, period)
    return period


def rater_marks(org) -> list[str]:
    """What would name a rater: names and employee numbers."""
    return [
        org.groupmate.name,
        org.groupmate.employee_no,
        org.leader.name,
        org.leader.employee_no,
        org.masses.name,
        org.masses.employee_no,
    ]


def client_of(who) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(who if hasattr(who, "is_staff") else who.user)
    return client


def test_no_results_page_or_workbook_shows_a_raters_score_or_a_mean_below_three_ratings(org, published):
    code = published.code
    pages = [
        reverse("assessment:result_index"),
        reverse("assessment:result_mine", args=[code]),
        reverse("assessment:result_member", args=[code, org.member.pk]),
        reverse("assessment:result_team", args=[code]),
        reverse("assessment:result_team_group", args=[code, org.group_a1.pk]),
        reverse("assessment:result_branch", args=[code, org.branch_a.pk]),
        reverse("assessment:result_company", args=[code]),
        reverse("assessment:result_company_ranking", args=[code]),
        reverse("assessment:flagboard", args=[code, org.branch_a.pk]),
        reverse("assessment:flagboard_wall", args=[code, org.branch_a.pk]),
        reverse("assessment:rankings_download", args=[code]),
        reverse("assessment:rankings_download", args=[code]) + f"?branch={org.branch_a.pk}",
        reverse("assessment:rankings_zip_download", args=[code]),
        reverse("members:detail", args=[org.member.pk]),
    ]
    personas = {
        "admin": org.admin,
        "secretary": org.secretary,
        "committee": org.committee,
        "ratee": org.member,
        "peer groupmate": org.groupmate,
        "peer leader": org.leader,
        "masses": org.masses,
        "other branch": org.other_secretary,
    }
    # Pages about the ratee's result and record alone, where a rater's name has no business.
    about_the_ratee = {pages[2]}
    leaks, seen = [], 0
    for persona, who in personas.items():
        client = client_of(who)
        for url in pages:
            response = client.get(url)
            assert response.status_code < 500, f"{url} as {persona}: {response.status_code}"
            if response.status_code != 200:
                continue
            seen += 1
            text = body(response)
            if numbers := secret_numbers_in(text):
                leaks.append(f"{url} as {persona} shows {numbers}")
            ratee_page = url in about_the_ratee or (url == pages[1] and who == org.member)
            if ratee_page and (names := [m for m in rater_marks(org) if m in text]):
                leaks.append(f"{url} as {persona} names {names}")
    assert not leaks, "\n".join(leaks)
    assert seen >= 30  # the pages were really read, not all refused


def test_the_ratee_and_the_administrator_see_the_total_but_not_the_anonymous_means(org, published):
    """The control for the test above: the page does show the result, only not the means."""
    result = Result.objects.get(period=published, member=org.member)
    for who in (org.member, org.admin):
        url = reverse("assessment:result_member", args=[published.code, org.member.pk])
        text = body(client_of(who).get(url, follow=True))
        assert f"{result.total}" in text
        assert 'data-testid="withheld-peer"' in text and 'data-testid="withheld-masses"' in text


def test_rankings_workbook_leaves_means_below_the_threshold_blank(org, published):
    for who, query in ((org.admin, ""), (org.secretary, f"?branch={org.branch_a.pk}")):
        response = client_of(who).get(reverse("assessment:rankings_download", args=[published.code]) + query)
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            # Columns: branch, group, employee number, name, self, peers, masses, organisation, total…
            for row in rows[1:]:
                if row[2] == org.member.employee_no:
                    assert row[5] is None and row[6] is None and row[7] is None, (ws.title, row)
                    assert row[8] == float(Result.objects.get(period=published, member=org.member).total)
                for cell in row:
                    assert str(cell) not in SECRET_NUMBERS, (ws.title, row)


def test_rating_template_never_prefills_or_names_anonymous_rows(org, open_period):
    # Branch A's peers and masses rate on paper (set here past the service, which would
    # refuse the change once ratings are in: the template must stay silent even then).
    for group in (RaterGroup.PEER, RaterGroup.MASSES):
        RatingChannel.objects.create(
            period=open_period, branch=org.branch_a, rater_group=group, channel=RatingChannel.Channel.PAPER
        )
    response = client_of(org.admin).post(reverse("assessment:rating_template_download", args=[open_period.code]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book[RATINGS_SHEET].iter_rows(values_only=True))
    header = rows[0]
    group_col = header.index(COL_GROUP)
    anonymous = [r for r in rows[1:] if r[group_col] in (GROUP_LABELS["peer"], GROUP_LABELS["masses"])]
    assert anonymous, header
    first_item = header.index(COL_BALLOT) + 1
    own = [r for r in anonymous if r[0] == org.member.employee_no]
    assert len(own) == 4  # three peer ballots and one masses ballot
    for row in anonymous:
        scores = [c for c in row[first_item:] if c not in (None, "")]
        assert not scores, row  # never pre-filled with the scores given
        # A ballot number in place of a rater: it names the ratee, never who rated.
        others = set(rater_marks(org)) - {row[0], row[1]}
        assert not [c for c in row if c is not None and any(mark in str(c) for mark in others)], row
        assert row[header.index(COL_RATER)] is None, row
        assert str(row[header.index(COL_BALLOT)]).startswith(f"{row[0]}-"), row
    for row in rows[1:]:
        assert not [c for c in row if str(c) in SECRET_NUMBERS], row


def test_a_rater_sees_only_their_own_rating(org, open_period):
    url = reverse("assessment:rate_form", args=[open_period.code, org.member.pk, RaterGroup.PEER])
    own = scores_totalling(open_period, PEER_GROUPMATE)
    other = scores_totalling(open_period, PEER_LEADER)
    response = client_of(org.groupmate).get(url)
    assert response.status_code == 200
    form = response.context["form"]
    shown = {name.removeprefix("item_"): str(field.initial) for name, field in form.fields.items() if name != "version"}
    shown |= {k.removeprefix("item_"): str(v) for k, v in form.initial.items() if k.startswith("item_")}
    assert {k: v for k, v in shown.items() if v not in ("None", "")} == own
    assert own != other
    text = response.content.decode()
    assert org.leader.name not in text and org.masses.name not in text
    # Someone who did not rate sees an empty form, not another rater's scores.
    member_b = client_of(org.committee).get(url)
    assert member_b.status_code == 404


def test_admin_lists_and_history_never_show_who_rated(org, published):
    client = client_of(org.admin)
    urls = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        objects = {
            Result: Result.objects.filter(member=org.member),
            MassesBallot: MassesBallot.objects.all(),
        }.get(model)
        if objects is None and model is type(org.member):
            objects = [org.member, org.groupmate, org.leader]
        for obj in objects or []:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            if isinstance(model_admin, SimpleHistoryAdmin):
                try:
                    urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
                except NoReverseMatch:
                    pass
    leaks = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if numbers := secret_numbers_in(body(response)):
            leaks.append(f"{url} shows {numbers}")
    assert not leaks, "\n".join(leaks)
    assert len(urls) > len(admin.site._registry)


def test_member_history_shows_no_anonymous_ratings_score_or_rater(org, published):
    """The member's history (audit timeline) may say a peer or masses rating was received,
    but not its score: one masses rating's score is that rater's, and the roster says who."""
    url = reverse("members:history", args=[org.member.pk])
    # Administrators only (members/tests and tests/test_audit.py check the refusals).
    for who in (org.admin,):
        response = client_of(who).get(url)
        assert response.status_code == 200, (who, response.status_code)
        text = body(response)
        assert not secret_numbers_in(text), (str(who), secret_numbers_in(text))
        assert not [m for m in rater_marks(org) if m in text], str(who)
