"""The assessment app's migrations 0001 to 0010 in one (issue 18: a fresh database — every test
database, `make run`'s first start — built 10 migrations of label changes one by one). Django
uses it for a database with none of them applied and marks it applied where all of them are;
the migrations it replaces stay until every deployment has run them.

The data the replaced migrations wrote on a fresh database is written the same way, by their
own functions (the conversions of existing rows have nothing to convert in a new database)."""

import importlib
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _replaced(name: str):
    return importlib.import_module(f"assessment.migrations.{name}")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("assessment", "0001_initial"),
        ("assessment", "0002_default_rubric"),
        ("assessment", "0003_cards"),
        ("assessment", "0004_result_history"),
        ("assessment", "0005_result_indexes"),
        ("assessment", "0006_anonymous_ratings"),
        ("assessment", "0007_chinese_labels"),
        ("assessment", "0008_publicity_and_objections"),
        ("assessment", "0009_finalize_schedule"),
        ("assessment", "0010_area_averages"),
    ]

    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("members", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Period",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        error_messages={"unique": "There is already an assessment period with this code."},
                        help_text="Usually the year, e.g. 2026.",
                        max_length=16,
                        unique=True,
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("starts_on", models.DateField(verbose_name="starts on")),
                ("ends_on", models.DateField(verbose_name="ends on")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Being prepared"),
                            ("open", "Open for rating"),
                            ("closed", "Closed"),
                            ("published", "In publicity"),
                            ("final", "Final"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                (
                    "weight_self",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.1"), max_digits=4, verbose_name="weight: self"
                    ),
                ),
                (
                    "weight_peer",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.3"), max_digits=4, verbose_name="weight: peers"
                    ),
                ),
                (
                    "weight_masses",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.2"), max_digits=4, verbose_name="weight: masses"
                    ),
                ),
                (
                    "weight_org",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.4"), max_digits=4, verbose_name="weight: organisation"
                    ),
                ),
                ("computed_at", models.DateTimeField(blank=True, null=True, verbose_name="results computed at")),
                ("inputs_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="weights changed at")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published at")),
                (
                    "publicity_days",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="How many working days members may object to their results once they are published.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(30),
                        ],
                        verbose_name="publicity window (working days)",
                    ),
                ),
                ("publicity_ends_on", models.DateField(blank=True, null=True, verbose_name="publicity ends on")),
                ("finalized_at", models.DateTimeField(blank=True, null=True, verbose_name="finalised at")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
            ],
            options={
                "verbose_name": "assessment period",
                "verbose_name_plural": "assessment periods",
                "ordering": ["-code"],
            },
        ),
        migrations.CreateModel(
            name="Card",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("goal_card", "Goal plan card (5+X)"), ("pledge", "Pledge form (3+X)")],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted to the branch"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "role_aimed",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("technical", "Technical backbone"),
                            ("management", "Management backbone"),
                            ("innovation", "Innovation backbone"),
                        ],
                        max_length=12,
                        verbose_name="role aimed at",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="first submitted at")),
                ("approved_at", models.DateTimeField(blank=True, null=True, verbose_name="approved at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cards",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="cards",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cards",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "card",
                "verbose_name_plural": "cards",
                "ordering": ["-year", "member__employee_no"],
            },
        ),
        migrations.CreateModel(
            name="CardItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("section", models.CharField(max_length=16, verbose_name="section")),
                ("text", models.TextField(verbose_name="item")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "assigned_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned by",
                    ),
                ),
                (
                    "card",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="assessment.card",
                        verbose_name="card",
                    ),
                ),
            ],
            options={
                "verbose_name": "card item",
                "verbose_name_plural": "card items",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCard",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("goal_card", "Goal plan card (5+X)"), ("pledge", "Pledge form (3+X)")],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted to the branch"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "role_aimed",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("technical", "Technical backbone"),
                            ("management", "Management backbone"),
                            ("innovation", "Innovation backbone"),
                        ],
                        max_length=12,
                        verbose_name="role aimed at",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="first submitted at")),
                ("approved_at", models.DateTimeField(blank=True, null=True, verbose_name="approved at")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical card",
                "verbose_name_plural": "historical cards",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCardItem",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("section", models.CharField(max_length=16, verbose_name="section")),
                ("text", models.TextField(verbose_name="item")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "assigned_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned by",
                    ),
                ),
                (
                    "card",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.card",
                        verbose_name="card",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical card item",
                "verbose_name_plural": "historical card items",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSelfCheck",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "checkpoint",
                    models.CharField(
                        choices=[
                            ("q1", "Quarter 1"),
                            ("q2", "Quarter 2"),
                            ("q3", "Quarter 3"),
                            ("q4", "Quarter 4"),
                            ("year_end", "Year end"),
                        ],
                        max_length=8,
                        verbose_name="checkpoint",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Being filled in"),
                            ("reported", "Reported, waiting for review"),
                            ("returned", "Returned for correction"),
                            ("acknowledged", "Reviewed by the branch"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("reported_at", models.DateTimeField(blank=True, null=True, verbose_name="reported at")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed at")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "card",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.card",
                        verbose_name="card",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical card self-check",
                "verbose_name_plural": "historical card self-checks",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PeriodKey",
            fields=[
                (
                    "period",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
                ("secret", models.CharField(max_length=64, verbose_name="secret key")),
            ],
            options={
                "verbose_name": "period key",
                "verbose_name_plural": "period keys",
            },
        ),
        migrations.CreateModel(
            name="Objection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField(verbose_name="reason for the objection")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "Awaiting ruling"), ("upheld", "Upheld"), ("rejected", "Rejected")],
                        default="open",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("filed_at", models.DateTimeField(auto_now_add=True, verbose_name="filed at")),
                ("total_before", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="total before")),
                (
                    "flag_before",
                    models.CharField(
                        choices=[
                            ("red", "Red flag"),
                            ("yellow", "Yellow flag"),
                            ("blue", "Blue flag"),
                            ("grey", "Grey flag"),
                        ],
                        max_length=8,
                        verbose_name="flag before",
                    ),
                ),
                (
                    "total_after",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=5, null=True, verbose_name="total after"
                    ),
                ),
                (
                    "flag_after",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("red", "Red flag"),
                            ("yellow", "Yellow flag"),
                            ("blue", "Blue flag"),
                            ("grey", "Grey flag"),
                        ],
                        max_length=8,
                        verbose_name="flag after",
                    ),
                ),
                ("ruling", models.TextField(blank=True, verbose_name="reason for the ruling")),
                ("org_corrected", models.BooleanField(default=False, verbose_name="organisation rating corrected")),
                (
                    "ratings_withdrawn",
                    models.PositiveSmallIntegerField(default=0, verbose_name="ratings withdrawn as invalid"),
                ),
                ("ruled_at", models.DateTimeField(blank=True, null=True, verbose_name="ruled at")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objections",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "ruled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ruled by",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="objections",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "objection",
                "verbose_name_plural": "objections",
                "ordering": ["-filed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="MassesBallot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=64, unique=True, verbose_name="link token")),
                ("code", models.CharField(max_length=12, unique=True, verbose_name="ballot code")),
                ("issued_at", models.DateTimeField(auto_now_add=True, verbose_name="issued at")),
                ("used", models.BooleanField(default=False, verbose_name="used")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                (
                    "issued_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
                    ),
                ),
                (
                    "rater",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="members.massesrater",
                        verbose_name="masses rater",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "masses ballot",
                "verbose_name_plural": "masses ballots",
            },
        ),
        migrations.CreateModel(
            name="HistoricalResult",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "score_self",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: self"),
                ),
                (
                    "score_peer",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: peers"),
                ),
                (
                    "score_masses",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: masses"),
                ),
                (
                    "score_org",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: organisation"),
                ),
                ("count_self", models.PositiveIntegerField(default=0, verbose_name="ratings: self")),
                ("count_peer", models.PositiveIntegerField(default=0, verbose_name="ratings: peers")),
                ("count_masses", models.PositiveIntegerField(default=0, verbose_name="ratings: masses")),
                ("count_org", models.PositiveIntegerField(default=0, verbose_name="ratings: organisation")),
                ("total", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="total")),
                ("rank_branch", models.PositiveIntegerField(verbose_name="rank in branch")),
                ("rank_company", models.PositiveIntegerField(verbose_name="rank in company")),
                (
                    "flag",
                    models.CharField(
                        choices=[
                            ("red", "Red flag"),
                            ("yellow", "Yellow flag"),
                            ("blue", "Blue flag"),
                            ("grey", "Grey flag"),
                        ],
                        max_length=8,
                        verbose_name="flag",
                    ),
                ),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical result",
                "verbose_name_plural": "historical results",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRatingChannel",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "rater_group",
                    models.CharField(
                        choices=[("self", "Self"), ("peer", "Peers"), ("masses", "Masses"), ("org", "Organisation")],
                        max_length=8,
                        verbose_name="rater group",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("online", "Online"), ("paper", "On paper")],
                        default="online",
                        max_length=8,
                        verbose_name="channel",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rating channel",
                "verbose_name_plural": "historical rating channels",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRating",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "rater_group",
                    models.CharField(
                        choices=[("self", "Self"), ("peer", "Peers"), ("masses", "Masses"), ("org", "Organisation")],
                        max_length=8,
                        verbose_name="rater group",
                    ),
                ),
                ("ballot_no", models.CharField(blank=True, max_length=32, null=True, verbose_name="ballot number")),
                ("scores", models.JSONField(default=dict, verbose_name="scores")),
                ("total", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="total")),
                (
                    "source",
                    models.CharField(
                        choices=[("web", "Web form"), ("link", "One-time link"), ("paper", "Paper ballot")],
                        default="web",
                        max_length=8,
                        verbose_name="source",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "withdrawn",
                    models.BooleanField(db_default=False, default=False, verbose_name="withdrawn as invalid"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="entered by",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ratee",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="ratee",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rating",
                "verbose_name_plural": "historical ratings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalObjection",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("reason", models.TextField(verbose_name="reason for the objection")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "Awaiting ruling"), ("upheld", "Upheld"), ("rejected", "Rejected")],
                        default="open",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("filed_at", models.DateTimeField(blank=True, editable=False, verbose_name="filed at")),
                ("total_before", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="total before")),
                (
                    "flag_before",
                    models.CharField(
                        choices=[
                            ("red", "Red flag"),
                            ("yellow", "Yellow flag"),
                            ("blue", "Blue flag"),
                            ("grey", "Grey flag"),
                        ],
                        max_length=8,
                        verbose_name="flag before",
                    ),
                ),
                (
                    "total_after",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=5, null=True, verbose_name="total after"
                    ),
                ),
                (
                    "flag_after",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("red", "Red flag"),
                            ("yellow", "Yellow flag"),
                            ("blue", "Blue flag"),
                            ("grey", "Grey flag"),
                        ],
                        max_length=8,
                        verbose_name="flag after",
                    ),
                ),
                ("ruling", models.TextField(blank=True, verbose_name="reason for the ruling")),
                ("org_corrected", models.BooleanField(default=False, verbose_name="organisation rating corrected")),
                (
                    "ratings_withdrawn",
                    models.PositiveSmallIntegerField(default=0, verbose_name="ratings withdrawn as invalid"),
                ),
                ("ruled_at", models.DateTimeField(blank=True, null=True, verbose_name="ruled at")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "ruled_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ruled by",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical objection",
                "verbose_name_plural": "historical objections",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AreaAverage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("area_code", models.CharField(max_length=4, verbose_name="code")),
                ("area_name", models.CharField(max_length=50, verbose_name="area")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("total", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="sum of subtotals")),
                ("members", models.PositiveIntegerField(verbose_name="members counted")),
                ("average", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="average")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="area_averages",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "area average",
                "verbose_name_plural": "area averages",
            },
        ),
        migrations.CreateModel(
            name="Rating",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "rater_group",
                    models.CharField(
                        choices=[("self", "Self"), ("peer", "Peers"), ("masses", "Masses"), ("org", "Organisation")],
                        max_length=8,
                        verbose_name="rater group",
                    ),
                ),
                (
                    "rater_key",
                    models.CharField(blank=True, editable=False, max_length=64, null=True, verbose_name="rater key"),
                ),
                ("ballot_no", models.CharField(blank=True, max_length=32, null=True, verbose_name="ballot number")),
                ("scores", models.JSONField(default=dict, verbose_name="scores")),
                ("total", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="total")),
                (
                    "source",
                    models.CharField(
                        choices=[("web", "Web form"), ("link", "One-time link"), ("paper", "Paper ballot")],
                        default="web",
                        max_length=8,
                        verbose_name="source",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "withdrawn",
                    models.BooleanField(db_default=False, default=False, verbose_name="withdrawn as invalid"),
                ),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="entered by",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
                (
                    "ratee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings_received",
                        to="members.member",
                        verbose_name="ratee",
                    ),
                ),
            ],
            options={
                "verbose_name": "rating",
                "verbose_name_plural": "ratings",
            },
        ),
        migrations.CreateModel(
            name="RatingChannel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "rater_group",
                    models.CharField(
                        choices=[("self", "Self"), ("peer", "Peers"), ("masses", "Masses"), ("org", "Organisation")],
                        max_length=8,
                        verbose_name="rater group",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("online", "Online"), ("paper", "On paper")],
                        default="online",
                        max_length=8,
                        verbose_name="channel",
                    ),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="channels",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
            ],
            options={
                "verbose_name": "rating channel",
                "verbose_name_plural": "rating channels",
            },
        ),
        migrations.CreateModel(
            name="Result",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "score_self",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: self"),
                ),
                (
                    "score_peer",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: peers"),
                ),
                (
                    "score_masses",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: masses"),
                ),
                (
                    "score_org",
                    models.DecimalField(decimal_places=4, max_digits=9, null=True, verbose_name="score: organisation"),
                ),
                ("count_self", models.PositiveIntegerField(default=0, verbose_name="ratings: self")),
                ("count_peer", models.PositiveIntegerField(default=0, verbose_name="ratings: peers")),
                ("count_masses", models.PositiveIntegerField(default=0, verbose_name="ratings: masses")),
                ("count_org", models.PositiveIntegerField(default=0, verbose_name="ratings: organisation")),
                ("total", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="total")),
                ("rank_branch", models.PositiveIntegerField(verbose_name="rank in branch")),
                ("rank_company", models.PositiveIntegerField(verbose_name="rank in company")),
                (
                    "flag",
                    models.CharField(
                        choices=[
                            ("red", "Red flag"),
                            ("yellow", "Yellow flag"),
                            ("blue", "Blue flag"),
                            ("grey", "Grey flag"),
                        ],
                        max_length=8,
                        verbose_name="flag",
                    ),
                ),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="results",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="results",
                        to="assessment.period",
                        verbose_name="assessment period",
                    ),
                ),
            ],
            options={
                "verbose_name": "result",
                "verbose_name_plural": "results",
            },
        ),
        migrations.CreateModel(
            name="Rubric",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        error_messages={"unique": "There is already a rubric of this name."},
                        max_length=100,
                        unique=True,
                        verbose_name="name",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "copied_from",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="assessment.rubric",
                        verbose_name="copied from",
                    ),
                ),
            ],
            options={
                "verbose_name": "rubric",
                "verbose_name_plural": "rubrics",
                "ordering": ["-created_at", "name"],
            },
        ),
        migrations.AddField(
            model_name="period",
            name="rubric",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="periods",
                to="assessment.rubric",
                verbose_name="rubric",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalRubric",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "There is already a rubric of this name."},
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "copied_from",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.rubric",
                        verbose_name="copied from",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rubric",
                "verbose_name_plural": "historical rubrics",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPeriod",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "There is already an assessment period with this code."},
                        help_text="Usually the year, e.g. 2026.",
                        max_length=16,
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("starts_on", models.DateField(verbose_name="starts on")),
                ("ends_on", models.DateField(verbose_name="ends on")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Being prepared"),
                            ("open", "Open for rating"),
                            ("closed", "Closed"),
                            ("published", "In publicity"),
                            ("final", "Final"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                (
                    "weight_self",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.1"), max_digits=4, verbose_name="weight: self"
                    ),
                ),
                (
                    "weight_peer",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.3"), max_digits=4, verbose_name="weight: peers"
                    ),
                ),
                (
                    "weight_masses",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.2"), max_digits=4, verbose_name="weight: masses"
                    ),
                ),
                (
                    "weight_org",
                    models.DecimalField(
                        decimal_places=3, default=Decimal("0.4"), max_digits=4, verbose_name="weight: organisation"
                    ),
                ),
                ("computed_at", models.DateTimeField(blank=True, null=True, verbose_name="results computed at")),
                ("inputs_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="weights changed at")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published at")),
                (
                    "publicity_days",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="How many working days members may object to their results once they are published.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(30),
                        ],
                        verbose_name="publicity window (working days)",
                    ),
                ),
                ("publicity_ends_on", models.DateField(blank=True, null=True, verbose_name="publicity ends on")),
                ("finalized_at", models.DateTimeField(blank=True, null=True, verbose_name="finalised at")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rubric",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.rubric",
                        verbose_name="rubric",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical assessment period",
                "verbose_name_plural": "historical assessment periods",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RubricArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=4, verbose_name="code")),
                ("name", models.CharField(max_length=50, verbose_name="area")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "rubric",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="areas",
                        to="assessment.rubric",
                        verbose_name="rubric",
                    ),
                ),
            ],
            options={
                "verbose_name": "rubric area",
                "verbose_name_plural": "rubric areas",
                "ordering": ["position", "code"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalRubricItem",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("code", models.CharField(max_length=6, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="item")),
                ("guidance", models.TextField(blank=True, verbose_name="scoring guidance")),
                ("max_score", models.DecimalField(decimal_places=1, max_digits=4, verbose_name="maximum")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rubric",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.rubric",
                        verbose_name="rubric",
                    ),
                ),
                (
                    "area",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.rubricarea",
                        verbose_name="area",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rubric item",
                "verbose_name_plural": "historical rubric items",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RubricItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=6, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="item")),
                ("guidance", models.TextField(blank=True, verbose_name="scoring guidance")),
                ("max_score", models.DecimalField(decimal_places=1, max_digits=4, verbose_name="maximum")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="assessment.rubricarea",
                        verbose_name="area",
                    ),
                ),
                (
                    "rubric",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="assessment.rubric",
                        verbose_name="rubric",
                    ),
                ),
            ],
            options={
                "verbose_name": "rubric item",
                "verbose_name_plural": "rubric items",
                "ordering": ["position", "code"],
            },
        ),
        migrations.CreateModel(
            name="SelfCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "checkpoint",
                    models.CharField(
                        choices=[
                            ("q1", "Quarter 1"),
                            ("q2", "Quarter 2"),
                            ("q3", "Quarter 3"),
                            ("q4", "Quarter 4"),
                            ("year_end", "Year end"),
                        ],
                        max_length=8,
                        verbose_name="checkpoint",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Being filled in"),
                            ("reported", "Reported, waiting for review"),
                            ("returned", "Returned for correction"),
                            ("acknowledged", "Reviewed by the branch"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("reported_at", models.DateTimeField(blank=True, null=True, verbose_name="reported at")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "card",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="checks",
                        to="assessment.card",
                        verbose_name="card",
                    ),
                ),
            ],
            options={
                "verbose_name": "card self-check",
                "verbose_name_plural": "card self-checks",
                "ordering": ["card", "checkpoint"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSelfCheckEntry",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "result",
                    models.CharField(
                        blank=True,
                        choices=[("done", "Done"), ("in_progress", "In progress"), ("not_done", "Not done")],
                        max_length=12,
                        verbose_name="result",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.carditem",
                        verbose_name="card item",
                    ),
                ),
                (
                    "self_check",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.selfcheck",
                        verbose_name="card self-check",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical self-check entry",
                "verbose_name_plural": "historical self-check entries",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CardLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=16, verbose_name="action")),
                ("from_status", models.CharField(max_length=12, verbose_name="from status")),
                ("to_status", models.CharField(max_length=12, verbose_name="to status")),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="time"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "card",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="logs",
                        to="assessment.card",
                        verbose_name="card",
                    ),
                ),
                (
                    "self_check",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="logs",
                        to="assessment.selfcheck",
                        verbose_name="card self-check",
                    ),
                ),
            ],
            options={
                "verbose_name": "card log",
                "verbose_name_plural": "card logs",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SelfCheckEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "result",
                    models.CharField(
                        blank=True,
                        choices=[("done", "Done"), ("in_progress", "In progress"), ("not_done", "Not done")],
                        max_length=12,
                        verbose_name="result",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="assessment.carditem",
                        verbose_name="card item",
                    ),
                ),
                (
                    "self_check",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="assessment.selfcheck",
                        verbose_name="card self-check",
                    ),
                ),
            ],
            options={
                "verbose_name": "self-check entry",
                "verbose_name_plural": "self-check entries",
                "ordering": ["item__position", "item_id"],
            },
        ),
        migrations.AddIndex(
            model_name="card",
            index=models.Index(fields=["kind", "year", "branch", "status"], name="card_branch_year_idx"),
        ),
        migrations.AddIndex(
            model_name="card",
            index=models.Index(fields=["kind", "year", "group", "status"], name="card_group_year_idx"),
        ),
        migrations.AddConstraint(
            model_name="card",
            constraint=models.UniqueConstraint(
                fields=("kind", "member", "year"), name="card_once_per_member_kind_year"
            ),
        ),
        migrations.AddIndex(
            model_name="carditem",
            index=models.Index(fields=["card", "section", "position"], name="carditem_card_section_idx"),
        ),
        migrations.AddIndex(
            model_name="objection",
            index=models.Index(fields=["period", "branch", "state"], name="objection_branch_state_idx"),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.UniqueConstraint(
                fields=("period", "member"),
                name="one_objection_per_member_and_period",
                violation_error_message="You have already filed an objection to this result.",
            ),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.CheckConstraint(
                condition=models.Q(("state", "open"), models.Q(("ruling", ""), _negated=True), _connector="OR"),
                name="objection_ruling_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="massesballot",
            constraint=models.UniqueConstraint(fields=("period", "rater"), name="one_ballot_per_rater_and_period"),
        ),
        migrations.AddConstraint(
            model_name="areaaverage",
            constraint=models.UniqueConstraint(
                fields=("period", "branch", "area_code"), name="one_area_average_per_branch"
            ),
        ),
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(fields=["period", "ratee", "rater_group"], name="rating_period_ratee_idx"),
        ),
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(
                condition=models.Q(("rater_key__isnull", False)), fields=["rater_key"], name="rating_rater_key_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                condition=models.Q(("rater_key__isnull", False)),
                fields=("period", "ratee", "rater_group", "rater_key"),
                name="rating_once_per_rater",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ballot_no__isnull", False)),
                fields=("period", "ratee", "rater_group", "ballot_no"),
                name="rating_once_per_ballot",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                condition=models.Q(("rater_group__in", ["self", "org"])),
                fields=("period", "ratee", "rater_group"),
                name="rating_once_by_self_and_organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("ballot_no__isnull", True), ("rater_group__in", ["self", "org"]), ("rater_key__isnull", True)
                    ),
                    models.Q(
                        ("rater_group__in", ["peer", "masses"]),
                        models.Q(("rater_key__isnull", True), ("ballot_no__isnull", True), _connector="OR"),
                    ),
                    _connector="OR",
                ),
                name="rating_key_only_when_anonymous",
            ),
        ),
        migrations.AddConstraint(
            model_name="ratingchannel",
            constraint=models.UniqueConstraint(
                fields=("period", "branch", "rater_group"), name="one_channel_per_group"
            ),
        ),
        migrations.AddConstraint(
            model_name="ratingchannel",
            constraint=models.CheckConstraint(
                condition=models.Q(("rater_group__in", ["peer", "masses"])), name="channel_for_anonymous"
            ),
        ),
        migrations.AddIndex(
            model_name="result",
            index=models.Index(fields=["period", "branch", "rank_branch"], name="result_branch_rank_idx"),
        ),
        migrations.AddIndex(
            model_name="result",
            index=models.Index(fields=["period", "rank_company"], name="result_company_rank_idx"),
        ),
        migrations.AddIndex(
            model_name="result",
            index=models.Index(fields=["period", "group", "rank_branch"], name="result_group_rank_idx"),
        ),
        migrations.AddConstraint(
            model_name="result",
            constraint=models.UniqueConstraint(fields=("period", "member"), name="one_result_per_member"),
        ),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="period_dates_in_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="rubricarea",
            constraint=models.UniqueConstraint(
                fields=("rubric", "code"),
                name="area_code_unique_in_rubric",
                violation_error_message="The rubric already has an area with this code.",
            ),
        ),
        migrations.AddConstraint(
            model_name="rubricitem",
            constraint=models.UniqueConstraint(
                fields=("rubric", "code"),
                name="item_code_unique_in_rubric",
                violation_error_message="The rubric already has an item with this code.",
            ),
        ),
        migrations.AddConstraint(
            model_name="rubricitem",
            constraint=models.CheckConstraint(condition=models.Q(("max_score__gt", 0)), name="item_max_positive"),
        ),
        migrations.AddIndex(
            model_name="selfcheck",
            index=models.Index(fields=["checkpoint", "status"], name="selfcheck_checkpoint_idx"),
        ),
        migrations.AddConstraint(
            model_name="selfcheck",
            constraint=models.UniqueConstraint(fields=("card", "checkpoint"), name="card_check_once_per_checkpoint"),
        ),
        migrations.AddIndex(
            model_name="cardlog",
            index=models.Index(fields=["card", "created_at"], name="cardlog_card_idx"),
        ),
        migrations.AddConstraint(
            model_name="selfcheckentry",
            constraint=models.UniqueConstraint(fields=("self_check", "item"), name="card_check_entry_once_per_item"),
        ),
        migrations.RunPython(
            _replaced("0002_default_rubric").load_default_rubric, _replaced("0002_default_rubric").remove_default_rubric
        ),
        migrations.RunPython(
            _replaced("0009_finalize_schedule").create_schedule, _replaced("0009_finalize_schedule").remove_schedule
        ),
    ]
