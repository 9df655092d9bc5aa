"""How the fuzzing test builds each form's URL and the objects behind it, one builder per
URL name (tests/test_bad_input.py's registry names them)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from activities.models import PartyDay, PartyDayContribution, PartyDayParticipant, PioneerPost, Recognition
from activities.services import partydays as partyday_services
from activities.services import posts as post_services
from activities.services import warmth as warmth_services
from activities.tests.factories import PartyDayFactory, SuggestionFactory, image_upload
from assessment.models import Card, Period, RaterGroup, SelfCheck
from assessment.models.cards import CardKind
from assessment.services import objections as objection_services
from assessment.services import periods as period_services
from assessment.services import ratings as rating_services
from assessment.services import results as result_services
from assessment.tests.factories import PeriodFactory, rate
from assessment.tests.test_cards_factories import THIS_YEAR, card_in, check_in
from partybuild.lib.quarters import Quarter
from reminders.models import Notification
from study.models import QuarterlyReport, Talk
from study.services import meetings as meeting_services
from study.tests.factories import QuarterlyReportFactory, StudySessionFactory


@dataclass
class Target:
    url: str
    page: str | None = None  # where the form is shown; the URL itself when None
    baseline: dict | None = None  # posted as is, when the form is not shown on a page


@dataclass(frozen=True)
class Form:
    persona: str | None  # an ``org`` attribute, "admin", or None for anonymous
    build: Callable[..., Target]
    fields: tuple[str, ...]


def today() -> datetime.date:
    return timezone.localdate()


def _url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args, kwargs=kwargs)


def _report(org, status, who="member"):
    return QuarterlyReportFactory(member=getattr(org, who), status=status)


def _meeting(org):
    return meeting_services.meeting_create(
        actor=org.secretary.user,
        branch_id=org.branch_a.pk,
        participants=[org.secretary, org.member, org.groupmate],
        kind="organisational",
        title="年度组织生活会",
        held_on=today() - datetime.timedelta(days=10),
        location="党员活动室",
        topic="对照党员标准查找差距",
    )


def _partyday(org, kind=PartyDay.Kind.OPEN, **extra):
    day = PartyDayFactory(branch=org.branch_a, kind=kind, **extra)
    for m in (org.member, org.groupmate, org.secretary):
        day.participants.create(member=m)
    return day


def _held_day(org, kind=PartyDay.Kind.OPEN):
    day = _partyday(org, kind, status=PartyDay.Status.HELD)
    day.participants.update(attendance=PartyDayParticipant.Attendance.PRESENT)
    return day


def _post(org):
    return post_services.pioneer_post_designate(
        actor=org.secretary.user,
        member_id=org.member.pk,
        kind=PioneerPost.Kind.SAFETY,
        starts_on=today() - datetime.timedelta(days=30),
        ends_on=today() + datetime.timedelta(days=300),
        post_name="运行值班员",
    )


def _contact(org):
    return warmth_services.contact_point_add(
        actor=org.member.user, member_id=org.member.pk, name="王师傅", post="巡检工"
    )


def _help(org):
    return warmth_services.help_record_add(
        actor=org.member.user,
        member_id=org.member.pk,
        kind="thinking",
        helped_on=today(),
        content="谈心谈话",
        contact_point_id=_contact(org).pk,
    )


def _period(state=Period.State.OPEN, code="2026"):
    return PeriodFactory(code=code, state=state)


def _approved_card(org, kind=CardKind.GOAL_CARD):
    return card_in(org.member, Card.Status.APPROVED, kind=kind, tasks=1)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def b_home(org):
    return Target(_url("login"))


def b_password(org):
    return Target(_url("password_change"))


def b_set_language(org):
    return Target(_url("set_language"), baseline={"language": "zh-hans", "next": "/"})


def b_member_create(org):
    return Target(_url("members:create"))


def b_member_edit(org):
    return Target(_url("members:edit", org.member.pk))


def b_member_login(org):
    return Target(_url("members:login", org.member.pk))


def b_masses_create(org):
    return Target(_url("members:masses_create"))


def b_masses_edit(org):
    return Target(_url("members:masses_edit", org.masses.pk))


def b_masses_login(org):
    return Target(_url("members:masses_login", org.masses.pk))


def b_masses_deactivate(org):
    return Target(_url("members:masses_deactivate", org.masses.pk), page=_url("members:masses_list"))


def b_masses_reactivate(org):
    org.masses.is_active = False
    org.masses.save(update_fields=["is_active"])
    return Target(_url("members:masses_reactivate", org.masses.pk), page=_url("members:masses_list"))


def b_roster_import(org):
    return Target(_url("members:import"))


def b_roster_import_confirm(org):
    return Target(_url("members:import_confirm"), baseline={"token": "0" * 32})


def b_session_create(org):
    return Target(_url("study:session_create"))


def b_session_edit(org):
    return Target(_url("study:session_edit", StudySessionFactory(branch=org.branch_a).pk))


def b_compliance_rules(org):
    return Target(_url("study:compliance_rules"))


def b_session_attendance(org):
    return Target(_url("study:session_attendance", StudySessionFactory(branch=org.branch_a).pk))


def b_report_mine(org):
    return Target(_url("study:report_mine", Quarter.current().code), baseline={})


def b_report_edit(org):
    report = _report(org, QuarterlyReport.Status.DRAFT)
    report.problems.create(problem="理论学习不够系统", cause="工作忙", measure="每周学习两小时")
    return Target(_url("study:report_edit", report.pk))


def b_report_submit(org):
    report = _report(org, QuarterlyReport.Status.DRAFT)
    return Target(_url("study:report_submit", report.pk), page=_url("study:report_detail", report.pk))


def b_report_forward(org):
    report = _report(org, QuarterlyReport.Status.WITH_GROUP)
    return Target(_url("study:report_forward", report.pk), page=_url("study:report_detail", report.pk))


def b_report_return(org):
    report = _report(org, QuarterlyReport.Status.WITH_BRANCH)
    return Target(_url("study:report_return", report.pk), page=_url("study:report_detail", report.pk))


def b_report_approve(org):
    report = _report(org, QuarterlyReport.Status.WITH_BRANCH)
    return Target(_url("study:report_approve", report.pk), page=_url("study:report_detail", report.pk))


def b_talk(org):
    talk = Talk.objects.create(member=org.member, branch=org.branch_a, source=Talk.Source.OTHER, reason="谈心")
    return Target(_url("study:talk_detail", talk.pk))


def b_meeting_create(org):
    return Target(_url("study:meeting_create"))


def b_meeting_edit(org):
    return Target(_url("study:meeting_edit", _meeting(org).pk))


def b_self_criticism(org):
    return Target(_url("study:meeting_self_criticism", _meeting(org).pk))


def b_criticism(org):
    return Target(_url("study:meeting_criticism", _meeting(org).pk))


def b_item_add(org):
    return Target(_url("study:meeting_item_add", _meeting(org).pk))


def b_item_update(org):
    meeting = _meeting(org)
    item = meeting_services.rectification_add(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        owner_id=org.member.pk,
        description="加强理论学习",
        deadline=today() + datetime.timedelta(days=30),
    )
    return Target(_url("study:meeting_item_update", meeting.pk, item.pk))


def b_suggestion_create(org):
    return Target(_url("activities:suggestion_create"))


def b_suggestion_edit(org):
    return Target(_url("activities:suggestion_edit", SuggestionFactory(member=org.member).pk))


def b_suggestion_action(org):
    suggestion = SuggestionFactory(member=org.member)
    return Target(
        _url("activities:suggestion_action", suggestion.pk, "acknowledge"),
        page=_url("activities:suggestion_detail", suggestion.pk),
    )


def b_partyday_create(org):
    return Target(_url("activities:partyday_create"))


def b_partyday_edit(org):
    return Target(_url("activities:partyday_edit", _partyday(org).pk))


def b_partyday_participants(org):
    return Target(_url("activities:partyday_participants", _partyday(org).pk))


def b_partyday_cancel(org):
    day = _partyday(org, held_on=today() + datetime.timedelta(days=5))
    return Target(_url("activities:partyday_cancel", day.pk), page=_url("activities:partyday_detail", day.pk))


def b_contribution_add(org):
    return Target(_url("activities:partyday_contribution_add", _held_day(org, PartyDay.Kind.INTERACTIVE).pk))


def b_contribution_delete(org):
    day = _held_day(org, PartyDay.Kind.INTERACTIVE)
    item = partyday_services.contribution_add(
        actor=org.secretary.user,
        party_day_id=day.pk,
        member_id=org.member.pk,
        kind=PartyDayContribution.Kind.STORY,
        summary="成长故事",
        generation="young",
    )
    return Target(_url("activities:partyday_contribution_delete", day.pk, item.pk), baseline={})


def b_reflection(org):
    return Target(_url("activities:partyday_reflection", _held_day(org).pk))


def b_photo_add(org):
    day = _partyday(org)
    return Target(_url("activities:partyday_photo_add", day.pk), page=_url("activities:partyday_detail", day.pk))


def b_photo_delete(org):
    day = _partyday(org)
    photo = partyday_services.photo_add(actor=org.secretary.user, party_day_id=day.pk, upload=image_upload())
    return Target(
        _url("activities:partyday_photo_delete", day.pk, photo.pk), page=_url("activities:partyday_detail", day.pk)
    )


def b_post_create(org):
    return Target(_url("activities:post_create"))


def b_post_edit(org):
    return Target(_url("activities:post_edit", _post(org).pk))


def b_post_end(org):
    return Target(_url("activities:post_end", _post(org).pk))


def b_recognition_create(org):
    return Target(_url("activities:post_recognition_create"))


def b_recognition_withdraw(org):
    recognition = post_services.recognition_record(
        actor=org.secretary.user,
        member_id=org.member.pk,
        best=Recognition.Best.RECORDS,
        year=today().year,
        quarter=0,
        awarded_on=today(),
        note="资料台账零差错",
    )
    return Target(_url("activities:post_recognition_withdraw", recognition.pk), baseline={})


def b_area_edit(org):
    return Target(_url("activities:warmth_area_edit", org.member.pk))


def b_contact_create(org):
    return Target(_url("activities:warmth_contact_create", org.member.pk))


def b_contact_edit(org):
    return Target(_url("activities:warmth_contact_edit", _contact(org).pk))


def b_help_create(org):
    _contact(org)
    return Target(_url("activities:warmth_help_create", org.member.pk))


def b_help_edit(org):
    return Target(_url("activities:warmth_help_edit", _help(org).pk))


def b_help_delete(org):
    record = _help(org)
    return Target(_url("activities:warmth_help_delete", record.pk), page=_url("activities:warmth_help_edit", record.pk))


def b_rate_form(org):
    period = _period()
    return Target(_url("assessment:rate_form", period.code, org.groupmate.pk, RaterGroup.PEER))


def b_ballot_issue(org):
    period = _period()
    return Target(_url("assessment:ballot_issue", period.code), page=_url("assessment:ballot_list"))


def b_rating_progress(org):
    _period()
    return Target(_url("assessment:rating_progress"))


def b_ballot_rate(org):
    period = _period()
    ballot = rating_services.ballot_issue(actor=org.secretary.user, period_id=period.pk, rater_id=org.masses.pk)
    return Target(_url("assessment:ballot_rate", ballot.token, org.member.pk))


def b_card_year(org):
    return Target(_url("assessment:card_year", THIS_YEAR), baseline={})


def b_pledge_year(org):
    return Target(_url("assessment:pledge_year", THIS_YEAR), baseline={})


def b_card_for_member(org):
    return Target(_url("assessment:card_for_member", org.member.pk, THIS_YEAR), baseline={})


def b_pledge_for_member(org):
    return Target(_url("assessment:pledge_for_member", org.member.pk, THIS_YEAR), baseline={})


def b_card_edit(org):
    return Target(_url("assessment:card_edit", card_in(org.member, Card.Status.DRAFT).pk))


def b_card_submit(org):
    card = card_in(org.member, Card.Status.DRAFT)
    return Target(_url("assessment:card_submit", card.pk), page=_url("assessment:card_detail", card.pk))


def b_card_return(org):
    card = card_in(org.member, Card.Status.SUBMITTED)
    return Target(_url("assessment:card_return", card.pk), page=_url("assessment:card_detail", card.pk))


def b_card_approve(org):
    card = card_in(org.member, Card.Status.SUBMITTED)
    return Target(_url("assessment:card_approve", card.pk), page=_url("assessment:card_detail", card.pk))


def b_card_task_add(org):
    card = card_in(org.member, Card.Status.DRAFT)
    return Target(_url("assessment:card_task_add", card.pk), page=_url("assessment:card_detail", card.pk))


def b_card_task_remove(org):
    card = card_in(org.member, Card.Status.DRAFT, tasks=1, assigned_by=org.secretary.user)
    item = card.items.get(section="tasks")
    return Target(_url("assessment:card_task_remove", card.pk, item.pk), page=_url("assessment:card_detail", card.pk))


def b_card_check(org):
    card = _approved_card(org)
    check_in(card, SelfCheck.Status.DRAFT)
    return Target(_url("assessment:card_check", card.pk, "q1"))


def b_check_start(org):
    card = _approved_card(org)
    return Target(_url("assessment:card_check_start", card.pk, "q1"), baseline={})


def b_check_acknowledge(org):
    card = _approved_card(org)
    check_in(card, SelfCheck.Status.REPORTED, filled=True)
    return Target(
        _url("assessment:card_check_acknowledge", card.pk, "q1"), page=_url("assessment:card_check", card.pk, "q1")
    )


def b_check_return(org):
    card = _approved_card(org)
    check_in(card, SelfCheck.Status.REPORTED, filled=True)
    return Target(
        _url("assessment:card_check_return", card.pk, "q1"), page=_url("assessment:card_check", card.pk, "q1")
    )


def b_rating_template(org):
    period = _period()
    return Target(_url("assessment:rating_template_download", period.code), baseline={"branch": ""})


def b_ratings_import(org):
    return Target(_url("assessment:ratings_import", _period().code))


def b_ratings_import_confirm(org):
    return Target(_url("assessment:ratings_import_confirm", _period().code), baseline={"token": "0" * 32})


def b_period_create(org):
    return Target(_url("assessment:period_create"))


def b_period_edit(org):
    return Target(_url("assessment:period_edit", _period(Period.State.DRAFT).pk))


def _period_action(name, state):
    def build(org):
        period = _period(state)
        return Target(_url(f"assessment:{name}", period.pk), page=_url("assessment:period_detail", period.pk))

    return build


def b_period_publish(org):
    return Target(_url("assessment:period_publish", _period(Period.State.CLOSED).pk))


def b_period_finalize(org):
    """A period in its publicity window (the page then asks to confirm finalising early)."""
    period = _period(Period.State.PUBLISHED)
    Period.objects.filter(pk=period.pk).update(publicity_ends_on=today() + datetime.timedelta(days=7))
    return Target(_url("assessment:period_finalize", period.pk), page=_url("assessment:period_detail", period.pk))


def _published(org):
    """A published period (its publicity window open) with an organisation rating for the member."""
    period = _period(code="2025")
    rate(period, org.member, RaterGroup.ORG, 85)
    period_services.period_close(actor=org.admin, period_id=period.pk)
    result_services.results_publish(actor=org.admin, period_id=period.pk)
    return period


def b_objection_file(org):
    period = _published(org)
    return Target(_url("assessment:objection_file", period.code), page=_url("assessment:result_mine", period.code))


def b_objection_detail(org):
    period = _published(org)
    objection = objection_services.objection_file(actor=org.member.user, period_id=period.pk, reason="分数有误")
    return Target(_url("assessment:objection_detail", objection.pk))


def b_rubric_copy(org):
    return Target(_url("assessment:rubric_copy", _period().rubric_id))


def b_rubric_edit(org):
    rubric = period_services.rubric_copy(actor=org.admin, rubric_id=_period().rubric_id, name="草案")
    return Target(_url("assessment:rubric_edit", rubric.pk))


def _notification(org):
    return Notification.objects.create(
        recipient=org.member.user, kind="report_due", subject="r", quarter=Quarter.current().code, title="提醒"
    )


def b_notification_open(org):
    # The list is one form whose buttons carry the id: a browser sends the clicked one's.
    return Target(_url("reminders:open"), baseline={"notification": str(_notification(org).pk)})


def b_notification_read_all(org):
    _notification(org)
    return Target(_url("reminders:read_all"), page=_url("reminders:list"))


def b_remind_reports(org):
    # The review board's button; the org's members have no report this quarter.
    return Target(_url("reminders:remind_reports"), page=_url("study:review_board"))
