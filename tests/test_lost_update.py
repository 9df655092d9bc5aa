"""No lost update: two sessions open the same form, the first saves, the second is refused.

Each case drives the real pages with two logged-in clients: either two people
(administrator and secretary, two committee members) or one person in two tabs.
The refusal must say, in Chinese, that someone else changed the record meanwhile;
the database keeps the first save; and the re-rendered page still holds what the
second person typed, so their work is not lost.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import PartyDay, Suggestion
from activities.tests.factories import ParticipantFactory, PartyDayFactory, SuggestionFactory
from assessment.models import Card, CardKind, RaterGroup, Rating
from assessment.tests.factories import PeriodFactory, full_scores, rate
from members.models import Member
from study.models import Attendance, QuarterlyReport
from study.tests.factories import QuarterlyReportFactory, StudySessionFactory

pytestmark = pytest.mark.django_db

# The common core of every refusal message ("… someone else has changed it").
CHANGED_MEANWHILE = "已有其他人修改了它"


def session(person) -> Client:
    """A browser session of its own (a second tab has its own form, not its own cookie,
    but a separate client is the honest model of two pages read at different times)."""
    client = Client()
    client.force_login(person if not isinstance(person, Member) else person.user)
    return client


def form_data(form) -> dict:
    """What the browser would send back for an unchanged form: every field's shown value."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    return data


def as_numbers(scores: dict) -> dict:
    return {code: Decimal(value) for code, value in scores.items()}


def refused(response) -> str:
    assert response.status_code == 200, "the second save must be re-rendered, not redirected"
    page = response.content.decode()
    assert CHANGED_MEANWHILE in page
    return page


# ---------------------------------------------------------------------------
# Quarterly report: one member, two tabs


def test_report_second_tab_is_refused_and_keeps_its_text(org):
    report = QuarterlyReportFactory(member=org.member, insights="原来的体会")
    url = reverse("study:report_edit", args=[report.pk])
    tab1, tab2 = session(org.member), session(org.member)
    data1 = form_data(tab1.get(url).context["form"])
    data2 = form_data(tab2.get(url).context["form"])
    management = {"problems-TOTAL_FORMS": "0", "problems-INITIAL_FORMS": "0"}

    first = tab1.post(url, {**data1, **management, "insights": "第一个标签页写的体会", "save": ""})
    assert first.status_code == 302
    second = tab2.post(url, {**data2, **management, "insights": "第二个标签页写的体会", "save": ""})

    page = refused(second)
    assert "第二个标签页写的体会" in page
    report.refresh_from_db()
    assert report.insights == "第一个标签页写的体会"
    assert report.version == 2
    assert report.status == QuarterlyReport.Status.DRAFT


# ---------------------------------------------------------------------------
# Ratings


@pytest.fixture
def period(db):
    return PeriodFactory()


def test_rating_edit_in_two_tabs_keeps_the_first_scores(org, period):
    rate(period, org.member, RaterGroup.SELF, 60, rater_member=org.member)
    url = reverse("assessment:rate_form", args=[period.code, org.member.pk, RaterGroup.SELF])
    tab1, tab2 = session(org.member), session(org.member)
    data1 = form_data(tab1.get(url).context["form"])
    data2 = form_data(tab2.get(url).context["form"])
    high, low = full_scores(period, Decimal("0.9")), full_scores(period, Decimal("0.5"))

    assert tab1.post(url, {**data1, **high}).status_code == 302
    second = tab2.post(url, {**data2, **low})

    refused(second)
    assert second.context["form"]["A1"].value() == low["A1"]
    rating = Rating.objects.get(period=period, ratee=org.member, rater_group=RaterGroup.SELF)
    assert as_numbers(rating.scores) == as_numbers(high)
    assert rating.version == 2


def test_two_committee_members_giving_the_first_organisation_rating_do_not_overwrite(org, period):
    """Neither saw a rating when they opened the form: the second save must not replace the first."""
    url = reverse("assessment:rate_form", args=[period.code, org.groupmate.pk, RaterGroup.ORG])
    secretary, committee = session(org.secretary), session(org.committee)
    data_s = form_data(secretary.get(url).context["form"])
    data_c = form_data(committee.get(url).context["form"])
    high, low = full_scores(period, Decimal("0.9")), full_scores(period, Decimal("0.5"))

    assert secretary.post(url, {**data_s, **high}).status_code == 302
    second = committee.post(url, {**data_c, **low})

    refused(second)
    assert second.context["form"]["A1"].value() == low["A1"]
    rating = Rating.objects.get(period=period, ratee=org.groupmate, rater_group=RaterGroup.ORG)
    assert as_numbers(rating.scores) == as_numbers(high)
    assert rating.entered_by == org.secretary.user


