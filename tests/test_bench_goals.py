"""make bench judges each figure by the company's size (bench/run.py): the demo build and the
rankings export's memory have their own goals at 100,000 members and at a million (issue 19),
and none below 100,000."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parent.parent / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)


@pytest.mark.parametrize(
    ("size", "seconds", "verdict"),
    [
        (10_000, 900, "—"),
        (100_000, 299, "ok"),
        (100_000, 301, "MISS"),
        (1_000_000, 2399, "ok"),
        (1_000_000, 2401, "MISS"),
    ],
)
def test_the_seed_is_judged_by_the_size(size, seconds, verdict):
    assert bench_run.verdict("seed_demo", {"seconds": seconds, "size": size}) == verdict


@pytest.mark.parametrize(
    ("size", "peak_mb", "verdict"),
    [
        (10_000, 400, "ok"),
        (100_000, 100, "ok"),
        (100_000, 140, "MISS"),
        (1_000_000, 140, "ok"),
        (1_000_000, 151, "MISS"),
    ],
)
def test_the_exports_memory_is_judged_by_the_size(size, peak_mb, verdict):
    assert bench_run.verdict("export_rankings", {"ratio": 0.7, "peak_mb": peak_mb, "size": size}) == verdict


def test_the_table_names_the_goal_of_its_size():
    assert bench_run.goal_text("seed_demo", 1_000_000) == "< 2,400 s on PostgreSQL"
    assert bench_run.goal_text("export_rankings", 1_000_000) == "ratio ≤ 0.8, peak ≤ 150 MB"
    assert bench_run.goal_text("export_rankings", 10_000) == "ratio ≤ 0.8"
