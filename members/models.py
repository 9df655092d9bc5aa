"""The organisation and its roster: branches, Party groups, members, masses raters.

Roles are not stored as flags on the account: they follow from the roster
(a member's committee role, a group's leader, a masses rater's record) and from
``User.is_staff`` for the company administrators. One person may hold several.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A login. Members and masses raters link to one; administrators are staff."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Branch(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("There is already a branch of this name.")},
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Party branch")
        verbose_name_plural = _("Party branches")

    def __str__(self) -> str:
        return self.name


class PartyGroup(models.Model):
    """A Party group inside a branch; by default it is also the work team (小队)."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="groups", verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        "Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
        verbose_name=_("group leader"),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["branch__sort_order", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "name"],
                name="partygroup_unique_name_in_branch",
                violation_error_message=_("The branch already has a Party group of this name."),
            ),
        ]
        verbose_name = _("Party group")
        verbose_name_plural = _("Party groups")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.leader_id and self.branch_id and self.leader.branch_id != self.branch_id:
            raise ValidationError({"leader": _("The group leader must be a member of the same branch.")})


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class PartyStatus(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    class CommitteeRole(models.TextChoices):
        NONE = "", _("None")
        SECRETARY = "secretary", _("Branch secretary")
        COMMITTEE = "committee", _("Committee member")

    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("login account"),
    )
    employee_no = models.CharField(
        _("employee number"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("Another member has this employee number.")},
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    party_status = models.CharField(
        _("Party status"), max_length=16, choices=PartyStatus.choices, default=PartyStatus.FULL
    )
    joined_on = models.DateField(_("joined the Party on"))
    full_on = models.DateField(_("made full member on"), null=True, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="members", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Party group"),
    )
    committee_role = models.CharField(
        _("branch committee role"),
        max_length=16,
        choices=CommitteeRole.choices,
        default=CommitteeRole.NONE,
        blank=True,
    )
    is_active = models.BooleanField(_("on the roll"), default=True)
    # Optimistic locking: every edit form carries the version it was read at,
    # so a concurrent edit is refused instead of silently overwritten.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["employee_no"]
        indexes = [
            models.Index(fields=["branch", "group"], name="member_branch_group_idx"),
            models.Index(Lower("name"), name="member_name_idx"),
        ]
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.group_id and self.branch_id and self.group.branch_id != self.branch_id:
            errors["group"] = _("The Party group does not belong to the member's branch.")
        if self.party_status == self.PartyStatus.PROBATIONARY and self.full_on:
            errors["full_on"] = _("A probationary member has no date of becoming a full member.")
        if date_errors := self._date_range_errors():
            errors |= date_errors  # a date out of range is not compared with the others
        else:
            if self.full_on and self.joined_on and self.full_on < self.joined_on:
                errors["full_on"] = _("The date of becoming a full member cannot be before joining the Party.")
            if self.birth_date and self.joined_on and self.birth_date >= self.joined_on:
                errors["birth_date"] = _("The birth date must be before joining the Party.")
        if errors:
            raise ValidationError(errors)

    # The first year of each date: nobody joined before the Party was founded (1921).
    DATE_FIRST_YEARS = {"birth_date": 1900, "joined_on": 1921, "full_on": 1921}

    def _date_range_errors(self) -> dict[str, str]:
        """No date in the future, and none before its first year."""
        today = timezone.localdate()
        errors = {}
        for name, first in self.DATE_FIRST_YEARS.items():
            day = getattr(self, name)
            if day is None:
                continue
            if day > today:
                errors[name] = _("The date cannot be in the future.")
            elif day.year < first:
                errors[name] = _("The date cannot be before %(year)d.") % {"year": first}
        return errors

    @property
    def is_probationary(self) -> bool:
        return self.party_status == self.PartyStatus.PROBATIONARY


class MassesRater(models.Model):
    """A non-member employee who rates the members they work with, nothing else."""

    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="masses_rater",
        verbose_name=_("login account"),
    )
    employee_no = models.CharField(
        _("employee number"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("Another masses rater has this employee number.")},
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="masses_raters", verbose_name=_("branch"))
    ratees = models.ManyToManyField(Member, related_name="masses_raters", blank=True, verbose_name=_("members rated"))
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[ratees])

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("masses rater")
        verbose_name_plural = _("masses raters")

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"

    def get_absolute_url(self) -> str:
        return reverse("members:masses_edit", args=[self.pk])

    def clean_ratees(self, ratee_ids) -> None:
        """The members the rater may be linked to: those on the roll of the rater's branch
        (a link made while a member was on the roll may stay). Every door checks this: the
        app's form (through the service) and the Django admin."""
        ids = set(ratee_ids)
        linked = set(self.ratees.values_list("pk", flat=True)) if self.pk else set()
        allowed = Member.objects.filter(pk__in=ids, branch_id=self.branch_id).filter(
            models.Q(is_active=True) | models.Q(pk__in=linked)
        )
        if ids - set(allowed.values_list("pk", flat=True)):
            raise ValidationError({"ratees": _("A masses rater rates only members on the roll of their own branch.")})

    def clean(self) -> None:
        # A masses rater is an employee who is no Party member: a login of a member would
        # give one person both roles (and the rater's record would be ignored, see roles).
        if self.user_id and Member.objects.filter(user_id=self.user_id).exists():
            raise ValidationError(
                {"user": _("This login belongs to a Party member; a masses rater needs a login of their own.")}
            )
