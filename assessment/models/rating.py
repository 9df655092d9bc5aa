"""Quantified assessment: rubric, periods with rater-group weights, ratings, results."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, MassesRater, Member, PartyGroup


class Rubric(models.Model):
    """The scoring rules: areas and items with their maxima (7 areas, 18 items by default)."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, error_messages={"unique": _("There is already a rubric of this name.")}
    )
    description = models.TextField(_("description"), blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "name"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:rubric_detail", kwargs={"pk": self.pk})

    @property
    def is_frozen(self) -> bool:
        """A rubric in use by a period that has opened can no longer change."""
        return self.periods.exclude(state=Period.State.DRAFT).exists()


class RubricArea(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="areas", verbose_name=_("rubric"))
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("area"), max_length=50)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "code"],
                name="area_code_unique_in_rubric",
                violation_error_message=_("The rubric already has an area with this code."),
            )
        ]
        verbose_name = _("rubric area")
        verbose_name_plural = _("rubric areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items", verbose_name=_("rubric"))
    area = models.ForeignKey(RubricArea, on_delete=models.CASCADE, related_name="items", verbose_name=_("area"))
    code = models.CharField(_("code"), max_length=6)
    name = models.CharField(_("item"), max_length=100)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    max_score = models.DecimalField(_("maximum"), max_digits=4, decimal_places=1)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "code"],
                name="item_code_unique_in_rubric",
                violation_error_message=_("The rubric already has an item with this code."),
            ),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="item_max_positive"),
        ]
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.rubric_id and self.rubric.is_frozen:
            raise ValidationError(_("This rubric is in use by a period that has opened; copy it to make changes."))


class RaterGroup(models.TextChoices):
    SELF = "self", pgettext_lazy("rater group", "Self")
    PEER = "peer", pgettext_lazy("rater group", "Peers")
    MASSES = "masses", pgettext_lazy("rater group", "Masses")
    ORG = "org", pgettext_lazy("rater group", "Organisation")


# Peer and masses ratings are anonymous; self and organisation ratings are not.
ANONYMOUS_GROUPS = frozenset({RaterGroup.PEER, RaterGroup.MASSES})


MAX_PUBLICITY_DAYS = 30


