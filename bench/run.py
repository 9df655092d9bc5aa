"""`make bench`: the bulk paths at enterprise scale, each figure a ratio to its floor.

    python bench/run.py --size 10000          # what `make bench` runs
    python bench/run.py --size 100000         # `make bench SIZE=100000`

The benchmark owns its database and rebuilds it on every run: with DATABASE_URL
pointing at PostgreSQL it uses a database of the same server named
``<name>_bench`` (dropped and created again), otherwise the SQLite file
``var/bench.sqlite3``. BENCH_DATABASE_URL names another one explicitly.

Steps: migrate, ``seed_demo --members N`` (timed), VACUUM ANALYZE, then one fresh process per
metric that times the real code path and, in the same process, its floor — the
least work that could produce the same output — ``--repeat`` times each, keeping
the best of each. Peak memory is the metric process's peak resident set while
the real code path ran. The web pages are measured by bench/web.py (gunicorn +
wrk) against the same database. Results go to bench/results.json; ``--record``
also appends the table to bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable

# The goal of each metric as the table prints it; what is timed and its floor are in
# bench/README.md and in each metric_* function below.
GOAL_TEXT = {
    "compute_results": "ratio ≤ 6",
    "import_roster": "ratio ≤ 5",
    "reminder_fanout": "ratio ≤ 2",
}
GOALS = {"compute_results": 6.0, "export_rankings": 0.8, "import_roster": 5.0, "reminder_fanout": 2.0}
# The goals that depend on the company's size (issue 19: a group company of a million members
# on the same kind of machine): (at least this many members, seed_demo's seconds, the
# rankings export's peak MB). Below the first size neither is judged.
SIZE_GOALS = (
    (100_000, 300.0, 100.0),
    (1_000_000, 2400.0, 150.0),
)


def size_goals(size: int) -> tuple[float, float] | None:
    """(seed seconds, export peak MB) for a company of ``size`` members, None below 100,000."""
    goals = None
    for at_least, seed_seconds, peak_mb in SIZE_GOALS:
        if size >= at_least:
            goals = (seed_seconds, peak_mb)
    return goals


def goal_text(name: str, size: int) -> str:
    goals = size_goals(size)
    if name == "seed_demo":
        return f"< {goals[0]:,.0f} s on PostgreSQL" if goals else "judged from 100,000 members"
    if name == "export_rankings":
        return "ratio ≤ 0.8" + (f", peak ≤ {goals[1]:.0f} MB" if goals else "")
    return GOAL_TEXT[name]


# bench/web.py's reference pages: what every page pays before its own work.
REFERENCE_PAGES = {
    "web_empty": "an empty response, no login",
    "web_signed_in": "an empty response, logged in (the session and the user)",
    "web_layout": "an empty page in the layout, logged in",
}
IMPORT_ROWS = 10_000
# Django runs in autocommit mode outside atomic blocks, as VACUUM requires.
VACUUM = (
    "from django.db import connection\n"
    "connection.cursor().execute('VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE')"
)


# --------------------------------------------------------------------------- the database


def bench_database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "partybuild"
        return urlunsplit(parts._replace(path=f"/{name}_bench"))
    return f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"


def database_label(url: str) -> str:
    if url.startswith("sqlite"):
        return "sqlite"
    return "postgresql"


def recreate_database(url: str) -> None:
    """Start from nothing: the benchmark's own database, never the application's."""
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="partybuild.settings.dev",
        # DEBUG keeps every query in memory; a benchmark must run as production does.
        DEBUG="False",
        CELERY_TASK_ALWAYS_EAGER="False",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and peak resident MB of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=env)  # noqa: S603 - our own interpreter and scripts
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed with exit code {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


# --------------------------------------------------------------------------- inside a metric process


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best(repeat: int, measured, floor, *, prepare=None, cleanup=None) -> dict:
    """Time ``measured`` and ``floor`` alternately, ``repeat`` times; keep the best of each.

    The real path runs first in a fresh process, so the peak resident set read
    right after it is its own (and the interpreter's with Django loaded).
    """
    seconds, floors, peak = [], [], None
    for _round in range(repeat):
        for which, func in (("measured", measured), ("floor", floor)):
            if prepare:
                prepare(which)
            started = time.perf_counter()
            func()
            elapsed = time.perf_counter() - started
            if which == "measured":
                seconds.append(elapsed)
                if peak is None:
                    peak = peak_mb()
            else:
                floors.append(elapsed)
            if cleanup:
                cleanup(which)
    s, f = min(seconds), min(floors)
    return {"seconds": round(s, 4), "floor_seconds": round(f, 4), "ratio": round(s / f, 3), "peak_mb": round(peak, 1)}


def metric_compute(repeat: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from assessment.models import Period, Rating, Result

    period = Period.objects.order_by("-starts_on").first()
    sink = open(os.devnull, "w")
    if period.state == Period.State.OPEN:
        # Results are computed once rating has closed (this year's, with all its ratings).
        call_command("close_rating", period=period.code, stdout=sink)

    def measured():
        call_command("compute_results", period=period.code, stdout=sink)

    def prepare(which):
        if which == "measured":
            # Every round writes every result, as the first computation of a period does —
            # into a table without the last round's deleted rows, as a first computation
            # finds it (a unique index full of dead entries makes each insert look twice).
            Result.objects.filter(period=period)._raw_delete(Result.objects.db)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM {Result._meta.db_table}")

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ratee_id, rater_group, SUM(total), COUNT(*) FROM {Rating._meta.db_table} "  # noqa: S608
                "WHERE period_id = %s GROUP BY ratee_id, rater_group",
                [period.pk],
            )
            cursor.fetchall()

    return best(repeat, measured, floor, prepare=prepare)


def metric_export(repeat: int) -> dict:
    from django.core.management import call_command
    from openpyxl import Workbook, load_workbook

    from assessment.models import Period

    period = Period.objects.filter(computed_at__isnull=False).order_by("-starts_on").first()
    sink = open(os.devnull, "w")
    workdir = Path(tempfile.mkdtemp(prefix="bench-export-"))
    out = workdir / "rankings.xlsx"
    sheets: list[tuple[str, list[tuple]]] = []

    def measured():
        call_command("export_rankings", period=period.code, out=str(out), stdout=sink)

    def floor():
        book = Workbook(write_only=True)
        for title, rows in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(workdir / "floor.xlsx")

    def prepare(which):
        if which == "floor" and not sheets:
            # The same cells the real export wrote, read back once, outside the clock.
            written = load_workbook(out, read_only=True)
            sheets.extend((ws.title, list(ws.iter_rows(values_only=True))) for ws in written.worksheets)
            written.close()

    return best(repeat, measured, floor, prepare=prepare)


def _import_rows(n: int) -> list[dict]:
    from members.models import Member, PartyGroup
    from members.resources import COLUMNS

    groups = list(PartyGroup.objects.select_related("branch").order_by("pk")[:200])
    rows = []
    for i in range(n):
        group = groups[i % len(groups)]
        rows.append(
            {
                COLUMNS["employee_no"]: f"N{i + 1:07d}",
                COLUMNS["name"]: f"新党员{i + 1}",
                COLUMNS["gender"]: "女" if i % 3 == 0 else "男",
                COLUMNS["birth_date"]: datetime.date(1980 + i % 20, 1 + i % 12, 1 + i % 28),
                COLUMNS["party_status"]: "正式党员",
                COLUMNS["joined_on"]: datetime.date(2005 + i % 15, 1 + i % 12, 1 + i % 28),
                COLUMNS["full_on"]: datetime.date(2006 + i % 15, 1 + i % 12, 1 + i % 28),
                COLUMNS["post"]: "运行值班员",
                COLUMNS["job_title"]: "",
                COLUMNS["phone"]: f"139{i:08d}",
                COLUMNS["email"]: f"n{i}@example.com",
                COLUMNS["branch"]: group.branch.name,
                COLUMNS["group"]: group.name,
                COLUMNS["is_active"]: "是",
            }
        )
    assert not Member.objects.filter(employee_no__startswith="N").exists()
    return rows


def metric_import(repeat: int) -> dict:
    from openpyxl import Workbook

    from members.models import Branch, Member, PartyGroup
    from members.resources import COLUMNS
    from members.services import roster_import

    rows = _import_rows(IMPORT_ROWS)
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = workdir / "roster.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("党员名册")
    headers = list(COLUMNS.values())
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in headers])
    book.save(path)

    branches = {b.name: b.pk for b in Branch.objects.all()}
    groups = {(g.branch_id, g.name): g.pk for g in PartyGroup.objects.all()}

    def measured():
        with path.open("rb") as fh:
            report = roster_import(file=fh)
        if report.errors or report.new != IMPORT_ROWS:
            raise SystemExit(f"import_roster did not import the rows: {report.errors[:3]} new={report.new}")

    def floor():
        members = []
        for row in rows:
            branch = branches[row[COLUMNS["branch"]]]
            members.append(
                Member(
                    employee_no=row[COLUMNS["employee_no"]],
                    name=row[COLUMNS["name"]],
                    gender="F" if row[COLUMNS["gender"]] == "女" else "M",
                    birth_date=row[COLUMNS["birth_date"]],
                    party_status=Member.PartyStatus.FULL,
                    joined_on=row[COLUMNS["joined_on"]],
                    full_on=row[COLUMNS["full_on"]],
                    post=row[COLUMNS["post"]],
                    job_title=row[COLUMNS["job_title"]],
                    phone=row[COLUMNS["phone"]],
                    email=row[COLUMNS["email"]],
                    branch_id=branch,
                    group_id=groups[(branch, row[COLUMNS["group"]])],
                    is_active=True,
                )
            )
        Member.objects.bulk_create(members, batch_size=2000)

    def cleanup(_which):
        Member.history.filter(employee_no__startswith="N").delete()
        Member.objects.filter(employee_no__startswith="N")._raw_delete(Member.objects.db)

    return best(repeat, measured, floor, cleanup=cleanup)


def metric_fanout(repeat: int) -> dict:
    from django.db import connection

    from partybuild.lib.quarters import Quarter
    from reminders import services
    from reminders.models import Notification, ReminderSettings

    config = ReminderSettings.get()
    quarter = Quarter.of(datetime.date.today())
    # The last day of the report window: every member without a submitted report is due one.
    day = services.deadline(quarter, config)
    kept: list[Notification] = []

    def clear():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Notification._meta.db_table}")  # noqa: S608

    def measured():
        services.run(today=day)

    def floor():
        Notification.objects.bulk_create(
            [Notification(**values) for values in kept], batch_size=services.BATCH, ignore_conflicts=True
        )

    def prepare(which):
        if which == "floor" and not kept:
            fields = [f.attname for f in Notification._meta.concrete_fields if f.attname != "id"]
            kept.extend(Notification.objects.values(*fields))
        clear()

    clear()
    result = best(repeat, measured, floor, prepare=prepare)
    result["rows"] = len(kept)
    return result


WORKERS = {
    "compute_results": metric_compute,
    "export_rankings": metric_export,
    "import_roster": metric_import,
    "reminder_fanout": metric_fanout,
}


def worker(name: str, repeat: int) -> None:
    import django

    django.setup()
    # A running worker or server has imported its views and URLconf long before the work
    # arrives; load them now so the first timed round does not pay for it.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    result = WORKERS[name](repeat)
    print("BENCH-RESULT " + json.dumps(result))


# --------------------------------------------------------------------------- the table


def verdict(name: str, figures: dict) -> str:
    if name == "seed_demo":
        goals = size_goals(figures.get("size", 0))
        return "—" if goals is None else ("ok" if figures["seconds"] < goals[0] else "MISS")
    if name.startswith("web_"):
        if "ratio" not in figures:  # a reference page (bench/floor_views.py: empty, signed_in, layout)
            return "—"
        if figures["ratio"] >= 0.5 and figures.get("errors", 0) == 0:
            return "ok"
        # Below the goal because the layout alone costs more than the floor's own work?
        return f"MISS (ceiling {figures['ceiling']:.2f})" if figures.get("ceiling", 1) < 0.5 else "MISS"
    ok = figures["ratio"] <= GOALS[name]
    goals = size_goals(figures.get("size", 0))
    if name == "export_rankings" and goals is not None:
        ok = ok and figures["peak_mb"] <= goals[1]
    return "ok" if ok else "MISS"


def table(results: dict) -> str:
    lines = [
        f"size {results['size']:,} · {results['database']} · {results['date']} · {results['machine']}",
        "",
        "| metric | seconds | floor s | ratio | peak MB | goal | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for name, m in results["metrics"].items():
        figures = {**m, "size": results["size"]}
        if name.startswith("web_") and "ratio" not in m:
            lines.append(
                f"| {name} | {m['rps']:.1f} req/s (p95 {m['p95_ms']:.0f} ms, {m['errors']} errors) "
                f"| | | | reference: {REFERENCE_PAGES.get(name, name)} | — |"
            )
            continue
        if name.startswith("web_"):
            lines.append(
                f"| {name} | {m['rps']:.1f} req/s (p95 {m['p95_ms']:.0f} ms, {m['errors']} errors) "
                f"| {m['floor_rps']:.1f} req/s | {m['ratio']:.2f} | "
                f"| rps ≥ 0.5 × floor (ceiling {m.get('ceiling', 0):.2f}) | {verdict(name, figures)} |"
            )
            continue
        floor = "" if m.get("floor_seconds") is None else f"{m['floor_seconds']:.2f}"
        ratio = "" if m.get("ratio") is None else f"{m['ratio']:.2f}"
        goal = goal_text(name, results["size"])
        peak = f"{m['peak_mb']:.0f}"
        mark = verdict(name, figures)
        lines.append(f"| {name} | {m['seconds']:.2f} | {floor} | {ratio} | {peak} | {goal} | {mark} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="members to seed (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each metric and its floor (best kept)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the benchmark database as it is")
    parser.add_argument("--only", action="append", choices=[*WORKERS, "web"], help="measure only these")
    parser.add_argument("--web-seconds", type=int, default=5, help="seconds of load per page and floor, per round")
    parser.add_argument("--json", default=str(BENCH / "results.json"), help="where to write the results")
    parser.add_argument("--record", action="store_true", help="append the table to bench/README.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.repeat)
        return

    url = bench_database_url()
    env = child_env(url)
    results = {
        "size": args.size,
        "database": database_label(url),
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "metrics": {},
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    if not args.skip_seed:
        print(f"== fresh database ({results['database']})")
        recreate_database(url)
    print("== migrate")
    run_timed([*manage, "migrate", "--noinput", "-v", "0"], env)
    if not args.skip_seed:
        print(f"== seed_demo --members {args.size}")
        seconds, peak = run_timed([*manage, "seed_demo", "--members", str(args.size)], env)
        results["metrics"]["seed_demo"] = {
            "seconds": round(seconds, 2),
            "floor_seconds": None,
            "ratio": None,
            "peak_mb": round(peak, 1),
        }
        # A bulk-loaded database has no planner statistics until autovacuum gets round to its
        # tables, which at a million members is well after the first metric starts (issue 19:
        # the reminder fan-out 5.10 times its floor on unanalysed tables, 4.20 analysed).
        # Measure every figure on a database in its normal state, as a live one is.
        print("== vacuum and analyze")
        run_timed([*manage, "shell", "--no-imports", "-c", VACUUM], env)
    for name in WORKERS:
        if args.only and name not in args.only:
            continue
        print(f"== {name}")
        output = subprocess.run(  # noqa: S603
            [PYTHON, __file__, "--worker", name, "--repeat", str(args.repeat)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        line = next(line for line in output.splitlines() if line.startswith("BENCH-RESULT "))
        results["metrics"][name] = json.loads(line.removeprefix("BENCH-RESULT "))
    if not args.only or "web" in args.only:
        # The import rounds leave dead rows behind: tidy up as autovacuum would, so the
        # pages are measured on a database in its normal state.
        print("== vacuum and analyze")
        run_timed([*manage, "shell", "--no-imports", "-c", VACUUM], env)
        print("== web pages (gunicorn + wrk)")
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(  # noqa: S603
                [PYTHON, str(BENCH / "web.py"), "--seconds", str(args.web_seconds), "--json", out.name],
                cwd=ROOT,
                env={**env, "DEBUG": "False"},
                check=True,
            )
            results["metrics"].update(json.loads(Path(out.name).read_text()))

    Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    text = table(results)
    print()
    print(text)
    print(f"\nwritten to {args.json}")
    if args.record:
        readme = BENCH / "README.md"
        entry = f"### {results['date']} — {results['size']:,} members, {results['database']}\n\n{text}\n\n"
        readme.write_text(with_run(readme.read_text(), entry))


def with_run(readme: str, entry: str) -> str:
    """The README with a run's table added last under "## Runs" (the end when it has none)."""
    runs = readme.find("\n## Runs\n")
    after = readme.find("\n## ", runs + 1) if runs >= 0 else -1
    if after < 0:
        return readme.rstrip("\n") + "\n\n" + entry.rstrip("\n") + "\n"
    return readme[: after + 1] + entry + readme[after + 1 :]


if __name__ == "__main__":
    main()