def test_saving_the_rating_form_again_after_reloading_still_works(org, period):
    """The refusal is about stale pages only: a fresh page saves over the last scores."""
    url = reverse("assessment:rate_form", args=[period.code, org.member.pk, RaterGroup.SELF])
    tab = session(org.member)
    first = full_scores(period, Decimal("0.5"))
    assert tab.post(url, {**form_data(tab.get(url).context["form"]), **first}).status_code == 302
    again = full_scores(period, Decimal("0.8"))
    assert tab.post(url, {**form_data(tab.get(url).context["form"]), **again}).status_code == 302
    saved = Rating.objects.get(period=period, ratee=org.member, rater_group=RaterGroup.SELF)
    assert as_numbers(saved.scores) == as_numbers(again)


# ---------------------------------------------------------------------------
# Goal plan card (5+X): one member, two tabs


def _card_post(card: Card, version, goals: str) -> dict:
    data = {"version": version}
    for spec in card.template.member_sections:
        data.update({f"{spec.key}-TOTAL_FORMS": "1", f"{spec.key}-INITIAL_FORMS": "0", f"{spec.key}-0-text": ""})
    data["goals-0-text"] = goals
    return data


def test_card_second_tab_is_refused_and_keeps_its_items(org):
    card = Card.objects.create(
        kind=CardKind.GOAL_CARD, member=org.member, year=2026, branch=org.branch_a, group=org.group_a1
    )
    url = reverse("assessment:card_edit", args=[card.pk])
    tab1, tab2 = session(org.member), session(org.member)
    version1 = tab1.get(url).context["header"]["version"].value()
    version2 = tab2.get(url).context["header"]["version"].value()

    assert tab1.post(url, _card_post(card, version1, "第一个标签页的目标")).status_code == 302
    second = tab2.post(url, _card_post(card, version2, "第二个标签页的目标"))

    page = refused(second)
    assert "第二个标签页的目标" in page
    assert list(card.items.values_list("text", flat=True)) == ["第一个标签页的目标"]
    card.refresh_from_db()
    assert card.version == 2


# ---------------------------------------------------------------------------
# Roster row: the administrator and the branch secretary


def test_roster_edit_by_secretary_after_administrator_is_refused(org):
    url = reverse("members:edit", args=[org.member.pk])
    admin, secretary = session(org.admin), session(org.secretary)
    data_admin = form_data(admin.get(url).context["form"])
    data_secretary = form_data(secretary.get(url).context["form"])

    assert admin.post(url, {**data_admin, "phone": "13800000001"}).status_code == 302
    second = secretary.post(url, {**data_secretary, "phone": "13900000002", "post": "运行值班员"})

    page = refused(second)
    assert "13900000002" in page and "运行值班员" in page
    org.member.refresh_from_db()
    assert org.member.phone == "13800000001"
    assert org.member.post != "运行值班员"
    assert org.member.version == 2


# ---------------------------------------------------------------------------
# Suggestion form: the author, two tabs


def test_suggestion_second_tab_is_refused_and_keeps_its_text(org):
    suggestion = SuggestionFactory(member=org.member)
    url = reverse("activities:suggestion_edit", args=[suggestion.pk])
    tab1, tab2 = session(org.member), session(org.member)
    data1 = form_data(tab1.get(url).context["form"])
    data2 = form_data(tab2.get(url).context["form"])

    assert tab1.post(url, {**data1, "suggestion": "第一个标签页的建议"}).status_code == 302
    second = tab2.post(url, {**data2, "suggestion": "第二个标签页的建议"})

    page = refused(second)
    assert "第二个标签页的建议" in page
    suggestion.refresh_from_db()
    assert suggestion.suggestion == "第一个标签页的建议"
    assert suggestion.status == Suggestion.Status.SUBMITTED


# ---------------------------------------------------------------------------
# Themed Party day: the secretary and a committee member


