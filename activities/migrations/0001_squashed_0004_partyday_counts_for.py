"""The activities app's migrations 0001 to 0004 in one (issue 18: a fresh database — every test
database, `make run`'s first start — built 4 migrations of label changes one by one). Django
uses it for a database with none of them applied and marks it applied where all of them are;
the migrations it replaces stay until every deployment has run them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import activities.models.partydays


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("activities", "0001_initial"),
        ("activities", "0002_posts_warmth"),
        ("activities", "0003_chinese_labels"),
        ("activities", "0004_partyday_counts_for"),
    ]

    dependencies = [
        ("members", "0001_initial"),
        ("study", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactPoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, verbose_name="employee's name")),
                ("employee_no", models.CharField(blank=True, max_length=32, verbose_name="employee number")),
                ("post", models.CharField(blank=True, max_length=100, verbose_name="post")),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="What to keep in mind: family situation, worries, skills to build.",
                        verbose_name="note",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="still looked after")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_points",
                        to="members.member",
                        verbose_name="member looking after",
                    ),
                ),
            ],
            options={
                "verbose_name": "contact point",
                "verbose_name_plural": "contact points",
                "ordering": ["-is_active", "name", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HelpRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("thinking", "Help with thinking"),
                            ("skills", "Help with skills"),
                            ("living", "Help with daily life"),
                            ("management", "Help with management"),
                            ("mind", "Help with peace of mind"),
                            ("mentoring", "Passing on skills (mentoring)"),
                            ("warmth", "Sending warmth"),
                            ("harmony", "Promoting harmony"),
                        ],
                        max_length=12,
                        verbose_name="kind of help",
                    ),
                ),
                ("helped_on", models.DateField(verbose_name="date")),
                ("content", models.TextField(verbose_name="what was done")),
                ("outcome", models.TextField(blank=True, verbose_name="outcome")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="help_records",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "contact_point",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="help_records",
                        to="activities.contactpoint",
                        verbose_name="contact point",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="help_records",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="help_records",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "help record",
                "verbose_name_plural": "help records",
                "ordering": ["-helped_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalContactPoint",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=50, verbose_name="employee's name")),
                ("employee_no", models.CharField(blank=True, max_length=32, verbose_name="employee number")),
                ("post", models.CharField(blank=True, max_length=100, verbose_name="post")),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="What to keep in mind: family situation, worries, skills to build.",
                        verbose_name="note",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="still looked after")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
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
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="member looking after",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical contact point",
                "verbose_name_plural": "historical contact points",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalHelpRecord",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("thinking", "Help with thinking"),
                            ("skills", "Help with skills"),
                            ("living", "Help with daily life"),
                            ("management", "Help with management"),
                            ("mind", "Help with peace of mind"),
                            ("mentoring", "Passing on skills (mentoring)"),
                            ("warmth", "Sending warmth"),
                            ("harmony", "Promoting harmony"),
                        ],
                        max_length=12,
                        verbose_name="kind of help",
                    ),
                ),
                ("helped_on", models.DateField(verbose_name="date")),
                ("content", models.TextField(verbose_name="what was done")),
                ("outcome", models.TextField(blank=True, verbose_name="outcome")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
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
                    "contact_point",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="activities.contactpoint",
                        verbose_name="contact point",
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
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical help record",
                "verbose_name_plural": "historical help records",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPartyDay",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("open", "Open (visits)"),
                            ("interactive", "Interactive (reports, talks, stories)"),
                            ("experiential", "Experiential (a role for a day)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("theme", models.CharField(max_length=200, verbose_name="theme")),
                ("held_on", models.DateField(verbose_name="date")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                (
                    "destination_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("benchmark", "A benchmark team"),
                            ("front_line", "The production front line"),
                            ("sister_unit", "A sister unit"),
                        ],
                        max_length=16,
                        verbose_name="kind of destination",
                    ),
                ),
                ("destination", models.CharField(blank=True, max_length=200, verbose_name="destination")),
                ("planned_roles", models.JSONField(blank=True, default=list, verbose_name="roles to take")),
                ("plan", models.TextField(blank=True, verbose_name="programme")),
                ("summary", models.TextField(blank=True, verbose_name="summary of the day")),
                (
                    "status",
                    models.CharField(
                        choices=[("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
                        default="planned",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "attendance_taken_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="attendance taken at"),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
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
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
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
                "verbose_name": "historical themed Party day",
                "verbose_name_plural": "historical themed Party days",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPioneerPost",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("safety", "Safety pioneer post"),
                            ("management", "Management pioneer post"),
                            ("efficiency", "Efficiency pioneer post"),
                        ],
                        max_length=12,
                        verbose_name="kind of pioneer post",
                    ),
                ),
                ("post_name", models.CharField(max_length=100, verbose_name="post")),
                ("starts_on", models.DateField(verbose_name="from")),
                ("ends_on", models.DateField(verbose_name="to")),
                (
                    "standards",
                    models.TextField(
                        blank=True,
                        help_text="What the post holder undertakes: the strictest rules, the best standards, the most responsibility.",
                        verbose_name="standards and commitments",
                    ),
                ),
                ("planned_ends_on", models.DateField(blank=True, null=True, verbose_name="planned end")),
                ("end_reason", models.CharField(blank=True, max_length=200, verbose_name="reason for ending")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
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
                    "designated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="designated by",
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
                "verbose_name": "historical pioneer post",
                "verbose_name_plural": "historical pioneer posts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRecognition",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "best",
                    models.CharField(
                        choices=[
                            ("records", "My records are the most accurate"),
                            ("operation", "My operation is the most standard"),
                            ("conduct", "My conduct is the most solid"),
                            ("results", "My results are the best"),
                        ],
                        max_length=12,
                        verbose_name="recognition",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "quarter",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "The whole year"),
                            (1, "Quarter 1"),
                            (2, "Quarter 2"),
                            (3, "Quarter 3"),
                            (4, "Quarter 4"),
                        ],
                        default=0,
                        verbose_name="quarter",
                    ),
                ),
                ("awarded_on", models.DateField(verbose_name="date")),
                (
                    "note",
                    models.TextField(blank=True, help_text="What the member did to earn it.", verbose_name="note"),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "awarded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
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
                "verbose_name": "historical four-bests recognition",
                "verbose_name_plural": "historical four-bests recognitions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalResponsibilityArea",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "description",
                    models.TextField(
                        help_text="The work area, equipment, team or task the member answers for.",
                        verbose_name="responsibility area",
                    ),
                ),
                ("fixed_post", models.CharField(blank=True, max_length=100, verbose_name="fixed post")),
                ("fixed_duty", models.TextField(blank=True, verbose_name="fixed duties")),
                ("fixed_targets", models.TextField(blank=True, verbose_name="fixed targets")),
                ("guarantee_tasks", models.TextField(blank=True, verbose_name="guarantee: tasks carried out")),
                ("guarantee_safety", models.TextField(blank=True, verbose_name="guarantee: safe production")),
                ("guarantee_management", models.TextField(blank=True, verbose_name="guarantee: better management")),
                ("guarantee_stability", models.TextField(blank=True, verbose_name="guarantee: stable morale")),
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
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical responsibility area",
                "verbose_name_plural": "historical responsibility areas",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSuggestion",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("post", models.CharField(blank=True, max_length=100, verbose_name="post")),
                ("title", models.CharField(max_length=120, verbose_name="subject")),
                ("situation", models.TextField(verbose_name="situation met at the post")),
                ("problem", models.TextField(verbose_name="real problem")),
                ("suggestion", models.TextField(verbose_name="suggestion")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("acknowledged", "Acknowledged"),
                            ("escalated", "Passed up to the company"),
                            ("closed", "Closed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="submitted",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("quarter", models.CharField(max_length=6, verbose_name="quarter")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="submitted at")),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at")),
                ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="passed up at")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
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
                "verbose_name": "historical suggestion form",
                "verbose_name_plural": "historical suggestion forms",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PartyDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("open", "Open (visits)"),
                            ("interactive", "Interactive (reports, talks, stories)"),
                            ("experiential", "Experiential (a role for a day)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("theme", models.CharField(max_length=200, verbose_name="theme")),
                ("held_on", models.DateField(verbose_name="date")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                (
                    "destination_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("benchmark", "A benchmark team"),
                            ("front_line", "The production front line"),
                            ("sister_unit", "A sister unit"),
                        ],
                        max_length=16,
                        verbose_name="kind of destination",
                    ),
                ),
                ("destination", models.CharField(blank=True, max_length=200, verbose_name="destination")),
                ("planned_roles", models.JSONField(blank=True, default=list, verbose_name="roles to take")),
                ("plan", models.TextField(blank=True, verbose_name="programme")),
                ("summary", models.TextField(blank=True, verbose_name="summary of the day")),
                (
                    "status",
                    models.CharField(
                        choices=[("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
                        default="planned",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "attendance_taken_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="attendance taken at"),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="party_days",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "counts_for",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The required meetings this day was also held as, where the rules allow it.",
                        related_name="+",
                        to="study.meetingrule",
                        verbose_name="counts as",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
            ],
            options={
                "verbose_name": "themed Party day",
                "verbose_name_plural": "themed Party days",
                "ordering": ["-held_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPartyDayPhoto",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("image", models.TextField(max_length=100, verbose_name="photo")),
                ("width", models.PositiveIntegerField(default=0, verbose_name="width (pixels)")),
                ("height", models.PositiveIntegerField(default=0, verbose_name="height (pixels)")),
                ("content_type", models.CharField(max_length=32, verbose_name="file type")),
                ("size", models.PositiveIntegerField(default=0, verbose_name="size in bytes")),
                ("caption", models.CharField(blank=True, max_length=200, verbose_name="caption")),
                ("uploaded_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded at")),
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
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
                (
                    "party_day",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical photo",
                "verbose_name_plural": "historical photos",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPartyDayParticipant",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "attendance",
                    models.CharField(
                        blank=True,
                        choices=[("present", "Present"), ("excused", "Excused"), ("absent", "Absent")],
                        max_length=8,
                        verbose_name="attendance",
                    ),
                ),
                ("absence_reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("cadre", "Cadre for a day"),
                            ("safety", "Safety officer for a day"),
                            ("skills", "Skills expert for a day"),
                            ("other", "Another role"),
                        ],
                        max_length=8,
                        verbose_name="role taken",
                    ),
                ),
                ("role_detail", models.CharField(blank=True, max_length=100, verbose_name="role in detail")),
                ("reflection", models.TextField(blank=True, verbose_name="reflection")),
                ("reflection_at", models.DateTimeField(blank=True, null=True, verbose_name="reflection written at")),
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
                    "party_day",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical participant",
                "verbose_name_plural": "historical participants",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPartyDayContribution",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("thinking", "Report of thinking"),
                            ("work", "Report of work"),
                            ("talk", "Heart-to-heart talk"),
                            ("story", "Growth story"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "generation",
                    models.CharField(
                        blank=True,
                        choices=[("old", "Senior member"), ("middle", "Middle-aged member"), ("young", "Young member")],
                        max_length=8,
                        verbose_name="generation",
                    ),
                ),
                ("talked_with", models.CharField(blank=True, max_length=100, verbose_name="talked with")),
                ("summary", models.TextField(verbose_name="summary")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="recorded at")),
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "party_day",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical report or talk",
                "verbose_name_plural": "historical reports and talks",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PartyDayContribution",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("thinking", "Report of thinking"),
                            ("work", "Report of work"),
                            ("talk", "Heart-to-heart talk"),
                            ("story", "Growth story"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "generation",
                    models.CharField(
                        blank=True,
                        choices=[("old", "Senior member"), ("middle", "Middle-aged member"), ("young", "Young member")],
                        max_length=8,
                        verbose_name="generation",
                    ),
                ),
                ("talked_with", models.CharField(blank=True, max_length=100, verbose_name="talked with")),
                ("summary", models.TextField(verbose_name="summary")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "party_day",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contributions",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "report or talk",
                "verbose_name_plural": "reports and talks",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PartyDayLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=16, verbose_name="action")),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
                        max_length=12,
                        verbose_name="from status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
                        max_length=12,
                        verbose_name="to status",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
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
                    "party_day",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="log",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
            ],
            options={
                "verbose_name": "Party day log",
                "verbose_name_plural": "Party day logs",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PartyDayParticipant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "attendance",
                    models.CharField(
                        blank=True,
                        choices=[("present", "Present"), ("excused", "Excused"), ("absent", "Absent")],
                        max_length=8,
                        verbose_name="attendance",
                    ),
                ),
                ("absence_reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("cadre", "Cadre for a day"),
                            ("safety", "Safety officer for a day"),
                            ("skills", "Skills expert for a day"),
                            ("other", "Another role"),
                        ],
                        max_length=8,
                        verbose_name="role taken",
                    ),
                ),
                ("role_detail", models.CharField(blank=True, max_length=100, verbose_name="role in detail")),
                ("reflection", models.TextField(blank=True, verbose_name="reflection")),
                ("reflection_at", models.DateTimeField(blank=True, null=True, verbose_name="reflection written at")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="party_day_participations",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "party_day",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
                "ordering": ["member__employee_no"],
            },
        ),
        migrations.CreateModel(
            name="PartyDayPhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "image",
                    models.ImageField(
                        height_field="height",
                        upload_to=activities.models.partydays.photo_path,
                        verbose_name="photo",
                        width_field="width",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, verbose_name="width (pixels)")),
                ("height", models.PositiveIntegerField(default=0, verbose_name="height (pixels)")),
                ("content_type", models.CharField(max_length=32, verbose_name="file type")),
                ("size", models.PositiveIntegerField(default=0, verbose_name="size in bytes")),
                ("caption", models.CharField(blank=True, max_length=200, verbose_name="caption")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")),
                (
                    "party_day",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="activities.partyday",
                        verbose_name="Party day",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
                "ordering": ["uploaded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PioneerPost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("safety", "Safety pioneer post"),
                            ("management", "Management pioneer post"),
                            ("efficiency", "Efficiency pioneer post"),
                        ],
                        max_length=12,
                        verbose_name="kind of pioneer post",
                    ),
                ),
                ("post_name", models.CharField(max_length=100, verbose_name="post")),
                ("starts_on", models.DateField(verbose_name="from")),
                ("ends_on", models.DateField(verbose_name="to")),
                (
                    "standards",
                    models.TextField(
                        blank=True,
                        help_text="What the post holder undertakes: the strictest rules, the best standards, the most responsibility.",
                        verbose_name="standards and commitments",
                    ),
                ),
                ("planned_ends_on", models.DateField(blank=True, null=True, verbose_name="planned end")),
                ("end_reason", models.CharField(blank=True, max_length=200, verbose_name="reason for ending")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pioneer_posts",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "designated_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="designated by",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="pioneer_posts",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pioneer_posts",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "pioneer post",
                "verbose_name_plural": "pioneer posts",
                "ordering": ["-starts_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Recognition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "best",
                    models.CharField(
                        choices=[
                            ("records", "My records are the most accurate"),
                            ("operation", "My operation is the most standard"),
                            ("conduct", "My conduct is the most solid"),
                            ("results", "My results are the best"),
                        ],
                        max_length=12,
                        verbose_name="recognition",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "quarter",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "The whole year"),
                            (1, "Quarter 1"),
                            (2, "Quarter 2"),
                            (3, "Quarter 3"),
                            (4, "Quarter 4"),
                        ],
                        default=0,
                        verbose_name="quarter",
                    ),
                ),
                ("awarded_on", models.DateField(verbose_name="date")),
                (
                    "note",
                    models.TextField(blank=True, help_text="What the member did to earn it.", verbose_name="note"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "awarded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recognitions",
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
                        related_name="recognitions",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recognitions",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "four-bests recognition",
                "verbose_name_plural": "four-bests recognitions",
                "ordering": ["-awarded_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ResponsibilityArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "description",
                    models.TextField(
                        help_text="The work area, equipment, team or task the member answers for.",
                        verbose_name="responsibility area",
                    ),
                ),
                ("fixed_post", models.CharField(blank=True, max_length=100, verbose_name="fixed post")),
                ("fixed_duty", models.TextField(blank=True, verbose_name="fixed duties")),
                ("fixed_targets", models.TextField(blank=True, verbose_name="fixed targets")),
                ("guarantee_tasks", models.TextField(blank=True, verbose_name="guarantee: tasks carried out")),
                ("guarantee_safety", models.TextField(blank=True, verbose_name="guarantee: safe production")),
                ("guarantee_management", models.TextField(blank=True, verbose_name="guarantee: better management")),
                ("guarantee_stability", models.TextField(blank=True, verbose_name="guarantee: stable morale")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "member",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="responsibility_area",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
            ],
            options={
                "verbose_name": "responsibility area",
                "verbose_name_plural": "responsibility areas",
            },
        ),
        migrations.CreateModel(
            name="Suggestion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("post", models.CharField(blank=True, max_length=100, verbose_name="post")),
                ("title", models.CharField(max_length=120, verbose_name="subject")),
                ("situation", models.TextField(verbose_name="situation met at the post")),
                ("problem", models.TextField(verbose_name="real problem")),
                ("suggestion", models.TextField(verbose_name="suggestion")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("acknowledged", "Acknowledged"),
                            ("escalated", "Passed up to the company"),
                            ("closed", "Closed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="submitted",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("quarter", models.CharField(max_length=6, verbose_name="quarter")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="submitted at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at")),
                ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="passed up at")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="suggestions",
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
                        related_name="suggestions",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="suggestions",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "suggestion form",
                "verbose_name_plural": "suggestion forms",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SuggestionEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=16, verbose_name="action")),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("submitted", "Submitted"),
                            ("acknowledged", "Acknowledged"),
                            ("escalated", "Passed up to the company"),
                            ("closed", "Closed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        max_length=12,
                        verbose_name="from status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("acknowledged", "Acknowledged"),
                            ("escalated", "Passed up to the company"),
                            ("closed", "Closed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        max_length=12,
                        verbose_name="to status",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="text")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
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
                    "suggestion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="activities.suggestion",
                        verbose_name="suggestion",
                    ),
                ),
            ],
            options={
                "verbose_name": "suggestion thread entry",
                "verbose_name_plural": "suggestion thread entries",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="contactpoint",
            index=models.Index(fields=["member", "is_active"], name="contactpoint_member_idx"),
        ),
        migrations.AddConstraint(
            model_name="contactpoint",
            constraint=models.UniqueConstraint(
                condition=models.Q(("employee_no", ""), _negated=True),
                fields=("member", "employee_no"),
                name="contactpoint_once_per_member",
                violation_error_message="The member already has a contact point with this employee number.",
            ),
        ),
        migrations.AddIndex(
            model_name="helprecord",
            index=models.Index(fields=["member", "helped_on"], name="helprecord_member_idx"),
        ),
        migrations.AddIndex(
            model_name="helprecord",
            index=models.Index(fields=["branch", "helped_on"], name="helprecord_branch_idx"),
        ),
        migrations.AddIndex(
            model_name="helprecord",
            index=models.Index(fields=["group", "helped_on"], name="helprecord_group_idx"),
        ),
        migrations.AddIndex(
            model_name="partyday",
            index=models.Index(fields=["branch", "held_on"], name="partyday_branch_date_idx"),
        ),
        migrations.AddIndex(
            model_name="partyday",
            index=models.Index(fields=["status", "held_on"], name="partyday_status_idx"),
        ),
        migrations.AddIndex(
            model_name="partydayparticipant",
            index=models.Index(fields=["member", "attendance"], name="partyday_participant_idx"),
        ),
        migrations.AddConstraint(
            model_name="partydayparticipant",
            constraint=models.UniqueConstraint(fields=("party_day", "member"), name="partyday_participant_once"),
        ),
        migrations.AddIndex(
            model_name="pioneerpost",
            index=models.Index(fields=["branch", "ends_on"], name="pioneerpost_branch_idx"),
        ),
        migrations.AddIndex(
            model_name="pioneerpost",
            index=models.Index(fields=["member", "kind", "starts_on"], name="pioneerpost_member_idx"),
        ),
        migrations.AddIndex(
            model_name="pioneerpost",
            index=models.Index(fields=["group", "ends_on"], name="pioneerpost_group_idx"),
        ),
        migrations.AddConstraint(
            model_name="pioneerpost",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="pioneerpost_ends_after_start"
            ),
        ),
        migrations.AddIndex(
            model_name="recognition",
            index=models.Index(fields=["branch", "year", "quarter"], name="recognition_branch_idx"),
        ),
        migrations.AddIndex(
            model_name="recognition",
            index=models.Index(fields=["group", "year"], name="recognition_group_idx"),
        ),
        migrations.AddConstraint(
            model_name="recognition",
            constraint=models.UniqueConstraint(
                fields=("member", "best", "year", "quarter"),
                name="recognition_once_per_period",
                violation_error_message="The member already has this recognition for this period.",
            ),
        ),
        migrations.AddConstraint(
            model_name="recognition",
            constraint=models.CheckConstraint(
                condition=models.Q(("quarter__lte", 4)), name="recognition_quarter_range"
            ),
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["branch", "status", "created_at"], name="suggestion_branch_idx"),
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["status", "created_at"], name="suggestion_status_idx"),
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["member", "quarter"], name="suggestion_member_idx"),
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["group", "status"], name="suggestion_group_idx"),
        ),
    ]
