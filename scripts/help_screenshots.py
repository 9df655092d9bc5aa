"""Take the user guides' screenshots (static/help/*.png) from a fresh demo company.

    .venv/bin/python scripts/help_screenshots.py            # every screenshot
    .venv/bin/python scripts/help_screenshots.py member-home admin-period   # only these
    .venv/bin/python scripts/help_screenshots.py --keep /tmp/shots ...      # keep the demo there, reuse it

Builds the demo company (`migrate`, `seed_demo --members 60`) in a SQLite database of its own
under a temporary folder, serves it with `runserver` under the settings `make run` uses
(DEBUG off) on a free port of 127.0.0.1, signs in through the login form as each persona
(password partybuild-demo) and saves each page as the guides show it: 1366 × 768 pixels, in
Simplified Chinese, reduced to a 256-colour PNG so each file stays small (the script says so
when one is over 150 KB). The guides (templates/help/*.html) name the files; a test checks
that every file they name exists. Needs Chromium at /usr/bin/chromium (Playwright).

Take them again whenever a page in a guide changes; the demo is built relative to today, so
the quarter and the year on the screenshots are today's.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "help"
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1366, 768
LIMIT = 150 * 1024
PASSWORD = "partybuild-demo"  # noqa: S105 - the demo company's documented password


@dataclass(frozen=True)
class Shot:
    name: str
    user: str
    path: Callable[[], str]
    # Something to do on the page first (a click), and what to scroll to the top of the view.
    before: Callable | None = None
    scroll_to: str | None = None


# --- finding the demo's objects (the database is the script's own) -------------------------------------


def _quarter() -> str:
    from partybuild.lib.quarters import Quarter

    return Quarter.current().code


def _report_pk(status: str) -> int:
    from partybuild.lib.quarters import Quarter
    from study.models import QuarterlyReport

    return (
        QuarterlyReport.objects.filter(quarter=Quarter.current().code, status=status, member__branch=_first_branch())
        .order_by("member__employee_no")
        .values_list("pk", flat=True)
        .first()
    )


def _approved_card() -> tuple[str, int]:
    """A member of branch 1 whose card of this year is approved and whose third quarter's
    self-check is still to do, and the card."""
    from assessment.models import Card
    from partybuild.lib.quarters import Quarter

    card = (
        Card.objects.filter(
            kind="goal_card", year=Quarter.current().year, status=Card.Status.APPROVED, member__branch=_first_branch()
        )
        .exclude(checks__checkpoint="q3")
        .select_related("member")
        .order_by("member__employee_no")
        .first()
    )
    return card.member.user.username, card.pk


def _session_pk() -> int:
    from django.utils import timezone

    from study.models import StudySession

    return (
        StudySession.objects.filter(branch=_first_branch(), starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .values_list("pk", flat=True)
        .first()
    )


def _period(state: str) -> tuple[int, str]:
    from assessment.models import Period

    period = Period.objects.filter(state=state).order_by("-code").first()
    return period.pk, period.code


def _peer_to_rate(login: str) -> str:
    """The rating form of the first peer `login` has not rated yet."""
    from assessment.models import Period
    from members.models import Member

    me = Member.objects.get(user__username=login)
    peer = Member.objects.filter(group=me.group).exclude(pk=me.pk).order_by("employee_no").first()
    code = Period.objects.filter(state="open").order_by("-code").values_list("code", flat=True).first()
    return f"/assessment/rate/{code}/{peer.pk}/peer/"


def _first_branch():
    """The demo's branch 1, whose secretary is secretary1."""
    from members.models import Branch

    return Branch.objects.order_by("pk").first()


def _branch_pk() -> int:
    return _first_branch().pk


def _start_report(page) -> None:
    """member1's report of the quarter is not started in the demo: start it, as the member
    would, and open the form (in a demo kept with --keep it is started already)."""
    start = page.get_by_role("button", name="开始填写")
    if start.count():
        start.click()
        page.wait_for_load_state()
    if not page.url.endswith("/edit/"):
        page.goto(page.url.split("?")[0].rstrip("/") + "/edit/")


def _start_check(page) -> None:
    """The self-check of the quarter is not started in the demo: start it, as the member would."""
    start = page.get_by_role("button", name="立即自查")
    if start.count():
        start.click()
        page.wait_for_load_state()


