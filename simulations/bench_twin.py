"""Benchmark: the habitat's own model on the demo habitat (issue 15's targets).

Builds the demo database (one year of history, as `make run` does) in a temporary
directory, shows it as of its last day, and times each twin service as the
animator asks it on screen: the backtest (6 months) and the forecast (12 months),
then each question before deciding, all at 100 replications x 365 days unless
said. Each is timed `--repeat` times, the median printed against its target:
each question under 5 s; the calibration from the records (when present) under
2 minutes. The admission question needs a free dwelling: one resident leaves first.

Usage: python simulations/bench_twin.py [--repeat N] [--replications R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from habitat import demo, store
from habitat.services import decisions, records, twin
from habitat.services.auth import acting_as
from habitat.store.entities import Resident

CANDIDATE = {
    "public": "elderly",
    "gir": 2,
    "family_hours_per_week": 0.0,
    "own_providers": False,
    "entered_by_default": True,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--replications", type=int, default=100)
    args = parser.parse_args()
    os.environ["HABITAT_TODAY"] = demo.DEFAULT_END.isoformat()
    r = args.replications
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        demo.build(path)
        with store.connect(path) as db:
            user = acting_as(db)
            leaving = next(x for x in store.find(db, Resident) if x.exit_date is None)
            records.update(
                db,
                user,
                Resident,
                leaving.stored_id,
                leaving.version,
                {"exit_date": demo.DEFAULT_END - timedelta(days=3), "exit_reason": "death"},
            )
            runs = [
                ("backtest, 6 months", 5.0, lambda: twin.backtest(db, user, replications=r)),
                ("forecast, 12 months", 5.0, lambda: twin.forecast(db, user, replications=r)),
                (
                    "ask admission",
                    5.0,
                    lambda: decisions.admission(db, user, CANDIDATE, replications=r),
                ),
                (
                    "ask rule",
                    5.0,
                    lambda: decisions.rule(db, user, {"activities_per_week": 8.0}, replications=r),
                ),
                ("ask families", 5.0, lambda: decisions.families(db, user, replications=r)),
                ("ask avp", 5.0, lambda: decisions.avp(db, user, replications=r)),
            ]
            runs += [
                ("calibrate, its history", 120.0, lambda: twin.calibrate(db, user)),
                (
                    "backtest fitted, 4 + 6 mo",
                    120.0,
                    lambda: twin.backtest(db, user, months=4, fit_months=6, replications=r),
                ),
            ]
            print(f"{r} replications, demo as of {demo.DEFAULT_END}, median of {args.repeat}")
            for name, target, call in runs:
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    call()
                    times.append(time.perf_counter() - start)
                median = statistics.median(times)
                verdict = "OK" if median <= target else "OVER"
                print(f"  {name:28s} {median:7.2f} s  (target {target:.0f} s) {verdict}")


if __name__ == "__main__":
    main()
