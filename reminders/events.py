"""Notifications the moment something happens to a person's work.

The apps announce what happened with signals of their own, sent once the change has
committed (study.signals, assessment.signals, activities.signals); the receivers here,
connected in RemindersConfig.ready, write the notifications and e-mail them through the
same path as the reminders (``send_pending_emails``). The apps never import this one.

Each notification's ``subject`` names the event itself (a report's transition, a card's
version, a thread entry, a talk), so the unique (recipient, kind, subject, quarter) key
keeps each event to one notification however often a signal is delivered, while a
report returned twice notifies twice. Nothing here names a rater: the texts speak of
the report, card, talk, suggestion, objection or result and of the branch, never of who rated.
Stored text is written in the site's language, not the language of whoever acted.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities import signals as activity_signals
from activities.models import Suggestion, SuggestionEntry
from assessment import signals as assessment_signals
from assessment.models import Card, Objection, Period, Result
from members.models import Member, User
from partybuild.lib.quarters import Quarter
from study import signals as study_signals
from study.models import QuarterlyReport, ReportTransition, StudySession, Talk

from .models import Notification
from .services import select_reminders, send_pending_emails, text_with, write_selected

logger = logging.getLogger(__name__)
Kind = Notification.Kind

# Up to this many people are e-mailed at once, in the request that caused the event;
# more (a publication) are left to the worker.
EMAIL_INLINE_MAX = 20
TITLE_MAX = Notification._meta.get_field("title").max_length
BODY_MAX = 1000


# Set while seed_demo builds the demo company: its past (last year's objections and
# final results) was told at the time; building it tells nobody and e-mails nobody.
_quiet = ContextVar("reminders_events_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """For seed_demo alone, around its transaction (the signals go out on its commit)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _unless_quiet(receiver_func):
    @functools.wraps(receiver_func)
    def wrapper(*args, **kwargs):
        if _quiet.get():
            return 0
        return receiver_func(*args, **kwargs)

    return wrapper


def _user_of(member_id: int) -> int | None:
    """The member's login, if the member and the login are active."""
    return (
        Member.objects.filter(pk=member_id, is_active=True, user__isnull=False, user__is_active=True)
        .values_list("user_id", flat=True)
        .first()
    )


def email_soon(user_ids: Iterable[int] | None) -> None:
    """E-mail these people what is waiting for them, now; ``None`` (many people): leave it to
    the worker. A failure is logged; the notifications stay un-e-mailed for the next run."""
    try:
        if user_ids is None:
            from .tasks import send_emails

            send_emails.delay()
            return
        people = list(User.objects.filter(pk__in=list(user_ids)).exclude(email="").values_list("pk", flat=True))
        if people:
            send_pending_emails(recipients=people)
    except Exception:
        logger.exception("could not e-mail notifications now; the next run will")


def notify(*, member_id: int, kind: str, subject: str, quarter: str, title: str, body: str = "", url: str = "") -> int:
    """One notification to a member's login (none without one); e-mailed at once."""
    user = _user_of(member_id)
    if user is None:
        return 0
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user,
                kind=kind,
                subject=subject,
                quarter=quarter,
                title=Truncator(title).chars(TITLE_MAX),
                body=Truncator(body).chars(BODY_MAX),
                url=url,
            )
        ],
        ignore_conflicts=True,
    )
    email_soon([user])
    return len(created)


def _this_quarter() -> str:
    return Quarter.of(timezone.localdate()).code


# ---------------------------------------------------------------------------
# Reports


def _section_names(sections: Iterable[str]) -> str:
    labels = dict(QuarterlyReport.Section.choices)
    return "、".join(str(labels[s]) for s in sections if s in labels)


@receiver(study_signals.report_returned, dispatch_uid="reminders.report_returned")
@_unless_quiet
def report_returned(sender, *, report: QuarterlyReport, transition: ReportTransition, **kwargs) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        quarter = Quarter.parse(report.quarter)
        notify(
            member_id=report.member_id,
            kind=Kind.REPORT_RETURNED,
            subject=f"report:{report.pk}:{transition.pk}",
            quarter=report.quarter,
            title=_("Your report for %(quarter)s was returned: redo %(sections)s")
            % {"quarter": quarter.label(), "sections": _section_names(transition.sections)},
            body=transition.comment,
            url=report.get_absolute_url(),
        )


@receiver(study_signals.report_approved, dispatch_uid="reminders.report_approved")
@_unless_quiet
def report_approved(sender, *, report: QuarterlyReport, transition: ReportTransition, **kwargs) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            member_id=report.member_id,
            kind=Kind.REPORT_APPROVED,
            subject=f"report:{report.pk}:{transition.pk}",
            quarter=report.quarter,
            title=_("Your report for %(quarter)s was approved: %(grade)s")
            % {"quarter": Quarter.parse(report.quarter).label(), "grade": report.get_grade_display()},
            body=report.evaluation,
            url=report.get_absolute_url(),
        )


