"""The web part of `make bench`: real pages under load, each against its floor.

    python bench/web.py [--seconds 5] [--rounds 3] [--connections 8] [--json FILE]

Runs against the database in DATABASE_URL (else the SQLite file of the dev
settings), already filled by ``manage.py seed_demo --members 10000``: its first
branch (secretary ``secretary1``) has 300 members, ``member1`` is one of them.

It collects the static files into a temporary directory (production serves a
hashed manifest), starts gunicorn with bench/settings.py (the production settings
on the loopback) and 2 sync workers on a free port, logs in as the personas
through the login form, and drives each page with wrk — then the page's floor
(bench/floor_views.py: logged in the stock Django way, the same rows in ONE query
and a minimal template) —
for the same time with the same connections, alternately --rounds times, keeping the
best of each. Before each run it fetches the page
once and checks that it really rendered (a redirect to the login page would
otherwise be measured as a very fast page). Any non-2xx response or socket
error under load is counted as an error.

Prints a table and writes {"web_<page>": {"rps", "floor_rps", "ratio", "p95_ms",
"floor_p95_ms", "errors"}} to --json. The goal is ratio ≥ 0.5 with no errors.
gunicorn is stopped whatever happens (also on Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/web.py`: the project's packages come from its root
    sys.path.insert(0, str(ROOT))
WORKERS = 2
GOAL = 0.5
ROSTER_QUERY = "王"  # the roster's search: a common surname, about one member in a hundred of the demo

# wrk reports 50/75/90/99 %; this script adds the 95th percentile, and counts every
# response outside 2xx (wrk's own error count ignores redirects).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local nbad = 0
  for _, t in ipairs(threads) do nbad = nbad + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p95_us=%d non2xx=%d socket=%d\\n",
    summary.requests, summary.duration, latency:percentile(95), nbad,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    key: str  # the JSON key, web_<page>
    label: str
    login: str  # who is logged in
    path: str
    marker: str  # shown only when the page really rendered its rows
    floor_path: str


@dataclass(frozen=True)
class Load:
    rps: float
    p95_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="False",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    # Without DATABASE_URL the settings fall back to the dev database (var/partybuild.sqlite3).
    return env


def prepare_targets() -> tuple[list[Target], str]:
    """Find the personas' pages in the seeded database and give member1 a page of notifications."""
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone

    from assessment.models import Period
    from members.demo import DEMO_PASSWORD
    from members.models import Branch, Member
    from partybuild.lib.quarters import Quarter
    from reminders.models import Notification
    from reminders.views import NOTES_PER_PAGE

    try:
        member = Member.objects.select_related("user").get(user__username="member1")
        secretary = Member.objects.select_related("branch").get(user__username="secretary1")
    except Member.DoesNotExist:
        sys.exit("bench/web.py: no member1/secretary1 — run `manage.py seed_demo --members 10000` first.")
    period = (
        Period.objects.filter(computed_at__isnull=False)
        .order_by(
            # A published period shows members their board; otherwise the committee's preview.
            "-published_at",
            "-code",
        )
        .first()
    )
    if period is None:
        sys.exit("bench/web.py: no period has computed results — seed_demo publishes last year's.")
    quarter = Quarter.current()
    unread = Notification.objects.filter(recipient=member.user, read_at__isnull=True).count()
    if unread < NOTES_PER_PAGE + 5:
        now = timezone.now()
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=member.user,
                    kind=Notification.Kind.REPORT_DUE,
                    subject=f"bench:{i}",
                    quarter=quarter.code,
                    title=f"季度报告单提醒 {i}",
                    body="请在截止日前提交本季度的党性教育报告单。",
                    url=reverse("study:report_mine", args=[quarter.code]),
                    created_at=now,
                )
                for i in range(NOTES_PER_PAGE + 5 - unread)
            ],
            ignore_conflicts=True,
        )
    branch = secretary.branch
    targets = [
        Target(
            "web_member_home",
            "member home (member1)",
            "member1",
            reverse("home"),
            'data-testid="home-member"',
            reverse("floor_member_home", args=[member.pk]),
        ),
        Target(
            "web_review_board",
            f"review board ({branch.members.count()} members)",
            "secretary1",
            reverse("study:review_board"),
            'data-testid="board-table"',
            reverse("floor_review_board", args=[branch.pk, quarter.code]),
        ),
        Target(
            "web_flagboard",
            f"flag board ({period.code})",
            "secretary1",
            reverse("assessment:flagboard", args=[period.code, branch.pk]),
            'data-testid="board-tile"',
            reverse("floor_flagboard", args=[period.pk, branch.pk]),
        ),
        Target(
            "web_compliance_company",
            f"三会一课, every branch ({Branch.objects.count()} branches)",
            "admin",
            reverse("study:compliance_company"),
            'data-testid="company-table"',
            reverse("floor_compliance_company", args=[timezone.localdate().year]),
        ),
        Target(
            "web_roster_search",
            f"roster searched for {ROSTER_QUERY} ({Member.objects.count()} members)",
            "admin",
            f"{reverse('members:list')}?q={urllib.parse.quote(ROSTER_QUERY)}",
            'data-testid="roster-table"',
            f"{reverse('floor_roster_search')}?q={urllib.parse.quote(ROSTER_QUERY)}",
        ),
        Target(
            "web_admin_members",
            f"admin: every member ({Member.objects.count()} members)",
            "admin",
            reverse("admin:members_member_changelist"),
            'id="result_list"',
            reverse("floor_admin_members"),
        ),
        Target(
            "web_notifications",
            "notifications (member1)",
            "member1",
            reverse("reminders:list"),
            'data-testid="notification-list"',
            reverse("floor_notifications", args=[member.user_id]),
        ),
    ]
    return targets, DEMO_PASSWORD


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, cookie: str = "", data: dict | None = None) -> tuple[int, dict, str]:
    """One request, redirects not followed: (status, Set-Cookie values by name, body)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        response = _opener.open(request, timeout=30)
    except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
        response = exc
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return response.status, {k: v.value for k, v in cookies.items()}, response.read().decode(errors="replace")


def login(base: str, username: str, password: str) -> str:
    """Log in through the form, as a browser does; returns the Cookie header of the session."""
    status, cookies, html = fetch(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or token is None or "csrftoken" not in cookies:
        raise SystemExit(f"bench/web.py: the login page answered {status} without a CSRF token")
    csrf = cookies["csrftoken"]
    status, cookies, _html = fetch(
        f"{base}/accounts/login/",
        cookie=f"csrftoken={csrf}",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
    )
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"bench/web.py: logging in as {username} failed (HTTP {status})")
    return f"sessionid={cookies['sessionid']}; csrftoken={csrf}"


def check_rendered(url: str, cookie: str, marker: str) -> None:
    status, _cookies, html = fetch(url, cookie=cookie)
    if status != 200 or marker not in html:
        raise SystemExit(f"bench/web.py: {url} answered {status} without {marker!r}; not measuring it")


def wrk(url: str, *, cookie: str, seconds: int, connections: int, script: Path) -> Load:
    threads = max(1, min(connections, os.cpu_count() or 1))
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script)]
    command += ["--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*command, url], capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"bench/web.py: wrk failed on {url}:\n{done.stdout}{done.stderr}")
    output = done.stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"bench/web.py: wrk printed no summary for {url}:\n{output}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}
    return Load(
        rps=figures["requests"] / (figures["duration_us"] / 1e6),
        p95_ms=figures["p95_us"] / 1000,
        errors=figures["non2xx"] + figures["socket"],
    )


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "partybuild.wsgi:application",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
    ]
    # A session of its own: Ctrl-C reaches this script, which then stops gunicorn in order.
    with log.open("w") as out:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_up(process: subprocess.Popen, base: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench/web.py: gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if fetch(f"{base}/accounts/login/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench/web.py: gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run(args: argparse.Namespace) -> dict[str, dict]:
    if shutil.which("wrk") is None:
        raise SystemExit("bench/web.py needs wrk (Debian/Ubuntu: apt-get install wrk).")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="pb-bench-web-") as tmp:
        tmp_path = Path(tmp)
        env = bench_environment(tmp_path / "static")
        os.environ.update(env)
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        targets, password = prepare_targets()
        script = tmp_path / "bench.lua"
        script.write_text(WRK_SCRIPT)
        log = tmp_path / "gunicorn.log"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_gunicorn(env, port, log)
        try:
            wait_until_up(process, base, log)
            cookies = {login_name: login(base, login_name, password) for login_name in {t.login for t in targets}}
            load = {"connections": args.connections, "script": script}
            warm = min(2, args.seconds)
            # What every page pays before its own work (bench/floor_views.py: empty, layout).
            references = {}
            for key, label, path, cookie, marker in (
                ("web_empty", "empty response (no login)", "/bench-floor/empty/", "", 'data-testid="floor"'),
                (
                    "web_signed_in",
                    "empty response, logged in (member1)",
                    "/bench-floor/signed-in/",
                    cookies["member1"],
                    'data-testid="floor"',
                ),
                (
                    "web_layout",
                    "empty page in the layout (member1)",
                    "/bench-floor/layout/",
                    cookies["member1"],
                    'data-testid="floor-layout"',
                ),
            ):
                check_rendered(base + path, cookie, marker)
                wrk(base + path, cookie=cookie, seconds=warm, **load)
                runs = [wrk(base + path, cookie=cookie, seconds=args.seconds, **load) for _ in range(args.rounds)]
                references[key] = max(runs, key=lambda run: run.rps)
                results[key] = {
                    "label": label,
                    "rps": round(references[key].rps, 1),
                    "p95_ms": round(references[key].p95_ms, 1),
                    "errors": sum(run.errors for run in runs),
                }
                print(f"  {key}: {results[key]}", flush=True)
            for target in targets:
                cookie = cookies[target.login]
                page, floor = base + target.path, base + target.floor_path
                check_rendered(page, cookie, target.marker)
                check_rendered(floor, cookie, 'data-testid="floor"')
                wrk(page, cookie=cookie, seconds=warm, **load)
                wrk(floor, cookie=cookie, seconds=warm, **load)
                # Page and floor alternately, --rounds times, the best of each kept: a slow
                # spell of the machine then costs one round, not the figure.
                pages, floors = [], []
                for _round in range(args.rounds):
                    pages.append(wrk(page, cookie=cookie, seconds=args.seconds, **load))
                    floors.append(wrk(floor, cookie=cookie, seconds=args.seconds, **load))
                real = max(pages, key=lambda run: run.rps)
                base_line = max(floors, key=lambda run: run.rps)
                results[target.key] = {
                    "label": target.label,
                    "rps": round(real.rps, 1),
                    "floor_rps": round(base_line.rps, 1),
                    "ratio": round(real.rps / base_line.rps, 3) if base_line.rps else 0.0,
                    "ceiling": ceiling(base_line.rps, references["web_layout"].rps, references["web_signed_in"].rps),
                    "p95_ms": round(real.p95_ms, 1),
                    "floor_p95_ms": round(base_line.p95_ms, 1),
                    "errors": sum(run.errors for run in pages + floors),
                }
                print(f"  {target.key}: {results[target.key]}", flush=True)
        finally:
            stop_gunicorn(process)
    return results


def ceiling(floor_rps: float, layout_rps: float, signed_in_rps: float) -> float:
    """The highest ratio to its floor a page could reach: the page costs at least the
    layout's empty page plus the floor's own work (the floor less a logged-in empty
    response, which both pay)."""
    if not (floor_rps and layout_rps and signed_in_rps):
        return 0.0
    floor, layout, signed_in = 1 / floor_rps, 1 / layout_rps, 1 / signed_in_rps
    return round(floor / (layout + max(floor - signed_in, 0.0)), 3)


def table(results: dict[str, dict]) -> str:
    lines = [
        f"{'page':<20} {'req/s':>8} {'floor':>8} {'ratio':>6} {'ceiling':>7} {'p95 ms':>7} {'floor p95':>9} "
        f"{'errors':>6}  goal",
    ]
    for key, r in results.items():
        if "floor_rps" not in r:  # a reference page
            lines.append(
                f"{key:<20} {r['rps']:>8.1f} {'':>8} {'':>6} {'':>7} {r['p95_ms']:>7.1f} {'':>9} "
                f"{r['errors']:>6}  —  {r['label']}"
            )
            continue
        ok = "ok" if r["ratio"] >= GOAL and r["errors"] == 0 else "MISS"
        lines.append(
            f"{key:<20} {r['rps']:>8.1f} {r['floor_rps']:>8.1f} {r['ratio']:>6.2f} {r['ceiling']:>7.2f} "
            f"{r['p95_ms']:>7.1f} {r['floor_p95_ms']:>9.1f} {r['errors']:>6}  {ok}  {r['label']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="seconds of load per page and per floor, per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of page and floor, the best of each kept")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    # A polite stop (kill, CI cancel) unwinds like Ctrl-C, through the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = run(args)
    print(table(results))
    if args.json:
        for figures in results.values():
            figures.pop("label")
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
