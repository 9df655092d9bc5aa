#!/usr/bin/env python
"""Load without loss: many members saving at once, and not one acknowledged write lost.

Builds a PostgreSQL database of its own (created here, dropped at the end), seeds the
demo company, starts gunicorn with the production settings on 127.0.0.1 and lets N
members (threads, one session each) log in and, for the given number of seconds,
save their quarterly report (each draft save with new content) and their own rating,
through the real forms. Now and then a member posts the same form twice at the same
moment, as from two browser tabs opened on the same version: the server must take
exactly one and refuse the other. At the end each member saves and submits the report.

Every request is recorded (status, object, base version, what it wrote). Afterwards
the database is checked against the record:

- no 5xx, and every request answered;
- every write answered with success is in the history, with the version it produced,
  and the history holds no other write (history rows = successful writes);
- no two successful writes started from the same version (no silent overwrite);
- the final row equals the last successful write;
- every refused write is explained: another write from the same version succeeded,
  and its content is nowhere in the database.

Prints a summary and exits non-zero on any loss, 5xx or unexplained refusal.

    .venv/bin/python scripts/load_without_loss.py [--duration 60] [--clients 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from load_browser import Browser, Record, Write, form_with
from load_server import admin_sql, free_port, run, wait_for_server

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "partybuild-demo"  # noqa: S105 - the demo company's documented password (README)


# --- what a member does ------------------------------------------------------


@dataclass
class Task:
    username: str
    member_pk: int
    report_url: str  # /study/reports/mine/<quarter>/
    period_code: str
    peers: list[int]
    max_scores: dict[str, float]


def report_fields(form: dict, marker: str) -> tuple[dict, dict]:
    """The edit form with new content; returns (post data, the content written)."""
    data = dict(form["fields"])
    content = {
        "insights": f"体会 {marker}",
        "analysis": f"党性分析 {marker}",
        "problem": f"问题 {marker}",
        "measure": f"整改措施 {marker}",
    }
    data["insights"], data["analysis"] = content["insights"], content["analysis"]
    data["problems-0-problem"], data["problems-0-measure"] = content["problem"], content["measure"]
    data.setdefault("problems-0-cause", "")
    data.pop("problems-0-DELETE", None)
    if int(data.get("problems-TOTAL_FORMS", "0") or 0) < 1:
        data["problems-TOTAL_FORMS"] = "1"
    return data, content


def rating_fields(form: dict, max_scores: dict[str, float], rng: random.Random) -> tuple[dict, dict]:
    data = dict(form["fields"])
    content = {}
    for code, top in max_scores.items():
        value = rng.randint(0, int(top * 2)) / 2
        content[code] = f"{value:.1f}"
        data[code] = content[code]
    return data, content


class Member:
    def __init__(self, task: Task, port: int, record: Record, clock: dict, race_every: int, seed: int):
        # clock["deadline"] is set once every member has logged in: the duration is all load.
        self.task, self.record, self.clock, self.race_every = task, record, clock, race_every
        self.browser = Browser(port, record)
        self.rng = random.Random(seed)  # noqa: S311 - test scores, not secrets
        self.n = 0
        self.report_edit = ""
        self.report_pk = 0
        self.failed = ""

    # Each thread runs this; anything unexpected ends this member's run and is reported.
    def run(self, start: threading.Barrier) -> None:
        try:
            self.login()
            self.open_report()
            start.wait()
            turn = 0
            while time.monotonic() < self.clock["deadline"]:
                turn += 1
                race = self.race_every and turn % self.race_every == 0
                if turn % 2:
                    self.save_report(race=race)
                else:
                    self.rate(race=race)
            self.save_report(submit=True)
        except threading.BrokenBarrierError:
            self.failed = "did not start"
        except Exception as exc:  # reported in the summary
            self.failed = f"{type(exc).__name__}: {exc}"
            if not start.broken:
                start.abort()  # the others must not wait for this member forever
        finally:
            self.browser.close()

    def login(self) -> None:
        form = form_with(self.browser.get("/accounts/login/"), "username")
        data = {**form["fields"], "username": self.task.username, "password": PASSWORD}
        status, headers, _ = self.browser.request("POST", "/accounts/login/", data)
        if status != 302:
            raise RuntimeError(f"login of {self.task.username} answered {status}")

    def open_report(self) -> None:
        status, headers, text = self.browser.request("GET", self.task.report_url)
        if status == 200 and "/edit/" not in headers.get("Location", ""):
            # Not started yet: starting it is a POST, which creates the report.
            form = form_with(text, "csrfmiddlewaretoken")
            status, headers, _ = self.browser.request("POST", self.task.report_url, form["fields"])
            if status != 302:
                raise RuntimeError(f"starting the report answered {status}")
            self.report_edit = headers["Location"]
            self.report_pk = int(self.report_edit.rstrip("/").split("/")[-2])
            with self.record.lock:
                self.record.starts[self.report_pk] = True
        elif status == 302:
            detail = headers["Location"]
            self.report_pk = int(detail.rstrip("/").split("/")[-1])
            self.report_edit = f"/study/reports/{self.report_pk}/edit/"
        else:
            raise RuntimeError(f"{self.task.report_url} answered {status}")

    def _marker(self) -> str:
        self.n += 1
        return f"{self.task.username}#{self.n}-{secrets.token_hex(4)}"

    def _post(self, browser: Browser, path: str, data: dict, w: Write, ok_location: str) -> None:
        try:
            status, headers, _ = browser.request("POST", path, data)
        except OSError as exc:
            w.outcome, w.detail = "no-answer", f"{type(exc).__name__}"
            self.record.write(w)
            return
        w.status = status
        location = headers.get("Location", "")
        if status >= 500:
            w.outcome = "5xx"
        elif status == 302 and location == ok_location:
            w.outcome = "ok"
        elif status == 200:
            w.outcome = "refused"
        else:
            w.outcome, w.detail = "unexpected", location
        self.record.write(w)

    def _send(self, path: str, posts: list[tuple[dict, Write]], ok_location: str) -> None:
        if len(posts) == 1:
            self._post(self.browser, path, posts[0][0], posts[0][1], ok_location)
            return
        # Two tabs on the same version post at the same moment.
        tabs = [self.browser.clone() for _ in posts]
        gate = threading.Barrier(len(posts))

        def go(tab, data, w):
            gate.wait()
            self._post(tab, path, data, w, ok_location)

        threads = [threading.Thread(target=go, args=(tab, *post)) for tab, post in zip(tabs, posts, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for tab in tabs:
            tab.close()

    def save_report(self, *, race: bool = False, submit: bool = False) -> None:
        form = form_with(self.browser.get(self.report_edit), "version")
        base = int(form["fields"]["version"])
        posts = []
        for _ in range(2 if race else 1):
            data, content = report_fields(form, self._marker())
            if submit:
                data["submit"] = ""
            w = Write("report", ("report", self.report_pk), base, content, steps=2 if submit else 1, race=race)
            posts.append((data, w))
        # Saved: back on the edit form. Saved and submitted: on the report's page (a report
        # saved but not complete enough to submit comes back to the form: not a success).
        ok = f"/study/reports/{self.report_pk}/" if submit else self.report_edit
        self._send(self.report_edit, posts, ok)

    def rate(self, *, race: bool = False) -> None:
        # The member's own rating: a peer rating keeps no history (anonymity by design),
        # so the history this check reads exists for self and organisation ratings only.
        ratee = self.task.member_pk
        path = f"/assessment/rate/{self.task.period_code}/{ratee}/self/"
        form = form_with(self.browser.get(path), "version")
        base = int(form["fields"].get("version") or 0)
        posts = []
        for _ in range(2 if race else 1):
            data, content = rating_fields(form, self.task.max_scores, self.rng)
            posts.append((data, Write("rating", ("rating", self.task.member_pk, ratee), base, content, race=race)))
        self._send(path, posts, f"/assessment/rate/?period={self.task.period_code}")


# --- setting up and tearing down ----------------------------------------------


def pick_tasks(count: int) -> list[Task]:
    """Members with a login, a report they may still edit this quarter, and peers to rate."""
    from assessment.models import Period
    from assessment.selectors.eligibility import peers_of
    from assessment.services.ratings import rubric_items
    from members.models import Member as MemberModel
    from partybuild.lib.quarters import Quarter
    from study.models import QuarterlyReport

    quarter = Quarter.current()
    period = Period.objects.filter(state=Period.State.OPEN).order_by("-code").first()
    if period is None:
        sys.exit("the demo data has no open assessment period")
    max_scores = {item.code: float(item.max_score) for item in rubric_items(period)}
    busy = set(
        QuarterlyReport.objects.filter(quarter=quarter.code)
        .exclude(status=QuarterlyReport.Status.DRAFT)
        .values_list("member_id", flat=True)
    )
    tasks = []
    members = MemberModel.objects.filter(is_active=True, user__isnull=False, user__is_active=True)
    for member in members.select_related("user").order_by("employee_no"):
        if member.pk in busy:
            continue
        peers = list(peers_of(member).order_by("employee_no").values_list("pk", flat=True)[:4])
        if not peers:
            continue
        tasks.append(
            Task(
                username=member.user.username,
                member_pk=member.pk,
                report_url=f"/study/reports/mine/{quarter.code}/",
                period_code=period.code,
                peers=peers,
                max_scores=max_scores,
            )
        )
        if len(tasks) == count:
            break
    if len(tasks) < count:
        sys.exit(f"only {len(tasks)} members can take part; seed more members")
    return tasks


# --- checking ---------------------------------------------------------------


def tamper(record: Record) -> None:
    """Undo one acknowledged report save and drop one rating's history row: the check must see both."""
    from assessment.models import Rating
    from study.models import QuarterlyReport

    report = next(w for w in reversed(record.writes) if w.kind == "report" and w.outcome == "ok")
    QuarterlyReport.objects.filter(pk=report.key[1]).update(insights="tampered")
    rating = next(w for w in reversed(record.writes) if w.kind == "rating" and w.outcome == "ok")
    row = Rating.objects.get(ratee_id=rating.key[2], rater_group="self")
    row.history.order_by("-history_id").first().delete()
    print(f"  tampered with report {report.key[1]} and rating {row.pk}", flush=True)


