"""Benchmark: a territory of 100 habitats x 100 replications x 5 years, local and Dask.

Runs `simulations/territory/experiment.yaml` twice through `habitat sweep`'s own code
path: on local worker processes, then on a Dask LocalCluster with the same number of
workers, checks that both give identical results, and prints the wall-clock seconds
of each. Target (issue 6): at most 60 s with local processes on the 2-core machine.

Usage: python simulations/bench_territory.py [--workers 2] [--habitats 100]
    [--replications 100] [--days 1825] [--skip-dask]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from habitat.experiment import load_experiment, run_sweep
from habitat.experiment.backends import DaskBackend, LocalProcessBackend

EXPERIMENT = Path(__file__).resolve().parent / "territory" / "experiment.yaml"


def timed(experiment, out: Path, backend) -> float:
    start = time.perf_counter()
    try:
        summary = run_sweep(experiment, out, backend, progress_bar=True)
    finally:
        backend.close()
    if summary.failed:
        raise SystemExit(f"{summary.failed} points failed; see {out / 'failures.json'}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--habitats", type=int, default=100)
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--days", type=int, default=1825)
    parser.add_argument("--skip-dask", action="store_true", help="time local processes only")
    args = parser.parse_args()
    experiment = load_experiment(
        EXPERIMENT,
        [
            f"design.samples={args.habitats}",
            f"replications={args.replications}",
            f"days={args.days}",
        ],
    )
    work = Path(tempfile.mkdtemp(prefix="bench_territory_"))
    try:
        local = timed(experiment, work / "local", LocalProcessBackend(args.workers))
        print(
            f"{args.habitats} habitats x {args.replications} replications x {args.days} days, "
            f"{args.workers} workers"
        )
        print(f"  local processes:      {local:8.1f} s")
        if not args.skip_dask:
            dask = timed(experiment, work / "dask", DaskBackend.local(args.workers))
            same = pd.read_parquet(work / "local" / "results.parquet").equals(
                pd.read_parquet(work / "dask" / "results.parquet")
            )
            print(f"  Dask LocalCluster:    {dask:8.1f} s  (results identical: {same})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
