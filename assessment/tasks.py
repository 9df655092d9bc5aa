"""Celery tasks of the assessment app: each calls one service and is safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task

from partybuild.lib.tasks import COMMON

from .services.area_averages import store_missing_area_averages
from .services.objections import finalize_due


@shared_task(name="assessment.finalize_due", time_limit=600, soft_time_limit=540, **COMMON)
def finalize_due_periods(day: str | None = None) -> list[str]:
    """Finalise the periods whose publicity window has ended with no objection open (daily, by beat),
    and chart any published year whose area averages were never worked out."""
    done = finalize_due(today=datetime.date.fromisoformat(day) if day else None)
    store_missing_area_averages()
    return done
