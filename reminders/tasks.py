"""Celery tasks: each takes dates and ids, calls one service, and is safe to run twice.

acks_late means a worker that dies mid-task leaves its message to be delivered
again; the unique constraint on notifications and the conditional claim on
e-mails make the second run a no-op for whatever the first one finished.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone

from . import services

TRANSIENT = (OperationalError, InterfaceError, DatabaseError, ConnectionError, TimeoutError)
COMMON = {
    "acks_late": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


def _day(value: str | None) -> datetime.date:
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


@shared_task(name="reminders.run_reminders", time_limit=600, soft_time_limit=540, **COMMON)
def run_reminders(day: str | None = None) -> int:
    """Plan the day's reminders and fan them out: one task per job and slice of members."""
    today = _day(day)
    queued = 0
    for job in services.plan(today=today):
        for lo, hi in services.member_ranges():
            deliver_batch.delay(job.kind, job.quarter, job.stage, today.isoformat(), lo, hi)
            queued += 1
    return queued


@shared_task(name="reminders.deliver_batch", time_limit=300, soft_time_limit=270, **COMMON)
def deliver_batch(kind: str, quarter: str, stage: str, day: str, lo: int, hi: int) -> int:
    created = services.deliver(services.Job(kind, quarter, stage), today=_day(day), lo=lo, hi=hi)
    if created:
        send_emails.delay()
    return created


@shared_task(name="reminders.send_emails", time_limit=300, soft_time_limit=270, **COMMON)
def send_emails() -> int:
    sent = services.send_pending_emails()
    if sent >= 500:
        send_emails.delay()
    return sent