SHOTS = [
    # 党员
    Shot("member-home", "member1", lambda: "/"),
    Shot(
        "member-report",
        "member1",
        lambda: f"/study/reports/mine/{_quarter()}/",
        before=_start_report,
    ),
    Shot(
        "member-card-check",
        "@card",
        lambda: f"/assessment/cards/{_approved_card()[1]}/checks/q3/",
        before=_start_check,
    ),
    Shot("member-rate", "member1", lambda: _peer_to_rate("member1")),
    Shot("member-result", "member1", lambda: "/assessment/results/{}/mine/".format(_period("final")[1])),
    # 党小组长
    Shot("leader-home", "leader1", lambda: "/"),
    Shot("leader-waiting", "leader1", lambda: "/study/reports/waiting/"),
    Shot(
        "leader-forward",
        "leader1",
        lambda: "/study/reports/{}/".format(_report_pk("with_group")),
    ),
    # 支部书记
    Shot("secretary-board", "secretary1", lambda: "/study/reports/review/"),
    Shot(
        "secretary-review",
        "secretary1",
        lambda: "/study/reports/{}/".format(_report_pk("with_branch")),
    ),
    Shot("secretary-attendance", "secretary1", lambda: f"/study/sessions/{_session_pk()}/attendance/"),
    Shot("secretary-cards", "secretary1", lambda: "/assessment/cards/board/"),
    Shot("secretary-ballots", "secretary1", lambda: "/assessment/ballots/"),
    # 党委管理员
    Shot("admin-home", "admin", lambda: "/"),
    Shot("admin-period", "admin", lambda: "/assessment/periods/{}/".format(_period("open")[0])),
    Shot("admin-results", "admin", lambda: "/assessment/periods/{}/".format(_period("final")[0])),
    Shot(
        "admin-flagboard",
        "admin",
        lambda: "/assessment/results/{}/flags/{}/".format(_period("final")[1], _branch_pk()),
    ),
    Shot("admin-roster", "admin", lambda: "/members/"),
]


# --- the demo server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="partybuild.settings.dev",
        DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the demo server did not start")


# --- the screenshots ----------------------------------------------------------------------------------


def save(png: bytes, path: Path) -> int:
    """A 256-colour PNG: screenshots of pages are flat colours and text, which a palette keeps
    sharp at a quarter of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, optimize=True)
    return path.stat().st_size


def take(shots: list[Shot], base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    # The database is read before Playwright starts: its event loop forbids the ORM.
    plan = [(shot, shot.path(), _approved_card()[0] if shot.user == "@card" else shot.user) for shot in shots]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        contexts = {}
        for shot, path, user in plan:
            if user not in contexts:
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.locator("input[name=password]").press("Enter")
                page.wait_for_url(f"{base}/")
                contexts[user] = page
            page = contexts[user]
            page.goto(base + path)
            if shot.before:
                shot.before(page)
            if shot.scroll_to:
                page.locator(shot.scroll_to).first.evaluate("node => node.scrollIntoView({block: 'start'})")
                page.evaluate("window.scrollBy(0, -70)")  # below the sticky navigation bar
            else:
                page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(300)
            size = save(page.screenshot(), OUT / f"{shot.name}.png")
            note = "  (over 150 KB: choose a calmer part of the page)" if size > LIMIT else ""
            print(f"{shot.name}.png  {size // 1024} KB  {path}{note}")
        browser.close()


def main(args: list[str]) -> None:
    keep = None
    if args[:1] == ["--keep"]:
        keep, args = Path(args[1]).resolve(), args[2:]
    unknown = set(args) - {shot.name for shot in SHOTS}
    if unknown:
        raise SystemExit(f"no such screenshot: {', '.join(sorted(unknown))}")
    shots = [shot for shot in SHOTS if not args or shot.name in args]
    with tempfile.TemporaryDirectory(prefix="help-shots-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        env = demo_environment(folder)
        if not (folder / "demo.sqlite3").exists():
            manage(env, "migrate", "--noinput", "-v", "0")
            manage(env, "seed_demo", "--members", "60")
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        port = free_port()
        server = serve(env, port)
        try:
            take(shots, f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:])
