"""建议说明表: a member reports a situation met at the post, a real problem and a
suggestion; the branch acknowledges, replies and closes it, or passes it up to the
company. Every move and every reply is one ``SuggestionEntry``: the thread both
sides read is the suggestion's log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, Member, PartyGroup


class Suggestion(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("suggestion", "Submitted")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("suggestion", "Acknowledged")
        ESCALATED = "escalated", pgettext_lazy("suggestion", "Passed up to the company")
        CLOSED = "closed", pgettext_lazy("suggestion", "Closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("suggestion", "Withdrawn")

    OPEN_STATES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.ESCALATED)

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("member"))
    # Where the member stood when writing: the suggestion stays with that branch
    # and group even if the member moves later.
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("Party group"),
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    title = models.CharField(_("subject"), max_length=120)
    situation = models.TextField(_("situation met at the post"))
    problem = models.TextField(_("real problem"))
    suggestion = models.TextField(_("suggestion"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    # The quarter it was written in (like 2026Q2): the year/quarter filters and
    # the member's yearly count read it without date arithmetic in SQL.
    quarter = models.CharField(_("quarter"), max_length=6)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("passed up at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["branch", "status", "created_at"], name="suggestion_branch_idx"),
            models.Index(fields=["status", "created_at"], name="suggestion_status_idx"),
            models.Index(fields=["member", "quarter"], name="suggestion_member_idx"),
            models.Index(fields=["group", "status"], name="suggestion_group_idx"),
        ]
        verbose_name = _("suggestion form")
        verbose_name_plural = _("suggestion forms")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:suggestion_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES


class SuggestionEntry(models.Model):
    """One line of a suggestion's thread: a move, a reply or a note, with who and when."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="entries", verbose_name=_("suggestion")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(
        max_length=12, choices=Suggestion.Status.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=12, choices=Suggestion.Status.choices, verbose_name=_("to status"))
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("suggestion thread entry")
        verbose_name_plural = _("suggestion thread entries")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def changed_state(self) -> bool:
        return self.from_status != self.to_status
