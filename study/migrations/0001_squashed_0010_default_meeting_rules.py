"""The study app's migrations 0001 to 0010 in one (issue 18: a fresh database — every test
database, `make run`'s first start — built 10 migrations of label changes one by one). Django
uses it for a database with none of them applied and marks it applied where all of them are;
the migrations it replaces stay until every deployment has run them.

The data the replaced migrations wrote on a fresh database is written the same way, by their
own functions (the conversions of existing rows have nothing to convert in a new database)."""

import importlib

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _replaced(name: str):
    return importlib.import_module(f"study.migrations.{name}")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("study", "0001_initial"),
        ("study", "0002_wording"),
        ("study", "0003_meeting_indexes"),
        ("study", "0004_talk_subject"),
        ("study", "0005_session_creator_may_be_empty"),
        ("study", "0006_session_version"),
        ("study", "0007_report_submitted_figures"),
        ("study", "0008_chinese_labels"),
        ("study", "0009_meeting_rules"),
        ("study", "0010_default_meeting_rules"),
    ]

    dependencies = [
        ("members", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MeetingRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assembly", "Member assembly (collective study)"),
                            ("group", "Party group meeting (study in groups)"),
                            ("lecture", "Special Party lecture (focused study)"),
                            ("committee", "Branch committee meeting"),
                        ],
                        error_messages={"unique": "There is already a requirement for this kind of meeting."},
                        max_length=16,
                        unique=True,
                        verbose_name="meeting",
                    ),
                ),
                (
                    "times",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(31),
                        ],
                        verbose_name="times",
                    ),
                ),
                (
                    "every",
                    models.CharField(
                        choices=[("month", "Every month"), ("quarter", "Every quarter")],
                        default="month",
                        max_length=8,
                        verbose_name="every",
                    ),
                ),
                ("per_group", models.BooleanField(default=False, verbose_name="counted per Party group")),
                (
                    "may_combine",
                    models.BooleanField(
                        default=False,
                        help_text="Whether a meeting of another kind or a themed Party day may also count for this one.",
                        verbose_name="may be met together with another meeting",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="in force")),
                ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
            ],
            options={
                "verbose_name": "meeting requirement",
                "verbose_name_plural": "meeting requirements",
                "ordering": ["sort_order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CriticismMeeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("democratic", "Democratic life meeting (leadership)"),
                            ("organisational", "Organisational life meeting (branch)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("held_on", models.DateField(verbose_name="held on")),
                ("location", models.CharField(blank=True, max_length=200, verbose_name="place")),
                ("topic", models.TextField(blank=True, verbose_name="theme")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="criticism_meetings",
                        to="members.branch",
                        verbose_name="branch",
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
                (
                    "participants",
                    models.ManyToManyField(
                        related_name="criticism_meetings", to="members.member", verbose_name="participants"
                    ),
                ),
            ],
            options={
                "verbose_name": "criticism meeting",
                "verbose_name_plural": "criticism meetings",
                "ordering": ["-held_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Criticism",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("matter", models.TextField(verbose_name="the matter")),
                ("evidence", models.TextField(blank=True, verbose_name="evidence")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "from_member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.member",
                        verbose_name="critic",
                    ),
                ),
                (
                    "to_member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.member",
                        verbose_name="member criticised",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criticisms",
                        to="study.criticismmeeting",
                        verbose_name="meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "criticism",
                "verbose_name_plural": "criticisms",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCriticism",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("matter", models.TextField(verbose_name="the matter")),
                ("evidence", models.TextField(blank=True, verbose_name="evidence")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "from_member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="critic",
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
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.criticismmeeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "to_member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="member criticised",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical criticism",
                "verbose_name_plural": "historical criticisms",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCriticismMeeting",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("democratic", "Democratic life meeting (leadership)"),
                            ("organisational", "Organisational life meeting (branch)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("held_on", models.DateField(verbose_name="held on")),
                ("location", models.CharField(blank=True, max_length=200, verbose_name="place")),
                ("topic", models.TextField(blank=True, verbose_name="theme")),
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
                "verbose_name": "historical criticism meeting",
                "verbose_name_plural": "historical criticism meetings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCriticismMeeting_participants",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "criticismmeeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.criticismmeeting",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="study.historicalcriticismmeeting",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalCriticismMeeting_participants",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMeetingRule",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assembly", "Member assembly (collective study)"),
                            ("group", "Party group meeting (study in groups)"),
                            ("lecture", "Special Party lecture (focused study)"),
                            ("committee", "Branch committee meeting"),
                        ],
                        db_index=True,
                        error_messages={"unique": "There is already a requirement for this kind of meeting."},
                        max_length=16,
                        verbose_name="meeting",
                    ),
                ),
                (
                    "times",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(31),
                        ],
                        verbose_name="times",
                    ),
                ),
                (
                    "every",
                    models.CharField(
                        choices=[("month", "Every month"), ("quarter", "Every quarter")],
                        default="month",
                        max_length=8,
                        verbose_name="every",
                    ),
                ),
                ("per_group", models.BooleanField(default=False, verbose_name="counted per Party group")),
                (
                    "may_combine",
                    models.BooleanField(
                        default=False,
                        help_text="Whether a meeting of another kind or a themed Party day may also count for this one.",
                        verbose_name="may be met together with another meeting",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="in force")),
                ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
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
            ],
            options={
                "verbose_name": "historical meeting requirement",
                "verbose_name_plural": "historical meeting requirements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalQuarterlyReport",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("quarter", models.CharField(max_length=6, verbose_name="quarter")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("with_group", "With the group"),
                            ("with_branch", "With the branch"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("studied_notes", models.TextField(blank=True, verbose_name="other study")),
                ("insights", models.TextField(blank=True, verbose_name="what I took from it")),
                ("org_life_notes", models.TextField(blank=True, verbose_name="organisational life")),
                ("analysis", models.TextField(blank=True, verbose_name="Party-spirit analysis")),
                ("returned_sections", models.JSONField(blank=True, default=list, verbose_name="sections to redo")),
                ("group_opinion", models.TextField(blank=True, verbose_name="group opinion")),
                (
                    "grade",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("excellent", "Excellent"),
                            ("qualified", "Qualified"),
                            ("basic", "Basically qualified"),
                            ("unqualified", "Unqualified"),
                        ],
                        max_length=12,
                        verbose_name="grade",
                    ),
                ),
                ("truly_studied", models.BooleanField(null=True, verbose_name="truly studied")),
                ("truly_checked", models.BooleanField(null=True, verbose_name="truly checked")),
                ("truly_rectified", models.BooleanField(null=True, verbose_name="truly rectified")),
                ("evaluation", models.TextField(blank=True, verbose_name="branch evaluation")),
                (
                    "submitted_figures",
                    models.JSONField(blank=True, editable=False, null=True, verbose_name="figures as submitted"),
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
                "verbose_name": "historical quarterly Party-spirit report",
                "verbose_name_plural": "historical quarterly Party-spirit reports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRectificationItem",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("description", models.TextField(verbose_name="rectification item")),
                ("deadline", models.DateField(verbose_name="deadline")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Not started"), ("in_progress", "In progress"), ("done", "Done")],
                        default="open",
                        max_length=12,
                        verbose_name="status",
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.criticismmeeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rectification item",
                "verbose_name_plural": "historical rectification items",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSelfCriticism",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("content", models.TextField(verbose_name="self-criticism")),
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
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.criticismmeeting",
                        verbose_name="meeting",
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
                "verbose_name": "historical self-criticism",
                "verbose_name_plural": "historical self-criticisms",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalStudySession",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assembly", "Member assembly (collective study)"),
                            ("group", "Party group meeting (study in groups)"),
                            ("lecture", "Special Party lecture (focused study)"),
                            ("committee", "Branch committee meeting"),
                            ("restudy", "Remedial re-study"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="topic")),
                (
                    "content_tag",
                    models.CharField(
                        choices=[
                            ("prescribed", "Prescribed content"),
                            ("higher", "Required by higher levels"),
                            ("constitution", "Party Constitution"),
                        ],
                        max_length=16,
                        verbose_name="content type",
                    ),
                ),
                (
                    "content",
                    models.TextField(
                        help_text="What is studied: documents, speeches, chapters.", verbose_name="content"
                    ),
                ),
                (
                    "requirements",
                    models.TextField(
                        blank=True,
                        help_text="What members must do: read beforehand, take notes, speak…",
                        verbose_name="requirements",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("duration_minutes", models.PositiveIntegerField(default=90, verbose_name="duration (minutes)")),
                ("location", models.CharField(blank=True, max_length=200, verbose_name="place")),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("branch", "The whole branch"),
                            ("group", "One Party group"),
                            ("committee", "The branch committee"),
                            ("assigned", "Assigned members only"),
                        ],
                        default="branch",
                        max_length=16,
                        verbose_name="who must attend",
                    ),
                ),
                (
                    "attendance_taken_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="attendance taken at"),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
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
            ],
            options={
                "verbose_name": "historical study session",
                "verbose_name_plural": "historical study sessions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="QuarterlyReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("quarter", models.CharField(max_length=6, verbose_name="quarter")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("with_group", "With the group"),
                            ("with_branch", "With the branch"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("studied_notes", models.TextField(blank=True, verbose_name="other study")),
                ("insights", models.TextField(blank=True, verbose_name="what I took from it")),
                ("org_life_notes", models.TextField(blank=True, verbose_name="organisational life")),
                ("analysis", models.TextField(blank=True, verbose_name="Party-spirit analysis")),
                ("returned_sections", models.JSONField(blank=True, default=list, verbose_name="sections to redo")),
                ("group_opinion", models.TextField(blank=True, verbose_name="group opinion")),
                (
                    "grade",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("excellent", "Excellent"),
                            ("qualified", "Qualified"),
                            ("basic", "Basically qualified"),
                            ("unqualified", "Unqualified"),
                        ],
                        max_length=12,
                        verbose_name="grade",
                    ),
                ),
                ("truly_studied", models.BooleanField(null=True, verbose_name="truly studied")),
                ("truly_checked", models.BooleanField(null=True, verbose_name="truly checked")),
                ("truly_rectified", models.BooleanField(null=True, verbose_name="truly rectified")),
                ("evaluation", models.TextField(blank=True, verbose_name="branch evaluation")),
                (
                    "submitted_figures",
                    models.JSONField(blank=True, editable=False, null=True, verbose_name="figures as submitted"),
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
                        related_name="reports",
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
                        related_name="reports",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "quarterly Party-spirit report",
                "verbose_name_plural": "quarterly Party-spirit reports",
                "ordering": ["-quarter", "member__employee_no"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalTalk",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("report_return", "Returned report"),
                            ("assessment", "Assessment result"),
                            ("other", "Other"),
                        ],
                        max_length=16,
                        verbose_name="source",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("subject", models.CharField(blank=True, default="", max_length=40, verbose_name="talk subject")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due by")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("recorded", "Recorded")],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("talked_on", models.DateField(blank=True, null=True, verbose_name="date of the talk")),
                ("talked_by", models.CharField(blank=True, max_length=100, verbose_name="who talked")),
                ("problems", models.TextField(blank=True, verbose_name="problems pointed out")),
                ("response", models.TextField(blank=True, verbose_name="member's response")),
                ("plan", models.TextField(blank=True, verbose_name="improvement plan")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("recorded_at", models.DateTimeField(blank=True, null=True, verbose_name="recorded at")),
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
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.quarterlyreport",
                        verbose_name="quarterly Party-spirit report",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical talk",
                "verbose_name_plural": "historical talks",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RectificationItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("description", models.TextField(verbose_name="rectification item")),
                ("deadline", models.DateField(verbose_name="deadline")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Not started"), ("in_progress", "In progress"), ("done", "Done")],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rectifications",
                        to="study.criticismmeeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rectifications",
                        to="members.member",
                        verbose_name="owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "rectification item",
                "verbose_name_plural": "rectification items",
                "ordering": ["deadline", "pk"],
            },
        ),
        migrations.CreateModel(
            name="RectificationUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.TextField(verbose_name="follow-up")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Not started"), ("in_progress", "In progress"), ("done", "Done")],
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates",
                        to="study.rectificationitem",
                        verbose_name="rectification item",
                    ),
                ),
            ],
            options={
                "verbose_name": "rectification follow-up",
                "verbose_name_plural": "rectification follow-ups",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ReportProblem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("problem", models.TextField(verbose_name="problem found")),
                ("cause", models.TextField(blank=True, verbose_name="cause")),
                ("measure", models.TextField(blank=True, verbose_name="rectification measure")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Not started"), ("in_progress", "In progress"), ("done", "Done")],
                        default="open",
                        max_length=12,
                        verbose_name="completion",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "carried_from",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="study.reportproblem",
                        verbose_name="carried over from",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="problems",
                        to="study.quarterlyreport",
                        verbose_name="quarterly Party-spirit report",
                    ),
                ),
            ],
            options={
                "verbose_name": "problem and rectification",
                "verbose_name_plural": "problems and rectification",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalReportProblem",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("problem", models.TextField(verbose_name="problem found")),
                ("cause", models.TextField(blank=True, verbose_name="cause")),
                ("measure", models.TextField(blank=True, verbose_name="rectification measure")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Not started"), ("in_progress", "In progress"), ("done", "Done")],
                        default="open",
                        max_length=12,
                        verbose_name="completion",
                    ),
                ),
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
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.quarterlyreport",
                        verbose_name="quarterly Party-spirit report",
                    ),
                ),
                (
                    "carried_from",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.reportproblem",
                        verbose_name="carried over from",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical problem and rectification",
                "verbose_name_plural": "historical problems and rectification",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SelfCriticism",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("content", models.TextField(verbose_name="self-criticism")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="self_criticisms",
                        to="study.criticismmeeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "self-criticism",
                "verbose_name_plural": "self-criticisms",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="StudySession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assembly", "Member assembly (collective study)"),
                            ("group", "Party group meeting (study in groups)"),
                            ("lecture", "Special Party lecture (focused study)"),
                            ("committee", "Branch committee meeting"),
                            ("restudy", "Remedial re-study"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="topic")),
                (
                    "content_tag",
                    models.CharField(
                        choices=[
                            ("prescribed", "Prescribed content"),
                            ("higher", "Required by higher levels"),
                            ("constitution", "Party Constitution"),
                        ],
                        max_length=16,
                        verbose_name="content type",
                    ),
                ),
                (
                    "content",
                    models.TextField(
                        help_text="What is studied: documents, speeches, chapters.", verbose_name="content"
                    ),
                ),
                (
                    "requirements",
                    models.TextField(
                        blank=True,
                        help_text="What members must do: read beforehand, take notes, speak…",
                        verbose_name="requirements",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("duration_minutes", models.PositiveIntegerField(default=90, verbose_name="duration (minutes)")),
                ("location", models.CharField(blank=True, max_length=200, verbose_name="place")),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("branch", "The whole branch"),
                            ("group", "One Party group"),
                            ("committee", "The branch committee"),
                            ("assigned", "Assigned members only"),
                        ],
                        default="branch",
                        max_length=16,
                        verbose_name="who must attend",
                    ),
                ),
                (
                    "attendance_taken_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="attendance taken at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                (
                    "also_counts_for",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Where the rules allow it, one meeting counts for several requirements.",
                        related_name="+",
                        to="study.meetingrule",
                        verbose_name="also counts as",
                    ),
                ),
                (
                    "assigned_members",
                    models.ManyToManyField(
                        blank=True,
                        related_name="assigned_sessions",
                        to="members.member",
                        verbose_name="members assigned",
                    ),
                ),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="study_sessions",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="study_sessions",
                        to="members.partygroup",
                        verbose_name="Party group",
                    ),
                ),
            ],
            options={
                "verbose_name": "study session",
                "verbose_name_plural": "study sessions",
                "ordering": ["-starts_at"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAttendance",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("present", "Present"), ("excused", "Excused"), ("absent", "Absent")],
                        max_length=8,
                        verbose_name="attendance",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
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
                    "session",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="study.studysession",
                        verbose_name="study session",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical attendance",
                "verbose_name_plural": "historical attendance",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Attendance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("present", "Present"), ("excused", "Excused"), ("absent", "Absent")],
                        max_length=8,
                        verbose_name="attendance",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="study.studysession",
                        verbose_name="study session",
                    ),
                ),
            ],
            options={
                "verbose_name": "attendance",
                "verbose_name_plural": "attendance",
            },
        ),
        migrations.CreateModel(
            name="Talk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("report_return", "Returned report"),
                            ("assessment", "Assessment result"),
                            ("other", "Other"),
                        ],
                        max_length=16,
                        verbose_name="source",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("subject", models.CharField(blank=True, default="", max_length=40, verbose_name="talk subject")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due by")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("recorded", "Recorded")],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("talked_on", models.DateField(blank=True, null=True, verbose_name="date of the talk")),
                ("talked_by", models.CharField(blank=True, max_length=100, verbose_name="who talked")),
                ("problems", models.TextField(blank=True, verbose_name="problems pointed out")),
                ("response", models.TextField(blank=True, verbose_name="member's response")),
                ("plan", models.TextField(blank=True, verbose_name="improvement plan")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("recorded_at", models.DateTimeField(blank=True, null=True, verbose_name="recorded at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="talks",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="talks",
                        to="members.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="talks",
                        to="study.quarterlyreport",
                        verbose_name="quarterly Party-spirit report",
                    ),
                ),
            ],
            options={
                "verbose_name": "talk",
                "verbose_name_plural": "talks",
                "ordering": ["status", "due_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ReportTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=16, verbose_name="action")),
                (
                    "from_status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("with_group", "With the group"),
                            ("with_branch", "With the branch"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        max_length=12,
                        verbose_name="from status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("with_group", "With the group"),
                            ("with_branch", "With the branch"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        max_length=12,
                        verbose_name="to status",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                ("sections", models.JSONField(blank=True, default=list, verbose_name="sections to redo")),
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
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transitions",
                        to="study.quarterlyreport",
                        verbose_name="quarterly Party-spirit report",
                    ),
                ),
                (
                    "restudy_session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="study.studysession",
                        verbose_name="re-study session",
                    ),
                ),
                (
                    "talk",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="study.talk",
                        verbose_name="talk",
                    ),
                ),
            ],
            options={
                "verbose_name": "report transition",
                "verbose_name_plural": "report transitions",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="quarterlyreport",
            index=models.Index(fields=["branch", "quarter", "status"], name="report_branch_quarter_idx"),
        ),
        migrations.AddIndex(
            model_name="quarterlyreport",
            index=models.Index(fields=["group", "status"], name="report_group_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="quarterlyreport",
            constraint=models.UniqueConstraint(fields=("member", "quarter"), name="report_once_per_quarter"),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(fields=["owner", "status"], name="rectification_owner_idx"),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(fields=["status", "deadline"], name="rectification_open_idx"),
        ),
        migrations.AddConstraint(
            model_name="selfcriticism",
            constraint=models.UniqueConstraint(fields=("meeting", "member"), name="one_self_criticism_per_member"),
        ),
        migrations.AddIndex(
            model_name="studysession",
            index=models.Index(fields=["branch", "starts_at"], name="session_branch_start_idx"),
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(fields=["member", "status"], name="attendance_member_idx"),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(fields=("session", "member"), name="attendance_once_per_session"),
        ),
        migrations.AddIndex(
            model_name="talk",
            index=models.Index(fields=["branch", "status"], name="talk_branch_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="talk",
            constraint=models.UniqueConstraint(
                condition=models.Q(("subject", ""), _negated=True),
                fields=("member", "subject"),
                name="one_talk_per_member_and_subject",
            ),
        ),
        migrations.RunPython(_replaced("0010_default_meeting_rules").create, migrations.RunPython.noop),
    ]
