"""Benchmark: producing the habitat's documents on the demo habitat scaled to 5 years.

Builds a 5-year demo database in a temporary directory (as `bench_store.py` does,
with the same scale), then times each document `--repeat` times, each on a fresh
connection, and prints the median against its target. The documents are a list
of (name, target in seconds, callable): each engineer adds theirs to `DOCUMENTS`.
Targets: the yearly AVP report as PDF under 3 s; the week's programme and the
council minutes as PDF under 2 s each.

Usage: python simulations/bench_documents.py [--repeat N] [--db FILE]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from habitat import demo, store
from habitat.services import documents
from habitat.services.auth import acting_as

#: What a benchmarked document does: given the database, produce its bytes.
Make = Callable[[sqlite_utils.Database], bytes]


def _last_full_year(db: sqlite_utils.Database) -> int:
    last = db.execute("SELECT MAX(worked_on) FROM time_entry").fetchone()[0]
    return int(last[:4]) - 1


def _avp_report_pdf(db: sqlite_utils.Database) -> bytes:
    user = acting_as(db)  # the animator
    return documents.avp_report(db, user, user.habitat_id, _last_full_year(db), "pdf").content


def _last_week(db: sqlite_utils.Database) -> date:
    """A day of the demo's last full week of activities (the Monday before the last one)."""
    last = date.fromisoformat(db.execute("SELECT MAX(starts_at) FROM activity").fetchone()[0][:10])
    return last - timedelta(days=last.weekday() + 7)


def _week_programme_pdf(db: sqlite_utils.Database) -> bytes:
    user = acting_as(db)  # the animator
    return documents.week_programme(db, user, user.habitat_id, _last_week(db)).content


def _council_minutes_pdf(db: sqlite_utils.Database) -> bytes:
    user = acting_as(db)
    meeting = db.execute("SELECT MAX(id) FROM council_meeting").fetchone()[0]
    return documents.council_minutes(db, user, user.habitat_id, meeting).content


#: (name, target in seconds, how to produce it): add your document here.
DOCUMENTS: list[tuple[str, float, Make]] = [
    ("AVP report, PDF (last full year)", 3.0, _avp_report_pdf),
    ("Week's programme, PDF (last full week)", 2.0, _week_programme_pdf),
    ("Council minutes, PDF (last meeting)", 2.0, _council_minutes_pdf),
]


def _median_seconds(path: Path, make: Make, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with store.connect(path) as db:
            content = make(db)
        times.append(time.perf_counter() - start)
        assert content, "the document is empty"
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per document")
    parser.add_argument("--db", type=Path, help="an existing 5-year demo database to reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "habitat-5y.db"
            start = time.perf_counter()
            demo.build(path, seed=2026, years=5, scale=demo.BENCH_SCALE)
            print(f"built the 5-year demo in {time.perf_counter() - start:.1f} s")
        failed = False
        for name, target, make in DOCUMENTS:
            make(store.connect(path))  # warm-up: imports, fonts
            median = _median_seconds(path, make, args.repeat)
            ok = median < target
            failed |= not ok
            print(
                f"{name}: median {median:.2f} s over {args.repeat} runs"
                f" (target < {target:.0f} s) {'OK' if ok else 'TOO SLOW'}"
            )
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
