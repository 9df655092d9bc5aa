"""A real Celery worker on a real Redis broker: the daily reminder run is fanned out,
the worker is killed (SIGKILL, mid fan-out), another worker takes over, and every
due reminder exists exactly once.

Skipped, with the reason, when no Redis answers (REDIS_TEST_URL, default
redis://127.0.0.1:6379/13). The worker runs with the dev settings pointed at this
test's database, so it writes where the test reads.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from members import demo
from reminders import services
from reminders.models import Notification

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")
DAY = datetime.date(2026, 10, 5)  # inside 2026Q3's report-deadline window


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}"),
]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# A queue of this run's own: another test run on the same Redis never takes its tasks.
QUEUE = f"reminders-test-{uuid.uuid4().hex[:12]}"


def start_worker(tmp_path: Path, name: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_ALLOW"))}
    env.update(
        DJANGO_SETTINGS_MODULE="partybuild.settings.dev",
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        EMAIL_URL=f"filemail://{tmp_path / 'mail'}",
        CELERY_VISIBILITY_TIMEOUT="3",
        REMINDER_SLICE_MEMBERS="25",
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        DEBUG="off",
        LOG_LEVEL="WARNING",
    )
    log = open(tmp_path / f"{name}.log", "w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "partybuild",
            "worker",
            "--concurrency=2",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            f"--hostname={name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def send_run(day: datetime.date) -> None:
    from celery import Celery

    client = Celery(broker=REDIS_URL)
    client.send_task("reminders.run_reminders", args=[day.isoformat()], queue=QUEUE)
    client.close()


def wait_for(predicate, timeout: float, interval: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def test_killed_worker_mid_fan_out_still_delivers_every_reminder_exactly_once(tmp_path, settings):
    demo.build(members=600, seed=5)
    settings.REMINDER_SLICE_MEMBERS = 25
    expected = services.run(today=DAY, dry_run=True)
    expected_total = sum(expected.values())
    assert expected_total >= 600

    first = start_worker(tmp_path, "first")
    second = None
    try:
        send_run(DAY)
        # Kill the first worker once part of the fan-out is written, not all of it.
        assert wait_for(lambda: Notification.objects.count() > 0, timeout=60), (tmp_path / "first.log").read_text()
        kill(first)
        written_when_killed = Notification.objects.count()
        assert written_when_killed < expected_total, "the fan-out finished before the kill; make it longer"

        second = start_worker(tmp_path, "second")
        assert wait_for(lambda: Notification.objects.count() >= expected_total, timeout=120, interval=0.5), (
            tmp_path / "second.log"
        ).read_text()[-3000:]
        # Let any redelivered message run too, then check nothing was added twice.
        time.sleep(6)
    finally:
        kill(first)
        if second is not None:
            kill(second)

    assert Notification.objects.count() == expected_total
    for kind, count in expected.items():
        assert Notification.objects.filter(kind=kind).count() == count, kind
    keys = list(Notification.objects.values_list("recipient_id", "kind", "subject", "quarter"))
    assert len(keys) == len(set(keys))
    # E-mails: at most one per notification, and never two for the same one.
    mail_dir = tmp_path / "mail"
    messages = []
    for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
        messages += [m for m in path.read_text().split("-" * 79) if "Subject:" in m]
    emailed = Notification.objects.filter(emailed_at__isnull=False).count()
    assert len(messages) <= emailed
