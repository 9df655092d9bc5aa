"""Warmth delivery (温暖传递, "1+2+3"): each member's responsibility area (责任区) with the
"three fixes, four guarantees" (三定四包) of their post, the contact points (联系点) —
the employees they look after — and the log of help given to them, by kind: the five
helps (五帮) and the three works (传帮带、送温暖、促和谐).

The responsibility area and the contact points belong to the member and follow
them; a help record keeps the branch and group the member stood in when it was
logged, like every other record of the activities app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Branch, Member, PartyGroup


class ResponsibilityArea(models.Model):
    """A member's responsibility area and the three fixes, four guarantees of their post."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="responsibility_area", verbose_name=_("member")
    )
    description = models.TextField(
        _("responsibility area"),
        help_text=_("The work area, equipment, team or task the member answers for."),
    )
    # 三定: 定岗位、定职责、定目标
    fixed_post = models.CharField(_("fixed post"), max_length=100, blank=True)
    fixed_duty = models.TextField(_("fixed duties"), blank=True)
    fixed_targets = models.TextField(_("fixed targets"), blank=True)
    # 四包: 包任务落实、包安全生产、包管理提升、包思想稳定 — what the member undertakes for each.
    guarantee_tasks = models.TextField(_("guarantee: tasks carried out"), blank=True)
    guarantee_safety = models.TextField(_("guarantee: safe production"), blank=True)
    guarantee_management = models.TextField(_("guarantee: better management"), blank=True)
    guarantee_stability = models.TextField(_("guarantee: stable morale"), blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("responsibility area")
        verbose_name_plural = _("responsibility areas")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def guarantees(self) -> list[tuple[str, str]]:
        """The four guarantees as (label, text), in the order the article gives them."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in ("guarantee_tasks", "guarantee_safety", "guarantee_management", "guarantee_stability")
        ]


class ContactPoint(models.Model):
    """An employee a member looks after (联系点): usually a non-member colleague."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("member looking after")
    )
    name = models.CharField(_("employee's name"), max_length=50)
    employee_no = models.CharField(_("employee number"), max_length=32, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What to keep in mind: family situation, worries, skills to build.")
    )
    # A contact point is not deleted once help was logged for it; it is retired.
    is_active = models.BooleanField(_("still looked after"), default=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_active", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "employee_no"],
                condition=~models.Q(employee_no=""),
                name="contactpoint_once_per_member",
                violation_error_message=_("The member already has a contact point with this employee number."),
            ),
        ]
        indexes = [models.Index(fields=["member", "is_active"], name="contactpoint_member_idx")]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）" if self.employee_no else self.name


class HelpRecord(models.Model):
    """Help a member gave, by kind, on a date, usually to one of their contact points."""

    class Kind(models.TextChoices):
        # 五帮
        THINKING = "thinking", _("Help with thinking")
        SKILLS = "skills", _("Help with skills")
        LIVING = "living", _("Help with daily life")
        MANAGEMENT = "management", _("Help with management")
        MIND = "mind", _("Help with peace of mind")
        # 三项工作
        MENTORING = "mentoring", _("Passing on skills (mentoring)")
        WARMTH = "warmth", _("Sending warmth")
        HARMONY = "harmony", _("Promoting harmony")

    FIVE_HELPS = (Kind.THINKING, Kind.SKILLS, Kind.LIVING, Kind.MANAGEMENT, Kind.MIND)
    THREE_WORKS = (Kind.MENTORING, Kind.WARMTH, Kind.HARMONY)

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="help_records", verbose_name=_("member"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="help_records", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_records",
        verbose_name=_("Party group"),
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="help_records",
        verbose_name=_("contact point"),
    )
    kind = models.CharField(_("kind of help"), max_length=12, choices=Kind.choices)
    helped_on = models.DateField(_("date"))
    content = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-helped_on", "-pk"]
        indexes = [
            models.Index(fields=["member", "helped_on"], name="helprecord_member_idx"),
            models.Index(fields=["branch", "helped_on"], name="helprecord_branch_idx"),
            models.Index(fields=["group", "helped_on"], name="helprecord_group_idx"),
        ]
        verbose_name = _("help record")
        verbose_name_plural = _("help records")

    def __str__(self) -> str:
        return f"{self.helped_on:%Y-%m-%d} {self.get_kind_display()}"
