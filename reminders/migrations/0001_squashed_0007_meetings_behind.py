"""The reminders app's migrations 0001 to 0007 in one (issue 18: a fresh database — every test
database, `make run`'s first start — built 7 migrations of label changes one by one). Django
uses it for a database with none of them applied and marks it applied where all of them are;
the migrations it replaces stay until every deployment has run them.

The data the replaced migrations wrote on a fresh database is written the same way, by their
own functions (the conversions of existing rows have nothing to convert in a new database)."""

import importlib

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _replaced(name: str):
    return importlib.import_module(f"reminders.migrations.{name}")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("reminders", "0001_initial"),
        ("reminders", "0002_schedule"),
        ("reminders", "0003_event_kinds"),
        ("reminders", "0004_chinese_labels"),
        ("reminders", "0005_daily_reminders_in_chinese"),
        ("reminders", "0006_objection_and_final_kinds"),
        ("reminders", "0007_meetings_behind"),
    ]

    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "report_deadline_days",
                    models.PositiveSmallIntegerField(
                        default=10,
                        help_text="The quarterly report and the 5+X self-check are due this many days after the quarter's last day.",
                        verbose_name="report deadline (days after the quarter ends)",
                    ),
                ),
                (
                    "days_before",
                    models.PositiveSmallIntegerField(
                        default=7, verbose_name="first reminder (days before the deadline)"
                    ),
                ),
                (
                    "overdue_window_days",
                    models.PositiveSmallIntegerField(
                        default=60, verbose_name="overdue reminders sent up to (days after the deadline)"
                    ),
                ),
                (
                    "meetings_days_before_month_end",
                    models.PositiveSmallIntegerField(
                        default=7,
                        help_text="A branch that has not yet held a monthly meeting is reminded this many days before the month ends.",
                        validators=[django.core.validators.MaxValueValidator(27)],
                        verbose_name="meeting reminder (days before a month ends)",
                    ),
                ),
                (
                    "meetings_days_before_quarter_end",
                    models.PositiveSmallIntegerField(
                        default=15,
                        help_text="A branch that has not yet held a quarterly meeting is reminded this many days before the quarter ends.",
                        validators=[django.core.validators.MaxValueValidator(89)],
                        verbose_name="meeting reminder (days before a quarter ends)",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder settings",
                "verbose_name_plural": "reminder settings",
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report_due", "Quarterly report due"),
                            ("report_overdue", "Quarterly report overdue"),
                            ("selfcheck_due", "5+X self-check due"),
                            ("selfcheck_overdue", "5+X self-check overdue"),
                            ("group_waiting", "Reports waiting for the group"),
                            ("branch_waiting", "Reports waiting for the branch"),
                            ("talk_open", "Talk to record"),
                            ("talk_escalated", "Overdue talk"),
                            ("report_nudge", "Reminder from the branch to submit the report"),
                            ("report_returned", "Report returned"),
                            ("report_approved", "Report approved"),
                            ("restudy_assigned", "Assigned to re-study"),
                            ("card_returned", "Card returned"),
                            ("card_approved", "Card approved"),
                            ("talk_opened", "Talk opened"),
                            ("suggestion_answered", "Suggestion answered"),
                            ("suggestion_closed", "Suggestion closed"),
                            ("results_published", "Results published"),
                            ("objection_filed", "Objection to rule on"),
                            ("objection_ruled", "Objection ruled"),
                            ("results_final", "Results final"),
                            ("meetings_behind", "Meetings still to hold"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("subject", models.CharField(max_length=64, verbose_name="what it is about")),
                ("quarter", models.CharField(max_length=6, verbose_name="quarter")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="message")),
                ("url", models.CharField(blank=True, max_length=300, verbose_name="link")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at")),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient",
                    ),
                ),
            ],
            options={
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
                    models.Index(fields=["kind", "quarter", "subject"], name="notification_kind_idx"),
                    models.Index(fields=["emailed_at"], name="notification_email_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("recipient", "kind", "subject", "quarter"), name="notification_once_per_subject"
                    )
                ],
            },
        ),
        migrations.RunPython(_replaced("0002_schedule").create_schedule, _replaced("0002_schedule").remove_schedule),
        migrations.RunPython(
            _replaced("0005_daily_reminders_in_chinese").rename,
            _replaced("0005_daily_reminders_in_chinese").rename_back,
        ),
    ]
