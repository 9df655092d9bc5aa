"""The members app's migrations 0001 to 0002 in one (issue 18: a fresh database — every test
database, `make run`'s first start — built 2 migrations of label changes one by one). Django
uses it for a database with none of them applied and marks it applied where all of them are;
the migrations it replaces stay until every deployment has run them."""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("members", "0001_initial"),
        ("members", "0002_chinese_labels"),
    ]

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Branch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        error_messages={"unique": "There is already a branch of this name."},
                        max_length=100,
                        unique=True,
                        verbose_name="name",
                    ),
                ),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="sort order")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "Party branch",
                "verbose_name_plural": "Party branches",
                "ordering": ["sort_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="User",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                ("last_login", models.DateTimeField(blank=True, null=True, verbose_name="last login")),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        unique=True,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email address")),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                ("date_joined", models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined")),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
            ],
            options={
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
            managers=[
                ("objects", django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name="HistoricalBranch",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "There is already a branch of this name."},
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="sort order")),
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
            ],
            options={
                "verbose_name": "historical Party branch",
                "verbose_name_plural": "historical Party branches",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMassesRater",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "employee_no",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "Another masses rater has this employee number."},
                        max_length=32,
                        verbose_name="employee number",
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
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
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="login account",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical masses rater",
                "verbose_name_plural": "historical masses raters",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Member",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "employee_no",
                    models.CharField(
                        error_messages={"unique": "Another member has this employee number."},
                        max_length=32,
                        unique=True,
                        verbose_name="employee number",
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                (
                    "gender",
                    models.CharField(choices=[("M", "Male"), ("F", "Female")], max_length=1, verbose_name="gender"),
                ),
                ("birth_date", models.DateField(blank=True, null=True, verbose_name="birth date")),
                (
                    "party_status",
                    models.CharField(
                        choices=[("full", "Full member"), ("probationary", "Probationary member")],
                        default="full",
                        max_length=16,
                        verbose_name="Party status",
                    ),
                ),
                ("joined_on", models.DateField(verbose_name="joined the Party on")),
                ("full_on", models.DateField(blank=True, null=True, verbose_name="made full member on")),
                ("post", models.CharField(blank=True, max_length=100, verbose_name="post")),
                ("job_title", models.CharField(blank=True, max_length=100, verbose_name="job title")),
                ("phone", models.CharField(blank=True, max_length=32, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                (
                    "committee_role",
                    models.CharField(
                        blank=True,
                        choices=[("", "None"), ("secretary", "Branch secretary"), ("committee", "Committee member")],
                        default="",
                        max_length=16,
                        verbose_name="branch committee role",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="on the roll")),
                ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="member",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="login account",
                    ),
                ),
            ],
            options={
                "verbose_name": "Party member",
                "verbose_name_plural": "Party members",
                "ordering": ["employee_no"],
            },
        ),
        migrations.CreateModel(
            name="MassesRater",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "employee_no",
                    models.CharField(
                        error_messages={"unique": "Another masses rater has this employee number."},
                        max_length=32,
                        unique=True,
                        verbose_name="employee number",
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="masses_raters",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="masses_rater",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="login account",
                    ),
                ),
                (
                    "ratees",
                    models.ManyToManyField(
                        blank=True, related_name="masses_raters", to="members.member", verbose_name="members rated"
                    ),
                ),
            ],
            options={
                "verbose_name": "masses rater",
                "verbose_name_plural": "masses raters",
                "ordering": ["employee_no"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPartyGroup",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="sort order")),
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
                    "leader",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="group leader",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical Party group",
                "verbose_name_plural": "historical Party groups",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMassesRater_ratees",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="members.historicalmassesrater",
                    ),
                ),
                (
                    "massesrater",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.massesrater",
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
                "verbose_name": "HistoricalMassesRater_ratees",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PartyGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="sort order")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="groups",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
                (
                    "leader",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="led_groups",
                        to="members.member",
                        verbose_name="group leader",
                    ),
                ),
            ],
            options={
                "verbose_name": "Party group",
                "verbose_name_plural": "Party groups",
                "ordering": ["branch__sort_order", "sort_order", "name"],
            },
        ),
        migrations.AddField(
            model_name="member",
            name="group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="members",
                to="members.partygroup",
                verbose_name="Party group",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalMember",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "employee_no",
                    models.CharField(
                        db_index=True,
                        error_messages={"unique": "Another member has this employee number."},
                        max_length=32,
                        verbose_name="employee number",
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                (
                    "gender",
                    models.CharField(choices=[("M", "Male"), ("F", "Female")], max_length=1, verbose_name="gender"),
                ),
                ("birth_date", models.DateField(blank=True, null=True, verbose_name="birth date")),
                (
                    "party_status",
                    models.CharField(
                        choices=[("full", "Full member"), ("probationary", "Probationary member")],
                        default="full",
                        max_length=16,
                        verbose_name="Party status",
                    ),
                ),
                ("joined_on", models.DateField(verbose_name="joined the Party on")),
                ("full_on", models.DateField(blank=True, null=True, verbose_name="made full member on")),
                ("post", models.CharField(blank=True, max_length=100, verbose_name="post")),
                ("job_title", models.CharField(blank=True, max_length=100, verbose_name="job title")),
                ("phone", models.CharField(blank=True, max_length=32, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                (
                    "committee_role",
                    models.CharField(
                        blank=True,
                        choices=[("", "None"), ("secretary", "Branch secretary"), ("committee", "Committee member")],
                        default="",
                        max_length=16,
                        verbose_name="branch committee role",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="on the roll")),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="login account",
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
            ],
            options={
                "verbose_name": "historical Party member",
                "verbose_name_plural": "historical Party members",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="partygroup",
            constraint=models.UniqueConstraint(
                fields=("branch", "name"),
                name="partygroup_unique_name_in_branch",
                violation_error_message="The branch already has a Party group of this name.",
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["branch", "group"], name="member_branch_group_idx"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(django.db.models.functions.text.Lower("name"), name="member_name_idx"),
        ),
    ]
