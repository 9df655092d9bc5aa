"""主题党日: themed Party days of three kinds.

- open (开放式): a visit to a benchmark team, the front line or a sister unit;
- interactive (互动式): members report their thinking and work, heart-to-heart
  talks, the old, middle-aged and young tell their stories;
- experiential (体验式): a member takes a role for a day (cadre, safety officer,
  skills expert).

The branch committee plans the day, lists the participants, takes attendance and
records what happened; each participant writes their own reflection.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, Member


class PartyDay(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open (visits)")
        INTERACTIVE = "interactive", _("Interactive (reports, talks, stories)")
        EXPERIENTIAL = "experiential", _("Experiential (a role for a day)")

    class Destination(models.TextChoices):
        BENCHMARK = "benchmark", _("A benchmark team")
        FRONT_LINE = "front_line", _("The production front line")
        SISTER_UNIT = "sister_unit", _("A sister unit")

    class Role(models.TextChoices):
        CADRE = "cadre", _("Cadre for a day")
        SAFETY = "safety", _("Safety officer for a day")
        SKILLS = "skills", _("Skills expert for a day")
        OTHER = "other", _("Another role")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("party day", "Planned")
        HELD = "held", pgettext_lazy("party day", "Held")
        CANCELLED = "cancelled", pgettext_lazy("party day", "Cancelled")

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="party_days", verbose_name=_("branch"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    theme = models.CharField(_("theme"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    # Open days: where the members go.
    destination_kind = models.CharField(
        _("kind of destination"), max_length=16, choices=Destination.choices, blank=True
    )
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    # Experiential days: the roles members take (Role values).
    planned_roles = models.JSONField(_("roles to take"), default=list, blank=True)
    plan = models.TextField(_("programme"), blank=True)
    summary = models.TextField(_("summary of the day"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)
    # 三会一课: a themed Party day held with a group meeting (or an assembly, a lecture) counts for
    # that requirement too, where its rule allows it (study.MeetingRule.may_combine).
    counts_for = models.ManyToManyField(
        "study.MeetingRule",
        blank=True,
        related_name="+",
        verbose_name=_("counts as"),
        help_text=_("The required meetings this day was also held as, where the rules allow it."),
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["branch", "held_on"], name="partyday_branch_date_idx"),
            models.Index(fields=["status", "held_on"], name="partyday_status_idx"),
        ]
        verbose_name = _("themed Party day")
        verbose_name_plural = _("themed Party days")

    def __str__(self) -> str:
        # A day being added (the admin's add page) has no date yet.
        return f"{self.held_on:%Y-%m-%d} {self.theme}" if self.held_on else self.theme

    def get_absolute_url(self) -> str:
        return reverse("activities:partyday_detail", kwargs={"pk": self.pk})

    def planned_role_labels(self) -> list[str]:
        labels = dict(self.Role.choices)
        return [str(labels.get(code, code)) for code in self.planned_roles]


class PartyDayParticipant(models.Model):
    class Attendance(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    party_day = models.ForeignKey(
        PartyDay, on_delete=models.CASCADE, related_name="participants", verbose_name=_("Party day")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="party_day_participations", verbose_name=_("member")
    )
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices, blank=True)
    absence_reason = models.CharField(_("reason"), max_length=200, blank=True)
    role = models.CharField(_("role taken"), max_length=8, choices=PartyDay.Role.choices, blank=True)
    role_detail = models.CharField(_("role in detail"), max_length=100, blank=True)
    reflection = models.TextField(_("reflection"), blank=True)
    reflection_at = models.DateTimeField(_("reflection written at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["member__employee_no"]
        constraints = [models.UniqueConstraint(fields=["party_day", "member"], name="partyday_participant_once")]
        indexes = [models.Index(fields=["member", "attendance"], name="partyday_participant_idx")]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.member.name} · {self.party_day.theme}"


class PartyDayContribution(models.Model):
    """What a member said or did during an interactive day: a report of their
    thinking or work, a heart-to-heart talk, or their story."""

    class Kind(models.TextChoices):
        THINKING_REPORT = "thinking", _("Report of thinking")
        WORK_REPORT = "work", _("Report of work")
        HEART_TALK = "talk", _("Heart-to-heart talk")
        STORY = "story", _("Growth story")

    class Generation(models.TextChoices):
        OLD = "old", _("Senior member")
        MIDDLE = "middle", _("Middle-aged member")
        YOUNG = "young", _("Young member")

    party_day = models.ForeignKey(
        PartyDay, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("Party day")
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    generation = models.CharField(_("generation"), max_length=8, choices=Generation.choices, blank=True)
    talked_with = models.CharField(_("talked with"), max_length=100, blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report or talk")
        verbose_name_plural = _("reports and talks")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()}"


def photo_path(instance: "PartyDayPhoto", filename: str) -> str:
    """A random name under the day's folder: the name a user gave never reaches the disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"partydays/{instance.party_day_id}/{uuid.uuid4().hex}{suffix}"


class PartyDayPhoto(models.Model):
    """A photo of the day. The file lives under MEDIA_ROOT but is only ever served
    through a view that applies the scope rule, never from a public media URL."""

    party_day = models.ForeignKey(
        PartyDay, on_delete=models.CASCADE, related_name="photos", verbose_name=_("Party day")
    )
    image = models.ImageField(_("photo"), upload_to=photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, verbose_name=_("width (pixels)"))
    height = models.PositiveIntegerField(default=0, verbose_name=_("height (pixels)"))
    content_type = models.CharField(max_length=32, verbose_name=_("file type"))
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name.rsplit("/", 1)[-1]


class PartyDayLog(models.Model):
    """One state change of a Party day (planned, held, cancelled): who, when, why."""

    party_day = models.ForeignKey(PartyDay, on_delete=models.CASCADE, related_name="log", verbose_name=_("Party day"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(max_length=16, verbose_name=_("action"))
    from_status = models.CharField(
        max_length=12, choices=PartyDay.Status.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=12, choices=PartyDay.Status.choices, verbose_name=_("to status"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Party day log")
        verbose_name_plural = _("Party day logs")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
