"""Notifications the moment something happens to a person's work (reminders.events).

The services announce their changes once committed: these tests run the commit
callbacks (django_capture_on_commit_callbacks) as a real request's commit would.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from activities.services import suggestions as suggestion_services
from activities.tests.factories import SuggestionFactory
from assessment.models import Card, Period, RaterGroup
from assessment.services import cards as card_services
from assessment.services.results import results_publish
from assessment.tests.factories import PeriodFactory, closed, rate
from assessment.tests.test_cards_factories import card_in
from reminders.models import Notification
from study.models import QuarterlyReport, StudySession, Talk
from study.services import reports as report_services
from study.tests.factories import QuarterlyReportFactory, StudySessionFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
Status = QuarterlyReport.Status


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service leaves for after its commit, as a request's commit would."""

    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run


def notes_of(member, kind=None):
    notes = Notification.objects.filter(recipient=member.user)
    return notes.filter(kind=kind) if kind else notes


def with_branch(org, who="member"):
    return QuarterlyReportFactory(member=getattr(org, who), quarter="2026Q3", status=Status.WITH_BRANCH)


def test_nothing_is_told_of_a_change_that_did_not_commit(org):
    report = with_branch(org)
    report_services.report_return(
        actor=org.secretary.user, report_id=report.pk, sections=["analysis"], comment="再想想"
    )
    # The test's transaction never commits: the signal never went out.
    assert not Notification.objects.exists()


def test_a_returned_report_tells_the_member_which_sections_to_redo(org, committed):
    report = with_branch(org)
    committed(
        report_services.report_return,
        actor=org.secretary.user,
        report_id=report.pk,
        sections=["analysis", "problems"],
        comment="剖析不够深入",
    )
    note = notes_of(org.member, Kind.REPORT_RETURNED).get()
    assert "4." in note.title and "5." in note.title and "1." not in note.title
    assert note.body == "剖析不够深入"
    assert note.url == reverse("study:report_detail", args=[report.pk])
    assert not Notification.objects.exclude(recipient=org.member.user).exists()


def test_a_report_returned_twice_notifies_twice(org, committed):
    report = with_branch(org)
    for _round in range(2):
        committed(
            report_services.report_return,
            actor=org.secretary.user,
            report_id=report.pk,
            sections=["analysis"],
            comment="再改",
        )
        QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.WITH_BRANCH)
    assert notes_of(org.member, Kind.REPORT_RETURNED).count() == 2


def test_approval_tells_the_member_the_grade(org, committed):
    report = with_branch(org)
    committed(
        report_services.report_approve,
        actor=org.secretary.user,
        report_id=report.pk,
        grade=QuarterlyReport.Grade.EXCELLENT,
        truly_studied=True,
        truly_checked=True,
        truly_rectified=True,
        evaluation="认真深刻",
    )
    note = notes_of(org.member, Kind.REPORT_APPROVED).get()
    assert str(QuarterlyReport.Grade.EXCELLENT.label) in note.title and note.body == "认真深刻"


