"""Pioneer posts (先锋示范岗) and the "four bests" campaign (四个最).

The branch committee designates a member's post as a safety, management or
efficiency pioneer post for a period, and records the four-bests recognitions
it gives. Both keep the branch and group the member stood in when the record was
made: a pioneer post is the branch's, and stays in the branch's list of past
pioneer posts even if the member moves on.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, Member, PartyGroup
from partybuild.lib.quarters import Quarter


class PioneerPost(models.Model):
    """A member's post designated as a pioneer post (先锋示范岗) from ``starts_on`` to ``ends_on``."""

    class Kind(models.TextChoices):
        SAFETY = "safety", _("Safety pioneer post")
        MANAGEMENT = "management", _("Management pioneer post")
        EFFICIENCY = "efficiency", _("Efficiency pioneer post")

    class State(models.TextChoices):
        """Worked out from the dates, never stored."""

        UPCOMING = "upcoming", pgettext_lazy("pioneer post", "Not yet started")
        CURRENT = "current", pgettext_lazy("pioneer post", "Current")
        ENDED = "ended", pgettext_lazy("pioneer post", "Ended")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pioneer_posts", verbose_name=_("member"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="pioneer_posts", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pioneer_posts",
        verbose_name=_("Party group"),
    )
    kind = models.CharField(_("kind of pioneer post"), max_length=12, choices=Kind.choices)
    post_name = models.CharField(_("post"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    standards = models.TextField(
        _("standards and commitments"),
        blank=True,
        help_text=_(
            "What the post holder undertakes: the strictest rules, the best standards, the most responsibility."
        ),
    )
    # Set when the committee ends the designation early: ``ends_on`` then holds the
    # day it ended and this the end first planned.
    planned_ends_on = models.DateField(_("planned end"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("designated by"),
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="pioneerpost_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "ends_on"], name="pioneerpost_branch_idx"),
            models.Index(fields=["member", "kind", "starts_on"], name="pioneerpost_member_idx"),
            models.Index(fields=["group", "ends_on"], name="pioneerpost_group_idx"),
        ]
        verbose_name = _("pioneer post")
        verbose_name_plural = _("pioneer posts")

    def __str__(self) -> str:
        return f"{self.post_name}（{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("activities:post_detail", kwargs={"pk": self.pk})

    def state_on(self, day: datetime.date) -> str:
        if day < self.starts_on:
            return self.State.UPCOMING
        if day > self.ends_on:
            return self.State.ENDED
        return self.State.CURRENT

    @property
    def ended_early(self) -> bool:
        return self.planned_ends_on is not None


class Recognition(models.Model):
    """One of the "four bests" (四个最) given to a member for a quarter or a year."""

    class Best(models.TextChoices):
        RECORDS = "records", _("My records are the most accurate")
        OPERATION = "operation", _("My operation is the most standard")
        CONDUCT = "conduct", _("My conduct is the most solid")
        RESULTS = "results", _("My results are the best")

    WHOLE_YEAR = 0
    QUARTER_CHOICES = [
        (WHOLE_YEAR, _("The whole year")),
        (1, _("Quarter 1")),
        (2, _("Quarter 2")),
        (3, _("Quarter 3")),
        (4, _("Quarter 4")),
    ]

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("member"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("Party group"),
    )
    best = models.CharField(_("recognition"), max_length=12, choices=Best.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # 0 for a recognition of the whole year, 1–4 for a quarter's.
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTER_CHOICES, default=WHOLE_YEAR)
    awarded_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, help_text=_("What the member did to earn it."))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "best", "year", "quarter"],
                name="recognition_once_per_period",
                violation_error_message=_("The member already has this recognition for this period."),
            ),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="recognition_quarter_range"),
        ]
        indexes = [
            models.Index(fields=["branch", "year", "quarter"], name="recognition_branch_idx"),
            models.Index(fields=["group", "year"], name="recognition_group_idx"),
        ]
        verbose_name = _("four-bests recognition")
        verbose_name_plural = _("four-bests recognitions")

    def __str__(self) -> str:
        return f"{self.member.name} {self.period_label} {self.get_best_display()}"

    @property
    def period_label(self) -> str:
        if self.quarter == self.WHOLE_YEAR:
            return str(_("%(year)d (whole year)") % {"year": self.year})
        return Quarter(self.year, self.quarter).label()
