"""公示 and 异议: objections to published results, their rulings, and finalising.

During a period's publicity window a member may file one written objection to their own
result. Those who give the member's organisation rating (the branch committee; the
administrator for a committee member with no colleague on it) rule on it with a written
reason: rejected, or upheld with what it changes — the organisation rating corrected,
ratings withdrawn as invalid — after which the period's results are recomputed. The
ruling records counts and the result before and after, never a rater.

Finalising ends the window, refused while an objection is open; the period is then
locked for good (assessment/locks.py keeps every door shut).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Member, User
from members.roles import committee_members, get_roles
from partybuild.lib.signals import send_on_commit
from study import signals as study_signals
from study.models import Talk

from .. import scoring, signals
from ..models import ANONYMOUS_GROUPS, Objection, Period, RaterGroup, Rating, Result
from . import AssessmentError
from .ratings import clean_scores, rubric_items
from .results import TALK_DAYS, recompute, talk_reason, talk_subject

REASON_MAX = 2000


def _text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: missing})
    if len(text) > REASON_MAX:
        raise ValidationError(
            {field: _("Keep it to %(max)d characters (this has %(n)d).") % {"max": REASON_MAX, "n": len(text)}}
        )
    return text


@transaction.atomic
def objection_file(*, actor: User, period_id: int, reason: str) -> Objection:
    """The member's one written objection to their own result, while the window is open."""
    member = get_roles(actor).member
    if member is None:
        raise AssessmentError(_("Only a Party member can object to their own result."))
    # The period's row lock orders filing against finalising: nothing is filed into a final period.
    period = Period.objects.select_for_update().get(pk=period_id)
    if not period.objections_open_on(timezone.localdate()):
        if period.is_final or period.is_published:
            raise AssessmentError(
                _("The publicity window of %(period)s has ended: objections can no longer be filed.")
                % {"period": period.name}
            )
        raise AssessmentError(_("The results of %(period)s are not published.") % {"period": period.name})
    result = Result.objects.filter(period=period, member=member).first()
    if result is None:
        raise AssessmentError(_("You have no result in %(period)s to object to.") % {"period": period.name})
    text = _text(reason, "reason", _("Say what you object to and why."))
    objection = Objection(
        period=period,
        member=member,
        branch_id=result.branch_id,
        reason=text,
        total_before=result.total,
        flag_before=result.flag,
    )
    objection._history_user = actor
    objection._change_reason = "filed"
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        raise AssessmentError(_("You have already filed an objection to this result.")) from None
    send_on_commit(signals.objection_filed, Objection, objection=objection)
    return objection


def may_rule(*, actor: User, objection: Objection) -> bool:
    """Whoever gives the member's organisation rating rules on their objection: the
    committee of the branch they objected in (``objection.branch``), never on their own;
    the administrator where the objector is on that committee and nobody else is.

    Decided by the objection's branch, not the member's today: a member who moved to
    another branch or left the company after objecting is still ruled on (an open
    objection holds the period's finalising up)."""
    roles = get_roles(actor)
    if roles.member is not None and roles.member.pk == objection.member_id:
        return False
    if roles.committee_branch_id is not None and roles.committee_branch_id == objection.branch_id:
        return True
    if not roles.is_admin:
        return False
    objector = objection.member
    return (
        objector.committee_role != Member.CommitteeRole.NONE
        and not committee_members(branch_id=objection.branch_id, excluding=objector.pk).exists()
    )


def ratings_to_rule_on(*, objection: Objection) -> list[Rating]:
    """The objector's ratings a ruling may withdraw: each with its group, total and item
    scores, never who gave it. An anonymous group with fewer ratings than the results
    pages show a mean for is left out whole: its ratings would be its raters' scores."""
    from ..selectors.results import ANONYMITY_MIN

    ratings = list(
        Rating.objects.filter(period_id=objection.period_id, ratee_id=objection.member_id, withdrawn=False)
        .order_by("rater_group", "-total", "pk")
        .only("pk", "rater_group", "total", "scores")
    )
    counts: dict[str, int] = {}
    for rating in ratings:
        counts[rating.rater_group] = counts.get(rating.rater_group, 0) + 1
    return [r for r in ratings if r.rater_group not in ANONYMOUS_GROUPS or counts[r.rater_group] >= ANONYMITY_MIN]


