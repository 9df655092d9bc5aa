"""insert_rows writes rows exactly as given, on either database (COPY on PostgreSQL)."""

import pytest
from django.db import connection
from django.utils import timezone

from partybuild.lib.bulk_sql import insert_rows
from reminders.models import Notification

pytestmark = pytest.mark.django_db


def test_rows_land_exactly_as_given_whatever_the_characters(org):
    moment = timezone.now().replace(microsecond=123456)
    awkward = 'tab\there, line\nbreak\r, back\\slash, \\N, "quotes", 中文, <script>'
    columns = ["recipient_id", "kind", "subject", "quarter", "title", "body", "url", "created_at", "read_at"]
    stamp = connection.ops.adapt_datetimefield_value(moment)
    rows = [
        [org.member.user_id, "report_due", f"s{i}", "2026Q3", f"t{i}", awkward if i % 2 else "", "", stamp, None]
        for i in range(2500)
    ]
    assert insert_rows(Notification._meta.db_table, columns, rows) == 2500
    stored = Notification.objects.filter(recipient=org.member.user)
    assert stored.count() == 2500
    odd, even = stored.get(subject="s1"), stored.get(subject="s2")
    assert odd.body == awkward and odd.title == "t1"
    # An empty string stays an empty string, and None stays NULL.
    assert even.body == "" and odd.read_at is None
    assert odd.created_at == moment


def test_records_get_their_defaults_and_keep_json_dates_and_awkward_text(org):
    import datetime

    from partybuild.lib.bulk_sql import insert_records
    from study.models import QuarterlyReport, Talk

    moment = timezone.now().replace(microsecond=654321)
    awkward = 'tab\there, line\nbreak, back\\slash, \\N, "引号", 中文'
    member, branch = org.member, org.member.branch_id
    written = insert_records(
        QuarterlyReport,
        [
            {"member_id": member.pk, "quarter": "2026Q1", "branch_id": branch, "analysis": awkward,
             "returned_sections": ["analysis", awkward], "submitted_at": moment, "truly_studied": False},
            {"member_id": member.pk, "quarter": "2026Q2", "branch_id": branch},
        ],
    )  # fmt: skip
    assert written == 2
    first, second = QuarterlyReport.objects.filter(member=member).order_by("quarter")
    assert first.analysis == awkward and first.returned_sections == ["analysis", awkward]
    assert first.submitted_at == moment and first.truly_studied is False and first.truly_checked is None
    # Omitted fields: the model's defaults, and the moment of the load for auto_now(_add).
    assert second.status == QuarterlyReport.Status.DRAFT and second.returned_sections == []
    assert second.version == 1 and second.analysis == "" and second.submitted_at is None
    assert second.created_at is not None and second.created_at == second.updated_at
    assert abs(second.created_at - timezone.now()) < datetime.timedelta(minutes=1)

    due = datetime.date(2026, 12, 31)
    insert_records(Talk, [{"member_id": member.pk, "branch_id": branch, "source": "report_return", "due_on": due}])
    assert Talk.objects.get(member=member).due_on == due


def _foreign_keys() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
            "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="dropping and re-adding keys is PostgreSQL's")
def test_foreign_keys_come_back_as_they_were_and_still_refuse_a_dangling_row(org):
    from django.db import IntegrityError, transaction

    from partybuild.lib.bulk_sql import foreign_keys_checked_at_end

    before = _foreign_keys()
    assert len(before) > 100
    columns = ["recipient_id", "kind", "subject", "quarter", "title", "body", "url", "created_at", "read_at"]
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with foreign_keys_checked_at_end():
        assert _foreign_keys() == []
        insert_rows(
            Notification._meta.db_table, columns, [[org.member.user_id, "report_due", "", "", "t", "", "", stamp, None]]
        )
    assert _foreign_keys() == before
    assert Notification.objects.filter(recipient=org.member.user, title="t").count() == 1

    dangling = [[10**9, "report_due", "", "", "t", "", "", stamp, None]]
    with pytest.raises(IntegrityError, match="recipient_id"), transaction.atomic():
        with foreign_keys_checked_at_end():
            insert_rows(Notification._meta.db_table, columns, dangling)
    assert _foreign_keys() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="elsewhere the block drops nothing")