class Period(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for rating")
        CLOSED = "closed", _("Closed")
        # Published into the publicity window (公示期): members see their results and may object.
        PUBLISHED = "published", _("In publicity")
        # The window has ended and every objection is ruled: locked for good.
        FINAL = "final", _("Final")

    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("Usually the year, e.g. 2026."),
        error_messages={"unique": _("There is already an assessment period with this code.")},
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="periods", verbose_name=_("rubric"))
    weight_self = models.DecimalField(_("weight: self"), max_digits=4, decimal_places=3, default=Decimal("0.1"))
    weight_peer = models.DecimalField(_("weight: peers"), max_digits=4, decimal_places=3, default=Decimal("0.3"))
    weight_masses = models.DecimalField(_("weight: masses"), max_digits=4, decimal_places=3, default=Decimal("0.2"))
    weight_org = models.DecimalField(_("weight: organisation"), max_digits=4, decimal_places=3, default=Decimal("0.4"))
    computed_at = models.DateTimeField(_("results computed at"), null=True, blank=True)
    # When the weights last changed: results computed before it are out of date.
    inputs_changed_at = models.DateTimeField(_("weights changed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity window (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PUBLICITY_DAYS)],
        help_text=_("How many working days members may object to their results once they are published."),
    )
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-code"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_dates_in_order"),
        ]
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The period's page (administrators); what members see of it are the results pages."""
        return reverse("assessment:period_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """The rules every door keeps (the app's forms, the services, the Django admin)."""
        from .. import scoring

        stored = Period.objects.filter(pk=self.pk).values("state", "rubric_id").first() if self.pk else None
        if stored and stored["state"] == Period.State.FINAL:
            raise ValidationError(_("The results of this period are final: it is locked for good."))
        if stored and stored["state"] == Period.State.PUBLISHED:
            raise ValidationError(_("The results of this period are published: it can no longer be changed."))
        if stored and stored["state"] != Period.State.DRAFT and stored["rubric_id"] != self.rubric_id:
            raise ValidationError({"rubric": _("The rubric cannot change once rating has opened.")})
        weights = self.weights
        if any(w is None for w in weights.values()):
            return  # each empty weight is reported on its own field
        if not scoring.weights_are_valid(weights):
            raise ValidationError(
                _(
                    "The four weights must add up to 1: self %(self)s + peers %(peer)s + masses %(masses)s"
                    " + organisation %(org)s = %(total)s."
                )
                % {**weights, "total": sum(weights.values(), Decimal(0))},
                code="weights",
            )

    @property
    def results_out_of_date(self) -> bool:
        """Results were computed, and the weights changed after that."""
        return bool(self.computed_at and self.inputs_changed_at and self.inputs_changed_at > self.computed_at)

    @property
    def results_readable(self) -> bool:
        """Results are read only once rating has closed (anonymous ratings no longer change)."""
        return self.state in (Period.State.CLOSED, Period.State.PUBLISHED, Period.State.FINAL)

    @property
    def is_published(self) -> bool:
        """Members see the results: in the publicity window or final."""
        return self.state in (Period.State.PUBLISHED, Period.State.FINAL)

    @property
    def is_final(self) -> bool:
        """Finalised: no rating, weight, rubric, result or objection changes, for anyone."""
        return self.state == Period.State.FINAL

    def objections_open_on(self, day) -> bool:
        """Whether a member may still file an objection on ``day`` (the window's last day included)."""
        return (
            self.state == Period.State.PUBLISHED
            and self.publicity_ends_on is not None
            and day <= self.publicity_ends_on
        )

    @property
    def weights(self) -> dict[str, Decimal]:
        return {
            RaterGroup.SELF: self.weight_self,
            RaterGroup.PEER: self.weight_peer,
            RaterGroup.MASSES: self.weight_masses,
            RaterGroup.ORG: self.weight_org,
        }


class AnonymityAwareHistory(HistoricalRecords):
    """History for ratings, never for an anonymous one: a history row says when a rating
    arrived and who saved it, which for a peer or masses rating is its rater."""

    def post_save(self, instance, created, using=None, **kwargs):
        if getattr(instance, "rater_group", None) in ANONYMOUS_GROUPS:
            return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if getattr(instance, "rater_group", None) in ANONYMOUS_GROUPS:
            return
        super().post_delete(instance, using=using, **kwargs)


class Rating(models.Model):
    """One rating of one member: item code -> score, with their total.

    Self and organisation ratings are named (the ratee, the branch committee) and
    audited. Peer and masses ratings are anonymous by design (docs/reliability.md):
    no rater column, no timestamps, no history. While rating is open an online one
    carries ``rater_key``, a keyed digest of its rater (assessment/anonymity.py) by
    which the rater finds and changes it; closing the period erases every key. A
    paper one carries the ballot number printed on the paper, which names nobody.
    """

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        LINK = "link", _("One-time link")
        PAPER = "paper", _("Paper ballot")

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment period")
    )
    ratee = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="ratings_received", verbose_name=_("ratee")
    )
    rater_group = models.CharField(max_length=8, choices=RaterGroup.choices, verbose_name=_("rater group"))
    rater_key = models.CharField(max_length=64, null=True, blank=True, editable=False, verbose_name=_("rater key"))
    ballot_no = models.CharField(_("ballot number"), max_length=32, null=True, blank=True)
    # Scores as strings ("8.5") so they come back exactly as entered.
    scores = models.JSONField(default=dict, verbose_name=_("scores"))
    total = models.DecimalField(max_digits=5, decimal_places=1, verbose_name=_("total"))
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB, verbose_name=_("source"))
    # Who typed a named or paper rating in; never set for an anonymous online rating.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    # Withdrawn as invalid by an upheld objection (assessment/services/objections.py): kept,
    # never counted. The objection's ruling records it.
    withdrawn = models.BooleanField(_("withdrawn as invalid"), default=False, db_default=False)

    history = AnonymityAwareHistory(excluded_fields=["rater_key"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "ratee", "rater_group", "rater_key"],
                condition=Q(rater_key__isnull=False),
                name="rating_once_per_rater",
            ),
            models.UniqueConstraint(
                fields=["period", "ratee", "rater_group", "ballot_no"],
                condition=Q(ballot_no__isnull=False),
                name="rating_once_per_ballot",
            ),
            models.UniqueConstraint(
                fields=["period", "ratee", "rater_group"],
                condition=Q(rater_group__in=["self", "org"]),
                name="rating_once_by_self_and_organisation",
            ),
            models.CheckConstraint(
                condition=(
                    Q(rater_group__in=["self", "org"], rater_key__isnull=True, ballot_no__isnull=True)
                    | (Q(rater_group__in=["peer", "masses"]) & (Q(rater_key__isnull=True) | Q(ballot_no__isnull=True)))
                ),
                name="rating_key_only_when_anonymous",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "ratee", "rater_group"], name="rating_period_ratee_idx"),
            models.Index(fields=["rater_key"], condition=Q(rater_key__isnull=False), name="rating_rater_key_idx"),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        # The ratee and the group only: a peer or masses rating names no rater.
        return f"{self.ratee} · {self.get_rater_group_display()}"


