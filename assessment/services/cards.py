"""The card engine's workflow, for every kind of card (see ``assessment.models.cards``).

Card::

    draft --submit--> submitted --approve--> approved
                          |
    returned <--return----+            returned --resubmit--> submitted

Self-check, one per checkpoint of the card's template, on an approved card::

    draft --report--> reported --acknowledge--> acknowledged
                          |
    returned <--return----+            returned --re_report--> reported

The member writes their own sections while the card is a draft or returned; the
branch (its secretary or a committee member) assigns and withdraws the X tasks.
Every move locks the row, checks the actor's role and the source state against
``TRANSITIONS``, and writes a ``CardLog`` row. Edits carry the version the form was
read at, so a concurrent change is refused instead of overwritten.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, User
from members.roles import get_roles
from partybuild.lib.signals import send_on_commit

from .. import signals
from ..models import (
    CARD_TEMPLATES,
    Card,
    CardItem,
    CardLog,
    CardTemplate,
    CheckResult,
    SelfCheck,
    SelfCheckEntry,
)
from ..models.cards import checkpoint_opens
from . import AssessmentError

CS = Card.Status
KS = SelfCheck.Status

MEMBER = "member"
BRANCH = "branch"
CARD = "card"
CHECK = "check"

MAX_ITEMS_PER_SECTION = 20
MAX_TEXT = 2000


@dataclass(frozen=True)
class Move:
    subject: str  # CARD or CHECK: which state the sources and target are
    sources: frozenset[str]
    role: str
    target: str | None  # None: the state stays as it is (an edit)


ANY_CARD_STATE = frozenset(CS.values)

TRANSITIONS: dict[str, Move] = {
    # The member's card
    "edit": Move(CARD, frozenset({CS.DRAFT, CS.RETURNED}), MEMBER, None),
    "submit": Move(CARD, frozenset({CS.DRAFT}), MEMBER, CS.SUBMITTED),
    "resubmit": Move(CARD, frozenset({CS.RETURNED}), MEMBER, CS.SUBMITTED),
    # The branch's decision, and its X tasks (ad hoc: they may come at any time of the year)
    "return": Move(CARD, frozenset({CS.SUBMITTED}), BRANCH, CS.RETURNED),
    "approve": Move(CARD, frozenset({CS.SUBMITTED}), BRANCH, CS.APPROVED),
    "assign_task": Move(CARD, ANY_CARD_STATE, BRANCH, None),
    "withdraw_task": Move(CARD, ANY_CARD_STATE, BRANCH, None),
    # Self-checks: only an approved card is checked
    "start_check": Move(CARD, frozenset({CS.APPROVED}), MEMBER, None),
    "edit_check": Move(CHECK, frozenset({KS.DRAFT, KS.RETURNED}), MEMBER, None),
    "report": Move(CHECK, frozenset({KS.DRAFT}), MEMBER, KS.REPORTED),
    "re_report": Move(CHECK, frozenset({KS.RETURNED}), MEMBER, KS.REPORTED),
    "acknowledge": Move(CHECK, frozenset({KS.REPORTED}), BRANCH, KS.ACKNOWLEDGED),
    "return_check": Move(CHECK, frozenset({KS.REPORTED}), BRANCH, KS.RETURNED),
}

ROLE_REFUSALS = {
    MEMBER: gettext_lazy("Only the member whose card this is can do this."),
    BRANCH: gettext_lazy("Only the secretary or a committee member of the card's branch can do this."),
}

ACTION_VERBS = {
    "edit": gettext_lazy("edited"),
    "submit": gettext_lazy("submitted"),
    "resubmit": gettext_lazy("resubmitted"),
    "return": gettext_lazy("returned"),
    "approve": gettext_lazy("approved"),
    "assign_task": gettext_lazy("given a new task"),
    "withdraw_task": gettext_lazy("have a task withdrawn"),
    "start_check": gettext_lazy("self-checked"),
    "edit_check": gettext_lazy("edited"),
    "report": gettext_lazy("reported to the branch"),
    "re_report": gettext_lazy("reported again"),
    "acknowledge": gettext_lazy("reviewed"),
    "return_check": gettext_lazy("returned"),
}


class ConcurrentEditError(AssessmentError):
    def __init__(self):
        super().__init__(
            gettext_lazy(
                "Someone else changed this card after you opened it. Your changes were not saved; "
                "reload the page to see the current card."
            )
        )


@dataclass(frozen=True)
class ItemInput:
    id: int | None
    text: str


@dataclass(frozen=True)
class EntryInput:
    result: str
    note: str


# ---------------------------------------------------------------------------
# Who may do what


def actor_holds(*, actor: User, role: str, card: Card) -> bool:
    roles = get_roles(actor)
    if role == MEMBER:
        return roles.member is not None and roles.member.pk == card.member_id
    if role == BRANCH:
        return roles.committee_branch_id is not None and roles.committee_branch_id == card.branch_id
    raise ValueError(role)


def allowed_actions(*, actor: User, card: Card, self_check: SelfCheck | None = None) -> set[str]:
    """The moves this actor can make now on the card, or on one of its checks (for buttons)."""
    found = set()
    for action, move in TRANSITIONS.items():
        if move.subject == CHECK and self_check is None:
            continue
        state = self_check.status if move.subject == CHECK else card.status
        if state in move.sources and actor_holds(actor=actor, role=move.role, card=card):
            found.add(action)
    return found


def _check(*, action: str, actor: User, card: Card, self_check: SelfCheck | None = None) -> Move:
    move = TRANSITIONS[action]
    if not actor_holds(actor=actor, role=move.role, card=card):
        raise AssessmentError(ROLE_REFUSALS[move.role])
    if move.subject == CHECK:
        if self_check.status not in move.sources:
            raise AssessmentError(
                _("A self-check that is “%(status)s” cannot be %(action)s.")
                % {"status": self_check.get_status_display(), "action": ACTION_VERBS[action]}
            )
    elif card.status not in move.sources:
        raise AssessmentError(
            _("A card that is “%(status)s” cannot be %(action)s.")
            % {"status": card.get_status_display(), "action": ACTION_VERBS[action]}
        )
    return move


def _check_version(current: int, version: int | None) -> None:
    if version is not None and current != version:
        raise ConcurrentEditError


def _lock_card(card_id: int) -> Card:
    try:
        return Card.objects.select_for_update().get(pk=card_id)
    except Card.DoesNotExist:
        raise AssessmentError(_("The card does not exist.")) from None


def _lock_check(check_id: int) -> tuple[Card, SelfCheck]:
    """Lock the check, and its card first: every writer takes the card before the check."""
    card_id = SelfCheck.objects.filter(pk=check_id).values_list("card_id", flat=True).first()
    if card_id is None:
        raise AssessmentError(_("The self-check does not exist."))
    card = _lock_card(card_id)
    return card, SelfCheck.objects.select_for_update().get(pk=check_id)


def _log(
    *, card: Card, actor: User, action: str, from_status: str, to_status: str, comment: str = "", self_check=None
) -> CardLog:
    return CardLog.objects.create(
        card=card,
        self_check=self_check,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def _move_card(*, card: Card, actor: User, action: str, comment: str = "", fields: Iterable[str] = ()) -> Card:
    move = TRANSITIONS[action]
    from_status = card.status
    card.status = move.target
    card.version += 1
    card._history_user = actor
    card.save(update_fields=["status", "version", "updated_at", *fields])
    _log(card=card, actor=actor, action=action, from_status=from_status, to_status=card.status, comment=comment)
    return card


def _move_check(
    *, card: Card, self_check: SelfCheck, actor: User, action: str, comment: str = "", fields: Iterable[str] = ()
) -> SelfCheck:
    move = TRANSITIONS[action]
    from_status = self_check.status
    self_check.status = move.target
    self_check.version += 1
    self_check._history_user = actor
    self_check.save(update_fields=["status", "version", "updated_at", *fields])
    _log(
        card=card,
        self_check=self_check,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=self_check.status,
        comment=comment,
    )
    return self_check


def _template(kind: str) -> CardTemplate:
    template = CARD_TEMPLATES.get(kind)
    if template is None:
        raise AssessmentError(_("There is no card of that kind."))
    return template


def _clean_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": MAX_TEXT}})
    return text


# ---------------------------------------------------------------------------
# The member's card


def card_start(
    *, actor: User, kind: str, year: int, member_id: int | None = None, today: datetime.date | None = None
) -> Card:
    """The member's card of the kind for the year, created on first use.

    The member starts their own; the branch may start one for a member of the
    branch, to assign X tasks before the member has begun.
    """
    _template(kind)
    roles = get_roles(actor)
    if member_id is None or (roles.member is not None and roles.member.pk == member_id):
        member = roles.member
        if member is None:
            raise AssessmentError(_("Only Party members have cards."))
    else:
        member = Member.objects.filter(pk=member_id, is_active=True).first()
        if member is None or roles.committee_branch_id != member.branch_id:
            raise AssessmentError(ROLE_REFUSALS[BRANCH])
    today = today or timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise AssessmentError(_("A card can be started for last year, this year or next year only."))
    existing = Card.objects.filter(kind=kind, member=member, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            card = Card(kind=kind, member=member, year=year, branch_id=member.branch_id, group_id=member.group_id)
            card._history_user = actor
            card.save()
            _log(card=card, actor=actor, action="start", from_status="", to_status=card.status)
            return card
    except IntegrityError:
        # Two tabs started the same card at once; the other one won.
        return Card.objects.get(kind=kind, member=member, year=year)


@transaction.atomic
def card_save(
    *,
    actor: User,
    card_id: int,
    version: int,
    items: Mapping[str, Sequence[ItemInput]],
    role_aimed: str | None = None,
) -> Card:
    """Replace the items of the member's sections that are given, in the order given.

    Blank lines are dropped. The branch's sections cannot be written here.
    """
    card = _lock_card(card_id)
    _check(action="edit", actor=actor, card=card)
    _check_version(card.version, version)
    template = card.template
    fields = []
    if role_aimed is not None:
        if not template.has_role_aimed:
            if role_aimed:
                raise ValidationError({"role_aimed": _("This card has no role to aim at.")})
        elif role_aimed and role_aimed not in Card.RoleAimed.values:
            raise ValidationError({"role_aimed": _("Choose one of the roles offered.")})
        if template.has_role_aimed and card.role_aimed != role_aimed:
            card.role_aimed = role_aimed
            fields.append("role_aimed")
    for key, inputs in items.items():
        spec = template.section(key)
        if spec is None or spec.by_branch:
            raise AssessmentError(_("You cannot write in the section “%(section)s” of this card.") % {"section": key})
        _save_section(card=card, section=key, inputs=inputs, actor=actor)
    card.version += 1
    card._history_user = actor
    card.save(update_fields=["version", "updated_at", *fields])
    return card


def _save_section(*, card: Card, section: str, inputs: Sequence[ItemInput], actor: User) -> None:
    existing = {item.pk: item for item in card.items.filter(section=section)}
    keep = set()
    position = 0
    for item_input in inputs:
        text = _clean_text(item_input.text, section)
        if not text:
            continue
        if item_input.id is not None:
            item = existing.get(item_input.id)
            if item is None or item.pk in keep:
                raise AssessmentError(_("An item in the form does not belong to this section of the card."))
        else:
            item = CardItem(card=card, section=section)
        if item.pk is None or item.text != text or item.position != position:
            item.text, item.position = text, position
            item._history_user = actor
            item.save()
        keep.add(item.pk)
        position += 1
    if position > MAX_ITEMS_PER_SECTION:
        raise ValidationError({section: _("A section holds at most %(n)d items.") % {"n": MAX_ITEMS_PER_SECTION}})
    for pk, item in existing.items():
        if pk not in keep:
            item._history_user = actor
            item.delete()


def _check_complete(card: Card) -> None:
    """A card goes to the branch only with every one of the member's sections filled in."""
    template = card.template
    filled = set(card.items.values_list("section", flat=True))
    errors = {}
    for spec in template.member_sections:
        if spec.key not in filled:
            errors[spec.key] = _("Write at least one item under “%(section)s”.") % {"section": spec.label}
    if template.has_role_aimed and not card.role_aimed:
        errors["role_aimed"] = _("Choose the role you aim at.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def card_submit(*, actor: User, card_id: int, version: int | None = None) -> Card:
    card = _lock_card(card_id)
    action = "resubmit" if card.status == CS.RETURNED else "submit"
    _check(action=action, actor=actor, card=card)
    _check_version(card.version, version)
    _check_complete(card)
    fields = []
    if card.submitted_at is None:
        card.submitted_at = timezone.now()
        fields.append("submitted_at")
    return _move_card(card=card, actor=actor, action=action, fields=fields)


# ---------------------------------------------------------------------------
# The branch's side


@transaction.atomic
def card_return(*, actor: User, card_id: int, version: int | None, comment: str) -> Card:
    card = _lock_card(card_id)
    _check(action="return", actor=actor, card=card)
    _check_version(card.version, version)
    comment = _clean_text(comment, "comment")
    if not comment:
        raise ValidationError({"comment": _("Say what the member must change.")})
    _move_card(card=card, actor=actor, action="return", comment=comment)
    send_on_commit(signals.card_returned, Card, card=card, comment=comment)
    return card


@transaction.atomic
def card_approve(*, actor: User, card_id: int, version: int | None, comment: str = "") -> Card:
    card = _lock_card(card_id)
    _check(action="approve", actor=actor, card=card)
    _check_version(card.version, version)
    card.approved_at = timezone.now()
    comment = _clean_text(comment, "comment")
    _move_card(card=card, actor=actor, action="approve", comment=comment, fields=["approved_at"])
    send_on_commit(signals.card_approved, Card, card=card)
    return card


@transaction.atomic
def card_task_add(*, actor: User, card_id: int, text: str, section: str = "tasks") -> CardItem:
    """The branch gives the member an X task.

    The card's version is left alone: a task is added beside the member's own
    items and overwrites nothing, so it must not make the member's open edit stale.
    """
    card = _lock_card(card_id)
    _check(action="assign_task", actor=actor, card=card)
    spec = card.template.section(section)
    if spec is None or not spec.by_branch:
        raise AssessmentError(_("Only the X tasks are written by the branch."))
    text = _clean_text(text, "text")
    if not text:
        raise ValidationError({"text": _("Describe the task.")})
    count = card.items.filter(section=section).count()
    if count >= MAX_ITEMS_PER_SECTION:
        raise ValidationError({"text": _("A section holds at most %(n)d items.") % {"n": MAX_ITEMS_PER_SECTION}})
    last = card.items.filter(section=section).aggregate(m=Max("position"))["m"]
    item = CardItem(card=card, section=section, text=text, position=0 if last is None else last + 1, assigned_by=actor)
    item._history_user = actor
    item.save()
    _log(card=card, actor=actor, action="assign_task", from_status=card.status, to_status=card.status, comment=text)
    return item


@transaction.atomic
def card_task_remove(*, actor: User, card_id: int, item_id: int) -> None:
    """The branch withdraws an X task, as long as no self-check has reported on it."""
    card = _lock_card(card_id)
    _check(action="withdraw_task", actor=actor, card=card)
    item = card.items.filter(pk=item_id).first()
    spec = card.template.section(item.section) if item is not None else None
    if spec is None or not spec.by_branch:
        raise AssessmentError(_("That task is not on this card (any more)."))
    if item.entries.exclude(result="", note="").exists():
        raise AssessmentError(_("The member has already checked this task; it stays on the card."))
    item.entries.all().delete()
    item._history_user = actor
    item.delete()
    _log(
        card=card,
        actor=actor,
        action="withdraw_task",
        from_status=card.status,
        to_status=card.status,
        comment=item.text,
    )


# ---------------------------------------------------------------------------
# Self-checks


def _sync_entries(*, card: Card, self_check: SelfCheck) -> None:
    """One entry per item of the card: tasks assigned since the check began get theirs."""
    have = set(self_check.entries.values_list("item_id", flat=True))
    missing = card.items.exclude(pk__in=have).values_list("pk", flat=True)
    SelfCheckEntry.objects.bulk_create([SelfCheckEntry(self_check=self_check, item_id=pk) for pk in missing])


@transaction.atomic
def check_start(*, actor: User, card_id: int, checkpoint: str, today: datetime.date | None = None) -> SelfCheck:
    """The member's self-check of the card at the checkpoint, created on first use."""
    card = _lock_card(card_id)
    existing = card.checks.filter(checkpoint=checkpoint).first()
    if existing is not None and actor_holds(actor=actor, role=MEMBER, card=card):
        return existing
    _check(action="start_check", actor=actor, card=card)
    if checkpoint not in card.template.checkpoints:
        raise AssessmentError(_("This card is not checked at that point of the year."))
    opens = checkpoint_opens(checkpoint, card.year)
    if (today or timezone.localdate()) < opens:
        raise AssessmentError(
            _("This self-check opens on %(date)s.") % {"date": opens.isoformat()},
        )
    self_check = SelfCheck(card=card, checkpoint=checkpoint)
    self_check._history_user = actor
    self_check.save()
    _sync_entries(card=card, self_check=self_check)
    return self_check


@transaction.atomic
def check_save(*, actor: User, check_id: int, version: int, entries: Mapping[int, EntryInput]) -> SelfCheck:
    """Save the member's result and note for the items given (keyed by item id)."""
    card, self_check = _lock_check(check_id)
    _check(action="edit_check", actor=actor, card=card, self_check=self_check)
    _check_version(self_check.version, version)
    _sync_entries(card=card, self_check=self_check)
    allowed = set(card.template.results)
    current = {e.item_id: e for e in self_check.entries.all()}
    for item_id, given in entries.items():
        entry = current.get(item_id)
        if entry is None:
            raise AssessmentError(_("An item in the form is not on this card."))
        if given.result and given.result not in allowed:
            raise ValidationError({f"result_{item_id}": _("Choose one of the results offered.")})
        note = _clean_text(given.note, f"note_{item_id}")
        if (entry.result, entry.note) != (given.result, note):
            entry.result, entry.note = given.result, note
            entry._history_user = actor
            entry.save(update_fields=["result", "note"])
    self_check.version += 1
    self_check._history_user = actor
    self_check.save(update_fields=["version", "updated_at"])
    return self_check


def _check_entries_complete(*, card: Card, self_check: SelfCheck) -> None:
    errors = {}
    for entry in self_check.entries.select_related("item"):
        if not entry.result:
            errors[f"result_{entry.item_id}"] = _("Choose how far this item got.")
        elif entry.result == CheckResult.NOT_DONE and not entry.note.strip():
            errors[f"note_{entry.item_id}"] = _("Say why this item is not done.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def check_report(*, actor: User, check_id: int, version: int | None = None) -> SelfCheck:
    card, self_check = _lock_check(check_id)
    action = "re_report" if self_check.status == KS.RETURNED else "report"
    _check(action=action, actor=actor, card=card, self_check=self_check)
    _check_version(self_check.version, version)
    _sync_entries(card=card, self_check=self_check)
    _check_entries_complete(card=card, self_check=self_check)
    self_check.reported_at = timezone.now()
    return _move_check(card=card, self_check=self_check, actor=actor, action=action, fields=["reported_at"])


@transaction.atomic
def check_acknowledge(*, actor: User, check_id: int, version: int | None, comment: str = "") -> SelfCheck:
    card, self_check = _lock_check(check_id)
    _check(action="acknowledge", actor=actor, card=card, self_check=self_check)
    _check_version(self_check.version, version)
    self_check.reviewed_at = timezone.now()
    return _move_check(
        card=card,
        self_check=self_check,
        actor=actor,
        action="acknowledge",
        comment=_clean_text(comment, "comment"),
        fields=["reviewed_at"],
    )


@transaction.atomic
def check_return(*, actor: User, check_id: int, version: int | None, comment: str) -> SelfCheck:
    card, self_check = _lock_check(check_id)
    _check(action="return_check", actor=actor, card=card, self_check=self_check)
    _check_version(self_check.version, version)
    comment = _clean_text(comment, "comment")
    if not comment:
        raise ValidationError({"comment": _("Say what the member must correct.")})
    self_check.reviewed_at = timezone.now()
    return _move_check(
        card=card, self_check=self_check, actor=actor, action="return_check", comment=comment, fields=["reviewed_at"]
    )