@pytest.mark.django_db(transaction=True)
def test_foreign_keys_are_never_dropped_outside_a_transaction():
    from partybuild.lib.bulk_sql import foreign_keys_checked_at_end

    before = _foreign_keys()
    with pytest.raises(RuntimeError, match="needs a transaction"), foreign_keys_checked_at_end():
        pass
    assert _foreign_keys() == before


def test_history_is_written_for_the_rows_given_and_only_those(org):
    """insert_history gives each row of the queryset its "created" record, as
    bulk_create_with_history would, with the reason, from the row's own values."""
    from members.models import Member
    from partybuild.lib.bulk_sql import insert_history

    history = Member.history.model
    mine = Member.objects.filter(pk=org.member.pk)
    before = history.objects.count()
    assert insert_history(mine, reason="seed_demo") == 1
    assert history.objects.count() == before + 1
    record = history.objects.filter(history_change_reason="seed_demo").get()
    assert record.id == org.member.pk and record.history_type == "+"
    assert (record.name, record.employee_no, record.branch_id) == (
        org.member.name,
        org.member.employee_no,
        org.member.branch_id,
    )
    assert abs(record.history_date - timezone.now()).total_seconds() < 60


@pytest.mark.skipif(connection.vendor != "postgresql", reason="dropping and re-adding keys is PostgreSQL's")
def test_foreign_keys_of_the_tables_named_alone_are_dropped_and_checked(org):
    """A block that fills some tables (a part of the demo seed) drops and checks their keys
    alone: the keys of every other table stay, and are not validated again at its end."""
    from django.db import IntegrityError, transaction

    from partybuild.lib.bulk_sql import foreign_keys_checked_at_end
    from reminders.models import Notification

    table = Notification._meta.db_table
    before = _foreign_keys()
    mine = [key for key in before if key[0] == table]
    assert mine and len(mine) < len(before)
    with foreign_keys_checked_at_end([table]):
        assert _foreign_keys() == [key for key in before if key[0] != table]
    assert _foreign_keys() == before

    columns = ["recipient_id", "kind", "subject", "quarter", "title", "body", "url", "created_at", "read_at"]
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    dangling = [[10**9, "report_due", "", "", "t", "", "", stamp, None]]
    with pytest.raises(IntegrityError, match="recipient_id"), transaction.atomic():
        with foreign_keys_checked_at_end([table]):
            insert_rows(table, columns, dangling)
    assert _foreign_keys() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's statistics are PostgreSQL's")
def test_analyze_gives_the_planner_the_rows_this_transaction_just_wrote(org):
    """The demo's million-member build fills a table and joins it in the next statement of the
    same transaction; autovacuum sees no uncommitted row, so without ANALYZE the planner has
    no statistics for the new rows (one card-history statement ran 17 minutes). The test
    database runs each test in a transaction, as the seed's part does."""
    from partybuild.lib.bulk_sql import analyze

    table = Notification._meta.db_table
    columns = ["recipient_id", "kind", "subject", "quarter", "title", "body", "url", "created_at", "read_at"]
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    kinds = ["report_due", "report_overdue"]
    insert_rows(
        table, columns, [[org.member.user_id, kinds[i % 2], f"s{i}", "", "t", "", "", stamp, None] for i in range(3000)]
    )

    def estimated() -> int:
        """The planner's rows for the kind of half the rows just written."""
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT * FROM {table} WHERE kind = 'report_overdue'")  # noqa: S608
            return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]

    before = estimated()
    analyze(Notification)
    assert 1200 <= estimated() <= 1800, estimated()
    assert not 1200 <= before <= 1800, before  # a guess, without statistics
