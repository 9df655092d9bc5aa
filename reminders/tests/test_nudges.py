"""The review board's button: remind the members who have not submitted (reminders.nudges)."""

import datetime

import pytest
from django.urls import reverse

from members.tests.factories import MemberFactory
from partybuild.lib.quarters import Quarter
from reminders import nudges
from reminders.models import Notification
from study.models import QuarterlyReport
from study.selectors.reports import not_submitted
from study.tests.factories import QuarterlyReportFactory

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status
Q3 = Quarter(2026, 3)
DAY = datetime.date(2026, 10, 5)


@pytest.fixture
def reports(org):
    """Branch A in 2026Q3: the member submitted, the groupmate has a draft, the leader's
    report was returned, the rest have not started."""
    QuarterlyReportFactory(member=org.member, quarter=Q3.code, status=Status.WITH_GROUP)
    QuarterlyReportFactory(member=org.groupmate, quarter=Q3.code, status=Status.DRAFT)
    QuarterlyReportFactory(member=org.leader, quarter=Q3.code, status=Status.RETURNED)


def reminded():
    return set(Notification.objects.filter(kind=Notification.Kind.REPORT_NUDGE).values_list("recipient_id", flat=True))


def test_reminds_the_branchs_members_who_have_not_submitted_once_a_day(org, reports):
    no_login = MemberFactory(branch=org.branch_a, user=None)
    assert not_submitted(branch_id=org.branch_a.pk, quarter=Q3).count() == 6  # with no_login
    n = nudges.remind_unsubmitted(actor=org.secretary.user, branch_id=org.branch_a.pk, quarter=Q3, today=DAY)
    expected = {m.user_id for m in (org.groupmate, org.leader, org.secretary, org.committee, org.member_a2)}
    assert n == 5 and reminded() == expected and no_login.pk
    note = Notification.objects.get(recipient=org.groupmate.user)
    assert note.url == reverse("study:report_mine", args=[Q3.code]) and note.quarter == Q3.code
    # Pressed again the same day, by another committee member: nobody twice.
    assert nudges.remind_unsubmitted(actor=org.committee.user, branch_id=org.branch_a.pk, quarter=Q3, today=DAY) == 0
    # The next day, again.
    next_day = DAY + datetime.timedelta(days=1)
    again = nudges.remind_unsubmitted(actor=org.secretary.user, branch_id=org.branch_a.pk, quarter=Q3, today=next_day)
    assert again == 5


def test_only_the_branchs_committee_or_an_administrator_may_remind(org, reports):
    for actor in (org.member.user, org.other_secretary.user, org.leader.user):
        with pytest.raises(nudges.ReminderError):
            nudges.remind_unsubmitted(actor=actor, branch_id=org.branch_a.pk, quarter=Q3, today=DAY)
    assert not reminded()
    assert nudges.remind_unsubmitted(actor=org.admin, branch_id=org.branch_a.pk, quarter=Q3, today=DAY) == 5


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_board_shows_the_button_with_the_count_and_the_post_says_how_many(client_for, org, reports):
    client = client_for(org.secretary)
    board = client.get(reverse("study:review_board"), {"quarter": Q3.code}).content.decode()
    form = board.split('data-testid="remind-unsubmitted"', 1)[1].split("</form>", 1)[0]
    assert "5" in form and 'name="quarter" value="2026Q3"' in form
    assert "5" in board.split('data-testid="remind-unsubmitted"', 1)[0].rsplit("data-confirm=", 1)[1]
    response = client.post(reverse("reminders:remind_reports"), {"quarter": Q3.code}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('study:review_board')}?quarter={Q3.code}"
    assert len(reminded()) == 5 and any("5" in m for m in said(response))
    again = client.post(reverse("reminders:remind_reports"), {"quarter": Q3.code}, follow=True)
    assert len(reminded()) == 5 and not any("5" in m for m in said(again)) and said(again)


def test_no_button_when_everyone_has_submitted(client_for, org):
    for m in (org.secretary, org.committee, org.leader, org.member, org.groupmate, org.member_a2):
        QuarterlyReportFactory(member=m, quarter=Q3.code, status=Status.APPROVED)
    board = client_for(org.secretary).get(reverse("study:review_board"), {"quarter": Q3.code}).content.decode()
    assert 'data-testid="remind-unsubmitted"' not in board


def test_a_member_cannot_post_the_reminder(client_for, org, reports):
    response = client_for(org.member).post(reverse("reminders:remind_reports"), {"quarter": Q3.code})
    assert response.status_code == 403 and not reminded()


def test_a_bad_quarter_is_refused_with_a_message(client_for, org, reports):
    response = client_for(org.secretary).post(reverse("reminders:remind_reports"), {"quarter": "2026Q9"}, follow=True)
    assert "季度" in response.content.decode() and not reminded()


def test_a_secretary_reminds_only_their_own_branch_whatever_is_posted(client_for, org, reports):
    client_for(org.secretary).post(reverse("reminders:remind_reports"), {"quarter": Q3.code, "branch": org.branch_b.pk})
    assert org.member_b.user_id not in reminded() and org.member_a2.user_id in reminded()