def test_restudy_and_a_talk_reach_the_member_and_the_talk_reaches_the_secretary(org, committed):
    report = with_branch(org)
    session = StudySessionFactory(
        branch=org.branch_a, kind=StudySession.Kind.RESTUDY, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    committed(
        report_services.report_return,
        actor=org.secretary.user,
        report_id=report.pk,
        sections=["analysis"],
        comment="补学",
        restudy_session_id=session.pk,
        open_talk=True,
    )
    talk = Talk.objects.get(member=org.member)
    assert set(notes_of(org.member).values_list("kind", flat=True)) == {
        Kind.REPORT_RETURNED,
        Kind.RESTUDY_ASSIGNED,
        Kind.TALK_OPENED,
    }
    assert notes_of(org.member, Kind.RESTUDY_ASSIGNED).get().url == reverse("study:session_detail", args=[session.pk])
    holder = notes_of(org.secretary, Kind.TALK_OPENED).get()
    assert org.member.name in holder.title and holder.url == reverse("study:talk_detail", args=[talk.pk])
    assert holder.subject == f"talk:{talk.pk}"
    assert notes_of(org.member, Kind.TALK_OPENED).get().url == holder.url


def test_a_talk_with_the_secretary_goes_to_the_administrators(org, committed):
    report = with_branch(org, "secretary")
    committed(
        report_services.report_return,
        actor=org.committee.user,
        report_id=report.pk,
        sections=["analysis"],
        comment="谈谈",
        open_talk=True,
    )
    talk = Talk.objects.get(member=org.secretary)
    assert list(
        Notification.objects.filter(kind=Kind.TALK_OPENED)
        .exclude(recipient=org.secretary.user)
        .values_list("recipient_id", "subject")
    ) == [(org.admin.pk, f"talk:{talk.pk}")]


def test_card_return_and_approval(org, committed):
    card = card_in(org.member, Card.Status.SUBMITTED)
    committed(
        card_services.card_return, actor=org.secretary.user, card_id=card.pk, version=card.version, comment="目标太空"
    )
    returned = notes_of(org.member, Kind.CARD_RETURNED).get()
    assert returned.body == "目标太空" and returned.url == card.get_absolute_url()
    Card.objects.filter(pk=card.pk).update(status=Card.Status.SUBMITTED)
    card.refresh_from_db()
    committed(card_services.card_approve, actor=org.secretary.user, card_id=card.pk, version=card.version)
    assert notes_of(org.member, Kind.CARD_APPROVED).get().url == card.get_absolute_url()


def test_suggestion_answered_and_closed_reach_the_author(org, committed):
    suggestion = SuggestionFactory(member=org.member, branch=org.branch_a)
    committed(
        suggestion_services.suggestion_reply,
        actor=org.secretary.user,
        suggestion_id=suggestion.pk,
        version=suggestion.version,
        text="已转交车间",
    )
    suggestion.refresh_from_db()
    committed(
        suggestion_services.suggestion_close,
        actor=org.secretary.user,
        suggestion_id=suggestion.pk,
        version=suggestion.version,
        text="已解决",
    )
    answered = notes_of(org.member, Kind.SUGGESTION_ANSWERED).get()
    closed_note = notes_of(org.member, Kind.SUGGESTION_CLOSED).get()
    assert (answered.body, closed_note.body) == ("已转交车间", "已解决")
    assert answered.url == reverse("activities:suggestion_detail", args=[suggestion.pk])
    assert notes_of(org.secretary).count() == 0


def test_published_results_reach_every_rated_member_and_name_no_rater(org, committed):
    period = PeriodFactory(state=Period.State.OPEN)
    for who, total in ((org.member, 95), (org.groupmate, 70)):
        rate(period, who, RaterGroup.ORG, total)
    rate(period, org.member, RaterGroup.PEER, 90, rater_member=org.leader)
    rate(period, org.member, RaterGroup.MASSES, 88, rater_masses=org.masses)
    closed(period)
    committed(results_publish, actor=org.admin, period_id=period.pk)
    published = Notification.objects.filter(kind=Kind.RESULTS_PUBLISHED)
    assert set(published.values_list("recipient_id", flat=True)) == {org.member.user_id, org.groupmate.user_id}
    assert published.get(recipient=org.member.user).url == reverse("assessment:result_mine", args=[period.code])
    # The groupmate's yellow-or-below result opens a talk: member and secretary hear of it.
    assert notes_of(org.groupmate, Kind.TALK_OPENED).exists() and notes_of(org.secretary, Kind.TALK_OPENED).exists()
    for note in Notification.objects.all():
        text = note.title + note.body
        assert org.leader.name not in text and org.masses.name not in text
    assert not notes_of(org.leader).exists()


def test_the_member_with_an_address_gets_an_email_at_once(org, committed):
    org.member.user.email = "member@example.com"
    org.member.user.save()
    report = with_branch(org)
    committed(
        report_services.report_return,
        actor=org.secretary.user,
        report_id=report.pk,
        sections=["analysis"],
        comment="剖析不够深入",
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["member@example.com"]
    assert "剖析不够深入" in mail.outbox[0].body
    assert notes_of(org.member).get().emailed_at is not None


# ---------------------------------------------------------------------------
# The publicity window: objections and final results


@pytest.fixture
def in_window(org, committed):
    """A period published into its window: member (rated by a peer and a masses rater),
    groupmate, committee, member_b and other_secretary have results."""
    period = PeriodFactory(state=Period.State.OPEN)
    for who, total in ((org.member, 88), (org.groupmate, 92), (org.member_b, 85), (org.committee, 90)):
        rate(period, who, RaterGroup.ORG, total)
    rate(period, org.other_secretary, RaterGroup.ORG, 91)
    rate(period, org.member, RaterGroup.PEER, 90, rater_member=org.leader)
    rate(period, org.member, RaterGroup.MASSES, 88, rater_masses=org.masses)
    closed(period)
    committed(results_publish, actor=org.admin, period_id=period.pk)
    Notification.objects.all().delete()
    return period


def test_an_objection_reaches_the_branch_committee_not_the_objector(org, committed, in_window):
    from assessment.services.objections import objection_file

    objection = committed(objection_file, actor=org.member.user, period_id=in_window.pk, reason="组织评价漏记了项目")
    filed = Notification.objects.filter(kind=Kind.OBJECTION_FILED)
    assert set(filed.values_list("recipient_id", flat=True)) == {org.secretary.user_id, org.committee.user_id}
    note = filed.get(recipient=org.secretary.user)
    assert note.url == reverse("assessment:objection_detail", args=[objection.pk])
    assert org.member.name in note.title and in_window.name in note.title
    # A committee member's own objection goes to the rest of the committee.
    committed(objection_file, actor=org.committee.user, period_id=in_window.pk, reason="互评偏低")
    assert not notes_of(org.committee, Kind.OBJECTION_FILED).exclude(subject=f"objection:{objection.pk}").exists()
    assert notes_of(org.secretary, Kind.OBJECTION_FILED).count() == 2
    assert not Notification.objects.filter(kind=Kind.OBJECTION_FILED, recipient=org.admin).exists()


def test_an_objection_of_a_committee_alone_on_it_reaches_the_administrators(org, committed, in_window):
    from assessment.services.objections import objection_file

    committed(objection_file, actor=org.other_secretary.user, period_id=in_window.pk, reason="有异议")
    filed = Notification.objects.filter(kind=Kind.OBJECTION_FILED)
    assert list(filed.values_list("recipient_id", flat=True)) == [org.admin.pk]


@pytest.mark.parametrize("upheld", [True, False])
def test_a_ruling_reaches_the_member_with_its_reason_and_names_no_rater(org, committed, in_window, upheld):
    from assessment.services.objections import objection_file, objection_rule
    from assessment.tests.factories import full_scores

    objection = committed(objection_file, actor=org.member.user, period_id=in_window.pk, reason="组织评价漏记")
    ruling = "经核实，补记得分。" if upheld else "经复核，评分有效，维持原结果。"
    committed(
        objection_rule,
        actor=org.secretary.user,
        objection_id=objection.pk,
        version=objection.version,
        upheld=upheld,
        ruling=ruling,
        org_scores=full_scores(in_window) if upheld else None,
    )
    note = notes_of(org.member, Kind.OBJECTION_RULED).get()
    assert note.body == ruling and in_window.name in note.title
    assert note.url == reverse("assessment:result_mine", args=[in_window.code])
    with_state = Notification.objects.filter(kind=Kind.OBJECTION_RULED)
    assert list(with_state.values_list("recipient_id", flat=True)) == [org.member.user_id]
    for n in Notification.objects.all():
        text = n.title + n.body
        assert org.leader.name not in text and org.masses.name not in text
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(settings.LANGUAGE_CODE):
        if upheld:
            title = gettext("Your objection to your result in %(period)s was upheld")
        else:
            title = gettext("Your objection to your result in %(period)s was not upheld")
    assert note.title == title % {"period": in_window.name}


def test_final_results_reach_every_member_with_a_result(org, committed, in_window):
    from assessment.services.objections import results_finalize

    committed(results_finalize, actor=org.admin, period_id=in_window.pk, early=True)
    final = Notification.objects.filter(kind=Kind.RESULTS_FINAL)
    assert set(final.values_list("recipient_id", flat=True)) == {
        m.user_id for m in (org.member, org.groupmate, org.member_b, org.committee, org.other_secretary)
    }
    note = final.get(recipient=org.member.user)
    assert note.url == reverse("assessment:result_mine", args=[in_window.code]) and in_window.name in note.title
    for n in final:
        assert org.leader.name not in n.title + n.body and org.masses.name not in n.title + n.body
