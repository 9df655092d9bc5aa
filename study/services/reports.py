"""The quarterly Party-spirit report and its review workflow.

draft --submit--> with group --forward--> with branch --approve--> approved
with group / with branch --return--> returned --resubmit--> with group

A report whose group has no leader (or whose member has no group), and a group
leader's own report, go straight to the branch. Every move locks the report,
checks the actor's role and the source state, and writes a ReportTransition row.

Nobody judges themselves: a group leader never forwards or returns their own
report, and a committee member's own report is judged by another committee
member of the branch, or by the company administrator where the branch has no
other (see ``branch_judges``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from members.models import User
from members.roles import Roles, committee_members, get_roles
from partybuild.lib.quarters import Quarter
from partybuild.lib.signals import send_on_commit

from .. import signals
from ..models import QuarterlyReport, ReportProblem, ReportTransition, StudySession, Talk
from ..selectors.reports import report_figures_to_keep
from . import StudyError

Status = QuarterlyReport.Status
Section = QuarterlyReport.Section

TALK_DAYS = 14


class ConcurrentEditError(StudyError):
    def __init__(self):
        super().__init__(
            gettext_lazy(
                "Someone else changed this report after you opened it. Your changes were not saved; "
                "reload the page to see the current report."
            )
        )


# (action) -> (allowed source states, role that may act)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({Status.DRAFT}), "member"),
    "resubmit": (frozenset({Status.RETURNED}), "member"),
    "forward": (frozenset({Status.WITH_GROUP}), "group_leader"),
    "return_group": (frozenset({Status.WITH_GROUP}), "group_leader"),
    "return_branch": (frozenset({Status.WITH_BRANCH}), "committee"),
    "approve": (frozenset({Status.WITH_BRANCH}), "committee"),
}

ROLE_REFUSALS = {
    "member": gettext_lazy("Only the member who wrote the report can do this."),
    "group_leader": gettext_lazy("Only the leader of the report's Party group can do this."),
    "committee": gettext_lazy("Only the secretary or a committee member of the report's branch can do this."),
}
OWN_REPORT_REFUSALS = {
    "group_leader": gettext_lazy(
        "A group leader does not forward or return their own report: it goes straight to the branch."
    ),
    "committee": gettext_lazy(
        "Nobody judges their own report: another committee member of the branch reviews it, "
        "or the company administrator where the branch has no other."
    ),
}


def _is_author(roles: Roles, report: QuarterlyReport) -> bool:
    return roles.member is not None and roles.member.pk == report.member_id


def other_committee_members(report: QuarterlyReport):
    """The branch's active committee members other than the report's author: those who judge it."""
    return committee_members(branch_id=report.branch_id, excluding=report.member_id)


def falls_to_company(report: QuarterlyReport) -> bool:
    """Whether the company administrator judges the report at the branch stage: nobody on the
    branch committee but its author (a lone committee member, or a branch without a committee)."""
    return not other_committee_members(report).exists()


def actor_holds(*, actor: User, role: str, report: QuarterlyReport) -> bool:
    roles = get_roles(actor)
    if role == "member":
        return _is_author(roles, report)
    if role == "group_leader":
        return report.group_id is not None and report.group_id in roles.led_group_ids and not _is_author(roles, report)
    if role == "committee":
        if _is_author(roles, report):
            return False
        if roles.committee_branch_id is not None and roles.committee_branch_id == report.branch_id:
            return True
        return roles.is_admin and falls_to_company(report)
    raise ValueError(role)


def _refusal(roles: Roles, role: str, report: QuarterlyReport):
    """Why the actor may not act: their own report, or not their role."""
    if role != "member" and _is_author(roles, report):
        leads_it = role == "group_leader" and report.group_id in roles.led_group_ids
        judges_branch = role == "committee" and (roles.committee_branch_id == report.branch_id or roles.is_admin)
        if leads_it or judges_branch:
            return OWN_REPORT_REFUSALS[role]
    return ROLE_REFUSALS[role]


def allowed_actions(*, actor: User, report: QuarterlyReport) -> set[str]:
    """The moves this actor can make on the report now (for showing buttons)."""
    open_now = {action: role for action, (sources, role) in TRANSITIONS.items() if report.status in sources}
    # Each role asked once: whether the administrator judges for the branch is a query.
    held = {role for role in set(open_now.values()) if actor_holds(actor=actor, role=role, report=report)}
    return {action for action, role in open_now.items() if role in held}


def _lock(report_id: int) -> QuarterlyReport:
    try:
        return (
            QuarterlyReport.objects.select_for_update(of=("self",)).select_related("group", "member").get(pk=report_id)
        )
    except QuarterlyReport.DoesNotExist:
        raise StudyError(_("The report does not exist.")) from None


def _check(*, action: str, actor: User, report: QuarterlyReport) -> None:
    sources, role = TRANSITIONS[action]
    if not actor_holds(actor=actor, role=role, report=report):
        raise StudyError(_refusal(get_roles(actor), role, report))
    if report.status not in sources:
        raise StudyError(
            _("A report that is “%(status)s” cannot be %(action)s.")
            % {"status": report.get_status_display(), "action": ACTION_VERBS[action]}
        )


ACTION_VERBS = {
    "submit": gettext_lazy("submitted"),
    "resubmit": gettext_lazy("resubmitted"),
    "forward": gettext_lazy("forwarded to the branch"),
    "return_group": gettext_lazy("returned"),
    "return_branch": gettext_lazy("returned"),
    "approve": gettext_lazy("approved"),
}


def _move(
    *,
    report: QuarterlyReport,
    actor: User,
    action: str,
    to_status: str,
    comment: str = "",
    sections: list[str] | None = None,
    restudy_session: StudySession | None = None,
    talk: Talk | None = None,
    fields: Iterable[str] = (),
) -> ReportTransition:
    from_status = report.status
    report.status = to_status
    report.version += 1
    report._history_user = actor
    report.save(update_fields=["status", "version", "updated_at", *fields])
    return ReportTransition.objects.create(
        report=report,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        sections=sections or [],
        restudy_session=restudy_session,
        talk=talk,
    )


def first_stop(report: QuarterlyReport) -> str:
    """With the group when the group has a leader to read it, other than the author; else
    straight to the branch."""
    if report.group_id and report.group.leader_id and report.group.leader_id != report.member_id:
        return Status.WITH_GROUP
    return Status.WITH_BRANCH


def _first_stop_note(report: QuarterlyReport, stop: str) -> str:
    """Why a group leader's report skipped the group, for the history (stored text: in the
    site's language, not the author's)."""
    if stop == Status.WITH_BRANCH and report.group_id and report.group.leader_id == report.member_id:
        with translation.override(settings.LANGUAGE_CODE):
            return _("The author leads the Party group, so the report goes straight to the branch.")
    return ""


# ---------------------------------------------------------------------------
# The member's side


def report_start(*, actor: User, quarter: Quarter) -> QuarterlyReport:
    """The actor's own report for the quarter, created on first use.

    A new report carries over every rectification measure still open in the
    member's previous report.
    """
    member = get_roles(actor).member
    if member is None:
        raise StudyError(_("Only Party members write quarterly reports."))
    if quarter > Quarter.current():
        raise StudyError(
            _("The report for %(quarter)s cannot be started before the quarter begins.") % {"quarter": quarter.label()}
        )
    existing = QuarterlyReport.objects.filter(member=member, quarter=quarter.code).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = QuarterlyReport(
                member=member, quarter=quarter.code, branch_id=member.branch_id, group_id=member.group_id
            )
            report._history_user = actor
            report.save()
            previous = (
                QuarterlyReport.objects.filter(member=member, quarter__lt=quarter.code).order_by("-quarter").first()
            )
            if previous is not None:
                carried = [
                    ReportProblem(
                        report=report,
                        problem=p.problem,
                        cause=p.cause,
                        measure=p.measure,
                        status=p.status,
                        carried_from=p,
                        position=i,
                    )
                    for i, p in enumerate(previous.problems.exclude(status=ReportProblem.Status.DONE))
                ]
                bulk_create_with_history(carried, ReportProblem, default_user=actor)
            return report
    except IntegrityError:
        # Two tabs started the same report at once; the other one won.
        return QuarterlyReport.objects.get(member=member, quarter=quarter.code)


@dataclass(frozen=True)
class ProblemInput:
    id: int | None
    problem: str
    cause: str
    measure: str
    status: str


TEXT_SECTIONS = {
    Section.STUDIED: "studied_notes",
    Section.INSIGHTS: "insights",
    Section.ORG_LIFE: "org_life_notes",
    Section.ANALYSIS: "analysis",
}


@transaction.atomic
def report_save(
    *,
    actor: User,
    report_id: int,
    version: int,
    texts: dict[str, str],
    problems: list[ProblemInput] | None = None,
) -> QuarterlyReport:
    """Save the member's edits to the sections that are open to them."""
    report = _lock(report_id)
    if not actor_holds(actor=actor, role="member", report=report):
        raise StudyError(ROLE_REFUSALS["member"])
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise StudyError(_("A report that is “%(status)s” cannot be edited.") % {"status": report.get_status_display()})
    if report.version != version:
        raise ConcurrentEditError
    changed = []
    for section, field in TEXT_SECTIONS.items():
        if field in texts and report.section_open(section) and getattr(report, field) != texts[field]:
            setattr(report, field, texts[field])
            changed.append(field)
    if problems is not None and report.section_open(Section.PROBLEMS):
        _save_problems(report, problems, actor=actor)
        changed.append("problems")
    report.version += 1
    report._history_user = actor
    report.save(update_fields=["version", "updated_at", *[f for f in changed if f != "problems"]])
    return report