class PeriodKey(models.Model):
    """The secret of an open period's rater keys; deleted when rating closes, so that no
    rater key can be worked out again (assessment/anonymity.py). No history, no admin."""

    period = models.OneToOneField(
        Period, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("assessment period")
    )
    secret = models.CharField(max_length=64, verbose_name=_("secret key"))

    class Meta:
        verbose_name = _("period key")
        verbose_name_plural = _("period keys")

    def __str__(self) -> str:
        return str(self.period)


class RatingChannel(models.Model):
    """How a branch's peers or masses rate in a period: online (the default, when no row
    says otherwise) or on paper. One channel per group, so nobody is counted twice."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="channels", verbose_name=_("assessment period")
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+", verbose_name=_("branch"))
    rater_group = models.CharField(_("rater group"), max_length=8, choices=RaterGroup.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("set by")
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "branch", "rater_group"], name="one_channel_per_group"),
            models.CheckConstraint(condition=Q(rater_group__in=["peer", "masses"]), name="channel_for_anonymous"),
        ]
        verbose_name = _("rating channel")
        verbose_name_plural = _("rating channels")

    def __str__(self) -> str:
        return f"{self.branch} · {self.get_rater_group_display()} · {self.get_channel_display()}"


class MassesBallot(models.Model):
    """A masses rater's personal one-time link for a period.

    Whether it is used up is kept, never when: the moment a link was used is the
    moment its holder's ratings arrived."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("assessment period")
    )
    rater = models.ForeignKey(
        MassesRater, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("masses rater")
    )
    token = models.CharField(max_length=64, unique=True, verbose_name=_("link token"))
    code = models.CharField(_("ballot code"), max_length=12, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(auto_now_add=True, verbose_name=_("issued at"))
    used = models.BooleanField(_("used"), default=False)
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "rater"], name="one_ballot_per_rater_and_period")]
        verbose_name = _("masses ballot")
        verbose_name_plural = _("masses ballots")

    def __str__(self) -> str:
        return self.code


class Result(models.Model):
    """A member's computed result for a period (rebuilt whole by each computation)."""

    class Flag(models.TextChoices):
        RED = "red", _("Red flag")
        YELLOW = "yellow", _("Yellow flag")
        BLUE = "blue", _("Blue flag")
        GREY = "grey", _("Grey flag")

    # No index of its own: the unique (period, member) and the rank indexes lead with it.
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="results", db_index=False, verbose_name=_("assessment period")
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="results", verbose_name=_("member"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Party group")
    )
    score_self = models.DecimalField(max_digits=9, decimal_places=4, null=True, verbose_name=_("score: self"))
    score_peer = models.DecimalField(max_digits=9, decimal_places=4, null=True, verbose_name=_("score: peers"))
    score_masses = models.DecimalField(max_digits=9, decimal_places=4, null=True, verbose_name=_("score: masses"))
    score_org = models.DecimalField(max_digits=9, decimal_places=4, null=True, verbose_name=_("score: organisation"))
    count_self = models.PositiveIntegerField(default=0, verbose_name=_("ratings: self"))
    count_peer = models.PositiveIntegerField(default=0, verbose_name=_("ratings: peers"))
    count_masses = models.PositiveIntegerField(default=0, verbose_name=_("ratings: masses"))
    count_org = models.PositiveIntegerField(default=0, verbose_name=_("ratings: organisation"))
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    rank_branch = models.PositiveIntegerField(_("rank in branch"))
    rank_company = models.PositiveIntegerField(_("rank in company"))
    flag = models.CharField(_("flag"), max_length=8, choices=Flag.choices)
    # When this member's result last changed: a recomputation that gives the same
    # result leaves the row (and its history) alone.
    computed_at = models.DateTimeField(verbose_name=_("computed at"))

    # Every change to a result or its flag is kept, written in bulk with the
    # computation (see services/results.py), so a member's record shows its story.
    # History is read by result (id) and by member (the timeline), never by period,
    # branch or group: those get no index there, each a cost on every result written.
    history = HistoricalRecords(no_db_index=["period", "branch", "group"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "member"], name="one_result_per_member")]
        indexes = [
            models.Index(fields=["period", "branch", "rank_branch"], name="result_branch_rank_idx"),
            models.Index(fields=["period", "rank_company"], name="result_company_rank_idx"),
            models.Index(fields=["period", "group", "rank_branch"], name="result_group_rank_idx"),
        ]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.member} · {self.period}"

    def score_of(self, group: str):
        return getattr(self, f"score_{group}")

    def count_of(self, group: str) -> int:
        return getattr(self, f"count_{group}")