@transaction.atomic
def objection_rule(
    *,
    actor: User,
    objection_id: int,
    version: int,
    upheld: bool,
    ruling: str,
    org_scores: Mapping[str, object] | None = None,
    withdraw: Sequence[int] = (),
) -> Objection:
    """Rule on an objection, with a written reason the member reads.

    Upheld, it must change something: ``org_scores`` replace the organisation rating
    (or give it, where there was none), and the ratings in ``withdraw`` are withdrawn as
    invalid; the period's results are then recomputed (ranks move with the total) and
    the member's follow-up talk follows their new flag. Rejected, nothing else changes."""
    objection = Objection.objects.select_related("member", "period").select_for_update().get(pk=objection_id)
    period = Period.objects.select_for_update().get(pk=objection.period_id)
    if not may_rule(actor=actor, objection=objection):
        raise AssessmentError(_("Only the member's branch committee rules on this objection."))
    if not objection.is_open:
        raise AssessmentError(_("This objection has already been ruled on."))
    if objection.version != version:
        raise AssessmentError(_("Someone else changed this objection after you opened it; reload the page."))
    if period.state != Period.State.PUBLISHED:
        raise AssessmentError(_("The results of %(period)s are final: nothing can change.") % {"period": period.name})
    text = _text(ruling, "ruling", _("Give the reason for the ruling; the member reads it."))
    org_corrected, withdrawn = False, 0
    if upheld:
        if not org_scores and not withdraw:
            raise ValidationError(
                _(
                    "An upheld objection changes the result: correct the organisation rating, "
                    "withdraw a rating as invalid, or both."
                )
            )
        org_ids = set(
            Rating.objects.filter(period=period, ratee_id=objection.member_id, rater_group=RaterGroup.ORG).values_list(
                "pk", flat=True
            )
        )
        if org_scores and org_ids & set(withdraw):
            raise ValidationError(_("Correct the organisation rating or withdraw it, not both."))
        if withdraw:
            withdrawn = _withdraw(objection, withdraw)
        if org_scores:
            _correct_org_rating(objection, period, org_scores, actor)
            org_corrected = True
        recompute(period, actor=actor, reason="ruled")
    result = Result.objects.filter(period=period, member_id=objection.member_id).first()
    objection.state = Objection.State.UPHELD if upheld else Objection.State.REJECTED
    objection.ruling = text
    objection.org_corrected, objection.ratings_withdrawn = org_corrected, withdrawn
    if result is not None:
        objection.total_after, objection.flag_after = result.total, result.flag
    objection.ruled_by, objection.ruled_at = actor, timezone.now()
    objection.version += 1
    objection._history_user = actor
    objection._change_reason = "ruled"
    objection.save()
    if upheld and result is not None:
        _follow_up_talk(period, result, actor)
    send_on_commit(signals.objection_ruled, Objection, objection=objection)
    return objection


def _withdraw(objection: Objection, ids: Sequence[int]) -> int:
    allowed = {r.pk for r in ratings_to_rule_on(objection=objection)}
    wanted = set(ids)
    if not wanted <= allowed:
        raise AssessmentError(_("A rating you chose is not one of this member's: reload the page and try again."))
    # A plain UPDATE: an anonymous rating has no history to write (its author would be its rater).
    return Rating.objects.filter(pk__in=wanted, withdrawn=False).update(withdrawn=True)


def _correct_org_rating(objection: Objection, period: Period, raw: Mapping[str, object], actor: User) -> None:
    scores, total = clean_scores(rubric_items(period), raw)
    rating = (
        Rating.objects.select_for_update()
        .filter(period=period, ratee_id=objection.member_id, rater_group=RaterGroup.ORG, withdrawn=False)
        .first()
    )
    if rating is None:
        rating = Rating(period=period, ratee_id=objection.member_id, rater_group=RaterGroup.ORG)
    else:
        rating.version += 1
    rating.scores, rating.total, rating.source = scores, total, Rating.Source.WEB
    rating.entered_by = actor
    rating._history_user = actor
    rating._change_reason = "ruled"
    rating.save()


