"""Demo data of the study platform, built by ``seed_demo``: sessions, reports and talks
(``reports``) and a criticism meeting (``meetings``)."""

from .reports import build, reset

__all__ = ["build", "reset"]