def _save_problems(report: QuarterlyReport, problems: list[ProblemInput], *, actor: User) -> None:
    existing = {p.pk: p for p in report.problems.all()}
    keep = set()
    for position, item in enumerate(problems):
        if item.id is not None:
            problem = existing.get(item.id)
            if problem is None:
                raise StudyError(_("A problem in the form does not belong to this report."))
        else:
            problem = ReportProblem(report=report)
        problem.problem, problem.cause, problem.measure = item.problem, item.cause, item.measure
        problem.status, problem.position = item.status, position
        problem.full_clean(exclude=["report", "carried_from"])
        problem._history_user = actor
        problem.save()
        keep.add(problem.pk)
    # A report holds at most a few dozen problems: deleting them one by one keeps who did it.
    for problem in existing.values():
        if problem.pk not in keep:
            problem._history_user = actor
            problem.delete()


def _check_complete(report: QuarterlyReport) -> None:
    """The member may only hand in a report whose sections are filled in."""
    errors = {}
    if not report.insights.strip():
        errors["insights"] = _("Write what you took from your study.")
    if not report.analysis.strip():
        errors["analysis"] = _("Write your Party-spirit analysis.")
    problems = list(report.problems.all())
    if not problems:
        errors["problems"] = _("List at least one problem you found, with its rectification measure.")
    elif any(not p.measure.strip() for p in problems):
        errors["problems"] = _("Every problem needs a rectification measure.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_submit(*, actor: User, report_id: int) -> QuarterlyReport:
    report = _lock(report_id)
    action = "resubmit" if report.status == Status.RETURNED else "submit"
    _check(action=action, actor=actor, report=report)
    _check_complete(report)
    # The report keeps the figures it is handed in with: attendance recorded later shows in the
    # next quarter's report, never beside words the member wrote about these ones.
    fields = ["returned_sections", "submitted_figures"]
    report.returned_sections = []
    report.submitted_figures = report_figures_to_keep(report)
    if report.submitted_at is None:
        report.submitted_at = timezone.now()
        fields.append("submitted_at")
    stop = first_stop(report)
    _move(
        report=report,
        actor=actor,
        action=action,
        to_status=stop,
        comment=_first_stop_note(report, stop),
        fields=fields,
    )
    return report


# ---------------------------------------------------------------------------
# The group's and the branch's side


def _clean_sections(sections: Iterable[str]) -> list[str]:
    valid = [s for s in Section.values if s in set(sections)]
    if not valid:
        raise ValidationError({"sections": _("Choose at least one section for the member to redo.")})
    return valid


@transaction.atomic
def report_forward(*, actor: User, report_id: int, opinion: str) -> QuarterlyReport:
    report = _lock(report_id)
    _check(action="forward", actor=actor, report=report)
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the group's opinion for the branch.")})
    report.group_opinion = opinion.strip()
    _move(
        report=report,
        actor=actor,
        action="forward",
        to_status=Status.WITH_BRANCH,
        comment=report.group_opinion,
        fields=["group_opinion"],
    )
    return report


@transaction.atomic
def report_return(
    *,
    actor: User,
    report_id: int,
    sections: Iterable[str],
    comment: str,
    restudy_session_id: int | None = None,
    open_talk: bool = False,
) -> QuarterlyReport:
    """Send the report back naming the sections to redo; the branch may also assign
    a remedial re-study session or open an individual talk."""
    report = _lock(report_id)
    action = "return_group" if report.status == Status.WITH_GROUP else "return_branch"
    _check(action=action, actor=actor, report=report)
    chosen = _clean_sections(sections)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be redone and why.")})
    if action == "return_group" and (restudy_session_id or open_talk):
        raise StudyError(_("Only the branch can assign re-study or open a talk."))
    session = _assign_restudy(report=report, session_id=restudy_session_id) if restudy_session_id else None
    talk = _open_talk(report=report, reason=comment, actor=actor) if open_talk else None
    report.returned_sections = chosen
    transition = _move(
        report=report,
        actor=actor,
        action=action,
        to_status=Status.RETURNED,
        comment=comment.strip(),
        sections=chosen,
        restudy_session=session,
        talk=talk,
        fields=["returned_sections"],
    )
    _announce_return(report=report, transition=transition, session=session, talk=talk)
    return report


def _announce_return(
    *, report: QuarterlyReport, transition: ReportTransition, session: StudySession | None, talk: Talk | None
) -> None:
    """Tell the member (and whoever holds the talk) once the return commits."""
    send_on_commit(signals.report_returned, QuarterlyReport, report=report, transition=transition)
    if session is not None:
        send_on_commit(signals.restudy_assigned, QuarterlyReport, report=report, transition=transition, session=session)
    if talk is not None:
        send_on_commit(signals.talks_opened, Talk, talks=Talk.objects.filter(pk=talk.pk))


def _assign_restudy(*, report: QuarterlyReport, session_id: int) -> StudySession:
    session = StudySession.objects.filter(
        pk=session_id, branch_id=report.branch_id, kind=StudySession.Kind.RESTUDY
    ).first()
    if session is None:
        raise ValidationError({"restudy_session": _("Choose a remedial re-study session of this branch.")})
    if session.attendance_taken_at is not None:
        raise ValidationError({"restudy_session": _("That re-study session has already taken place.")})
    session.assigned_members.add(report.member_id)
    return session


def _open_talk(*, report: QuarterlyReport, reason: str, actor: User) -> Talk:
    talk = Talk(
        member_id=report.member_id,
        branch_id=report.branch_id,
        source=Talk.Source.REPORT_RETURN,
        report=report,
        reason=reason.strip(),
        due_on=timezone.localdate() + datetime.timedelta(days=TALK_DAYS),
    )
    talk._history_user = actor
    talk.save()
    return talk


@transaction.atomic
def report_approve(
    *,
    actor: User,
    report_id: int,
    grade: str,
    truly_studied: bool,
    truly_checked: bool,
    truly_rectified: bool,
    evaluation: str,
    sections: Iterable[str] = (),
    restudy_session_id: int | None = None,
    open_talk: bool = False,
) -> QuarterlyReport:
    """The branch's evaluation. 不合格 (unqualified) always returns the report."""
    report = _lock(report_id)
    _check(action="approve", actor=actor, report=report)
    if grade not in QuarterlyReport.Grade.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    if not evaluation.strip():
        raise ValidationError({"evaluation": _("Write the branch's evaluation.")})
    report.grade = grade
    report.truly_studied, report.truly_checked, report.truly_rectified = truly_studied, truly_checked, truly_rectified
    report.evaluation = evaluation.strip()
    fields = ["grade", "truly_studied", "truly_checked", "truly_rectified", "evaluation"]
    if grade == QuarterlyReport.Grade.UNQUALIFIED:
        chosen = [s for s in Section.values if s in set(sections)] or list(Section.values)
        session = _assign_restudy(report=report, session_id=restudy_session_id) if restudy_session_id else None
        talk = _open_talk(report=report, reason=evaluation, actor=actor) if open_talk else None
        report.returned_sections = chosen
        transition = _move(
            report=report,
            actor=actor,
            action="return_branch",
            to_status=Status.RETURNED,
            comment=report.evaluation,
            sections=chosen,
            restudy_session=session,
            talk=talk,
            fields=[*fields, "returned_sections"],
        )
        _announce_return(report=report, transition=transition, session=session, talk=talk)
        return report
    report.approved_at = timezone.now()
    transition = _move(
        report=report,
        actor=actor,
        action="approve",
        to_status=Status.APPROVED,
        comment=report.evaluation,
        fields=[*fields, "approved_at"],
    )
    send_on_commit(signals.report_approved, QuarterlyReport, report=report, transition=transition)
    return report