def test_party_day_plan_edited_by_two_committee_members(org):
    day = PartyDayFactory(branch=org.branch_a, place="检修一班")
    ParticipantFactory(party_day=day, member=org.member)
    url = reverse("activities:partyday_edit", args=[day.pk])
    secretary, committee = session(org.secretary), session(org.committee)
    data_s = form_data(secretary.get(url).context["form"])
    data_c = form_data(committee.get(url).context["form"])

    assert secretary.post(url, {**data_s, "place": "运行二值"}).status_code == 302
    second = committee.post(url, {**data_c, "place": "化学车间"})

    page = refused(second)
    assert "化学车间" in page
    day.refresh_from_db()
    assert day.place == "运行二值"
    assert day.status == PartyDay.Status.PLANNED


# ---------------------------------------------------------------------------
# Study session plan: the administrator and the branch secretary


def test_session_plan_edited_by_secretary_after_administrator_is_refused(org):
    study_session = StudySessionFactory(branch=org.branch_a, location="三楼会议室")
    url = reverse("study:session_edit", args=[study_session.pk])
    admin, secretary = session(org.admin), session(org.secretary)
    data_admin = form_data(admin.get(url).context["form"])
    data_secretary = form_data(secretary.get(url).context["form"])

    assert admin.post(url, {**data_admin, "location": "党员活动室"}).status_code == 302
    second = secretary.post(url, {**data_secretary, "location": "一楼报告厅", "requirements": "带笔记本"})

    page = refused(second)
    assert "一楼报告厅" in page and "带笔记本" in page
    study_session.refresh_from_db()
    assert study_session.location == "党员活动室"
    assert study_session.requirements == "会前自学，会上发言"


def test_session_plan_saved_again_after_reloading_still_works(org):
    study_session = StudySessionFactory(branch=org.branch_a)
    url = reverse("study:session_edit", args=[study_session.pk])
    tab = session(org.secretary)
    assert tab.post(url, {**form_data(tab.get(url).context["form"]), "location": "一楼"}).status_code == 302
    assert tab.post(url, {**form_data(tab.get(url).context["form"]), "location": "二楼"}).status_code == 302
    study_session.refresh_from_db()
    assert study_session.location == "二楼"


# ---------------------------------------------------------------------------
# Study session attendance: the secretary and a committee member


def _attendance_post(page, changes: dict[int, tuple[str, str]]) -> dict:
    """The attendance page sent back as shown, with some members' marks changed."""
    formset = page.context["formset"]
    data = {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
    # The hidden fields outside the formset (the version the page was read at), as the page has them.
    html = page.content.decode()
    data.update(dict(re.findall(r'<input type="hidden" name="(version)" value="([^"]*)"', html)))
    for row in formset.forms:
        member_id = row["member_id"].value()
        status, reason = changes.get(member_id, (row["status"].value(), row["reason"].value() or ""))
        data.update({row["member_id"].html_name: member_id, row["status"].html_name: status})
        data[row["reason"].html_name] = reason
    return data


def test_attendance_taken_by_two_committee_members_keeps_the_first(org):
    study_session = StudySessionFactory(branch=org.branch_a)
    url = reverse("study:session_attendance", args=[study_session.pk])
    secretary, committee = session(org.secretary), session(org.committee)
    page_s, page_c = secretary.get(url), committee.get(url)

    first = _attendance_post(page_s, {org.member.pk: (Attendance.Status.ABSENT, "出差")})
    assert secretary.post(url, first).status_code == 302
    second = _attendance_post(page_c, {org.groupmate.pk: (Attendance.Status.EXCUSED, "病假两天")})
    page = refused(committee.post(url, second))

    assert "病假两天" in page
    marks = dict(Attendance.objects.filter(session=study_session).values_list("member_id", "status"))
    assert marks[org.member.pk] == Attendance.Status.ABSENT
    assert marks[org.groupmate.pk] == Attendance.Status.PRESENT
    assert Attendance.objects.get(session=study_session, member=org.member).reason == "出差"


def test_attendance_corrected_after_reloading_still_works(org):
    study_session = StudySessionFactory(branch=org.branch_a)
    url = reverse("study:session_attendance", args=[study_session.pk])
    tab = session(org.secretary)
    absent = {org.member.pk: (Attendance.Status.ABSENT, "出差")}
    assert tab.post(url, _attendance_post(tab.get(url), absent)).status_code == 302
    present = {org.member.pk: (Attendance.Status.PRESENT, "")}
    assert tab.post(url, _attendance_post(tab.get(url), present)).status_code == 302
    assert Attendance.objects.get(session=study_session, member=org.member).status == Attendance.Status.PRESENT
