"""异议: a member's written objection to their own published result, and its ruling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Branch, Member

from .rating import Period, Result


class Objection(models.Model):
    """One member's objection to their result in a period's publicity window (one a
    member and period), ruled on by the branch committee with a written reason.

    An upheld ruling says what it changed (the organisation rating corrected, ratings
    withdrawn as invalid) and the result before and after; it never names a rater."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting ruling")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="objections", verbose_name=_("assessment period")
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="objections", verbose_name=_("member"))
    # The member's branch when they objected: the committee that rules on it.
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch"))
    reason = models.TextField(_("reason for the objection"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    # The result the member objected to, and what the ruling left.
    total_before = models.DecimalField(_("total before"), max_digits=5, decimal_places=2)
    flag_before = models.CharField(_("flag before"), max_length=8, choices=Result.Flag.choices)
    total_after = models.DecimalField(_("total after"), max_digits=5, decimal_places=2, null=True, blank=True)
    flag_after = models.CharField(_("flag after"), max_length=8, choices=Result.Flag.choices, blank=True)
    ruling = models.TextField(_("reason for the ruling"), blank=True)
    org_corrected = models.BooleanField(_("organisation rating corrected"), default=False)
    ratings_withdrawn = models.PositiveSmallIntegerField(_("ratings withdrawn as invalid"), default=0)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ruled by"),
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "member"],
                name="one_objection_per_member_and_period",
                violation_error_message=_("You have already filed an objection to this result."),
            ),
            models.CheckConstraint(condition=Q(state="open") | ~Q(ruling=""), name="objection_ruling_has_reason"),
        ]
        indexes = [models.Index(fields=["period", "branch", "state"], name="objection_branch_state_idx")]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.member} · {self.period}"

    @property
    def is_open(self) -> bool:
        return self.state == Objection.State.OPEN
