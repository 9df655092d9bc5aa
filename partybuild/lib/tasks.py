"""What every Celery task of the product shares: retried on a passing database or broker
fault, acknowledged late (a worker that dies mid-task leaves the message to be delivered
again), so each task must be safe to run twice."""

from django.db import DatabaseError, InterfaceError, OperationalError

TRANSIENT = (OperationalError, InterfaceError, DatabaseError, ConnectionError, TimeoutError)
COMMON = {
    "acks_late": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
