"""Platform 1 — Party-spirit training: study sessions and attendance, quarterly
Party-spirit reports and their review, individual talks, criticism meetings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, Member, PartyGroup
from partybuild.lib.quarters import quarter_label

# ---------------------------------------------------------------------------
# Study sessions


class StudySession(models.Model):
    """One study meeting with its four rigid constraints: time, content, people, requirements."""

    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("Member assembly (collective study)")
        GROUP_MEETING = "group", _("Party group meeting (study in groups)")
        LECTURE = "lecture", _("Special Party lecture (focused study)")
        COMMITTEE = "committee", _("Branch committee meeting")
        RESTUDY = "restudy", _("Remedial re-study")

    class ContentTag(models.TextChoices):
        PRESCRIBED = "prescribed", _("Prescribed content")
        HIGHER = "higher", _("Required by higher levels")
        CONSTITUTION = "constitution", _("Party Constitution")

    class Audience(models.TextChoices):
        BRANCH = "branch", _("The whole branch")
        GROUP = "group", _("One Party group")
        COMMITTEE = "committee", _("The branch committee")
        ASSIGNED = "assigned", _("Assigned members only")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="study_sessions", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("topic"), max_length=200)
    content_tag = models.CharField(_("content type"), max_length=16, choices=ContentTag.choices)
    content = models.TextField(_("content"), help_text=_("What is studied: documents, speeches, chapters."))
    requirements = models.TextField(
        _("requirements"), blank=True, help_text=_("What members must do: read beforehand, take notes, speak…")
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=90)
    location = models.CharField(_("place"), max_length=200, blank=True)
    audience = models.CharField(_("who must attend"), max_length=16, choices=Audience.choices, default=Audience.BRANCH)
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="study_sessions",
        verbose_name=_("Party group"),
    )
    assigned_members = models.ManyToManyField(
        Member, blank=True, related_name="assigned_sessions", verbose_name=_("members assigned")
    )
    # 三会一课: the other requirements the meeting also meets where the rules let one meeting count
    # for several (a Party lecture given at the member assembly); see MeetingRule.
    also_counts_for = models.ManyToManyField(
        "MeetingRule",
        blank=True,
        related_name="+",
        verbose_name=_("also counts as"),
        help_text=_("Where the rules allow it, one meeting counts for several requirements."),
    )
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)
    # Empty once the person who planned it is deleted; the session can still be edited.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Raised by every save of the plan or the attendance list: a page read at an older
    # version is refused instead of silently undoing the save in between.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["branch", "starts_at"], name="session_branch_start_idx")]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")

    def __str__(self) -> str:
        # A session being added (the admin's add page) has no time yet.
        return f"{self.starts_at:%Y-%m-%d} {self.title}" if self.starts_at else self.title

    def get_absolute_url(self) -> str:
        return reverse("study:session_detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        # Requirements are one of the four rigid constraints (time, content, people,
        # requirements): a session is not planned without them, whichever door it comes in
        # by. A field rule (not clean()), so that a form which refused the field already
        # does not say it twice.
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "requirements" not in (exclude or ()) and not (self.requirements or "").strip():
            errors.setdefault("requirements", []).append(
                ValidationError(_("Write the study requirements: what members must do before, at and after it."))
            )
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        """Who attends goes with the kind of meeting, whichever door the session comes in by
        (the pages' services, the Django admin): a group meeting is one group's, a committee
        meeting the committee's and only it is."""
        errors = {}
        if self.audience == self.Audience.GROUP:
            if self.group_id is None:
                errors["group"] = _("Choose the Party group that must attend.")
            elif self.branch_id is not None and self.group.branch_id != self.branch_id:
                errors["group"] = _("The Party group does not belong to the session's branch.")
        if self.kind == self.Kind.GROUP_MEETING and self.audience != self.Audience.GROUP:
            errors["audience"] = _("A Party group meeting is attended by one Party group.")
        committee_kind = self.kind == self.Kind.COMMITTEE
        if committee_kind and self.audience != self.Audience.COMMITTEE:
            errors["audience"] = _("A branch committee meeting is attended by the branch committee.")
        elif self.audience == self.Audience.COMMITTEE and not committee_kind:
            errors["audience"] = _("Only a branch committee meeting is attended by the branch committee alone.")
        if errors:
            raise ValidationError(errors)


MEETING_SHORT_LABELS = {
    StudySession.Kind.ASSEMBLY: pgettext_lazy("meeting", "Assembly"),
    StudySession.Kind.COMMITTEE: pgettext_lazy("meeting", "Committee"),
    StudySession.Kind.GROUP_MEETING: pgettext_lazy("meeting", "Group meeting"),
    StudySession.Kind.LECTURE: pgettext_lazy("meeting", "Party lecture"),
}


class MeetingRule(models.Model):
    """三会一课: how often a branch must hold one kind of meeting, set by the administrator.

    A meeting is held once its attendance is taken (a themed Party day once it is marked held);
    it counts for its own kind's rule and for each rule it is marked as also counting for, where
    that rule allows it (``may_combine``). A rule counted per Party group wants the number from
    every group of the branch; a meeting of the whole branch counts for every group.
    """

    class Every(models.TextChoices):
        MONTH = "month", _("Every month")
        QUARTER = "quarter", _("Every quarter")

    kind = models.CharField(
        _("meeting"),
        max_length=16,
        unique=True,
        choices=[(k.value, k.label) for k in StudySession.Kind if k != StudySession.Kind.RESTUDY],
        error_messages={"unique": _("There is already a requirement for this kind of meeting.")},
    )
    times = models.PositiveSmallIntegerField(
        _("times"), default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    every = models.CharField(_("every"), max_length=8, choices=Every.choices, default=Every.MONTH)
    per_group = models.BooleanField(_("counted per Party group"), default=False)
    may_combine = models.BooleanField(
        _("may be met together with another meeting"),
        default=False,
        help_text=_("Whether a meeting of another kind or a themed Party day may also count for this one."),
    )
    is_active = models.BooleanField(pgettext_lazy("meeting requirement", "in force"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")

    def __str__(self) -> str:
        return str(self.short_label)

    @property
    def short_label(self):
        """What the compliance tables call the meeting: 党员大会, 支委会, 党小组会, 党课."""
        return MEETING_SHORT_LABELS.get(self.kind, self.get_kind_display())

    @property
    def slots_in_year(self) -> int:
        return 12 if self.every == self.Every.MONTH else 4


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        StudySession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("study session")
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("member"))
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once_per_session")]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_idx")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


# ---------------------------------------------------------------------------
# Quarterly Party-spirit report


class QuarterlyReport(models.Model):
    """党性教育报告单 with its 党性分析评价表: one per member per quarter."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        WITH_GROUP = "with_group", _("With the group")
        WITH_BRANCH = "with_branch", _("With the branch")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    class Section(models.TextChoices):
        STUDIED = "studied", _("1. What I studied")
        INSIGHTS = "insights", _("2. What I took from it")
        ORG_LIFE = "org_life", _("3. Organisational life")
        ANALYSIS = "analysis", _("4. Party-spirit analysis")
        PROBLEMS = "problems", _("5. Problems and rectification")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        QUALIFIED = "qualified", _("Qualified")
        BASIC = "basic", _("Basically qualified")
        UNQUALIFIED = "unqualified", _("Unqualified")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reports", verbose_name=_("member"))
    quarter = models.CharField(_("quarter"), max_length=6)
    # Where the member stood when the report was started: the report stays with
    # that branch and group even if the member moves later.
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="reports", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("Party group"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    studied_notes = models.TextField(_("other study"), blank=True)
    insights = models.TextField(_("what I took from it"), blank=True)
    org_life_notes = models.TextField(_("organisational life"), blank=True)
    analysis = models.TextField(_("Party-spirit analysis"), blank=True)

    returned_sections = models.JSONField(_("sections to redo"), default=list, blank=True)
    group_opinion = models.TextField(_("group opinion"), blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    truly_studied = models.BooleanField(_("truly studied"), null=True)
    truly_checked = models.BooleanField(_("truly checked"), null=True)
    truly_rectified = models.BooleanField(_("truly rectified"), null=True)
    evaluation = models.TextField(_("branch evaluation"), blank=True)
    # What the automatic parts showed when the member (re)submitted: attendance figures, the
    # sessions attended, the member's particulars. A submitted or approved report shows these,
    # so attendance recorded later shows only in the next quarter's report
    # (study.selectors.reports.report_figures reads it).
    submitted_figures = models.JSONField(_("figures as submitted"), null=True, blank=True, editable=False)

    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-quarter", "member__employee_no"]
        constraints = [models.UniqueConstraint(fields=["member", "quarter"], name="report_once_per_quarter")]
        indexes = [
            models.Index(fields=["branch", "quarter", "status"], name="report_branch_quarter_idx"),
            models.Index(fields=["group", "status"], name="report_group_status_idx"),
        ]
        verbose_name = _("quarterly Party-spirit report")
        verbose_name_plural = _("quarterly Party-spirit reports")

    def __str__(self) -> str:
        return f"{self.member.name} {quarter_label(self.quarter)}"

    def get_absolute_url(self) -> str:
        return reverse("study:report_detail", args=[self.pk])

    def section_open(self, section: str) -> bool:
        """Whether the member may edit the section now."""
        if self.status == self.Status.DRAFT:
            return True
        return self.status == self.Status.RETURNED and section in self.returned_sections


class ReportProblem(models.Model):
    """A problem found, its cause, the rectification measure and how far it got."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    report = models.ForeignKey(
        QuarterlyReport,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("quarterly Party-spirit report"),
    )
    problem = models.TextField(_("problem found"))
    cause = models.TextField(_("cause"), blank=True)
    measure = models.TextField(_("rectification measure"), blank=True)
    status = models.CharField(_("completion"), max_length=12, choices=Status.choices, default=Status.OPEN)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("carried over from")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("problem and rectification")
        verbose_name_plural = _("problems and rectification")

    def __str__(self) -> str:
        return Truncator(self.problem).chars(40)


class ReportTransition(models.Model):
    """One move of a report through its workflow: who, when, from, to, why."""

    report = models.ForeignKey(
        QuarterlyReport,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("quarterly Party-spirit report"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(max_length=16, verbose_name=_("action"))
    from_status = models.CharField(max_length=12, choices=QuarterlyReport.Status.choices, verbose_name=_("from status"))
    to_status = models.CharField(max_length=12, choices=QuarterlyReport.Status.choices, verbose_name=_("to status"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    sections = models.JSONField(default=list, blank=True, verbose_name=_("sections to redo"))
    restudy_session = models.ForeignKey(
        StudySession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-study session"),
    )
    talk = models.ForeignKey(
        "Talk", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("talk")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


# ---------------------------------------------------------------------------
# Individual talks


class Talk(models.Model):
    """个别谈话: a talk with a member, open until it is recorded."""

    class Source(models.TextChoices):
        REPORT_RETURN = "report_return", _("Returned report")
        ASSESSMENT = "assessment", _("Assessment result")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("talk", "Open")
        RECORDED = "recorded", pgettext_lazy("talk", "Recorded")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="talks", verbose_name=_("member"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="talks", verbose_name=_("branch"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    report = models.ForeignKey(
        QuarterlyReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("quarterly Party-spirit report"),
    )
    # What the talk follows up, such as "assessment:2026": the same subject never
    # opens a second talk for the member, however often it is published.
    subject = models.CharField(max_length=40, blank=True, default="", verbose_name=_("talk subject"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    talked_on = models.DateField(_("date of the talk"), null=True, blank=True)
    talked_by = models.CharField(_("who talked"), max_length=100, blank=True)
    problems = models.TextField(_("problems pointed out"), blank=True)
    response = models.TextField(_("member's response"), blank=True)
    plan = models.TextField(_("improvement plan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["branch", "status"], name="talk_branch_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "subject"], condition=~models.Q(subject=""), name="one_talk_per_member_and_subject"
            )
        ]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")

    def __str__(self) -> str:
        return f"{self.member.name} · {self.get_source_display()}"

    def get_absolute_url(self) -> str:
        return reverse("study:talk_detail", args=[self.pk])


# ---------------------------------------------------------------------------
# Criticism meetings


class CriticismMeeting(models.Model):
    class Kind(models.TextChoices):
        DEMOCRATIC_LIFE = "democratic", _("Democratic life meeting (leadership)")
        ORGANISATIONAL_LIFE = "organisational", _("Organisational life meeting (branch)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="criticism_meetings", verbose_name=_("branch")
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.TextField(_("theme"), blank=True)
    participants = models.ManyToManyField(Member, related_name="criticism_meetings", verbose_name=_("participants"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("criticism meeting")
        verbose_name_plural = _("criticism meetings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study:meeting_detail", args=[self.pk])


class SelfCriticism(models.Model):
    meeting = models.ForeignKey(
        CriticismMeeting, on_delete=models.CASCADE, related_name="self_criticisms", verbose_name=_("meeting")
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    content = models.TextField(_("self-criticism"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_self_criticism_per_member")]
        verbose_name = _("self-criticism")
        verbose_name_plural = _("self-criticisms")

    def __str__(self) -> str:
        return str(self.member)


class Criticism(models.Model):
    meeting = models.ForeignKey(
        CriticismMeeting, on_delete=models.CASCADE, related_name="criticisms", verbose_name=_("meeting")
    )
    from_member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("critic"))
    to_member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member criticised")
    )
    matter = models.TextField(_("the matter"))
    evidence = models.TextField(_("evidence"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("criticism")
        verbose_name_plural = _("criticisms")

    def __str__(self) -> str:
        return f"{self.from_member} → {self.to_member}"


class RectificationItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(
        CriticismMeeting, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("meeting")
    )
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("owner"))
    description = models.TextField(_("rectification item"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["owner", "status"], name="rectification_owner_idx"),
            models.Index(fields=["status", "deadline"], name="rectification_open_idx"),
        ]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self) -> str:
        return Truncator(self.description).chars(40)

    def get_absolute_url(self) -> str:
        return reverse("study:meeting_item_update", args=[self.meeting_id, self.pk])


class RectificationUpdate(models.Model):
    """Follow-up on a rectification item: what was done, and the status after it."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="updates", verbose_name=_("rectification item")
    )
    note = models.TextField(_("follow-up"))
    status = models.CharField(_("status"), max_length=12, choices=RectificationItem.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rectification follow-up")
        verbose_name_plural = _("rectification follow-ups")

    def __str__(self) -> str:
        return Truncator(self.note).chars(40)
