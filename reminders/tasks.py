"""Celery tasks: each takes dates and ids, calls one service, and is safe to run twice.

acks_late means a worker that dies mid-task leaves its message to be delivered
again; the unique constraint on notifications and the conditional claim on
e-mails make the second run a no-op for whatever the first one finished.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from partybuild.lib.tasks import COMMON

from . import services

EMAIL_BATCH = 500


def _day(value: str | None) -> datetime.date:
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


@shared_task(name="reminders.run_reminders", time_limit=600, soft_time_limit=540, **COMMON)
def run_reminders(day: str | None = None) -> int:
    """Plan the day's reminders and fan them out: one task per job and slice of members.

    The e-mails wait until the fan-out has had time to finish (REMINDER_EMAIL_AFTER_SECONDS),
    so that each person gets one e-mail listing everything the run found for them, not
    one per job or slice."""
    today = _day(day)
    queued = 0
    for job in services.plan(today=today):
        for lo, hi in services.member_ranges():
            deliver_batch.delay(job.kind, job.quarter, job.stage, today.isoformat(), lo, hi)
            queued += 1
    send_emails.apply_async(countdown=settings.REMINDER_EMAIL_AFTER_SECONDS)
    return queued


@shared_task(name="reminders.deliver_batch", time_limit=300, soft_time_limit=270, **COMMON)
def deliver_batch(kind: str, quarter: str, stage: str, day: str, lo: int, hi: int) -> int:
    return services.deliver(services.Job(kind, quarter, stage), today=_day(day), lo=lo, hi=hi)


@shared_task(name="reminders.send_emails", time_limit=300, soft_time_limit=270, **COMMON)
def send_emails() -> int:
    """One e-mail per person for everything not yet e-mailed (EMAIL_BATCH people a task)."""
    sent = services.send_pending_emails(limit=EMAIL_BATCH)
    if sent >= EMAIL_BATCH:
        send_emails.delay()
    return sent
