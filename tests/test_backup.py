"""backup_db and restore_db: a backup taken, data changed and deleted, the restore brings
back every report and rating exactly as it was (on the database engine the suite runs on)."""

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from assessment.models import RaterGroup, Rating
from assessment.tests.factories import PeriodFactory, rate
from partybuild.ops.backups import BackupError, pg_tool_matches_server, sqlite_backup_file
from study.models import QuarterlyReport, ReportProblem, ReportTransition
from study.services import reports as report_services
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory

pytestmark = pytest.mark.django_db

# Every row of these, every column, must come back from a backup.
MODELS = [
    QuarterlyReport,
    QuarterlyReport.history.model,
    ReportProblem,
    ReportTransition,
    Rating,
    Rating.history.model,
]


def snapshot() -> dict[str, list[dict]]:
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELS}


def in_chinese(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def engine():
    """The suite's database engine, when backups of it can be tested here."""
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor != "postgresql":
        pytest.skip(f"backups are not supported on {connection.vendor}")
    ok, tool, server = pg_tool_matches_server()
    if not ok:
        pytest.skip(f"pg_dump {tool} cannot dump a PostgreSQL {server} server")
    return "postgresql"


@pytest.fixture
def data(org):
    """Reports in several states with problems and transitions, ratings from every rater group."""
    period = PeriodFactory()
    draft = QuarterlyReportFactory(member=org.member, studied_notes="自学《党章》", insights="草稿体会")
    ReportProblemFactory(report=draft, problem="学习不够深入", position=0)
    submitted = QuarterlyReportFactory(member=org.groupmate, insights="已提交的体会")
    ReportProblemFactory(report=submitted, measure="每周学习两小时")
    report_services.report_submit(actor=org.groupmate.user, report_id=submitted.pk)
    QuarterlyReportFactory(member=org.member_b, quarter="2025Q4", insights="上季度的报告")
    rate(period, org.member, RaterGroup.SELF, "92.5", rater_member=org.member)
    rate(period, org.member, RaterGroup.PEER, "88", rater_member=org.groupmate)
    rate(period, org.groupmate, RaterGroup.PEER, "75.5", rater_member=org.member)
    rate(period, org.member, RaterGroup.MASSES, "81", rater_masses=org.masses)
    rate(period, org.member, RaterGroup.ORG, "90")
    return {"period": period, "draft": draft, "submitted": submitted}


# Committed data, so that pg_dump (another session) sees it and the restore may drop tables.
@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_every_report_and_rating(engine, data, org, tmp_path):
    before = snapshot()
    assert len(before["study.QuarterlyReport"]) == 3 and len(before["assessment.Rating"]) == 5
    out = tmp_path / "partybuild.backup"

    call_command("backup_db", "--out", str(out))

    # After the backup: edits, deletions and new rows, all of which the restore must undo.
    draft = data["draft"]
    report_services.report_save(
        actor=org.member.user, report_id=draft.pk, version=draft.version, texts={"insights": "备份之后的修改"}
    )
    QuarterlyReport.objects.filter(quarter="2025Q4").delete()
    Rating.objects.filter(rater_group=RaterGroup.MASSES).delete()
    Rating.objects.filter(rater_group=RaterGroup.ORG).update(total=Decimal("10"), scores={})
    rate(data["period"], org.member_a2, RaterGroup.ORG, "60")
    assert snapshot() != before

    call_command("restore_db", str(out), "--force")

    after = snapshot()
    for label, rows in before.items():
        assert after[label] == rows, label
    # The restored database takes new writes where the old one left off (sequences restored too).
    rating = rate(data["period"], org.member_a2, RaterGroup.ORG, "60")
    assert rating.pk > max(row["id"] for row in before["assessment.Rating"])


def test_restore_refuses_a_database_that_holds_data_without_force(engine, data, tmp_path):
    out = tmp_path / "partybuild.backup"
    call_command("backup_db", "--out", str(out))
    Rating.objects.all().delete()

    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("restore_db", str(out))

    assert str(refused.value) == in_chinese(
        "The database already holds data. Restoring replaces all of it with the backup; "
        "run the command again with --force if that is what you want."
    )
    assert Rating.objects.count() == 0  # nothing was restored


@pytest.mark.parametrize(
    "content",
    [b"employee_no,name\nE1,x\n", b"SQLite format 3\x00" + b"\x00" * 200, b"PGDMP" + b"\x00" * 200],
    ids=["csv", "broken-sqlite", "broken-pg-dump"],
)
def test_restore_refuses_a_file_that_is_not_a_backup(engine, org, tmp_path, content):
    bad = tmp_path / "not-a-backup"
    bad.write_bytes(content)
    before = snapshot()

    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("restore_db", str(bad), "--force")

    assert str(bad) in str(refused.value)
    assert snapshot() == before


def test_restore_of_a_missing_file_says_so(engine, db, tmp_path):
    missing = tmp_path / "nowhere.backup"
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("restore_db", str(missing))
    assert str(refused.value) == in_chinese("No such file: %(path)s") % {"path": missing}


def test_backup_into_a_missing_folder_says_so_and_writes_nothing(engine, db, tmp_path):
    out = tmp_path / "no-such-folder" / "partybuild.backup"
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("backup_db", "--out", str(out))
    assert str(refused.value) == in_chinese("The folder %(path)s does not exist.") % {"path": out.parent}
    assert not out.parent.exists()


def test_backup_replaces_an_older_file_and_leaves_no_partial_file(engine, data, tmp_path):
    out = tmp_path / "partybuild.backup"
    out.write_bytes(b"yesterday's backup")
    call_command("backup_db", "--out", str(out))
    assert out.read_bytes()[:5] in (b"SQLit", b"PGDMP")
    assert [p.name for p in tmp_path.iterdir()] == ["partybuild.backup"]


def test_sqlite_backup_is_one_snapshot_while_the_application_writes(tmp_path):
    """A writer moves money between two accounts in transactions while the backup runs:
    the copy must hold a state some transaction left, so the sum is unchanged."""
    live = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)")
    setup.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY)")
    setup.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)")
    setup.executemany("INSERT INTO account VALUES (?, ?)", [(1, 1000), (2, 1000)])
    # Enough pages that the copy takes a while and the writer gets in during it.
    setup.executemany("INSERT INTO filler (body) VALUES (?)", [("x" * 2000,) for _ in range(3000)])
    setup.commit()
    setup.close()
    stop = threading.Event()
    commits = []

    def writer():
        conn = sqlite3.connect(live, timeout=20, isolation_level=None)
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE account SET balance = balance - 7 WHERE id = 1")
            conn.execute("UPDATE account SET balance = balance + 7 WHERE id = 2")
            conn.execute("COMMIT")
            commits.append(1)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    copies, overlapped = [], 0
    try:
        while len(commits) < 20:  # the writer is under way before the first backup starts
            stop.wait(0.001)
        for n in range(5):
            out = tmp_path / f"copy{n}.sqlite3"
            before = len(commits)
            sqlite_backup_file(source=live, out=out)
            overlapped += len(commits) - before
            copies.append(out)
    finally:
        stop.set()
        thread.join()
    assert overlapped > 0  # the writer committed while backups were being taken
    for out in copies:
        conn = sqlite3.connect(out)
        (total,) = conn.execute("SELECT SUM(balance) FROM account").fetchone()
        (filler,) = conn.execute("SELECT COUNT(*) FROM filler").fetchone()
        conn.close()
        assert (total, filler) == (2000, 3000), out


def test_sqlite_backup_of_a_missing_database_fails_cleanly(tmp_path):
    with pytest.raises(BackupError):
        sqlite_backup_file(source=tmp_path / "absent.sqlite3", out=tmp_path / "out.sqlite3")
    assert not (tmp_path / "out.sqlite3").exists()


def test_backup_commands_exist_on_the_documented_page():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "operations.md").read_text()
    for text in ("backup_db --out", "restore_db", "--force", "pg_dump", "pg_restore"):
        assert text in doc
