"""The suggestion form (建议说明表) and its handling.

submitted --acknowledge / reply--> acknowledged --close--> closed
submitted / acknowledged --escalate--> escalated (the company) --reply / close--> closed
submitted --withdraw--> withdrawn

The branch that handles a suggestion is the one the member belonged to when writing
it: its secretary or a committee member. Once passed up, only the company's
administrators reply to it and close it. The author may add a note to the thread
while it is open, and edit or withdraw it until the branch has acknowledged it.

Every move locks the row, checks the actor's role and the source state from the one
table below, checks the version the actor's form was read at, and writes a
``SuggestionEntry``: the entries are the thread both sides read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import User
from members.roles import get_roles
from partybuild.lib.quarters import Quarter
from partybuild.lib.signals import send_on_commit

from .. import signals
from ..models import Suggestion, SuggestionEntry
from . import ActivityError, ConcurrentEditError

Status = Suggestion.Status

AUTHOR, BRANCH, COMPANY = "author", "branch", "company"


@dataclass(frozen=True)
class Move:
    to_status: str
    role: str
    needs_text: bool = False


# (action, source state) -> where it goes and who may make it. A pair that is not
# here is not allowed. Replies and notes keep the state (except that the branch's
# first reply also acknowledges the suggestion).
TRANSITIONS: dict[tuple[str, str], Move] = {
    ("edit", Status.SUBMITTED): Move(Status.SUBMITTED, AUTHOR),
    ("withdraw", Status.SUBMITTED): Move(Status.WITHDRAWN, AUTHOR),
    ("comment", Status.SUBMITTED): Move(Status.SUBMITTED, AUTHOR, needs_text=True),
    ("comment", Status.ACKNOWLEDGED): Move(Status.ACKNOWLEDGED, AUTHOR, needs_text=True),
    ("comment", Status.ESCALATED): Move(Status.ESCALATED, AUTHOR, needs_text=True),
    ("acknowledge", Status.SUBMITTED): Move(Status.ACKNOWLEDGED, BRANCH),
    ("reply", Status.SUBMITTED): Move(Status.ACKNOWLEDGED, BRANCH, needs_text=True),
    ("reply", Status.ACKNOWLEDGED): Move(Status.ACKNOWLEDGED, BRANCH, needs_text=True),
    ("escalate", Status.SUBMITTED): Move(Status.ESCALATED, BRANCH, needs_text=True),
    ("escalate", Status.ACKNOWLEDGED): Move(Status.ESCALATED, BRANCH, needs_text=True),
    ("close", Status.SUBMITTED): Move(Status.CLOSED, BRANCH, needs_text=True),
    ("close", Status.ACKNOWLEDGED): Move(Status.CLOSED, BRANCH, needs_text=True),
    ("reply", Status.ESCALATED): Move(Status.ESCALATED, COMPANY, needs_text=True),
    ("close", Status.ESCALATED): Move(Status.CLOSED, COMPANY, needs_text=True),
}

ACTIONS = ("edit", "withdraw", "comment", "acknowledge", "reply", "escalate", "close")

ROLE_REFUSALS = {
    AUTHOR: gettext_lazy("Only the member who wrote the suggestion can do this."),
    BRANCH: gettext_lazy("Only the secretary or a committee member of the suggestion's branch can do this."),
    COMPANY: gettext_lazy("Only the company's administrators handle a suggestion passed up to the company."),
}

ACTION_VERBS = {
    "edit": gettext_lazy("edited"),
    "withdraw": gettext_lazy("withdrawn"),
    "comment": gettext_lazy("added to"),
    "acknowledge": gettext_lazy("acknowledged"),
    "reply": gettext_lazy("replied to"),
    "escalate": gettext_lazy("passed up to the company"),
    "close": gettext_lazy("closed"),
}

TEXT_REQUIRED = {
    "comment": gettext_lazy("Write what you want to add."),
    "reply": gettext_lazy("Write the reply."),
    "escalate": gettext_lazy("Say why the suggestion is passed up to the company."),
    "close": gettext_lazy("Write the conclusion the member will read."),
}

# What the author hears of: an answer (from the branch or the company) and the close.
ANNOUNCED = {"reply": signals.suggestion_answered, "close": signals.suggestion_closed}

TITLE_MAX = Suggestion._meta.get_field("title").max_length
TEXT_MAX = 5000


def actor_holds(*, actor: User, role: str, suggestion: Suggestion) -> bool:
    roles = get_roles(actor)
    if role == AUTHOR:
        return roles.member is not None and roles.member.pk == suggestion.member_id
    if role == BRANCH:
        return roles.committee_branch_id is not None and roles.committee_branch_id == suggestion.branch_id
    if role == COMPANY:
        return roles.is_admin
    raise ValueError(role)


def allowed_actions(*, actor: User, suggestion: Suggestion) -> set[str]:
    """The moves this actor can make on the suggestion now (for showing buttons)."""
    return {
        action
        for (action, source), move in TRANSITIONS.items()
        if source == suggestion.status and actor_holds(actor=actor, role=move.role, suggestion=suggestion)
    }


def _lock(suggestion_id: int) -> Suggestion:
    try:
        return Suggestion.objects.select_for_update().get(pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise ActivityError(_("The suggestion does not exist.")) from None


def _check(*, action: str, actor: User, suggestion: Suggestion, version: int) -> Move:
    move = TRANSITIONS.get((action, suggestion.status))
    if move is None:
        raise ActivityError(
            _("A suggestion that is “%(status)s” cannot be %(action)s.")
            % {"status": suggestion.get_status_display(), "action": ACTION_VERBS[action]}
        )
    if not actor_holds(actor=actor, role=move.role, suggestion=suggestion):
        raise ActivityError(ROLE_REFUSALS[move.role])
    if suggestion.version != version:
        raise ConcurrentEditError(
            _(
                "Someone else changed this suggestion after you opened it. Nothing was saved; "
                "reload the page to see where it stands now."
            )
        )
    return move


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _check_text(action: str, text: str) -> None:
    if action in TEXT_REQUIRED and not text:
        raise ValidationError({"text": TEXT_REQUIRED[action]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}})


def _move(
    *, suggestion: Suggestion, actor: User, action: str, move: Move, text: str = "", fields: tuple[str, ...] = ()
) -> SuggestionEntry:
    from_status = suggestion.status
    now = timezone.now()
    changed = ["version", "updated_at", *fields]
    if move.to_status != from_status:
        suggestion.status = move.to_status
        changed.append("status")
        stamp = {
            Status.ACKNOWLEDGED: "acknowledged_at",
            Status.ESCALATED: "escalated_at",
            Status.CLOSED: "closed_at",
        }.get(move.to_status)
        if stamp and getattr(suggestion, stamp) is None:
            setattr(suggestion, stamp, now)
            changed.append(stamp)
    suggestion.version += 1
    suggestion._history_user = actor
    suggestion.save(update_fields=changed)
    return SuggestionEntry.objects.create(
        suggestion=suggestion, actor=actor, action=action, from_status=from_status, to_status=move.to_status, text=text
    )


def _content_errors(*, title: str, situation: str, problem: str, suggestion: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the suggestion a short subject.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The subject is longer than %(n)d characters.") % {"n": TITLE_MAX}
    for name, value, message in (
        ("situation", situation, _("Describe the situation you met at your post.")),
        ("problem", problem, _("Say what the real problem is.")),
        ("suggestion", suggestion, _("Write your suggestion.")),
    ):
        if not value:
            errors[name] = message
        elif len(value) > TEXT_MAX:
            errors[name] = _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}
    return errors


# ---------------------------------------------------------------------------
# The member's side


@transaction.atomic
def suggestion_submit(*, actor: User, title: str, situation: str, problem: str, suggestion: str) -> Suggestion:
    """A member hands a new suggestion to their branch."""
    member = get_roles(actor).member
    if member is None:
        raise ActivityError(_("Only Party members write suggestion forms."))
    title, situation, problem, suggestion = map(_clean, (title, situation, problem, suggestion))
    errors = _content_errors(title=title, situation=situation, problem=problem, suggestion=suggestion)
    if errors:
        raise ValidationError(errors)
    row = Suggestion(
        member=member,
        branch_id=member.branch_id,
        group_id=member.group_id,
        post=member.post,
        title=title,
        situation=situation,
        problem=problem,
        suggestion=suggestion,
        quarter=Quarter.of(timezone.localdate()).code,
    )
    row._history_user = actor
    row.save()
    SuggestionEntry.objects.create(
        suggestion=row, actor=actor, action="submit", from_status="", to_status=Status.SUBMITTED
    )
    return row


@transaction.atomic
def suggestion_edit(
    *, actor: User, suggestion_id: int, version: int, title: str, situation: str, problem: str, suggestion: str
) -> Suggestion:
    """The author corrects the suggestion before the branch has acknowledged it."""
    row = _lock(suggestion_id)
    move = _check(action="edit", actor=actor, suggestion=row, version=version)
    title, situation, problem, suggestion = map(_clean, (title, situation, problem, suggestion))
    errors = _content_errors(title=title, situation=situation, problem=problem, suggestion=suggestion)
    if errors:
        raise ValidationError(errors)
    row.title, row.situation, row.problem, row.suggestion = title, situation, problem, suggestion
    _move(
        suggestion=row,
        actor=actor,
        action="edit",
        move=move,
        fields=("title", "situation", "problem", "suggestion"),
    )
    return row


@transaction.atomic
def _thread_move(action: str, *, actor: User, suggestion_id: int, version: int, text: str) -> Suggestion:
    """One move on the thread: lock, check the move, the actor and the version, check the
    text, save and write the entry. Every thread action is this with its own name."""
    row = _lock(suggestion_id)
    move = _check(action=action, actor=actor, suggestion=row, version=version)
    text = _clean(text)
    _check_text(action, text)
    entry = _move(suggestion=row, actor=actor, action=action, move=move, text=text)
    # The branch's first answer may come with its acknowledgement.
    announced = ANNOUNCED.get("reply" if action == "acknowledge" and text else action)
    if announced is not None:
        send_on_commit(announced, Suggestion, suggestion=row, entry=entry)
    return row


def suggestion_withdraw(*, actor: User, suggestion_id: int, version: int, text: str = "") -> Suggestion:
    """The author takes the suggestion back before the branch has acknowledged it."""
    return _thread_move("withdraw", actor=actor, suggestion_id=suggestion_id, version=version, text=text)


def suggestion_comment(*, actor: User, suggestion_id: int, version: int, text: str) -> Suggestion:
    """The author adds to the thread while the suggestion is open."""
    return _thread_move("comment", actor=actor, suggestion_id=suggestion_id, version=version, text=text)


# ---------------------------------------------------------------------------
# The branch's and the company's side


def suggestion_acknowledge(*, actor: User, suggestion_id: int, version: int, text: str = "") -> Suggestion:
    """The branch takes the suggestion up (the author can no longer edit or withdraw it)."""
    return _thread_move("acknowledge", actor=actor, suggestion_id=suggestion_id, version=version, text=text)


def suggestion_reply(*, actor: User, suggestion_id: int, version: int, text: str) -> Suggestion:
    """The branch (or, once passed up, the company) answers in the thread."""
    return _thread_move("reply", actor=actor, suggestion_id=suggestion_id, version=version, text=text)


def suggestion_escalate(*, actor: User, suggestion_id: int, version: int, text: str) -> Suggestion:
    """The branch passes the suggestion up to the company's administrators."""
    return _thread_move("escalate", actor=actor, suggestion_id=suggestion_id, version=version, text=text)


def suggestion_close(*, actor: User, suggestion_id: int, version: int, text: str) -> Suggestion:
    """Close the suggestion with the conclusion the member reads."""
    return _thread_move("close", actor=actor, suggestion_id=suggestion_id, version=version, text=text)


# The thread actions by name, for the one view that takes them all.
THREAD_SERVICES = {
    "withdraw": suggestion_withdraw,
    "comment": suggestion_comment,
    "acknowledge": suggestion_acknowledge,
    "reply": suggestion_reply,
    "escalate": suggestion_escalate,
    "close": suggestion_close,
}