def verify(record: Record, history_floor: dict[str, int]) -> tuple[dict, list[str]]:
    """Compare the record with the database; returns (figures, problems)."""
    from assessment.models import Rating
    from study.models import QuarterlyReport

    problems: list[str] = []
    writes_by_key: dict[tuple, list[Write]] = defaultdict(list)
    for w in record.writes:
        writes_by_key[w.key].append(w)

    def content_of_report(row) -> dict:
        first = row.problems.order_by("position").first() if hasattr(row, "problems") else None
        return {
            "insights": row.insights,
            "analysis": row.analysis,
            **({"problem": first.problem, "measure": first.measure} if first is not None else {}),
        }

    figures = Counter()
    report_history = QuarterlyReport.history.model.objects.filter(history_id__gt=history_floor["report"])
    rating_history = Rating.history.model.objects.filter(history_id__gt=history_floor["rating"])
    reports = {r.pk: r for r in QuarterlyReport.objects.prefetch_related("problems")}
    history_by_report = defaultdict(list)
    for h in report_history.order_by("history_id"):
        history_by_report[h.id].append(h)
    ratings = {(r.ratee_id, r.ratee_id): r for r in Rating.objects.filter(rater_group="self")}
    history_by_rating = defaultdict(list)
    for h in rating_history.order_by("history_id"):
        history_by_rating[h.id].append(h)

    for key, writes in writes_by_key.items():
        ok = [w for w in writes if w.outcome == "ok"]
        refused = [w for w in writes if w.outcome == "refused"]
        if key[0] == "report":
            row = reports.get(key[1])
            history = history_by_report.get(key[1], [])
            started_here = 1 if key[1] in record.starts else 0
            final = content_of_report(row) if row else None
            # A history row of a save holds the texts; its version tells which save it was.
            produced = {h.version: {"insights": h.insights, "analysis": h.analysis} for h in history}

            def matches(w, version, produced=produced):
                got = produced.get(version)
                return got is not None and all(got[k] == w.content[k] for k in ("insights", "analysis"))

        else:
            row = ratings.get((key[1], key[2]))
            history = history_by_rating.get(row.pk, []) if row else []
            started_here = 0
            final = dict(row.scores) if row else None
            produced = {h.version: dict(h.scores) for h in history}

            def matches(w, version, produced=produced):
                got = produced.get(version)
                return got is not None and all(got.get(k) == v for k, v in w.content.items())

        figures[f"{key[0]} objects"] += 1
        if row is None:
            problems.append(f"{key}: not in the database")
            continue
        # 1. Every acknowledged write is in the history, with the version it produced.
        for w in ok:
            if not matches(w, w.base + 1):
                problems.append(f"{key}: the write from version {w.base} answered success but is not in the history")
                figures["lost"] += 1
        # 2. No two successes from the same version: that would be a silent overwrite.
        bases = Counter(w.base for w in ok)
        for base, n in bases.items():
            if n > 1:
                problems.append(f"{key}: {n} writes from version {base} all answered success (overwrite)")
                figures["overwrites"] += 1
        # 3. The history holds the acknowledged writes and nothing else.
        expected_rows = sum(w.steps for w in ok) + started_here
        if len(history) != expected_rows:
            problems.append(f"{key}: {len(history)} history rows, {expected_rows} successful writes")
            figures["history mismatches"] += 1
        # 4. The final state is the last acknowledged write.
        if ok:
            last = max(ok, key=lambda w: w.base)
            if row.version != last.base + last.steps:
                problems.append(
                    f"{key}: version {row.version}, the last successful write made {last.base + last.steps}"
                )
                figures["lost"] += 1
            if any(final.get(k) != v for k, v in last.content.items()):
                problems.append(f"{key}: the final state is not the last successful write")
                figures["lost"] += 1
            if last.steps == 2 and key[0] == "report" and row.status == QuarterlyReport.Status.DRAFT:
                problems.append(f"{key}: submitted with success but still a draft")
                figures["lost"] += 1
        # 5. A refusal is explained by a success from the same version; its content is nowhere.
        for w in refused:
            if w.base not in bases:
                problems.append(f"{key}: a write from version {w.base} was refused with no other write from it")
                figures["unexplained refusals"] += 1
            elif any(matches(w, v) for v in produced) or all(final.get(k) == v for k, v in w.content.items()):
                problems.append(f"{key}: a refused write from version {w.base} is in the database")
                figures["refused writes found in the database"] += 1
            if w.race:
                figures["refused: second of two simultaneous posts"] += 1
            else:
                figures["refused: stale version"] += 1
    return figures, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent members (default 50)")
    parser.add_argument("--members", type=int, default=300, help="size of the demo company (default 300)")
    parser.add_argument(
        "--server", default=os.environ.get("LOAD_PG_SERVER", "postgres://postgres@127.0.0.1:5432"), help="PostgreSQL"
    )
    parser.add_argument("--db-name", default="pb_load", help="the database created and dropped (default pb_load)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--race-every", type=int, default=5, help="every Nth action posts twice at once (0: never)")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--tamper", action="store_true", help="self-test: lose two writes after the load; the run must then fail"
    )
    args = parser.parse_args()

    secret = secrets.token_urlsafe(64)
    database_url = f"{args.server.rstrip('/')}/{args.db_name}"
    static_root = tempfile.mkdtemp(prefix="pb-load-static-")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="partybuild.settings.prod",
        SECRET_KEY=secret,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="off",
        CONN_MAX_AGE="60",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        # Logins are per username and address; a member who is locked out fails the run.
        AXES_FAILURE_LIMIT="5",
    )
    os.environ.update(env)
    python = sys.executable
    began = time.monotonic()
    print(f"load without loss: {args.clients} members, {args.duration:.0f}s, database {args.db_name}", flush=True)
    admin_sql(args.server, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
    admin_sql(args.server, f'CREATE DATABASE "{args.db_name}"')
    gunicorn = None
    log = tempfile.NamedTemporaryFile(prefix="pb-load-gunicorn-", suffix=".log", delete=False)
    try:
        # The production static storage needs its manifest; it has nothing to do with the database.
        static = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        run([python, "manage.py", "migrate", "--noinput", "-v0"], env, "migrate")
        run([python, "manage.py", "seed_demo", "--members", str(args.members)], env, "seed_demo")
        if static.wait() != 0:
            sys.exit("collectstatic failed")

        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connections

        from assessment.models import Rating
        from study.models import QuarterlyReport

        tasks = pick_tasks(args.clients)
        floor = {
            name: model.history.model.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
            for name, model in (("report", QuarterlyReport), ("rating", Rating))
        }
        connections.close_all()

        port = free_port()
        gunicorn = subprocess.Popen(  # noqa: S603
            [
                str(Path(python).with_name("gunicorn")),
                "partybuild.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                f"--threads={args.threads}",
                "--timeout=120",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_server(port, gunicorn)
        print(f"  gunicorn on 127.0.0.1:{port} ({args.workers} workers x {args.threads} threads)", flush=True)

        record = Record()
        start = threading.Barrier(args.clients + 1)
        # The clock starts when every member is logged in, so the duration is all load.
        members = []
        threads = []
        clock = {"deadline": float("inf")}
        for i, task in enumerate(tasks):
            m = Member(task, port, record, clock, args.race_every, seed=i)
            members.append(m)
            threads.append(threading.Thread(target=m.run, args=(start,), daemon=True))
        login_started = time.monotonic()
        for t in threads:
            t.start()
        try:
            start.wait(timeout=300)
        except threading.BrokenBarrierError:
            pass
        clock["deadline"] = time.monotonic() + args.duration
        logins = time.monotonic() - login_started
        load_started = time.monotonic()
        for t in threads:
            t.join(timeout=args.duration + 180)
        load_seconds = time.monotonic() - load_started
        print(f"  logins: {logins:.1f}s; load: {load_seconds:.1f}s", flush=True)
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()

    failed_members = [(m.task.username, m.failed) for m in members if m.failed]
    if args.tamper:
        tamper(record)
    figures, problems = verify(record, floor)
    connections.close_all()
    if not args.keep_db:
        admin_sql(args.server, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
    shutil.rmtree(static_root, ignore_errors=True)

    outcomes = Counter(w.outcome for w in record.writes)
    server_errors = sum(n for s, n in record.by_status.items() if isinstance(s, int) and s >= 500)
    no_answer = record.by_status.get("no answer", 0)
    lost = figures["lost"] + figures["overwrites"] + figures["history mismatches"]
    rows = [
        ("requests", record.requests),
        ("requests per second", f"{record.requests / max(load_seconds, 0.001):.1f}"),
        ("writes", len(record.writes)),
        ("  successes", outcomes["ok"]),
        ("    report saves", sum(1 for w in record.writes if w.kind == "report" and w.outcome == "ok")),
        ("    rating saves", sum(1 for w in record.writes if w.kind == "rating" and w.outcome == "ok")),
        ("    reports submitted", sum(1 for w in record.writes if w.steps == 2 and w.outcome == "ok")),
        ("  refused", outcomes["refused"]),
        ("    second of two simultaneous posts", figures["refused: second of two simultaneous posts"]),
        ("    stale version", figures["refused: stale version"]),
        ("    unexplained", figures["unexplained refusals"]),
        ("  other answers", outcomes["unexpected"]),
        ("5xx", server_errors),
        ("no answer", no_answer),
        ("members that failed", len(failed_members)),
        ("lost", lost),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")
    print(f"\n(total {time.monotonic() - began:.0f}s; gunicorn log {log.name})")
    for username, why in failed_members[:10]:
        print(f"member {username} failed: {why}")
    for method, path, status in record.errors[:10]:
        print(f"{method} {path}: {status}")
    for problem in problems[:20]:
        print(problem)
    if args.json:
        Path(args.json).write_text(json.dumps(dict(rows), ensure_ascii=False, indent=2))
    bad = (
        lost
        or server_errors
        or no_answer
        or failed_members
        or outcomes["unexpected"]
        or outcomes["no-answer"]
        or figures["unexplained refusals"]
        or problems
        or outcomes["ok"] == 0
    )
    print("FAIL" if bad else "OK: nothing lost")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
