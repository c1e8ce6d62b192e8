"""Benchmark: the queries behind each screen, on the demo habitat scaled to 5 years.

Builds (once, cached under runs/) a 5-year demo database with at least 50,000 notes,
5,000 tensions and 20,000 attendance rows, then times each screen's query many
times on a fresh connection per call (as a page does) and reports p50 / p95 / max.
Target: every p95 at most 20 ms.

Usage: python simulations/bench_store.py [--rebuild] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from habitat import demo, store
from habitat.store.queries import avp_report, dashboard, notebook, resident_file, row_counts

DB = Path("runs/bench_store/habitat-5y.db")
TARGET_MS = 20.0


def _timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with store.connect(DB) as db:
            call(db)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the 5-year database")
    parser.add_argument("--repeat", type=int, default=200, help="timed calls per query")
    args = parser.parse_args()
    if args.rebuild and DB.exists():
        DB.unlink()
    if not DB.exists():
        start = time.perf_counter()
        demo.build(DB, seed=2026, years=5, scale=demo.BENCH_SCALE)
        print(f"built {DB} in {time.perf_counter() - start:.1f} s")
    with store.connect(DB) as db:
        counts = row_counts(db)
        habitat_id = db.execute("SELECT id FROM habitat").fetchone()[0]
        last = db.execute("SELECT MAX(written_at) FROM liaison_note").fetchone()[0]
        today = datetime.fromisoformat(last).date()
        residents = [r.id for r in store.find(db, store.RECORDS["resident"], "exit_date IS NULL")]
    print(
        f"{counts['liaison_note']:,} notes, {counts['tension']:,} tensions, "
        f"{counts['attendance']:,} attendance rows, {counts['audit_log']:,} audit entries, "
        f"{DB.stat().st_size / 2**20:.0f} MiB"
    )
    resident = residents[len(residents) // 2]
    screens = {
        "dashboard": lambda db: dashboard(db, habitat_id, today),
        "resident file": lambda db: resident_file(db, resident),
        "notebook, one resident": lambda db: notebook(db, habitat_id, resident_id=resident),
        "notebook, all": lambda db: notebook(db, habitat_id),
        "notebook, page 20": lambda db: notebook(
            db, habitat_id, before=datetime.combine(today - timedelta(days=20), datetime.min.time())
        ),
        "AVP yearly report": lambda db: avp_report(db, habitat_id, today.year - 1),
    }
    print(
        f"\n{'screen query':<26} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  (target p95 <= "
        f"{TARGET_MS:.0f} ms, {args.repeat} calls, new connection each)"
    )
    worst = 0.0
    for name, call in screens.items():
        times = sorted(_timed(call, args.repeat))
        p95 = times[int(0.95 * (len(times) - 1))]
        worst = max(worst, p95)
        print(f"{name:<26} {statistics.median(times):>8.2f} {p95:>8.2f} {times[-1]:>8.2f}")
    print(f"\nworst p95: {worst:.2f} ms ({'meets' if worst <= TARGET_MS else 'MISSES'} the target)")
    print(f"as of {today} ({date.today()} run)")


if __name__ == "__main__":
    main()