@receiver(study_signals.restudy_assigned, dispatch_uid="reminders.restudy_assigned")
@_unless_quiet
def restudy_assigned(
    sender, *, report: QuarterlyReport, transition: ReportTransition, session: StudySession, **kwargs
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        starts = timezone.localtime(session.starts_at)
        notify(
            member_id=report.member_id,
            kind=Kind.RESTUDY_ASSIGNED,
            subject=f"session:{session.pk}:{transition.pk}",
            quarter=report.quarter,
            title=_("You are assigned to the re-study session “%(title)s”") % {"title": session.title},
            body=_("It starts at %(time)s.") % {"time": starts.strftime("%Y-%m-%d %H:%M")},
            url=reverse("study:session_detail", args=[session.pk]),
        )


# ---------------------------------------------------------------------------
# Talks: to the member, and to whoever holds the talk (set-based: a publication opens many)


TALK_MARK = 987654321


def _talk_url():
    """Each talk's own page, as an SQL expression over the talk rows."""
    before, after = reverse("study:talk_detail", args=[TALK_MARK]).split(str(TALK_MARK))
    return text_with(f"{before}%(pk)s{after}", pk="pk")


@receiver(study_signals.talks_opened, dispatch_uid="reminders.talks_opened")
@_unless_quiet
def talks_opened(sender, *, talks: QuerySet[Talk], **kwargs) -> int:
    """The member hears that the branch will talk with them; the branch's secretary, or,
    for a talk with the secretary, every administrator, hears there is a talk to hold."""
    talks = talks.filter(status=Talk.Status.OPEN)
    with translation.override(settings.LANGUAGE_CODE):
        common = {"kind": Kind.TALK_OPENED, "subject": text_with("talk:%(pk)s", pk="pk"), "quarter": _this_quarter()}
        created = write_selected(
            select_reminders(
                talks.filter(member__is_active=True, member__user__isnull=False, member__user__is_active=True),
                recipient="member__user_id",
                title=_("Your branch will hold a talk with you"),
                body=_("Open it to see why and by when."),
                url=_talk_url(),
                **common,
            )
        )
        holder = {
            "title": text_with(_("A talk to hold with %(name)s"), name="member__name"),
            "body": _("Hold the talk, then record it on its page."),
            "url": _talk_url(),
            **common,
        }
        with_secretary = Q(member__committee_role=Member.CommitteeRole.SECRETARY, member__branch_id=F("branch_id"))
        secretary = Member.objects.filter(
            branch_id=OuterRef("branch_id"),
            committee_role=Member.CommitteeRole.SECRETARY,
            is_active=True,
            user__isnull=False,
            user__is_active=True,
        ).values("user_id")[:1]
        created += write_selected(
            select_reminders(
                talks.exclude(with_secretary).annotate(holder=Subquery(secretary)).filter(holder__isnull=False),
                recipient="holder",
                **holder,
            )
        )
        for admin in User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True):
            created += write_selected(
                select_reminders(
                    talks.filter(with_secretary).exclude(member__user_id=admin), recipient=Value(admin), **holder
                )
            )
    if created:
        email_soon(
            _told(Kind.TALK_OPENED, [f"talk:{pk}" for pk in talks.values_list("pk", flat=True)[:EMAIL_INLINE_MAX]])
        )
    return created


