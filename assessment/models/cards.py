"""The card engine: one member's plan for one year, its items, and the checks on them.

Two kinds of card run on it. The goal plan card (党员争优目标计划卡, "5+X") has five
sections the member writes and the X tasks the branch assigns, self-checked every
quarter. The pledge form (争优承诺表, "3+X") has the role the member aims at, three
sections and the X tasks, marked once at the end of the year.

What differs between the kinds is data, not schema: ``CARD_TEMPLATES`` says which
sections a kind has and how they are labelled, whether a role is aimed at, at which
checkpoints the items are checked and which results a check may give. Section keys
and checkpoints are validated by the services against the template, so a new kind
or a relabelled section needs no migration.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Branch, Member, PartyGroup


class CardKind(models.TextChoices):
    GOAL_CARD = "goal_card", _("Goal plan card (5+X)")
    PLEDGE = "pledge", _("Pledge form (3+X)")


class Checkpoint(models.TextChoices):
    """When the items of a card are checked: each quarter, or once at the end of the year."""

    Q1 = "q1", _("Quarter 1")
    Q2 = "q2", _("Quarter 2")
    Q3 = "q3", _("Quarter 3")
    Q4 = "q4", _("Quarter 4")
    YEAR_END = "year_end", _("Year end")


QUARTER_CHECKPOINTS = (Checkpoint.Q1, Checkpoint.Q2, Checkpoint.Q3, Checkpoint.Q4)


def checkpoint_opens(checkpoint: str, year: int) -> datetime.date:
    """The first day a member may check their items at the checkpoint."""
    if checkpoint == Checkpoint.YEAR_END:
        return datetime.date(year, 12, 1)
    number = QUARTER_CHECKPOINTS.index(checkpoint) + 1
    return datetime.date(year, 3 * number - 2, 1)


class CheckResult(models.TextChoices):
    DONE = "done", _("Done")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_DONE = "not_done", _("Not done")


@dataclass(frozen=True)
class SectionSpec:
    key: str
    label: str | Promise
    help_text: str | Promise = ""
    # X tasks are written by the branch; every other section by the member.
    by_branch: bool = False


@dataclass(frozen=True)
class CardTemplate:
    kind: str
    title: str | Promise
    sections: tuple[SectionSpec, ...]
    checkpoints: tuple[str, ...]
    results: tuple[str, ...]
    has_role_aimed: bool = False
    # What the pages call one card of the kind: 争优卡, 承诺表.
    noun: str | Promise = ""

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def member_sections(self) -> tuple[SectionSpec, ...]:
        return tuple(s for s in self.sections if not s.by_branch)

    @property
    def branch_sections(self) -> tuple[SectionSpec, ...]:
        return tuple(s for s in self.sections if s.by_branch)


TASKS = SectionSpec(
    "tasks",
    _("X. Tasks assigned by the branch"),
    _("Ad-hoc tasks the branch gives the member during the year."),
    by_branch=True,
)

GOAL_CARD = CardTemplate(
    kind=CardKind.GOAL_CARD,
    title=_("Goal plan card"),
    sections=(
        SectionSpec("goals", _("1. This year's work goals"), _("What you will achieve at your post this year.")),
        SectionSpec("measures", _("2. Excellence measures"), _("How you will reach the goals and stand out.")),
        SectionSpec("commitments", _("3. Commitments"), _("What you promise the branch and the people around you.")),
        SectionSpec("study", _("4. Study plan"), _("What you will study, and when.")),
        SectionSpec(
            "masses", _("5. Contact with the masses"), _("Who you will keep in touch with, and how you will help.")
        ),
        TASKS,
    ),
    checkpoints=QUARTER_CHECKPOINTS,
    results=(CheckResult.DONE, CheckResult.IN_PROGRESS, CheckResult.NOT_DONE),
    noun=_("goal card"),
)

PLEDGE = CardTemplate(
    kind=CardKind.PLEDGE,
    title=_("Pledge form"),
    sections=(
        SectionSpec("goals", _("1. Annual work goals")),
        SectionSpec("measures", _("2. Excellence measures")),
        SectionSpec("commitments", _("3. Commitments")),
        TASKS,
    ),
    checkpoints=(Checkpoint.YEAR_END,),
    results=(CheckResult.DONE, CheckResult.NOT_DONE),
    has_role_aimed=True,
    noun=_("pledge form"),
)

CARD_TEMPLATES: dict[str, CardTemplate] = {GOAL_CARD.kind: GOAL_CARD, PLEDGE.kind: PLEDGE}


class Card(models.Model):
    """One member's card of one kind for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the branch")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    class RoleAimed(models.TextChoices):
        TECHNICAL = "technical", _("Technical backbone")
        MANAGEMENT = "management", _("Management backbone")
        INNOVATION = "innovation", _("Innovation backbone")

    kind = models.CharField(_("kind"), max_length=16, choices=CardKind.choices)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="cards", verbose_name=_("member"))
    year = models.PositiveSmallIntegerField(_("year"))
    # Where the member stood when the card was started: the card stays with that
    # branch and group for the year, like the quarterly report.
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="cards", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("Party group"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    role_aimed = models.CharField(_("role aimed at"), max_length=12, choices=RoleAimed.choices, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "member__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "member", "year"], name="card_once_per_member_kind_year"),
        ]
        indexes = [
            models.Index(fields=["kind", "year", "branch", "status"], name="card_branch_year_idx"),
            models.Index(fields=["kind", "year", "group", "status"], name="card_group_year_idx"),
        ]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self) -> str:
        return f"{self.member.name} {self.year} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:card_detail", kwargs={"pk": self.pk})

    @property
    def template(self) -> CardTemplate:
        return CARD_TEMPLATES[self.kind]