def _follow_up_talk(period: Period, result: Result, actor: User | None) -> None:
    """The member's follow-up talk follows the corrected flag: opened when they fall to
    yellow or below, withdrawn while not yet held when they rise above, its reason
    rewritten otherwise. A talk already held stays as it was recorded."""
    subject = talk_subject(period)
    talk = Talk.objects.filter(subject=subject, member_id=result.member_id).first()
    needs_talk = result.flag in scoring.TALK_FLAGS
    if talk is None:
        if needs_talk:
            talk = Talk(
                member_id=result.member_id,
                branch_id=result.branch_id,
                source=Talk.Source.ASSESSMENT,
                subject=subject,
                reason=talk_reason(period, result.total, result.flag),
                due_on=timezone.localdate() + datetime.timedelta(days=TALK_DAYS),
            )
            talk._history_user = actor
            talk._change_reason = "ruled"
            talk.save()
            send_on_commit(study_signals.talks_opened, Talk, talks=Talk.objects.filter(pk=talk.pk))
        return
    if talk.status != Talk.Status.OPEN:
        return
    talk._history_user = actor
    talk._change_reason = "ruled"
    if needs_talk:
        talk.reason = talk_reason(period, result.total, result.flag)
        talk.save(update_fields=["reason"])
    else:
        talk.delete()


@transaction.atomic
def results_finalize(
    *, actor: User | None, period_id: int, early: bool = False, today: datetime.date | None = None
) -> Period:
    """End the publicity window: the results are final and the period is locked for good.

    Refused while an objection is open, and before the window's last day has passed
    unless ``early`` (the administrator ending it on purpose). ``today`` is the day it is
    judged on (finalize_due's day; the clock's by default)."""
    if actor is not None and not get_roles(actor).is_admin:
        raise AssessmentError(_("Only administrators can do this."))
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.is_final:
        raise AssessmentError(_("The results of %(period)s are already final.") % {"period": period.name})
    if period.state != Period.State.PUBLISHED:
        raise AssessmentError(_("Publish the results of %(period)s before finalising them.") % {"period": period.name})
    waiting = Objection.objects.filter(period=period, state=Objection.State.OPEN).count()
    if waiting:
        raise AssessmentError(
            _("%(n)d objection(s) to %(period)s still await a ruling; rule on each before finalising.")
            % {"n": waiting, "period": period.name}
        )
    today = today or timezone.localdate()
    if not early and period.publicity_ends_on is not None and today <= period.publicity_ends_on:
        raise AssessmentError(
            _("The publicity window of %(period)s runs until %(day)s: members may object until then.")
            % {"period": period.name, "day": date_format(period.publicity_ends_on, "DATE_FORMAT")}
        )
    period.state = Period.State.FINAL
    period.finalized_at = timezone.now()
    period.version += 1
    period._history_user = actor
    period._change_reason = "finalized_early" if early and today <= (period.publicity_ends_on or today) else "finalized"
    period.save(update_fields=["state", "finalized_at", "version"])
    send_on_commit(signals.results_finalized, Period, period=period)
    return period


def finalize_due(*, today: datetime.date | None = None) -> list[str]:
    """Finalise every period whose window has ended and that has no open objection (Celery
    beat runs this daily); the codes of those finalised. Each in its own transaction."""
    today = today or timezone.localdate()
    due = (
        Period.objects.filter(state=Period.State.PUBLISHED, publicity_ends_on__lt=today)
        .exclude(objections__state=Objection.State.OPEN)
        .values_list("pk", "code")
    )
    done = []
    for pk, code in list(due):
        try:
            results_finalize(actor=None, period_id=pk, today=today)
        except AssessmentError:
            continue  # an objection filed, or a period finalised, in between
        done.append(code)
    return done