def _told(kind: str, subjects: list[str]) -> list[int] | None:
    """Who has a notification of these not yet e-mailed; None (everybody pending) past a few."""
    if len(subjects) >= EMAIL_INLINE_MAX:
        return None
    return list(
        Notification.objects.filter(kind=kind, subject__in=subjects, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------------------
# Cards


def _card(card: Card, kind: str, title: str, body: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            member_id=card.member_id,
            kind=kind,
            subject=f"card:{card.pk}:v{card.version}",
            quarter=_this_quarter(),
            title=_(title) % {"card": card.template.title, "year": card.year},
            body=body,
            url=card.get_absolute_url(),
        )


@receiver(assessment_signals.card_returned, dispatch_uid="reminders.card_returned")
@_unless_quiet
def card_returned(sender, *, card: Card, comment: str = "", **kwargs) -> None:
    _card(card, Kind.CARD_RETURNED, gettext_noop("Your %(card)s for %(year)s was returned"), comment)


@receiver(assessment_signals.card_approved, dispatch_uid="reminders.card_approved")
@_unless_quiet
def card_approved(sender, *, card: Card, **kwargs) -> None:
    _card(card, Kind.CARD_APPROVED, gettext_noop("Your %(card)s for %(year)s was approved"))


# ---------------------------------------------------------------------------
# Suggestions


def _suggestion(suggestion: Suggestion, entry: SuggestionEntry, kind: str, title: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            member_id=suggestion.member_id,
            kind=kind,
            subject=f"suggestion:{suggestion.pk}:{entry.pk}",
            quarter=_this_quarter(),
            title=_(title) % {"title": suggestion.title},
            body=entry.text,
            url=reverse("activities:suggestion_detail", args=[suggestion.pk]),
        )


@receiver(activity_signals.suggestion_answered, dispatch_uid="reminders.suggestion_answered")
@_unless_quiet
def suggestion_answered(sender, *, suggestion: Suggestion, entry: SuggestionEntry, **kwargs) -> None:
    _suggestion(suggestion, entry, Kind.SUGGESTION_ANSWERED, gettext_noop("Your suggestion “%(title)s” was answered"))


@receiver(activity_signals.suggestion_closed, dispatch_uid="reminders.suggestion_closed")
@_unless_quiet
def suggestion_closed(sender, *, suggestion: Suggestion, entry: SuggestionEntry, **kwargs) -> None:
    _suggestion(suggestion, entry, Kind.SUGGESTION_CLOSED, gettext_noop("Your suggestion “%(title)s” was closed"))


# ---------------------------------------------------------------------------
# Results


def _tell_members_with_results(period: Period, kind: str, title: str, body: str) -> int:
    """Every member with a result in the period, about their own result page (one INSERT … SELECT)."""
    with translation.override(settings.LANGUAGE_CODE):
        created = write_selected(
            select_reminders(
                Result.objects.filter(
                    period=period, member__is_active=True, member__user__isnull=False, member__user__is_active=True
                ),
                recipient="member__user_id",
                kind=kind,
                subject=f"period:{period.pk}",
                quarter=_this_quarter(),
                title=_(title) % {"period": period.name},
                body=_(body),
                url=reverse("assessment:result_mine", args=[period.code]),
            )
        )
    if created:
        email_soon(_told(kind, [f"period:{period.pk}"]) if created <= EMAIL_INLINE_MAX else None)
    return created


@receiver(assessment_signals.results_published, dispatch_uid="reminders.results_published")
@_unless_quiet
def results_published(sender, *, period: Period, **kwargs) -> int:
    return _tell_members_with_results(
        period,
        Kind.RESULTS_PUBLISHED,
        gettext_noop("The results of %(period)s are published"),
        gettext_noop("See your score and how it was made up."),
    )


@receiver(assessment_signals.results_finalized, dispatch_uid="reminders.results_finalized")
@_unless_quiet
def results_finalized(sender, *, period: Period, **kwargs) -> int:
    return _tell_members_with_results(
        period,
        Kind.RESULTS_FINAL,
        gettext_noop("The results of %(period)s are final"),
        gettext_noop("The publicity window has ended: your result stands as it is now."),
    )


# ---------------------------------------------------------------------------
# Objections: the committee hears of one filed, the member of its ruling. The texts name
# the objector and the period, never a rater; the ruling is the committee's written reason.


def _objection_rulers(objection: Objection) -> list[int]:
    """Who rules on it (services.objections.may_rule): the branch committee's other members;
    the administrators where the objector is alone on the committee."""
    committee = list(
        Member.objects.filter(
            branch_id=objection.branch_id,
            committee_role__in=[Member.CommitteeRole.SECRETARY, Member.CommitteeRole.COMMITTEE],
            is_active=True,
            user__isnull=False,
            user__is_active=True,
        )
        .exclude(pk=objection.member_id)
        .values_list("user_id", flat=True)
    )
    if committee:
        return committee
    admins = User.objects.filter(is_staff=True, is_active=True).exclude(pk=objection.member.user_id or 0)
    return list(admins.values_list("pk", flat=True))


@receiver(assessment_signals.objection_filed, dispatch_uid="reminders.objection_filed")
@_unless_quiet
def objection_filed(sender, *, objection: Objection, **kwargs) -> int:
    rulers = _objection_rulers(objection)
    period = objection.period
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(name)s objects to their result in %(period)s") % {
            "name": objection.member.name,
            "period": period.name,
        }
        body = _("Rule on it with a written reason, which the member reads.")
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user,
                    kind=Kind.OBJECTION_FILED,
                    subject=f"objection:{objection.pk}",
                    quarter=_this_quarter(),
                    title=Truncator(title).chars(TITLE_MAX),
                    body=body,
                    url=reverse("assessment:objection_detail", args=[objection.pk]),
                )
                for user in rulers
            ],
            ignore_conflicts=True,
        )
    if rulers:
        email_soon(rulers)
    return len(created)


@receiver(assessment_signals.objection_ruled, dispatch_uid="reminders.objection_ruled")
@_unless_quiet
def objection_ruled(sender, *, objection: Objection, **kwargs) -> int:
    period = objection.period
    with translation.override(settings.LANGUAGE_CODE):
        if objection.state == Objection.State.UPHELD:
            title = _("Your objection to your result in %(period)s was upheld") % {"period": period.name}
        else:
            title = _("Your objection to your result in %(period)s was not upheld") % {"period": period.name}
        return notify(
            member_id=objection.member_id,
            kind=Kind.OBJECTION_RULED,
            subject=f"objection:{objection.pk}",
            quarter=_this_quarter(),
            title=title,
            body=objection.ruling,
            url=reverse("assessment:result_mine", args=[period.code]),
        )