class CardItem(models.Model):
    """One line of a card section: a goal, a measure, a commitment… or an X task."""

    # db_index=False here and below: the composite index or unique constraint that starts
    # with the same column serves every lookup, and the demo bulk-loads millions of rows.
    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="items", db_index=False, verbose_name=_("card")
    )
    # A section key of the card's template (validated by the services, see the module doc).
    section = models.CharField(_("section"), max_length=16)
    text = models.TextField(_("item"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["card", "section", "position"], name="carditem_card_section_idx")]
        verbose_name = _("card item")
        verbose_name_plural = _("card items")

    def __str__(self) -> str:
        return self.text[:40]


class SelfCheck(models.Model):
    """The member's check of every item at one checkpoint, reported to the branch."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        REPORTED = "reported", _("Reported, waiting for review")
        RETURNED = "returned", _("Returned for correction")
        ACKNOWLEDGED = "acknowledged", _("Reviewed by the branch")

    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="checks", db_index=False, verbose_name=_("card")
    )
    checkpoint = models.CharField(_("checkpoint"), max_length=8, choices=Checkpoint.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["card", "checkpoint"]
        constraints = [models.UniqueConstraint(fields=["card", "checkpoint"], name="card_check_once_per_checkpoint")]
        indexes = [models.Index(fields=["checkpoint", "status"], name="selfcheck_checkpoint_idx")]
        verbose_name = _("card self-check")
        verbose_name_plural = _("card self-checks")

    def __str__(self) -> str:
        return f"{self.card} · {self.get_checkpoint_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:card_check", kwargs={"pk": self.card_id, "checkpoint": self.checkpoint})


class SelfCheckEntry(models.Model):
    """How far one item got at one checkpoint, with the member's note."""

    self_check = models.ForeignKey(
        SelfCheck, on_delete=models.CASCADE, related_name="entries", db_index=False, verbose_name=_("card self-check")
    )
    # PROTECT: an item the member has already reported on cannot disappear from the card.
    item = models.ForeignKey(CardItem, on_delete=models.PROTECT, related_name="entries", verbose_name=_("card item"))
    result = models.CharField(_("result"), max_length=12, choices=CheckResult.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["self_check", "item"], name="card_check_entry_once_per_item")]
        verbose_name = _("self-check entry")
        verbose_name_plural = _("self-check entries")

    def __str__(self) -> str:
        return str(self.item)


class CardLog(models.Model):
    """One move of a card or of one of its checks: who, when, from, to, why.

    Branch edits that do not move the card (an X task assigned or withdrawn) are
    logged too, with the same state on both sides.
    """

    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="logs", db_index=False, verbose_name=_("card")
    )
    self_check = models.ForeignKey(
        SelfCheck,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="logs",
        verbose_name=_("card self-check"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(max_length=16, verbose_name=_("action"))
    # Card states for card moves, check states for check moves.
    from_status = models.CharField(max_length=12, verbose_name=_("from status"))
    to_status = models.CharField(max_length=12, verbose_name=_("to status"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    # A default rather than auto_now_add, so that bulk-loaded history (the demo) keeps its times.
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("time"))

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["card", "created_at"], name="cardlog_card_idx")]
        verbose_name = _("card log")
        verbose_name_plural = _("card logs")

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label}"

    def _label(self, status: str) -> str:
        choices = SelfCheck.Status if self.self_check_id else Card.Status
        return str(dict(choices.choices).get(status, status))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
